// Driving the options page in Chromium: typed messages from an extension page, page loads, table rows and CSV parsing.
import type { Page } from 'playwright-core';
import type { MessageName, Reply, RequestOf, ResponseOf } from '../../src/messaging/map';
import type { ChromiumSession } from './chromium';

export type Send = <K extends MessageName>(name: K, ...payload: RequestOf<K> extends void ? [] : [RequestOf<K>]) => Promise<ResponseOf<K>>;

/** Typed messages to the worker, sent from the session's helper extension page. */
export function sender(session: ChromiumSession): Send {
  return async (name, ...payload) => {
    const reply = await session.evalInExtension((m) => chrome.runtime.sendMessage(m) as Promise<Reply<typeof name>>, { pak: 1 as const, name, payload: payload[0] });
    if (!reply?.ok) throw new Error(`${name} failed: ${reply ? reply.error : 'no reply'}`);
    return reply.value;
  };
}

/** Loads a page in a new tab; resolves with its status (null when it failed) and never throws. */
export async function loadPage(session: ChromiumSession, url: string, timeout = 30_000): Promise<{ status: number | null; error?: string }> {
  const page = await session.context.newPage();
  try {
    const resp = await page.goto(url, { timeout });
    return { status: resp?.status() ?? null };
  } catch (err) {
    return { status: null, error: (err as Error).message.split('\n')[0] ?? '' };
  } finally {
    await page.close().catch(() => {});
  }
}

/** Opens options.html at a section, sized like a laptop screen. */
export async function openOptions(session: ChromiumSession, section = 'history', scheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await session.context.newPage();
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(`chrome-extension://${session.extensionId}/options.html#${section}`);
  return page;
}

/** The history count the page announces (rows shown after filters). */
export const shownCount = async (page: Page): Promise<number> => Number(await page.locator('.history__count').getAttribute('data-count'));

export interface TableRow {
  at: number;
  url: string;
  proxy: string;
  realm: string;
  scheme: string;
  profile: string;
  decision: string;
  outcome: string;
  attempts: number;
}

/** The rows the table has in the DOM (all of them when the history is short), top to bottom. */
export async function tableRows(page: Page): Promise<TableRow[]> {
  return page.locator('.vtable__row--body').evaluateAll((rows) =>
    rows
      .map((row) => {
        const cells = [...row.querySelectorAll('[role="cell"]')].map((c) => (c.textContent ?? '').trim());
        const dash = (s: string | undefined) => (s === '—' ? '' : (s ?? ''));
        return {
          index: Number(row.getAttribute('aria-rowindex')),
          at: Number(row.getAttribute('data-at')),
          url: cells[1] ?? '',
          proxy: cells[2] ?? '',
          realm: dash(cells[3]),
          scheme: dash(cells[4]),
          profile: dash(cells[5]),
          decision: row.querySelector('[data-decision]')?.getAttribute('data-decision') ?? '',
          outcome: row.querySelector('[data-outcome]')?.getAttribute('data-outcome') ?? '',
          attempts: Number(cells[8]),
        };
      })
      .sort((a, b) => a.index - b.index)
      .map(({ index: _, ...r }) => r),
  );
}

/** RFC 4180 CSV (quoted cells, doubled quotes, CRLF) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n') row.push(cell.replace(/\r$/, '')), rows.push(row), (row = []), (cell = '');
    else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}
