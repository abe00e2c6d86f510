// Scenario S19: the browser starts with tabs that meet the proxy before the extension listens; every one loads anyway.
import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import type { Browser as PuppeteerBrowser, Page as PuppeteerPage, Target } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HistoryEntry } from '../../src/core/model';
import type { PendingPrompt } from '../../src/messaging/map';
import { type BareChromium, launchBareChromium, launchChromium, startChromiumWithUrls, type StartedChromium } from '../support/chromium';
import { GECKO_ID, sendThrough, type Send } from '../support/driver';
import { type FirefoxSession, launchFirefox } from '../support/firefox';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { savedProfile, startProxy, type TestProxy } from '../support/proxies';
import { makeTempDir, removeTempDir } from '../support/temp';
import { TEST_HOSTS } from '../support/test-hosts';
import { type ExtensionPage, uiOn } from '../support/ui-page';
import { startXvfb, type VirtualDisplay } from '../support/xvfb';
import { BROWSERS, title } from './scenarios';

const USER = 'erin';
const PASS = 'erin-Pa55';

let origin: OriginServer;
let proxy: TestProxy;
beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startProxy('squid', 'Corp Proxy', { [USER]: PASS });
});
afterAll(async () => Promise.all([origin?.close(), proxy?.close()]));

/** Five start-up pages on five hosts (each its own connection to the proxy, each its own 407). */
const startPages = () => TEST_HOSTS.slice(0, 5).map((h) => `http://${h}:${origin.port}/`);

/** Waits until every start page shows its loaded title, reading the target list only (no debugger on a page a dialog may hold). */
async function allLoaded(b: StartedChromium, urls: string[]): Promise<void> {
  await vi.waitFor(
    async () => {
      const pages = (await b.targets()).filter((t) => t.type === 'page' && urls.includes(t.url));
      expect(pages.map((p) => `${p.url} ${p.title}`).sort()).toEqual(urls.map((u) => `${u} Hello`).sort());
    },
    { timeout: 20_000, interval: 250 },
  );
}

/**
 * A person's profile before the restart: pages load through the proxy with a saved account. With
 * `keepProfile` false the account is deleted again (the user types the password each morning).
 */
async function firstRun(send: Send, load: (url: string) => Promise<string>, keepProfile: boolean): Promise<void> {
  const saved = await send('profiles/save', savedProfile(proxy, USER, PASS));
  expect(saved).toMatchObject({ ok: true });
  expect(await load(origin.url('/'))).toBe('Hello');
  if (!keepProfile && saved.ok) expect(await send('profiles/delete', { id: saved.value.id })).toMatchObject({ deleted: true });
}

/** Waits until exactly one prompt holds every start-up page's request; returns it. */
async function oneStartupPrompt(send: Send, waiting: number): Promise<PendingPrompt> {
  let prompts: PendingPrompt[] = [];
  await vi.waitFor(async () => {
    prompts = await send('prompts/list');
    expect(prompts.map((p) => p.waiting)).toEqual([waiting]);
  }, { timeout: 20_000, interval: 250 });
  return prompts[0]!;
}

/**
 * The prompt the worker opened in its toolbar popup, to read and answer. A toolbar popup closes when its
 * window loses focus (seen once in ~30 runs on Xvfb at browser start): a person then clicks the toolbar
 * button, whose badge counts the waiting prompt; `current()` opens popup.html in a tab for that.
 */
async function promptPopup(browser: PuppeteerBrowser, target: Target, scenario: string): Promise<{ send: Send; current: () => Promise<PuppeteerPage> }> {
  let popup = await target.asPage();
  const current = async () => {
    if (!popup.isClosed() && !popup.mainFrame().detached) return popup;
    console.warn(`${scenario}: the toolbar popup closed before the answer; answering in popup.html, as after a click on the toolbar button`);
    popup = await browser.newPage();
    await popup.goto(`chrome-extension://${new URL(target.url()).host}/popup.html`);
    return popup;
  };
  return { send: sendThrough(async (fn, arg) => (await current()).evaluate(fn as (a: unknown) => unknown, arg) as Promise<never>), current };
}

type Placed = { url: string; pinned: boolean; window: number };

