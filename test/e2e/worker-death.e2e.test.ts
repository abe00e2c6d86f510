// Scenario S15: the worker is killed while requests wait on a prompt; the requests end, nothing hangs and history says what happened.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HistoryEntry } from '../../src/core/model';
import { type ChromiumSession, launchChromium } from '../support/chromium';
import { launch, type Send, sendThrough } from '../support/driver';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { type TestProxy, startProxy } from '../support/proxies';
import { spreadUrls } from '../support/test-hosts';
import { startXvfb } from '../support/xvfb';
import { BROWSERS, title } from './scenarios';

let origin: OriginServer;
let proxy: TestProxy;
beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startProxy('squid', 'Corp Proxy', { erin: 'erin-Pa55' });
});
afterAll(async () => Promise.all([origin?.close(), proxy?.close()]));

/** .test hosts go through the proxy; the page itself (on 127.0.0.1) loads directly, as an intranet page would. */
const pacFor = (port: number) => `function FindProxyForURL(url, host) {
  return dnsDomainIs(host, '.test') ? 'PROXY 127.0.0.1:${port}' : 'DIRECT';
}`;

/** How a page's fetches end: all settled, or the page was navigated away (its requests cancelled with it). */
const howEnded = (p: Promise<unknown[]>) =>
  p.then(
    (r) => `ended: ${r.length}`,
    (err: Error) => (/context was destroyed|navigat|closed|discarded/i.test(err.message) ? 'page went away' : `failed: ${err.message}`),
  );

const PAGES = [
  { what: 'an intranet page', from: () => origin.url('/') },
  { what: 'a blank page', from: () => undefined },
];

for (const browser of BROWSERS) {
  describe(`worker death [${browser}, squid]`, () => {
    for (const page of PAGES) {
      it(title('S15', `worker killed while 5 requests of ${page.what} wait on a prompt: the requests end, history is settled, the next request asks again`, browser, 'squid'), async () => {
        const d = await launch(browser, { proxyPort: proxy.port, pac: pacFor(proxy.port) });
        try {
          const ended = howEnded(d.fetchAll(spreadUrls(origin.port, 5), page.from()));
          await vi.waitFor(async () => expect(await d.send('prompts/list')).toMatchObject([{ waiting: 5 }]), { timeout: 20_000, interval: 200 });
          await d.send('history/flush');
          await d.restartWorker();
          // The browser never tells a new worker about requests the old one held; the next event wakes
          // it (here: this page's own message), it settles their history and frees their tab.
          let freed: HistoryEntry[] = [];
          await vi.waitFor(
            async () => {
              freed = (await d.send('history/query', {})).filter((r) => (r.error ?? '').includes('restarted'));
              expect(freed).toHaveLength(5);
            },
            { timeout: 20_000, interval: 300 },
          );
          expect(freed.map((r) => `${r.decision}/${r.outcome}`)).toEqual(Array(5).fill('prompt-cancelled/cancelled'));
          // the held requests themselves end: their page was navigated again (or discarded) — nothing hangs
          const result = await Promise.race([ended, new Promise<string>((r) => setTimeout(() => r('still held after 20 s'), 20_000))]);
          expect(result).toMatch(/^(ended: 5|page went away)$/);
          // the worker that came back asks again for the next request
          const next = d.fetchAll(spreadUrls(origin.port, 1));
          await vi.waitFor(async () => expect((await d.send('prompts/list')).reduce((n, p) => n + p.waiting, 0)).toBeGreaterThanOrEqual(1), { timeout: 20_000, interval: 200 });
          for (const p of await d.send('prompts/list')) await d.send('prompts/cancel', { id: p.id });
          expect(await next).toHaveLength(1);
        } finally {
          await d.close();
        }
      });
    }
  });
}

