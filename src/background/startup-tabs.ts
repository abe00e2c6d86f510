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
 * Chromium answers a 407 it cannot hand to an extension with its own login dialog over a committed
 * error page: the tab then reads 'complete' with the page's URL, as a loaded page does. Only the
 * frame itself tells them apart: a script cannot run in an error page ("Frame with ID 0 is showing
 * error page"). The check runs nothing in a page that loaded (an empty function).
 */
async function showsErrorPage(tabId: number): Promise<boolean> {
  try {
    await browser.scripting.executeScript({ target: { tabId, frameIds: [0] }, func: () => 0 });
    return false;
  } catch (err) {
    return /error page/i.test(err instanceof Error ? err.message : String(err));
  }
}

/**
 * A tab whose top-level load this worker never heard a request for, on an http(s) URL, that is still
 * under way (an uncommitted pendingUrl, or status 'loading') or ended on an error page, began that
 * load before the worker listened: if the proxy challenged it, its 407 went to the browser's own login
 * dialog, which holds the tab for good (Chromium loads restored tabs and start pages before
 * extensions run). Tabs that loaded, sleeping (discarded) tabs, non-web pages and pages this worker
 * watches are left alone.
 */
export async function metTheProxyBeforeUs(tab: Tabs.Tab): Promise<boolean> {
  if (tab.id === undefined || tab.discarded || seenTabs.has(tab.id)) return false;
  if (tab.pendingUrl) return WEB.test(tab.pendingUrl);
  if (!WEB.test(tab.url ?? '')) return false;
  return tab.status === 'loading' || (tab.status === 'complete' && (await showsErrorPage(tab.id)));
}

/**
 * Loads each such tab again, by navigating it to its URL (a navigation ends the native dialog and
 * its held request); the new request meets the proxy while we listen. Resolves with the tabs loaded again.
 */
export async function reloadStartupTabs(): Promise<number[]> {
  const tabs = await browser.tabs.query({}).catch(() => [] as Tabs.Tab[]);
  const verdicts = await Promise.all(tabs.map((t) => metTheProxyBeforeUs(t).catch(() => false)));
  const stuck = tabs.filter((_, i) => verdicts[i]).map((t) => t.id as number);
  await Promise.all(stuck.map((id) => freeTab(id, { discard: false }).catch(() => {})));
  return stuck;
}
