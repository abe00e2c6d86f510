// Private windows (Firefox, and Chromium's incognito) and Firefox containers: answered like any tab, and history says where the request came from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Driver, launch } from '../support/driver';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { savedProfile, type TestProxy, startProxy } from '../support/proxies';
import { BROWSERS, title } from './scenarios';
import { settledRows } from '../support/waits';

const REALM = 'Corp Proxy';
const USER = 'alice';
const PASS = 'alice-Pa55word';

let origin: OriginServer;
let proxy: TestProxy;


/** A browser with the add-on allowed in private windows (as a user allows it in about:addons or chrome://extensions) and one saved profile. */
async function withBrowser(name: 'chromium' | 'firefox', fn: (d: Driver) => Promise<void>): Promise<void> {
  const d = await launch(name, { proxyPort: proxy.port, allowPrivateBrowsing: true });
  try {
    const saved = await d.send('profiles/save', savedProfile(proxy, USER, PASS, { name: 'Corp' }));
    expect(saved.ok).toBe(true);
    await fn(d);
  } finally {
    await d.close();
  }
}

beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startProxy('squid', REALM, { [USER]: PASS });
});
afterAll(async () => {
  await proxy?.close();
  await origin?.close();
});

// Chrome never says a request is private (Firefox does): the worker reads the request's tab.
describe.skipIf(!BROWSERS.includes('chromium'))('incognito [chromium, squid]', () => {
  it(title('S10', 'an incognito window is answered and leaves no URL in history', 'chromium', 'squid'), async () => {
    const before = await proxy.rejected();
    await withBrowser('chromium', async (d) => {
      const hits = origin.hits.get('/') ?? 0;
      const page = await d.loadIn('private-window', origin.url('/?visited=incognito-page'));
      expect(page.error).toBeUndefined();
      // what the extension may read of an incognito tab: the page's own title, and the origin saw the request
      expect(page.title).toBe('Hello');
      expect(origin.hits.get('/')).toBe(hits + 1);
      const [row] = await settledRows(d, 1);
      expect(row).toMatchObject({ decision: 'answered-saved', outcome: 'ok', private: true, url: '', realm: REALM, profileName: 'Corp' });
      expect(JSON.stringify(row)).not.toContain('incognito-page');
      // the same browser's normal window still keeps the address (the check is per request, not a switch)
      expect((await d.load(origin.url('/'))).status).toBe(200);
      const rows = await settledRows(d, 2);
      expect(rows.find((r) => !r.private)?.url).toBe(origin.url('/'));
    });
    expect(await proxy.rejected()).toBe(before);
  });
});

// Containers are Firefox's alone.
describe.skipIf(!BROWSERS.includes('firefox'))('private browsing [firefox, squid]', () => {

  it(title('S10', 'a private window is answered and leaves no URL in history', 'firefox', 'squid'), async () => {
    const before = await proxy.rejected();
    await withBrowser('firefox', async (d) => {
      const page = await d.loadIn('private-window', origin.url('/?visited=private-page'));
      expect(page.error).toBeUndefined();
      expect(page.status).toBe(200);
      expect(page.text).toContain('Hello through the proxy');
      const [row] = await settledRows(d, 1);
      expect(row).toMatchObject({ decision: 'answered-saved', outcome: 'ok', private: true, url: '', realm: REALM, profileName: 'Corp' });
      // nothing of the address survives anywhere in the row
      expect(JSON.stringify(row)).not.toContain('private-page');
    });
    expect(await proxy.rejected()).toBe(before);
  });

  it(title('S10', 'a container tab is answered and its history row names the container', 'firefox', 'squid'), async () => {
    await withBrowser('firefox', async (d) => {
      const page = await d.loadIn('container', origin.url('/'));
      expect(page.status).toBe(200);
      expect(page.text).toContain('Hello through the proxy');
      const [row] = await settledRows(d, 1);
      expect(row).toMatchObject({ decision: 'answered-saved', outcome: 'ok' });
      expect(row?.private).toBeUndefined();
      expect(row?.cookieStoreId).toMatch(/^firefox-container-\d+$/);
      expect(row?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    });
  });
});
