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

/** Longest the check waits for a tab that is still loading to show how its load ended. */
export const LOADING_WAIT_MS = 10_000;

/**
 * Resolves with the tab once it is no longer loading (tabs.onUpdated), or as it is after
 * LOADING_WAIT_MS. Seen on Chromium 156: navigating a tab again while its first load is still under
 * way (before the native dialog is up) can leave the new load hanging with no onAuthRequired at all;
 * once the dialog is up (the tab reads 'complete' on an error page) a new navigation meets our listener.
 */
async function whenLoadEnded(tab: Tabs.Tab): Promise<Tabs.Tab | undefined> {
  const id = tab.id as number;
  if (tab.status !== 'loading') return tab;
  await new Promise<void>((resolve) => {
    const onUpdated = (tabId: number, change: Tabs.OnUpdatedChangeInfoType) => {
      if (tabId === id && change.status && change.status !== 'loading') done();
    };
    const timer = setTimeout(() => done(), LOADING_WAIT_MS);
    function done(): void {
      clearTimeout(timer);
      browser.tabs.onUpdated.removeListener(onUpdated);
      resolve();
    }
    browser.tabs.onUpdated.addListener(onUpdated);
    // it may have ended between the query and the listener
    browser.tabs.get(id).then((t) => t.status !== 'loading' && done(), done);
  });
  return browser.tabs.get(id).catch(() => undefined);
}

/**
 * A tab whose top-level load this worker never heard a request for, on an http(s) URL, that shows an
 * uncommitted pendingUrl, or ended on an error page, or is still loading LOADING_WAIT_MS after the
 * check began, began that load before the worker listened: if the proxy challenged it, its 407 went
 * to the browser's own login dialog, which holds the tab for good (Chromium loads restored tabs and
 * start pages before extensions run). A tab still loading is watched until its load ends: one that
 * loads fine is left alone. Sleeping (discarded) tabs, non-web pages and pages this worker watches
 * are left alone too.
 */
export async function metTheProxyBeforeUs(found: Tabs.Tab): Promise<boolean> {
  if (found.id === undefined || found.discarded || seenTabs.has(found.id)) return false;
  if (!WEB.test(found.pendingUrl ?? found.url ?? '')) return false;
  const tab = await whenLoadEnded(found);
  if (!tab || tab.id === undefined || seenTabs.has(tab.id) || tab.discarded) return false;
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
  const stuck: number[] = [];
  // each tab is loaded again as soon as its own verdict is in: a slow neighbour keeps no one waiting
  await Promise.all(
    tabs.map(async (t) => {
      if (!(await metTheProxyBeforeUs(t).catch(() => false))) return;
      stuck.push(t.id as number);
      await freeTab(t.id as number, { discard: false }).catch(() => {});
    }),
  );
  return stuck;
}
