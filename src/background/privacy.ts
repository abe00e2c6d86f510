// Whether a request came from a private (incognito) window: Firefox says so in the details; Chrome does not.
import browser from 'webextension-polyfill';

interface RequestPlace {
  tabId: number;
  /** Firefox's answer; Chrome never sends it. */
  incognito?: boolean;
}

/**
 * Chrome: the request's tab knows (reading `incognito` needs no "tabs" permission). A request without
 * a tab, or whose tab cannot be read, counts as private while any private window is open: a private
 * address must never reach history because the browser did not say where it came from.
 */
export async function isPrivate(d: RequestPlace): Promise<boolean> {
  if (typeof d.incognito === 'boolean') return d.incognito;
  if (d.tabId >= 0) {
    const tab = await browser.tabs.get(d.tabId).catch(() => undefined);
    if (tab) return tab.incognito;
  }
  const windows = await browser.windows.getAll().catch(() => undefined);
  return windows === undefined || windows.some((w) => w.incognito);
}