/** Where each of `urls` sits: pinned or not, and its window, numbered in the order of the windows' first page. */
function placesOf(tabs: Array<{ url?: string; pinned: boolean; windowId?: number }>, urls: string[]): Placed[] {
  const order: number[] = [];
  return tabs
    .filter((t) => urls.includes(t.url ?? ''))
    .map((t) => {
      if (!order.includes(t.windowId ?? -1)) order.push(t.windowId ?? -1);
      return { url: t.url!, pinned: t.pinned, window: order.indexOf(t.windowId ?? -1) };
    })
    .sort((a, b) => a.url.localeCompare(b.url));
}

/** Answers the prompt once, on its popup page, as a person does (the password is not saved). */
async function answerOnce(page: unknown, waiting = 'requests are waiting'): Promise<void> {
  // Playwright's and puppeteer's pages differ in type, not in the calls ExtensionPage makes
  const ui = uiOn(page as ExtensionPage);
  await ui.waitForText(waiting);
  await ui.fill('Username', USER);
  await ui.fill('Password', PASS);
  await ui.click('Sign in');
}

/** After the answer: one prompt shown, none left, a row per start-up page answered from it and settled. */
async function expectAnsweredOnce(send: Send, urls: string[], rejectedBefore = 0): Promise<void> {
  expect(await send('engine/status')).toMatchObject({ promptsShown: 1, promptsPending: 0 });
  let rows: HistoryEntry[] = [];
  await vi.waitFor(async () => {
    await send('history/flush');
    rows = (await send('history/query', {})).filter((r) => urls.includes(r.url));
    expect(rows.map((r) => `${r.decision}/${r.outcome}`).sort()).toEqual(Array(urls.length).fill('answered-prompt/ok'));
  }, { timeout: 10_000, interval: 250 });
  expect((await proxy.rejected()) - rejectedBefore).toBe(0);
}

/** The extension's id from its running worker, seen by a context attached over CDP. */
async function extensionIdOf(context: BrowserContext): Promise<string> {
  return vi.waitFor(() => {
    const worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
    if (!worker) throw new Error('no extension worker yet');
    return new URL(worker.url()).host;
  });
}

/** A message sender through an extension page of an attached context. */
async function sendFrom(context: BrowserContext, extensionId: string): Promise<{ send: Send; page: Page }> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  const send = sendThrough(<T, A>(fn: (arg: A) => T | Promise<T>, arg: A) => page.evaluate<T, A>(fn as (arg: unknown) => T | Promise<T>, arg));
  return { send, page };
}

