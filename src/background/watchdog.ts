// While requests wait on the user, an alarm keeps waking the worker, so a killed one comes back and frees them (orphans.ts).
import browser from 'webextension-polyfill';

const WATCHDOG = 'pak-watchdog';

/** While requests wait on the user, an alarm wakes a worker that was killed, so it can free them. */
export function watchWhileWaiting(waiting: boolean): void {
  if (!browser.alarms) return;
  if (waiting) void browser.alarms.create(WATCHDOG, { periodInMinutes: 0.5 });
  else void browser.alarms.clear(WATCHDOG).catch(() => {});
}

export const isWatchdog = (name: string): boolean => name === WATCHDOG;
