// Benchmark (not a test): the options page with 100,000 history rows — first paint, full load, filtering and scrolling in Chromium.
// Usage: npm run build && node --import tsx scripts/bench-history.ts [rows]
import { launchChromium } from '../test/support/chromium';
import { seedHistory } from '../test/support/history-seed';

const rows = Number(process.argv[2] ?? 100_000);
// No page in this benchmark goes through the proxy: any port will do.
const session = await launchChromium({ extensionPath: 'dist/chrome', proxyPort: 9 });
const ms = (n: number) => `${Math.round(n)} ms`;

try {
  const page = await session.context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.setViewportSize({ width: 1366, height: 900 });
  const url = `chrome-extension://${session.extensionId}/options.html#history`;
  await page.goto(url);
  await page.locator('.history__count').waitFor();
  const seedStart = performance.now();
  await seedHistory(page, { count: rows, now: Date.now() });
  console.log(`seeded ${rows.toLocaleString()} rows in ${ms(performance.now() - seedStart)}`);

  const open = performance.now();
  await page.reload();
  await page.locator('.vtable__row--body').first().waitFor();
  const firstPaint = performance.now() - open;
  await page.waitForFunction(() => !document.querySelector('.history__count')?.textContent?.includes('loading'), null, { timeout: 120_000 });
  const fullLoad = performance.now() - open;
  const count = Number(await page.locator('.history__count').getAttribute('data-count'));

  /** Changes one filter control in the page and times until the table shows the new count. */
  const timeFilter = (selector: string, value: string) =>
    page.evaluate(
      ([sel, val]) =>
        new Promise<{ ms: number; count: number }>((resolve) => {
          const status = document.querySelector('.history__count') as HTMLElement;
          const before = status.dataset.count;
          const start = performance.now();
          const observer = new MutationObserver(() => {
            if (status.dataset.count === before) return;
            observer.disconnect();
            requestAnimationFrame(() => resolve({ ms: performance.now() - start, count: Number(status.dataset.count) }));
          });
          observer.observe(status, { attributes: true });
          const el = document.querySelector(sel) as HTMLInputElement | HTMLSelectElement;
          el.value = val;
          el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
        }),
      [selector, value] as const,
    );

  const byOutcome = await timeFilter('#filter-outcome', 'rejected');
  await timeFilter('#filter-outcome', '');
  const byText = await timeFilter('#filter-text', 'docs.example.io/page/12');
  const byTextAgain = await timeFilter('#filter-text', 'wiki.corp.example/page/99');

  await timeFilter('#filter-text', '');
  const scroll = await page.evaluate(
    () =>
      new Promise<{ ms: number; domRows: number }>((resolve) => {
        const body = document.querySelector('.vtable__body') as HTMLElement;
        const start = performance.now();
        body.scrollTop = body.scrollHeight / 2;
        requestAnimationFrame(() => requestAnimationFrame(() => resolve({ ms: performance.now() - start, domRows: document.querySelectorAll('.vtable__row--body').length })));
      }),
  );

  console.log(`rows loaded:              ${count.toLocaleString()}`);
  console.log(`first paint (table rows): ${ms(firstPaint)}`);
  console.log(`all rows loaded:          ${ms(fullLoad)}`);
  console.log(`filter by outcome:        ${ms(byOutcome.ms)} → ${byOutcome.count.toLocaleString()} rows`);
  console.log(`filter by free text:      ${ms(byText.ms)} (includes the 120 ms typing pause) → ${byText.count.toLocaleString()} rows`);
  console.log(`free text, second search:  ${ms(byTextAgain.ms)} (search text is cached per row after the first) → ${byTextAgain.count.toLocaleString()} rows`);
  console.log(`scroll to the middle:     ${ms(scroll.ms)} (two frames), ${scroll.domRows} rows in the DOM`);
} finally {
  await session.close();
}
