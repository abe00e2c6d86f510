// One driver shape for every browser, so each scenario is written once and run in Chromium and Firefox.
import type { MessageName, Reply, RequestOf, ResponseOf } from '../../src/messaging/map';
import { launchChromium } from './chromium';
import { type FirefoxSession, launchFirefox } from './firefox';
import { type ExtensionPage, type UiPage, uiOn } from './ui-page';

export type BrowserName = 'chromium' | 'firefox';

export const GECKO_ID = 'proxy-auth-keeper@example.org';

export type LoadPlace = 'private-window' | 'container';

export interface LoadResult {
  /** Null where the browser does not let the test read it (Chromium's incognito tabs). */
  status: number | null;
  text: string;
  /** The tab's title (Chromium's incognito tabs: the one thing the extension may read of them). */
  title?: string;
  error?: string;
}

export interface Driver {
  name: BrowserName;
  /** Sends one typed message to the extension's worker from an extension page. */
  send<K extends MessageName>(name: K, ...payload: RequestOf<K> extends void ? [] : [RequestOf<K>]): Promise<ResponseOf<K>>;
  /** Opens a fresh tab on `url`; resolves with the final status and the body text. */
  load(url: string, timeoutMs?: number): Promise<LoadResult>;
  /**
   * Firefox only: loads `url` in a private window (launch with allowPrivateBrowsing) or in a tab of a
   * fresh container (a WebDriver BiDi user context); resolves like load().
   */
  loadIn(place: LoadPlace, url: string, timeoutMs?: number): Promise<LoadResult>;
  /**
   * From one page (blank, or `fromPage` loaded first), starts every request at once; resolves when
   * all have ended (never hangs), rejects when the page goes away first.
   */
  fetchAll(urls: readonly string[], fromPage?: string): Promise<Array<'ok' | 'error'>>;
  /** Loads `fromPage` in a new tab, runs `fn` in it (what the page's own script would do), closes the tab. */
  evalInPage<T, A>(fromPage: string, fn: (arg: A) => T | Promise<T>, arg: A): Promise<T>;
  /** Stops the worker (Chromium) or restarts the background page (Firefox). */
  restartWorker(): Promise<void>;
  /** Evaluates in an extension page (for state the messages do not expose). */
  evalInExtension<T, A = unknown>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Opens an extension page (popup.html, options.html#…) to drive it like a person: by label and button name. */
  ui(pagePath: string): Promise<UiPage>;
  /** Opens an extension page and hands over what both browsers' pages share, for helpers that read more of it. */
  page(pagePath: string): Promise<ExtensionPage>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  proxyPort: number;
  /** A PAC script (FindProxyForURL) to route hosts to different proxies; proxyPort is then unused. */
  pac?: string;
  /** Extra browser arguments (Chromium) or prefs (Firefox). */
  chromiumArgs?: string[];
  firefoxPrefs?: Record<string, unknown>;
  /** The extension may run in private windows (users grant this in about:addons, or chrome://extensions). */
  allowPrivateBrowsing?: boolean;
  /**
   * The browser's UI language, which the extension's pages follow: Chromium through the environment's
   * LANGUAGE, Firefox through `intl.locale.requested` (its language pack, firefox-esr-l10n-<lang>, installed).
   */
  uiLanguage?: string;
  /** Chromium only: every console line of the pages and the extension's worker (leak scans read them). */
  onConsole?: (line: string) => void;
  /**
   * A profile directory the caller owns and keeps: a later launch with it is the next browser session
   * (storage.local kept, storage.session and the browser's credential cache gone). Firefox installs
   * the add-on in it for good and needs the same `firefoxUuid` each time (storage follows the uuid).
   */
  profileDir?: string;
  firefoxUuid?: string;
}

async function unwrap<K extends MessageName>(name: K, reply: Reply<K> | undefined): Promise<ResponseOf<K>> {
  if (!reply) throw new Error(`no reply to ${name}`);
  if (!reply.ok) throw new Error(`${name} failed: ${reply.error}`);
  return reply.value;
}

const sendInPage = async (msg: { pak: 1; name: string; payload: unknown }) =>
  (globalThis as unknown as { chrome: typeof chrome }).chrome.runtime.sendMessage(msg);

export type Send = Driver['send'];

/** Typed messages to the worker, sent from whatever extension page `evaluate` runs in (a session's helper page, the popup). */
export function sendThrough(evaluate: <T, A>(fn: (arg: A) => T | Promise<T>, arg: A) => Promise<T>): Send {
  return async (name, ...payload) => unwrap(name, (await evaluate(sendInPage, { pak: 1, name, payload: payload[0] })) as Reply<typeof name>);
}

const fetchInPage = async (urls: string[]) => {
  const results = await Promise.allSettled(urls.map((u) => fetch(u, { mode: 'no-cors', cache: 'no-store' })));
  return results.map((r) => (r.status === 'fulfilled' ? 'ok' : 'error'));
};

export async function launch(name: BrowserName, o: LaunchOptions): Promise<Driver> {
  const d = name === 'chromium' ? await launchChromiumDriver(o) : await launchFirefoxDriver(o);
  // A freshly installed extension registers its listeners a moment after the browser is up; a page
  // loaded before that meets the browser's own 407 handling. One answered message proves it is ready.
  try {
    await d.send('engine/status');
  } catch (err) {
    await d.close();
    throw err;
  }
  return d;
}

/** Runs in an extension page: loads `url` in a new incognito window, waits for its tab, closes the window. */
const openIncognito = async ({ url, timeoutMs }: { url: string; timeoutMs: number }): Promise<LoadResult> => {
  const c = (globalThis as unknown as { chrome: typeof chrome }).chrome;
  const win = await c.windows.create({ incognito: true, url });
  const tabId = win?.tabs?.[0]?.id;
  try {
    if (tabId === undefined) return { status: null, text: '', error: 'no incognito tab was opened' };
    const done = await new Promise<chrome.tabs.Tab | undefined>((resolve) => {
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const check = (t: chrome.tabs.Tab) => t.id === tabId && t.status === 'complete' && t.url === url && finish(t);
      const onUpdated = (_id: number, _change: unknown, t: chrome.tabs.Tab) => void check(t);
      function finish(t: chrome.tabs.Tab | undefined) {
        clearTimeout(timer);
        c.tabs.onUpdated.removeListener(onUpdated);
        resolve(t);
      }
      c.tabs.onUpdated.addListener(onUpdated);
      void c.tabs.get(tabId).then(check, () => {});
    });
    if (!done) return { status: null, text: '', error: `the incognito tab did not finish loading ${url} within ${timeoutMs} ms` };
    return { status: null, text: '', title: done.title ?? '', ...(done.incognito ? {} : { error: 'the tab was not incognito' }) };
  } finally {
    if (win?.id !== undefined) await c.windows.remove(win.id).catch(() => {});
  }
};

async function launchChromiumDriver(o: LaunchOptions): Promise<Driver> {
  const b = await launchChromium({
    extensionPath: 'dist/chrome',
    proxyPort: o.proxyPort,
    args: o.chromiumArgs ?? [],
    ...(o.pac ? { pac: o.pac } : {}),
    ...(o.onConsole ? { onConsole: o.onConsole } : {}),
    ...(o.profileDir ? { userDataDir: o.profileDir } : {}),
    ...(o.uiLanguage ? { uiLanguage: o.uiLanguage } : {}),
  });
  if (o.allowPrivateBrowsing) {
    await b.allowIncognito().catch(async (err: unknown) => {
      await b.close();
      throw err;
    });
  }
  // Playwright's and puppeteer's pages differ in type, not in the calls ExtensionPage makes
  const page = async (pagePath: string) => (await b.extensionPage(pagePath)) as unknown as ExtensionPage;
  return {
    name: 'chromium',
    send: sendThrough((fn, arg) => b.evalInExtension(fn, arg)),
    load: (url, timeoutMs = 30_000) => loadInNewPage(() => b.context.newPage() as Promise<unknown> as Promise<BrowsingPage>, url, timeoutMs),
    fetchAll: (urls, fromPage) => fetchAllInNewPage(() => b.context.newPage() as Promise<unknown> as Promise<BrowsingPage>, urls, fromPage),
    evalInPage: (fromPage, fn, arg) => evalInNewPage(() => b.context.newPage() as Promise<unknown> as Promise<BrowsingPage>, fromPage, fn, arg),
    async loadIn(place, url, timeoutMs = 30_000) {
      if (place === 'container') throw new Error('loadIn(container) is a Firefox scenario: Chromium has no containers');
      if (!o.allowPrivateBrowsing) throw new Error('loadIn(private-window) needs launch({ allowPrivateBrowsing: true })');
      // Playwright cannot see an incognito window of a persistent context: the extension opens it and reads its tab
      return b.evalInExtension(openIncognito, { url, timeoutMs });
    },
    restartWorker: () => b.stopServiceWorker(),
    page,
    ui: async (pagePath) => uiOn(await page(pagePath)),
    evalInExtension: (fn, arg) => b.evalInExtension(fn, arg),
    close: () => b.close(),
  };
}

/** The calls a test makes on a browsing tab; Playwright's and puppeteer's pages both have them. */
interface BrowsingPage {
  goto(url: string, o?: { timeout?: number }): Promise<{ status(): number } | null>;
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  close(): Promise<void>;
}

/** Opens `url` in a new tab and reports its status and text; a navigation error is a result, not a throw. */
async function loadInNewPage(open: () => Promise<BrowsingPage>, url: string, timeoutMs: number): Promise<LoadResult> {
  const page = await open();
  try {
    const resp = await page.goto(url, { timeout: timeoutMs });
    return { status: resp?.status() ?? null, text: await page.evaluate(() => document.body?.innerText ?? '', undefined).catch(() => '') };
  } catch (err) {
    return { status: null, text: '', error: (err as Error).message.split('\n')[0] ?? '' };
  } finally {
    await page.close().catch(() => {});
  }
}

/** Fetches every URL at once from a new tab (on `fromPage` when given). */
async function fetchAllInNewPage(open: () => Promise<BrowsingPage>, urls: readonly string[], fromPage?: string): Promise<Array<'ok' | 'error'>> {
  const page = await open();
  try {
    if (fromPage) await page.goto(fromPage);
    return (await page.evaluate(fetchInPage, [...urls])) as Array<'ok' | 'error'>;
  } finally {
    await page.close().catch(() => {});
  }
}

/** Runs `fn(arg)` in a new tab on `fromPage` (the page's own origin and service worker). */
async function evalInNewPage<A, R>(open: () => Promise<BrowsingPage>, fromPage: string, fn: (arg: A) => R | Promise<R>, arg: A): Promise<Awaited<R>> {
  const page = await open();
  try {
    await page.goto(fromPage);
    return (await page.evaluate(fn, arg)) as Awaited<R>;
  } finally {
    await page.close().catch(() => {});
  }
}

/** Waits for a tab someone else opened on `url` to finish loading; its status from Navigation Timing. */
async function readOpenedPage(browser: FirefoxSession['browser'], url: string, timeoutMs: number): Promise<LoadResult> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const page of await browser.pages()) {
      if (page.url() !== url) continue;
      const state = await page
        .evaluate(() => ({
          ready: document.readyState,
          status: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.responseStatus ?? null,
          text: document.body?.innerText ?? '',
        }))
        .catch(() => undefined);
      if (state?.ready === 'complete') return { status: state.status, text: state.text };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { status: null, text: '', error: `no tab finished loading ${url} within ${timeoutMs} ms` };
}

