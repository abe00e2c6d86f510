// Figure 5: history storage speed: rows the worker stored during bursts, and raw IndexedDB writes while it answers a burst.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { BrowserName } from '../../test/support/driver';
import type { OriginServer } from '../../test/support/origin-server';
import { withBench } from './browser';
import { type AuthBurst, BURST_SIZE, burstUrls } from './burst';
import { benchProfile, type ProxyPair } from './proxies';
import { GOALS } from './goals';
import { type Figure, forGoal, info, lessThan, median, notAvailable, round } from './stats';

const GROUP = 'history';
export const OPTIONS_BENCH = 'scripts/bench-history.ts';

/** From the saved-profile bursts of figure 2: how long after the last request settled the history holds every row. */
export function historyLagFigure(browser: BrowserName, kind: string, saved: readonly AuthBurst[]): Figure {
  const name = `history complete after a ${BURST_SIZE}-request burst ended [${browser}, ${kind}]`;
  if (!saved.length) return notAvailable(GROUP, name, 'no saved-profile burst finished (see burst)');
  return info(
    GROUP,
    name,
    median(saved.map((r) => r.historyLagMs)),
    'ms',
    `history/flush round trip once the last request settled (message round trip included); rows per burst: ${saved.map((r) => r.historyRows).join(', ')}; median of ${saved.length}`,
  );
}

/**
 * Runs in the extension page: `rows` history-shaped rows into a scratch database of the extension's
 * origin, `batch` rows per transaction (the worker batches per tick the same way). Returns rows/s.
 */
const writeRows = async ({ rows, batch, db: name }: { rows: number; batch: number; db: string }) => {
  const db: IDBDatabase = await new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => req.result.createObjectStore('entries', { keyPath: 'id' }).createIndex('at', 'at');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const start = performance.now();
  for (let i = 0; i < rows; i += batch) {
    const tx = db.transaction('entries', 'readwrite');
    for (let k = i; k < Math.min(rows, i + batch); k++) {
      tx.objectStore('entries').put({
        id: `bench-${k}`,
        at: Date.now(),
        requestId: String(k),
        url: `http://127.0.0.1:8080/res/${k}`,
        tabId: 1,
        challenger: { host: '127.0.0.1', port: 3128 },
        realm: 'Bench Proxy',
        scheme: 'basic',
        profileId: 'p1',
        profileName: 'bench account',
        decision: 'answered-saved',
        outcome: 'ok',
        attempts: 1,
        diagnosis: [],
      });
    }
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
  }
  const ms = performance.now() - start;
  db.close();
  await new Promise((resolve) => {
    const del = indexedDB.deleteDatabase(name);
    del.onsuccess = del.onerror = del.onblocked = resolve;
  });
  return (rows / ms) * 1000;
};

/** Raw IndexedDB write speed in the extension's origin while the worker answers a saved-profile burst. */
export async function benchIdbUnderLoad(o: { browser: BrowserName; pair: ProxyPair; origin: OriginServer; rows: number; deadlineMs: number }): Promise<Figure> {
  return withBench(o.browser, o.pair.auth.port, async (b) => {
    await b.send('profiles/save', benchProfile(o.pair.auth));
    const [rate, burst] = await Promise.all([
      b.evalInExtension(writeRows, { rows: o.rows, batch: 100, db: 'pak-bench-scratch' }),
      b.timedBurst(burstUrls(o.origin, 'idb'), o.deadlineMs),
    ]);
    const status = await b.send('engine/status');
    await b.send('history/flush');
    const rows = (await b.send('history/query', {})).length;
    const unfinished = burst.results.filter((r) => r === 'timeout').length;
    const meanwhile = unfinished
      ? `meanwhile the burst hung (${unfinished} requests unfinished after ${o.deadlineMs / 1000} s)`
      : `meanwhile the burst took ${round(burst.ms)} ms`;
    return info(
      GROUP,
      `IndexedDB writes while the worker answers a burst [${o.browser}]`,
      rate,
      'rows/s',
      `${o.rows} history-shaped rows, 100 per transaction, in a scratch database of the extension's origin; ${meanwhile}; the worker stored ${rows} rows for ${status.challengesSeen} challenges`,
    );
  });
}

/**
 * The options page benchmark (first paint, filter time with 100k rows) is a colleague's script,
 * `node --import tsx scripts/bench-history.ts [rows]`; it is run when it exists and its lines are read back.
 */
export function optionsPageFigures(quick: boolean): Figure[] {
  const name = 'options page with 100k history rows';
  if (!existsSync(OPTIONS_BENCH)) return [notAvailable(GROUP, name, 'options page benchmark not present (scripts/bench-history.ts)')];
  const rows = quick ? 10_000 : 100_000;
  const run = spawnSync(process.execPath, ['--import', 'tsx', OPTIONS_BENCH, String(rows)], { encoding: 'utf8', timeout: 5 * 60_000 });
  if (run.status !== 0) {
    const why = `${run.stderr}\n${run.stdout}`.split('\n').find((l) => /error/i.test(l)) ?? `exit ${run.status ?? run.signal}`;
    return [notAvailable(GROUP, name, `scripts/bench-history.ts failed: ${why.trim().slice(0, 160)}`)];
  }
  return parseOptionsBench(run.stdout, rows);
}

/** Reads lines such as "first paint (table rows): 227 ms" or "filter by outcome:   24 ms → 1,057 rows"; "(goal < 300 ms" makes a verdict row. */
export function parseOptionsBench(stdout: string, rows: number): Figure[] {
  const figures: Figure[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^\s*([^:]+?):\s+([\d,.]+)\s*ms\b\s*(.*)$/.exec(line);
    if (!m?.[1] || !m[2]) continue;
    const rest = m[3]?.trim();
    const label = m[1].trim();
    const name = `options page, ${rows.toLocaleString('en')} rows: ${label}`;
    const value = Number(m[2].replace(/,/g, ''));
    const note = rest ? `${rest} (scripts/bench-history.ts)` : 'scripts/bench-history.ts';
    const limit = /\(goal < ([\d,]+) ms/.exec(rest ?? '')?.[1];
    if (!limit) {
      figures.push(info(GROUP, name, value, 'ms', note));
      continue;
    }
    const f = lessThan(GROUP, name, value, 'ms', Number(limit.replace(/,/g, '')), note);
    figures.push(forGoal(f, /filter|text/i.test(label) ? GOALS.textFilter : GOALS.firstPaint));
  }
  if (!figures.length) figures.push(info(GROUP, `options page, ${rows.toLocaleString('en')} rows`, null, '', `unreadable output of scripts/bench-history.ts: ${stdout.trim().split('\n').slice(-2).join(' | ')}`));
  return figures;
}
