// Waiting on the worker from a scenario: settled history rows, the one pending prompt.
import { expect, vi } from 'vitest';
import type { HistoryEntry } from '../../src/core/model';
import type { EngineStatus, PendingPrompt } from '../../src/messaging/map';
import type { Driver } from './driver';

const PATIENCE = { timeout: 20_000, interval: 200 };

/** Waits until history holds `n` settled rows (the worker writes them after each request ends); returns every row. */
export async function settledRows(d: Driver, n: number): Promise<HistoryEntry[]> {
  let rows: HistoryEntry[] = [];
  await vi.waitFor(async () => {
    rows = await d.send('history/query', {});
    expect(rows.filter((r) => r.outcome !== 'pending')).toHaveLength(n);
  }, PATIENCE);
  return rows;
}

/**
 * Every one of `n` requests ended well; if not, the failure says what the worker saw (prompts, engine
 * counters, history rows), so a flake in CI tells why.
 */
export async function expectAllOk(d: Driver, when: string, results: unknown[], n: number): Promise<void> {
  if (results.length === n && results.every((r) => r === 'ok')) return;
  const seen = {
    prompts: await d.send('prompts/list'),
    status: await d.send('engine/status'),
    history: (await d.send('history/query', {})).map((r) => ({ url: r.url, decision: r.decision, outcome: r.outcome, diagnosis: r.diagnosis })),
  };
  expect.fail(`${when}: ${results.filter((r) => r !== 'ok').length} of ${n} requests failed (${results.length} ended); the worker saw ${JSON.stringify(seen, null, 1)}`);
}

/** Waits until exactly one prompt is pending with `waiting` requests on it. */
export async function onePrompt(d: Driver, waiting: number): Promise<PendingPrompt> {
  let prompts: PendingPrompt[] = [];
  await vi.waitFor(async () => {
    prompts = await d.send('prompts/list');
    expect(prompts).toHaveLength(1);
    expect(prompts[0]?.waiting).toBe(waiting);
  }, PATIENCE);
  return prompts[0]!;
}

/**
 * The breaker's bound (README "The breaker"), printed and asserted: the first answer left because every
 * started request had reached the worker, never by the safety net; the wrong password reached the proxy
 * at least once and at most once plus the requests the browser started while it was out (Chromium sends
 * its cached credential up front on those).
 */
export function expectBreakerBound(label: string, status: EngineStatus, rejected: number): void {
  console.info(`${label}: ${rejected} rejected login(s); ${status.startedWhileProbing} request(s) started while the password was out; burst waits ${status.burstWaits}`);
  expect(status.burstSafetyReleases).toBe(0);
  expect(rejected).toBeGreaterThanOrEqual(1);
  expect(rejected).toBeLessThanOrEqual(1 + status.startedWhileProbing);
}