if (BROWSERS.includes('chromium')) {
  describe('browser start [chromium headed, squid]', () => {
    let screen: VirtualDisplay;
    beforeAll(async () => {
      screen = await startXvfb();
    });
    afterAll(async () => screen?.close());

    /** First run on a fresh profile (see firstRun), then the next morning's start with five start pages; `test` runs on the restarted browser. */
    async function restartWith(keepProfile: boolean, test: (b: StartedChromium, urls: string[], before: { challenges: number; hits: number }) => Promise<void>): Promise<void> {
      const profileDir = await makeTempDir('s19-profile');
      let restarted: StartedChromium | undefined;
      try {
        const first = await launchChromium({ proxyPort: proxy.port, headless: false, display: screen.display, userDataDir: profileDir });
        try {
          const send = sendThrough((fn, arg) => first.evalInExtension(fn, arg));
          const page = await first.context.newPage();
          await firstRun(send, async (url) => (await page.goto(url), page.title()), keepProfile);
        } finally {
          await first.close();
        }
        const before = { challenges: await proxy.challenges(), hits: origin.hits.get('/') ?? 0 };
        // the next morning: the browser starts with five start pages, before the extension's worker listens
        const urls = startPages();
        restarted = await startChromiumWithUrls({ userDataDir: profileDir, urls, proxyPort: proxy.port, display: screen.display });
        await test(restarted, urls, before);
      } finally {
        await restarted?.close();
        await removeTempDir(profileDir);
      }
    }

    // title() knows browsers, not modes: these are spelled out
    it('S19 browser restart with 5 start-up tabs through squid with a saved profile: every tab loads, no native dialog [chromium headed, squid]', async () => {
      await restartWith(true, async (restarted, urls, before) => {
        await allLoaded(restarted, urls);

        // every page reached the origin server, once loaded again; squid refused no login
        expect((origin.hits.get('/') ?? 0) - before.hits).toBeGreaterThanOrEqual(urls.length);
        expect(await proxy.rejected()).toBe(0);

        const context = await restarted.connect();
        const { send, page } = await sendFrom(context, await extensionIdOf(context));
        // no tab is left loading (a native login dialog keeps its tab loading for good)
        const tabs = await page.evaluate(async (u: string[]) => (await chrome.tabs.query({})).filter((t) => u.includes(t.url ?? '')).map((t) => t.status), urls);
        expect(tabs).toEqual(Array(urls.length).fill('complete'));

        // history: one answered row per challenge the extension saw; squid saw those and the five the browser met first
        await send('history/flush');
        const rows: HistoryEntry[] = (await send('history/query', {})).filter((r) => urls.includes(r.url));
        expect(rows.length).toBeGreaterThanOrEqual(1);
        expect(rows.map((r) => `${r.decision}/${r.outcome}`)).toEqual(Array(rows.length).fill('answered-saved/ok'));
        const challenges = (await proxy.challenges()) - before.challenges;
        expect(challenges).toBeLessThanOrEqual(urls.length + rows.length);
        expect(rows.length).toBeLessThanOrEqual(urls.length);
      });
    });

    it('S19b browser restart with 5 start-up tabs through squid and no saved profile: one prompt for all of them; answered once, every tab loads [chromium headed, squid]', async () => {
      await restartWith(false, async (restarted, urls) => {
        // the held tabs are loaded again and wait on the extension, which opens its toolbar popup: a person answers there
        const attached = await restarted.attachBesidePages();
        const target = await attached.waitForTarget((t) => /^chrome-extension:\/\/[a-p]{32}\/popup\.html$/.test(t.url()), { timeout: 20_000 });
        const { send, current } = await promptPopup(attached, target, 'S19b');
        await oneStartupPrompt(send, urls.length);
        await answerOnce(await current());
        await allLoaded(restarted, urls);
        await expectAnsweredOnce(send, urls);
      });
    });

    it('S19d browser restart with 20 start-up tabs on two proxies (squid, node) and 2 without a proxy, a saved account each: every tab loads once (none reloaded needlessly), each proxy gets its own account [chromium headed, squid+node]', async () => {
      const lab = await startProxy('node', 'Lab Proxy', { lab: 'lab-Pa55' });
      const profileDir = await makeTempDir('s19d-profile');
      // h10.test..h19.test go through the node proxy, 127.0.0.1 goes direct, every other host through squid
      const pac = `function FindProxyForURL(u, h) { if (h === '127.0.0.1') return 'DIRECT'; return /^h1[0-9]\\.test$/.test(h) ? 'PROXY 127.0.0.1:${lab.port}' : 'PROXY 127.0.0.1:${proxy.port}'; }`;
      const proxied = Array.from({ length: 20 }, (_, i) => `http://h${i}.test:${origin.port}/?tab=${i}`);
      // two tabs without a proxy load before the worker listens: they must not be loaded again
      const urls = [...proxied, `http://127.0.0.1:${origin.port}/?tab=direct1`, `http://127.0.0.1:${origin.port}/?tab=direct2`];
      let restarted: StartedChromium | undefined;
      try {
        const first = await launchChromium({ proxyPort: proxy.port, pac, headless: false, display: screen.display, userDataDir: profileDir });
        try {
          const send = sendThrough((fn, arg) => first.evalInExtension(fn, arg));
          expect(await send('profiles/save', savedProfile(proxy, USER, PASS))).toMatchObject({ ok: true });
          expect(await send('profiles/save', savedProfile(lab, 'lab', 'lab-Pa55'))).toMatchObject({ ok: true });
          const page = await first.context.newPage();
          for (const url of [`http://alpha.test:${origin.port}/`, `http://h10.test:${origin.port}/`]) {
            await page.goto(url);
            expect(await page.title()).toBe('Hello');
          }
        } finally {
          await first.close();
        }
        const hits = origin.hits.get('/') ?? 0;
        restarted = await startChromiumWithUrls({ userDataDir: profileDir, urls, proxyPort: proxy.port, pac, display: screen.display });
        await allLoaded(restarted, urls);
        // each page reached the site once: a tab that loaded before the worker listened was not loaded again
        expect((origin.hits.get('/') ?? 0) - hits).toBe(urls.length);
        // each proxy accepted its own account and refused none (the other's would be refused)
        expect([await proxy.rejected(), await lab.rejected()]).toEqual([0, 0]);
        expect(await lab.accepted()).toBeGreaterThanOrEqual(10);
        const context = await restarted.connect();
        const { page } = await sendFrom(context, await extensionIdOf(context));
        const tabs = await page.evaluate(async (u: string[]) => (await chrome.tabs.query({})).filter((t) => u.includes(t.url ?? '')).map((t) => t.status), urls);
        expect(tabs).toEqual(Array(urls.length).fill('complete'));
      } finally {
        await restarted?.close();
        await removeTempDir(profileDir);
        await lab.close();
      }
    });

    it('S19d browser restart restoring the last session: a pinned tab and a second window through squid, a saved profile: every restored tab loads, stays pinned and in its window, none left on a dialog; a tab put to sleep and woken later loads too [chromium headed, squid]', async () => {
      const profileDir = await makeTempDir('s19d-restore-profile');
      const urls = TEST_HOSTS.slice(7, 11).map((h) => `http://${h}:${origin.port}/`);
      let restarted: StartedChromium | undefined;
      try {
        const first = await launchChromium({ proxyPort: proxy.port, headless: false, display: screen.display, userDataDir: profileDir });
        let before: Placed[] = [];
        try {
          const send = sendThrough((fn, arg) => first.evalInExtension(fn, arg));
          expect(await send('profiles/save', savedProfile(proxy, USER, PASS))).toMatchObject({ ok: true });
          // the person's session: a pinned page and another in the first window, two pages in a second window
          await first.evalInExtension(async (u: string[]) => {
            await chrome.tabs.create({ url: u[0], pinned: true });
            await chrome.tabs.create({ url: u[1] });
            await chrome.windows.create({ url: [u[2]!, u[3]!] });
          }, urls);
          await vi.waitFor(async () => {
            const tabs = await first.evalInExtension(async () => chrome.tabs.query({}));
            expect(tabs.filter((t) => urls.includes(t.url ?? '') && t.status === 'complete' && t.title === 'Hello')).toHaveLength(urls.length);
            before = placesOf(tabs, urls);
          }, { timeout: 20_000, interval: 250 });
          expect(before.filter((p) => p.pinned)).toHaveLength(1);
          expect(new Set(before.map((p) => p.window)).size).toBe(2);
        } finally {
          await first.close();
        }
        const hits = origin.hits.get('/') ?? 0;
        const rejected = await proxy.rejected();
        // the next morning the browser restores the session, loading its tabs before the worker listens
        restarted = await startChromiumWithUrls({ userDataDir: profileDir, urls: [], proxyPort: proxy.port, display: screen.display, args: ['--restore-last-session'] });
        await allLoaded(restarted, urls);
        expect((origin.hits.get('/') ?? 0) - hits).toBeGreaterThanOrEqual(urls.length);
        expect((await proxy.rejected()) - rejected).toBe(0);
        const context = await restarted.connect();
        const { page } = await sendFrom(context, await extensionIdOf(context));
        const tabs = await page.evaluate(async () => chrome.tabs.query({}));
        expect(tabs.filter((t) => urls.includes(t.url ?? '')).map((t) => t.status)).toEqual(Array(urls.length).fill('complete'));
        expect(placesOf(tabs, urls)).toEqual(before);

        // a restored tab put to sleep (discarded) and woken later loads like any page: through the saved profile, no dialog
        const sleeper = tabs.find((t) => t.url === urls[1] && !t.active) ?? tabs.find((t) => urls.includes(t.url ?? '') && !t.active);
        expect(sleeper?.id).toBeDefined();
        const slept = await page.evaluate(async (id: number) => (await chrome.tabs.discard(id))?.id ?? null, sleeper!.id!);
        expect(slept).not.toBeNull();
        const asleep = await page.evaluate(async (id: number) => (await chrome.tabs.get(id)).discarded, slept!);
        expect(asleep).toBe(true);
        const hitsBeforeWake = origin.hits.get('/') ?? 0;
        // a person clicks it: its window comes to the front and the tab is shown
        await page.evaluate(async (id: number) => {
          const t = await chrome.tabs.update(id, { active: true });
          if (t?.windowId !== undefined) await chrome.windows.update(t.windowId, { focused: true });
        }, slept!);
        await vi.waitFor(async () => {
          const t = await page.evaluate(async (id: number) => chrome.tabs.get(id), slept!);
          expect(`${t.discarded} ${t.status} ${t.title}`).toBe('false complete Hello');
        }, { timeout: 20_000, interval: 250 });
        expect((origin.hits.get('/') ?? 0) - hitsBeforeWake).toBe(1);
        expect((await proxy.rejected()) - rejected).toBe(0);
      } finally {
        await restarted?.close();
        await removeTempDir(profileDir);
      }
    });

    it('S19c the extension is installed while a start-up tab waits on the browser\'s own login dialog: the install loads that tab again, its 407 reaches the one prompt, answered once the tab loads [chromium headed, squid]', async () => {
      const profileDir = await makeTempDir('s19c-profile');
      const url = `http://${TEST_HOSTS[5]}:${origin.port}/`;
      const before = { challenges: await proxy.challenges(), hits: origin.hits.get('/') ?? 0, rejected: await proxy.rejected() };
      let bare: BareChromium | undefined;
      try {
        bare = await launchBareChromium({ proxyPort: proxy.port, display: screen.display, userDataDir: profileDir, urls: [url] });
        // no extension hears the page's 407: squid challenged it, the site never saw it, the browser's dialog holds the tab
        await vi.waitFor(async () => expect(await proxy.challenges()).toBeGreaterThan(before.challenges), { timeout: 20_000, interval: 100 });
        expect(origin.hits.get('/') ?? 0).toBe(before.hits);
        expect((await bare.pages()).filter((p) => p.url === url).map((p) => p.title)).not.toEqual(['Hello']);

        const id = await bare.install();
        // runtime.onInstalled: the held tab is loaded again, its 407 reaches the worker, which opens its prompt
        const target = await bare.browser.waitForTarget((t) => t.url().startsWith(`chrome-extension://${id}/popup.html`), { timeout: 20_000 });
        const { send, current } = await promptPopup(bare.browser, target, 'S19c');
        await oneStartupPrompt(send, 1);
        await answerOnce(await current(), '1 request is waiting');
        await vi.waitFor(async () => expect((await bare!.pages()).filter((p) => p.url === url).map((p) => p.title)).toEqual(['Hello']), { timeout: 20_000, interval: 250 });
        expect((origin.hits.get('/') ?? 0) - before.hits).toBe(1);
        expect((await proxy.rejected()) - before.rejected).toBe(0);
        // no tab is left loading on a dialog; history has the answered row
        const tabs = await (await current()).evaluate(async (u: string) => (await chrome.tabs.query({})).filter((t) => t.url === u).map((t) => t.status), url);
        expect(tabs).toEqual(['complete']);
        await expectAnsweredOnce(send, [url], before.rejected);
      } finally {
        await bare?.close().catch(() => {});
        await removeTempDir(profileDir);
      }
    });
  });
}

