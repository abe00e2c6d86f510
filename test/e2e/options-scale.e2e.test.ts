// The History table with 100,000 rows: it opens, scrolls with a small DOM, filters, and still shows new challenges live.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Driver, launch } from '../support/driver';
import { seedHistory } from '../support/history-seed';
import { type NodeProxy, startNodeProxy } from '../support/node-proxy';
import { openOptions } from '../support/options-page';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { BROWSERS, title } from './scenarios';

const ROWS = 100_000;
const ROW = '.vtable__row--body';
/** 100,000 rows on a machine shared with other browsers: how long a step may take to show, not a speed check (that is the bench). */
const SLOW = { timeout: 30_000, interval: 100 };
let origin: OriginServer;
let proxy: NodeProxy;

beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startNodeProxy({ realm: 'Corp Proxy', users: { alice: 'pw' } });
});
afterAll(async () => {
  await proxy?.close();
  await origin?.close();
});

for (const browser of BROWSERS) {
  describe(`options page at scale [${browser}, node]`, () => {
    let d: Driver;
    beforeAll(async () => {
      d = await launch(browser, { proxyPort: proxy.port });
    });
    afterAll(async () => d?.close());

    // How fast it opens is measured by scripts/bench-history.ts, not asserted here.
    it(title('S12', '100,000 history rows open, scroll virtualised, filter, and take live updates', browser, 'node'), async () => {
      const seeder = await d.page('options.html#history');
      await seedHistory(seeder, { count: ROWS, now: Date.now() - 60_000 });
      await seeder.close();
      const page = await openOptions(d, 'history');
      await vi.waitFor(async () => expect(await page.shownCount()).toBe(ROWS), { timeout: 60_000, interval: 200 });
      await vi.waitFor(async () => expect(await page.text()).not.toContain('(loading…)'), { timeout: 60_000, interval: 200 });

      // virtualised: a few dozen rows in the DOM, whatever the scroll position
      expect(await page.count(ROW)).toBeGreaterThan(0);
      expect(await page.count(ROW)).toBeLessThan(80);
      await page.scrollTable(0.5);
      await vi.waitFor(async () => expect(Number(await page.attribute(ROW, 'aria-rowindex'))).toBeGreaterThan(ROWS / 2 - 100), SLOW);
      expect(await page.count(ROW)).toBeLessThan(80);
      expect(await page.attribute('[role="table"]', 'aria-rowcount')).toBe(String(ROWS + 1));

      // free text narrows the count; every row shown matches
      await page.fill('Search', 'docs.example.io/page/12');
      await vi.waitFor(async () => expect(await page.shownCount()).toBeLessThan(ROWS), SLOW);
      const narrowed = (await page.shownCount()) ?? 0;
      expect(narrowed).toBeGreaterThan(0);
      expect((await page.rows()).every((r) => r.url.includes('docs.example.io/page/12'))).toBe(true);
      await page.select('Outcome', 'rejected');
      await vi.waitFor(async () => expect(await page.shownCount()).toBeLessThan(narrowed), SLOW);
      await page.click('Reset filters');
      await vi.waitFor(async () => expect(await page.shownCount()).toBe(ROWS), SLOW);

      // a real challenge while the page is open appears on top without a reload
      await d.send('profiles/save', { name: 'Live', proxy: { host: '127.0.0.1', port: proxy.port }, realm: 'Corp Proxy', scheme: 'basic', username: 'alice', password: 'pw', isDefault: true });
      expect((await d.load(origin.url('/res/live-update'))).status).toBe(200);
      await page.scrollTable(0);
      await vi.waitFor(async () => {
        const [top] = await page.rows();
        expect(top).toMatchObject({ url: origin.url('/res/live-update'), decision: 'answered-saved', outcome: 'ok' });
      }, { timeout: 15_000, interval: 200 });
      await page.close();
    });
  });
}
