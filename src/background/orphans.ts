// After the worker was killed, requests it had parked are stuck: their answers died with it. Free them.
import browser, { type Tabs } from 'webextension-polyfill';
import { forgotten, isOrphan, waitsInMemory } from '../core/request-life';
import { pendingHistory } from '../storage/history';
import { sessionSince } from '../storage/session';
import { step } from './life';
import type { State } from './state';

/**
 * Chrome keeps a request blocked when the worker that should answer it is gone, and never asks the
 * new worker. The only thing that ends such a request is its page going away; so each tab that
 * has one is discarded and shown again (see freeTab) — the page then meets the proxy again and the
 * new worker asks again.
 */
export async function recoverOrphans(s: State): Promise<number> {
  // only a dead worker's: recovery runs after the first answers, when this worker's own may already wait on a prompt
  const orphans = [...s.requests.entries()].filter(([id, t]) => s.inherited.has(id) && isOrphan(t));
  const tabs = new Set<number>();
  for (const [requestId, t] of orphans) {
    step(s, requestId, { type: 'orphaned' });
    if (t.entry.tabId >= 0) tabs.add(t.entry.tabId);
  }
  for (const tab of await settleForgottenRows(s)) tabs.add(tab);
  await Promise.all([...tabs].map((tab) => freeTab(tab).catch(() => {})));
  return orphans.length;
}

/**
 * Rows still pending that no request in flight owns belong to a worker that is gone with its memory
 * (Firefox reloading the add-on, the browser closing): the request ended unseen. Say so.
 */
async function settleForgottenRows(s: State): Promise<number[]> {
  const owned = new Set([...s.requests.values()].map((t) => t.entry.id));
  const [rows, since] = await Promise.all([pendingHistory().catch(() => []), sessionSince()]);
  const stuckTabs: number[] = [];
  for (const row of rows) {
    // a row this worker wrote is never forgotten: its request may have just ended, its final write still queued (Firefox S19)
    if (owned.has(row.id) || row.at >= s.startedAt) continue;
    // a request of this browser session that was waiting on a prompt a moment ago may still hold its page: free it too
    if (waitsInMemory(row.decision) && row.tabId >= 0 && row.at >= since && Date.now() - row.at < RECENT_MS) stuckTabs.push(row.tabId);
    s.history.write(forgotten(row));
  }
  return stuckTabs;
}

/** A prompt never waits longer than this (its timeout is under 5 minutes). */
const RECENT_MS = 5 * 60_000;

/**
 * Discarding a tab ends every request of its documents at once; in Chrome a navigation or a reload
 * of a tab whose requests a dead worker holds can wait behind them for good. The tab the user is
 * looking at is loaded again at once (its page meets the proxy and the new worker asks); the others
 * reload when shown. Firefox does not discard the active tab: a fresh navigation frees it there.
 * `discard: false` (a tab held by the browser's own login dialog, not by a dead worker): navigate at once.
 */
export async function freeTab(tabId: number, how: { discard: boolean } = { discard: true }): Promise<'discarded' | 'navigated' | 'reloaded'> {
  if (how.discard) {
    // Chrome resolves with the tab, under a new id when it was the active one
    const discarded = (await (browser.tabs.discard(tabId) as Promise<Tabs.Tab | void>).catch(() => undefined)) || undefined;
    if (discarded?.discarded) {
      if (discarded.active && discarded.id !== undefined) await browser.tabs.reload(discarded.id);
      return 'discarded';
    }
  }
  const tab = await browser.tabs.get(tabId);
  if (tab.discarded) return 'discarded';
  const url = tab.pendingUrl ?? tab.url;
  if (url && /^(https?|file):/.test(url)) {
    await browser.tabs.update(tabId, { url });
    return 'navigated';
  }
  await browser.tabs.reload(tabId);
  return 'reloaded';
}