if (BROWSERS.includes('firefox')) {
  describe('browser start [firefox, squid]', () => {
    /** First run of a profile with the add-on installed for good (see firstRun), then a browser start with five start pages. */
    async function restartWith(keepProfile: boolean, test: (ff: FirefoxSession, urls: string[], before: { challenges: number; hits: number }) => Promise<void>): Promise<void> {
      const profileDir = await makeTempDir('s19-firefox-profile');
      const base = { proxyPort: proxy.port, geckoId: GECKO_ID, uuid: randomUUID(), profileDir };
      let restarted: FirefoxSession | undefined;
      try {
        const first = await launchFirefox(base);
        try {
          const send = sendThrough((fn, arg) => first.evalInExtension(fn, arg));
          const page = await first.browser.newPage();
          await firstRun(send, async (url) => (await page.goto(url), page.title()), keepProfile);
        } finally {
          await first.close();
        }
        const before = { challenges: await proxy.challenges(), hits: origin.hits.get('/') ?? 0 };
        const urls = startPages();
        restarted = await launchFirefox({ ...base, startUrls: urls });
        await test(restarted, urls, before);
      } finally {
        await restarted?.close();
        await removeTempDir(profileDir);
      }
    }

    /** Waits until every start page's tab shows its loaded title. */
    async function allTabsLoaded(ff: FirefoxSession, urls: string[]): Promise<void> {
      let tabs: string[] = [];
      await vi.waitFor(
        async () => {
          tabs = await ff.evalInExtension(async (u: string[]) => {
            const b = (globalThis as unknown as { browser: typeof chrome }).browser;
            return (await b.tabs.query({})).filter((t) => u.includes(t.url ?? '')).map((t) => `${t.url} ${t.status} ${t.title}`).sort();
          }, urls);
          expect(tabs).toEqual(urls.map((u) => `${u} complete Hello`).sort());
        },
        { timeout: 20_000, interval: 250 },
      ).catch((err: unknown) => {
        throw new Error(`start-up tabs: ${JSON.stringify(tabs)}: ${(err as Error).message}`);
      });
    }

    it(title('S19', 'browser restart with 5 start-up tabs through squid with a saved profile: every tab loads, no native dialog', 'firefox', 'squid'), async () => {
      await restartWith(true, async (restarted, urls, before) => {
        const send = sendThrough((fn, arg) => restarted.evalInExtension(fn, arg));
        await allTabsLoaded(restarted, urls);
        // Firefox held each start-up request until the add-on's primed listeners ran: each page was
        // challenged once, answered from the saved profile, and loaded once (nothing had to load again)
        expect((origin.hits.get('/') ?? 0) - before.hits).toBe(urls.length);
        expect(await proxy.rejected()).toBe(0);
        // a row per challenge, each answered from the saved profile and settled: none stays pending,
        // although Firefox never reports the end of a request it held for the background (unheard-ends.ts)
        let rows: HistoryEntry[] = [];
        await vi.waitFor(async () => {
          await send('history/flush');
          rows = (await send('history/query', {})).filter((r) => urls.includes(r.url));
          expect(rows.map((r) => `${r.decision}/${r.outcome}`)).toEqual(Array(urls.length).fill('answered-saved/ok'));
        }, { timeout: 10_000, interval: 250 });
        // no row of either run stays pending
        expect((await send('history/query', {})).filter((r) => r.outcome === 'pending').map((r) => r.url)).toEqual([]);
        expect((await proxy.challenges()) - before.challenges).toBe(rows.length);
      });
    });

    it(title('S19b', 'browser restart with 5 start-up tabs through squid and no saved profile: one prompt for all of them; answered once, every tab loads', 'firefox', 'squid'), async () => {
      await restartWith(false, async (restarted, urls) => {
        const send = sendThrough((fn, arg) => restarted.evalInExtension(fn, arg));
        const prompt = await oneStartupPrompt(send, urls.length);
        const popup = await restarted.extensionPage(`popup.html?prompt=${prompt.id}`);
        await answerOnce(popup);
        await allTabsLoaded(restarted, urls);
        await expectAnsweredOnce(send, urls);
      });
    });

    it(title('S19c', 'the add-on is installed while a start-up tab waits on the browser\'s login prompt: the install loads that tab again, its 407 reaches the one prompt, answered once the tab loads', 'firefox', 'squid'), async () => {
      const url = `http://${TEST_HOSTS[6]}:${origin.port}/`;
      const before = { challenges: await proxy.challenges(), hits: origin.hits.get('/') ?? 0, rejected: await proxy.rejected() };
      const ff = await launchFirefox({ proxyPort: proxy.port, geckoId: GECKO_ID, startUrls: [url], installLater: true });
      try {
        // no add-on hears the page's 407: squid challenged it, the site never saw it, the login prompt holds the tab
        await vi.waitFor(async () => expect(await proxy.challenges()).toBeGreaterThan(before.challenges), { timeout: 20_000, interval: 100 });
        expect(origin.hits.get('/') ?? 0).toBe(before.hits);

        await ff.installAddon();
        // runtime.onInstalled: the held tab is loaded again and its 407 reaches the one prompt
        const send = sendThrough((fn, arg) => ff.evalInExtension(fn, arg));
        const prompt = await oneStartupPrompt(send, 1);
        await answerOnce(await ff.extensionPage(`popup.html?prompt=${prompt.id}`), '1 request is waiting');
        await allTabsLoaded(ff, [url]);
        expect((origin.hits.get('/') ?? 0) - before.hits).toBe(1);
        await expectAnsweredOnce(send, [url], before.rejected);
      } finally {
        await ff.close();
      }
    });
  });
}
