// Scenario S19: the browser starts with tabs that meet the proxy before the extension listens; every one loads anyway.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HistoryEntry } from '../../src/core/model';
import { launchChromium, startChromiumWithUrls, type StartedChromium } from '../support/chromium';
import { GECKO_ID, sendThrough } from '../support/driver';
import { type FirefoxSession, launchFirefox } from '../support/firefox';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { savedProfile, startProxy, type TestProxy } from '../support/proxies';
import { makeTempDir, removeTempDir } from '../support/temp';
import { TEST_HOSTS } from '../support/test-hosts';
import { startXvfb } from '../support/xvfb';
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

if (BROWSERS.includes('chromium')) {
  describe('browser start [chromium headed, squid]', () => {
    // title() knows browsers, not modes: this one is spelled out
    it('S19 browser restart with 5 start-up tabs through squid with a saved profile: every tab loads, no native dialog [chromium headed, squid]', async () => {
      const screen = await startXvfb();
      const profileDir = await makeTempDir('s19-profile');
      let restarted: StartedChromium | undefined;
      try {
        // a person's profile: the extension holds a saved account and pages load through the proxy
        const first = await launchChromium({ proxyPort: proxy.port, headless: false, display: screen.display, userDataDir: profileDir });
        try {
          const send = sendThrough((fn, arg) => first.evalInExtension(fn, arg));
          expect(await send('profiles/save', savedProfile(proxy, USER, PASS))).toMatchObject({ ok: true });
          const page = await first.context.newPage();
          await page.goto(origin.url('/'));
          expect(await page.title()).toBe('Hello');
        } finally {
          await first.close();
        }
        const before = { challenges: await proxy.challenges(), hits: origin.hits.get('/') ?? 0 };

        // the next morning: the browser starts with five start pages, before the extension's worker listens
        const urls = startPages();
        restarted = await startChromiumWithUrls({ userDataDir: profileDir, urls, proxyPort: proxy.port, display: screen.display });
        await allLoaded(restarted, urls);

        // every page reached the origin server, once loaded again; squid refused no login
        expect((origin.hits.get('/') ?? 0) - before.hits).toBeGreaterThanOrEqual(urls.length);
        expect(await proxy.rejected()).toBe(0);

        const context = await restarted.connect();
        const page = await context.newPage();
        const extensionId = await vi.waitFor(() => {
          const worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
          if (!worker) throw new Error('no extension worker yet');
          return new URL(worker.url()).host;
        });
        await page.goto(`chrome-extension://${extensionId}/options.html`);
        const send = sendThrough(<T, A>(fn: (arg: A) => T | Promise<T>, arg: A) => page.evaluate<T, A>(fn as (arg: unknown) => T | Promise<T>, arg));
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
      } finally {
        await restarted?.close();
        await removeTempDir(profileDir);
        await screen.close();
      }
    });
  });
}

if (BROWSERS.includes('firefox')) {
  describe('browser start [firefox, squid]', () => {
    it(title('S19', 'browser restart with 5 start-up tabs through squid with a saved profile: every tab loads, no native dialog', 'firefox', 'squid'), async () => {
      const profileDir = await makeTempDir('s19-firefox-profile');
      const uuid = randomUUID();
      const base = { proxyPort: proxy.port, geckoId: GECKO_ID, uuid, profileDir };
      let restarted: FirefoxSession | undefined;
      try {
        // a person's profile: the add-on installed for good holds a saved account, pages load through the proxy
        const first = await launchFirefox(base);
        try {
          const send = sendThrough((fn, arg) => first.evalInExtension(fn, arg));
          expect(await send('profiles/save', savedProfile(proxy, USER, PASS))).toMatchObject({ ok: true });
          const page = await first.browser.newPage();
          await page.goto(origin.url('/'));
          expect(await page.title()).toBe('Hello');
        } finally {
          await first.close();
        }
        const before = { challenges: await proxy.challenges(), hits: origin.hits.get('/') ?? 0 };

        const urls = startPages();
        restarted = await launchFirefox({ ...base, startUrls: urls });
        const send = sendThrough((fn, arg) => restarted!.evalInExtension(fn, arg));
        let tabs: string[] = [];
        await vi.waitFor(
          async () => {
            tabs = await restarted!.evalInExtension(async (u: string[]) => {
              const b = (globalThis as unknown as { browser: typeof chrome }).browser;
              return (await b.tabs.query({})).filter((t) => u.includes(t.url ?? '')).map((t) => `${t.url} ${t.status} ${t.title}`).sort();
            }, urls);
            expect(tabs).toEqual(urls.map((u) => `${u} complete Hello`).sort());
          },
          { timeout: 20_000, interval: 250 },
        ).catch((err: unknown) => {
          throw new Error(`start-up tabs: ${JSON.stringify(tabs)}: ${(err as Error).message}`);
        });
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
      } finally {
        await restarted?.close();
        await removeTempDir(profileDir);
      }
    });
  });
}
