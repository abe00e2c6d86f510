// The History table with 100,000 rows: it opens, scrolls with a small DOM, filters, and still shows new challenges live.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ChromiumSession, launchChromium } from '../support/chromium';
import { seedHistory } from '../support/history-seed';
import { type NodeProxy, startNodeProxy } from '../support/node-proxy';
import { loadPage, openOptions, sender, shownCount, tableRows } from '../support/options-page';
import { type OriginServer, startOrigin } from '../support/origin-server';

const ROWS = 100_000;
let origin: OriginServer;
let proxy: NodeProxy;
let session: ChromiumSession;

beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startNodeProxy({ realm: 'Corp Proxy', users: { alice: 'pw' } });
  session = await launchChromium({ proxyPort: proxy.port });
});
afterAll(async () => {
  await session?.close();
  await proxy?.close();
  await origin?.close();
});

describe('options page at scale [chromium]', () => {
  it('S12 100,000 history rows open, scroll virtualised, filter, and take live updates [chromium, node]', async () => {
    const page = await openOptions(session, 'history');
    await page.locator('.history__count').waitFor();
    await seedHistory(page, { count: ROWS, now: Date.now() - 60_000 });
    const opened = Date.now();
    await page.reload();
    await page.locator('.vtable__row--body').first().waitFor();
    const firstPaint = Date.now() - opened;
    await vi.waitFor(async () => expect(await shownCount(page)).toBe(ROWS), { timeout: 60_000, interval: 200 });
    await page.getByRole('button', { name: 'Export CSV' }).isEnabled();
    expect(firstPaint).toBeLessThan(5_000);

    // virtualised: a few dozen rows in the DOM, whatever the scroll position
    const domRows = () => page.locator('.vtable__row--body').count();
    expect(await domRows()).toBeLessThan(80);
    await page.locator('.vtable__body').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await vi.waitFor(async () => {
      const index = Number(await page.locator('.vtable__row--body').first().getAttribute('aria-rowindex'));
      expect(index).toBeGreaterThan(ROWS / 2 - 100);
    });
    expect(await domRows()).toBeLessThan(80);
    expect(await page.getByRole('table').getAttribute('aria-rowcount')).toBe(String(ROWS + 1));

    // free text narrows the count; every row shown matches
    await page.getByLabel('Search').fill('docs.example.io/page/12');
    await vi.waitFor(async () => expect(await shownCount(page)).toBeLessThan(ROWS));
    const narrowed = await shownCount(page);
    expect(narrowed).toBeGreaterThan(0);
    expect((await tableRows(page)).every((r) => r.url.includes('docs.example.io/page/12'))).toBe(true);
    await page.getByLabel('Outcome').selectOption('rejected');
    await vi.waitFor(async () => expect(await shownCount(page)).toBeLessThan(narrowed));
    await page.getByRole('button', { name: 'Reset filters' }).click();
    await vi.waitFor(async () => expect(await shownCount(page)).toBe(ROWS));

    // a real challenge while the page is open appears on top without a reload
    const send = sender(session);
    await send('profiles/save', { name: 'Live', proxy: { host: '127.0.0.1', port: proxy.port }, realm: 'Corp Proxy', scheme: 'basic', username: 'alice', password: 'pw', isDefault: true });
    expect((await loadPage(session, origin.url('/res/live-update'))).status).toBe(200);
    await page.locator('.vtable__body').evaluate((el) => (el.scrollTop = 0));
    await vi.waitFor(async () => {
      const [top] = await tableRows(page);
      expect(top).toMatchObject({ url: origin.url('/res/live-update'), decision: 'answered-saved', outcome: 'ok' });
    }, { timeout: 15_000, interval: 200 });
    await page.close();
  });
});
