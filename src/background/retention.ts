// Keeps history within the user's retention (days, max rows): soon after the worker starts, then at most once a minute after writes.
import { broadcast } from '../messaging/broadcast';
import { applyRetention } from '../storage/history';
import type { Settings } from '../core/model';
import type { HistoryWriter } from '../storage/history';

/** What retention needs of the worker's state. */
export interface RetentionTarget {
  history: Pick<HistoryWriter, 'drain'>;
  settings: Pick<Settings, 'historyRetentionDays' | 'historyMaxRows'>;
}

const START_DELAY_MS = 5_000;
const MIN_INTERVAL_MS = 60_000;

let timer: ReturnType<typeof setTimeout> | undefined;
let lastRun = 0;

async function run(s: RetentionTarget): Promise<void> {
  lastRun = Date.now();
  try {
    await s.history.drain();
    const ids = await applyRetention(s.settings.historyRetentionDays, s.settings.historyMaxRows);
    if (ids.length) broadcast('history/removed', { ids, all: false });
  } catch (err) {
    console.warn('Proxy Auth Keeper: history retention failed:', err instanceof Error ? err.message : String(err));
  }
}

/** Runs retention once, throttled; `soon` skips the throttle (worker start, settings changed). */
export function scheduleRetention(s: RetentionTarget, soon = false): void {
  if (timer && !soon) return;
  clearTimeout(timer);
  const delay = soon ? START_DELAY_MS : Math.max(0, lastRun + MIN_INTERVAL_MS - Date.now());
  timer = setTimeout(() => {
    timer = undefined;
    void run(s);
  }, delay);
  // a pending prune must not keep a test process (or nothing else) alive
  (timer as { unref?: () => void }).unref?.();
}
