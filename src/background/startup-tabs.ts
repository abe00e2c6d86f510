// Browser start, install, update: tabs whose page met the proxy before this worker listened are loaded again.
import browser, { type Tabs } from 'webextension-polyfill';
import { freeTab } from './orphans';

/** Tabs whose top-level request this worker has seen: their 407 (if any) reaches our listener. */
const seenTabs = new Set<number>();

/** Called from the request listeners for every request they hear. */
export function noteRequest(d: { tabId: number; type: string }): void {
  if (d.type === 'main_frame' && d.tabId >= 0) seenTabs.add(d.tabId);
}

const WEB = /^https?:/;

/**
 * A tab whose top-level load is still under way (an uncommitted pendingUrl, or status 'loading') on
 * an http(s) URL that this worker never heard a request for started that load before the worker
 * listened: if the proxy challenged it, its 407 went to the browser's own login dialog, which holds
 * the navigation for good (Chromium loads restored tabs and start pages before extensions run; seen
 * there: status 'complete', no url, the page's URL as pendingUrl). Tabs that finished, sleeping
 * (discarded) tabs and pages this worker watches are left alone.
 */
export function metTheProxyBeforeUs(tab: Tabs.Tab): boolean {
  if (tab.id === undefined || tab.discarded || seenTabs.has(tab.id)) return false;
  if (tab.pendingUrl) return WEB.test(tab.pendingUrl);
  return tab.status === 'loading' && WEB.test(tab.url ?? '');
}

/**
 * Loads each such tab again, by navigating it to its URL (a navigation ends the native dialog and
 * its held request); the new request meets the proxy while we listen. Resolves with the tabs loaded again.
 */
export async function reloadStartupTabs(): Promise<number[]> {
  const tabs = await browser.tabs.query({}).catch(() => [] as Tabs.Tab[]);
  const stuck = tabs.filter(metTheProxyBeforeUs).map((t) => t.id as number);
  await Promise.all(stuck.map((id) => freeTab(id, { discard: false }).catch(() => {})));
  return stuck;
}