/** An intranet page in front whose 5 requests wait on one prompt; resolves with how they end. */
async function holdFiveRequests(b: ChromiumSession): Promise<{ ended: Promise<string>; ask: Send; headless: boolean }> {
  const ask = sendThrough((fn, arg) => b.evalInExtension(fn, arg));
  await ask('engine/status');
  const page = await b.context.newPage();
  await page.goto(origin.url('/'));
  await page.bringToFront();
  const headless = await page.evaluate(() => navigator.userAgent.includes('Headless'));
  const ended = howEnded(page.evaluate((urls) => Promise.all(urls.map((u) => fetch(u, { mode: 'no-cors' }).then(() => 1, () => 0))), spreadUrls(origin.port, 5)));
  await vi.waitFor(async () => expect(await ask('prompts/list')).toMatchObject([{ waiting: 5 }]), { timeout: 20_000, interval: 200 });
  await ask('history/flush');
  return { ended, ask, headless };
}

async function expectFreed(ended: Promise<string>, withinMs: number, ask: Send): Promise<void> {
  const result = await Promise.race([ended, new Promise<string>((r) => setTimeout(() => r(`still held after ${withinMs / 1000} s`), withinMs))]);
  expect(result).toMatch(/^(ended: 5|page went away)$/);
  const freed = (await ask('history/query', {})).filter((r) => (r.error ?? '').includes('restarted'));
  expect(freed.map((r) => `${r.decision}/${r.outcome}`)).toEqual(Array(5).fill('prompt-cancelled/cancelled'));
}

// Two things only Chromium shows: a worker stopped with nothing to wake it (Firefox restarts the
// background page at once), and a tab in a real window (Chrome's tab discarding takes a tab on
// screen differently from one in a headless browser, so the way held requests end is checked there).
if (BROWSERS.includes('chromium')) {
  describe('worker death, Chromium only [chromium, squid]', () => {
    it(title('S15', 'worker killed while requests wait and no extension page is open: within a minute a new worker (woken by the watchdog alarm if nothing else) frees them', 'chromium', 'squid'), async () => {
      const b = await launchChromium({ proxyPort: proxy.port, pac: pacFor(proxy.port) });
      try {
        const { ended, ask } = await holdFiveRequests(b);
        // the prompt window and the helper page would message the worker awake: close every extension page
        const closeExtensionPages = () => Promise.all(b.context.pages().filter((p) => p.url().startsWith('chrome-extension://')).map((p) => p.close()));
        await closeExtensionPages();
        await b.stopServiceWorker();
        await closeExtensionPages();
        // the alarm fires every 30 s while prompts wait; a minute allows for Chrome's own alarm slack
        await expectFreed(ended, 65_000, ask);
      } finally {
        await b.close();
      }
    });

    // title() knows browsers, not modes: this one is spelled out
    it('S15 worker killed while 5 requests of the tab in view wait on a prompt, in a headed browser on a virtual display: the tab is freed and shown again [chromium headed, squid]', async () => {
      const screen = await startXvfb();
      const b = await launchChromium({ proxyPort: proxy.port, pac: pacFor(proxy.port), headless: false, display: screen.display }).catch(async (err: unknown) => {
        await screen.close();
        throw err;
      });
      try {
        const { ended, ask, headless } = await holdFiveRequests(b);
        expect(headless).toBe(false); // a real window on the virtual screen
        await b.stopServiceWorker();
        await ask('engine/status'); // the helper page wakes a new worker at once
        await expectFreed(ended, 20_000, ask);
        // the tab in view came back: loaded again, not left discarded
        await vi.waitFor(async () => {
          const tabs = await b.evalInExtension(async (u: string) => (await chrome.tabs.query({ url: u })).map((t) => `${t.active}/${t.discarded}/${t.status}`), origin.url('/'));
          expect(tabs).toEqual(['true/false/complete']);
        }, { timeout: 10_000, interval: 200 });
      } finally {
        await b.close();
        await screen.close();
      }
    });
  });
}