async function launchFirefoxDriver(o: LaunchOptions): Promise<Driver> {
  const pacPrefs = o.pac
    ? { 'network.proxy.type': 2, 'network.proxy.autoconfig_url': `data:application/x-ns-proxy-autoconfig;base64,${Buffer.from(o.pac).toString('base64')}` }
    : {};
  const b = await launchFirefox({
    extensionPath: 'dist/firefox',
    proxyPort: o.proxyPort,
    geckoId: GECKO_ID,
    prefs: { ...pacPrefs, ...(o.uiLanguage ? { 'intl.locale.requested': o.uiLanguage } : {}), ...o.firefoxPrefs },
    allowPrivateBrowsing: o.allowPrivateBrowsing === true,
    ...(o.profileDir ? { profileDir: o.profileDir } : {}),
    ...(o.firefoxUuid ? { uuid: o.firefoxUuid } : {}),
  });
  const page = async (pagePath: string) => (await b.extensionPage(pagePath)) as unknown as ExtensionPage;
  return {
    name: 'firefox',
    send: sendThrough((fn, arg) => b.evalInExtension(fn, arg)),
    load: (url, timeoutMs = 30_000) => loadInNewPage(() => b.newTab() as Promise<unknown> as Promise<BrowsingPage>, url, timeoutMs),
    fetchAll: (urls, fromPage) => fetchAllInNewPage(() => b.newTab() as Promise<unknown> as Promise<BrowsingPage>, urls, fromPage),
    evalInPage: (fromPage, fn, arg) => evalInNewPage(() => b.newTab() as Promise<unknown> as Promise<BrowsingPage>, fromPage, fn, arg),
    async loadIn(place, url, timeoutMs = 30_000) {
      if (place === 'container') {
        // a WebDriver BiDi user context is a Firefox container: its requests carry cookieStoreId firefox-container-N
        const context = await b.browser.createBrowserContext();
        try {
          return await loadInNewPage(() => context.newPage() as Promise<unknown> as Promise<BrowsingPage>, url, timeoutMs);
        } finally {
          await context.close().catch(() => {});
        }
      }
      // Only an extension can open a private window here (BiDi has no private contexts); puppeteer then sees its tab.
      const windowId = await b.evalInExtension(
        async (u: string) => (await (globalThis as unknown as { browser: typeof chrome }).browser.windows.create({ incognito: true, url: u }))?.id,
        url,
      );
      try {
        return await readOpenedPage(b.browser, url, timeoutMs);
      } finally {
        await b
          .evalInExtension((id: number | undefined) => (id === undefined ? undefined : (globalThis as unknown as { browser: typeof chrome }).browser.windows.remove(id)), windowId)
          .catch(() => {});
      }
    },
    restartWorker: () => b.restartBackground(),
    page,
    ui: async (pagePath) => uiOn(await page(pagePath)),
    evalInExtension: (fn, arg) => b.evalInExtension(fn, arg),
    close: () => b.close(),
  };
}
