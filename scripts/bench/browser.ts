// A benchmark's view of one browser with the extension: typed messages, page loads timed by the page itself, timed bursts.
// Built on the launchers behind test/support/driver.ts (same message envelope): the Driver hides its tabs,
// and a page load is timed best by the tab that loaded it.
import { type BrowserName, GECKO_ID } from '../../test/support/driver';
import type { BrowserContext } from 'playwright-core';
import { launchChromium } from '../../test/support/chromium';
import { launchFirefox } from '../../test/support/firefox';
import { REFERENCE_GECKO_ID } from './reference-extension';
import type { MessageName, Reply, RequestOf, ResponseOf } from '../../src/messaging/map';

/** What the page measured about its own load, in ms from navigation start (Navigation and Resource Timing). */
export interface PageTiming {
  /** The document's last byte. */
  documentMs: number;
  /** The document's request sent → its last byte: one round trip through the proxy plus the server's time. */
  requestMs: number;
  /** The load event finished. */
  loadMs: number;
  /** The later of the load event and the last resource the page fetched: the page is complete. */
  completeMs: number;
  /** The document's status as the page saw it (0 when unknown). */
  status: number;
}

export interface BurstTiming {
  /** 'timeout': still unfinished at the deadline, then aborted (so a hung burst ends and is reported). */
  results: Array<'ok' | 'error' | 'timeout'>;
  /** In-page: first fetch started → last fetch settled. */
  ms: number;
  /** Epoch ms (performance.timeOrigin based) when the last fetch settled. */
  endedAt: number;
}

export interface BenchBrowser {
  name: BrowserName;
  send<K extends MessageName>(name: K, ...payload: RequestOf<K> extends void ? [] : [RequestOf<K>]): Promise<ResponseOf<K>>;
  /** Navigates one reused tab to `url`; with `untilTitle`, also waits for document.title to start with it. */
  timedLoad(url: string, untilTitle?: string): Promise<PageTiming>;
  /** From a fresh blank tab, starts every fetch at once and times them in the page; aborts what is left at the deadline. */
  timedBurst(urls: readonly string[], deadlineMs: number): Promise<BurstTiming>;
  /** Runs `fn` in an extension page (options.html): extension origin, same IndexedDB as the worker. */
  evalInExtension<T, A>(fn: (arg: A) => T | Promise<T>, arg: A): Promise<T>;
  /**
   * Stops the worker without waking it again. Chromium: 'stopped', or 'restarted' when Chromium started a
   * new worker at once for a pending event (it then has not loaded its state yet). Firefox: 'reloaded'.
   */
  stopWorker(): Promise<StopResult>;
  close(): Promise<void>;
}

export type StopResult = 'stopped' | 'restarted' | 'reloaded';

/** The minimal page surface both playwright and puppeteer offer. */
interface AnyPage {
  goto(url: string, o?: { timeout?: number }): Promise<unknown>;
  evaluate<R, A>(fn: (a: A) => R | Promise<R>, arg: A): Promise<R>;
  close(): Promise<void>;
}

const sendInPage = async (msg: { pak: 1; name: string; payload: unknown }) =>
  (globalThis as unknown as { chrome: typeof chrome }).chrome.runtime.sendMessage(msg);

/**
 * Runs in the page: waits for the load event (and a title), then reads the page's own timing entries.
 * No named inner functions: tsx would wrap them in a helper (__name) that the page does not have.
 */
const readTiming = async (untilTitle: string) => {
  const deadline = performance.now() + 30_000;
  let n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  while ((!(n?.loadEventEnd ?? 0) || (untilTitle && !document.title.startsWith(untilTitle))) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
    n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  }
  let lastResource = 0;
  for (const r of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) lastResource = Math.max(lastResource, r.responseEnd);
  return {
    documentMs: n?.responseEnd ?? Number.NaN,
    requestMs: (n?.responseEnd ?? Number.NaN) - (n?.requestStart ?? Number.NaN),
    loadMs: n?.loadEventEnd ?? Number.NaN,
    completeMs: Math.max(n?.loadEventEnd ?? Number.NaN, lastResource),
    status: n?.responseStatus ?? 0,
    titleOk: !untilTitle || document.title.startsWith(untilTitle),
  };
};

const burstInPage = async ({ urls, deadlineMs }: { urls: string[]; deadlineMs: number }) => {
  const signal = AbortSignal.timeout(deadlineMs);
  const start = performance.now();
  const results = await Promise.allSettled(urls.map((u) => fetch(u, { mode: 'no-cors', cache: 'no-store', signal })));
  const end = performance.now();
  return {
    results: results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error)?.name === 'TimeoutError' ? 'timeout' : 'error')),
    ms: end - start,
    endedAt: performance.timeOrigin + end,
  };
};

interface Launched {
  newPage(): Promise<AnyPage>;
  evalInExtension<T, A>(fn: (arg: A) => T | Promise<T>, arg: A): Promise<T>;
  stopWorker(): Promise<StopResult>;
  close(): Promise<void>;
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

/**
 * Closes the extension's service-worker target through CDP and waits until it is gone. Unlike the test
 * launcher's stopServiceWorker, it sends the worker no message afterwards (a message would start and
 * hydrate a new worker, and the next 407 would no longer meet a cold one).
 */
async function stopChromiumWorker(context: BrowserContext, extensionId: string): Promise<StopResult> {
  const browser = context.browser();
  if (!browser) throw new Error('no Browser behind this context: cannot stop the worker through CDP');
  const cdp = await browser.newBrowserCDPSession();
  try {
    const workers = async () =>
      ((await cdp.send('Target.getTargets')) as { targetInfos: TargetInfo[] }).targetInfos.filter(
        (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`),
      );
    const closed = new Set<string>();
    for (const t of await workers()) {
      closed.add(t.targetId);
      await cdp.send('Target.closeTarget', { targetId: t.targetId }).catch(() => {});
    }
    const deadline = Date.now() + 10_000;
    for (;;) {
      const now = await workers();
      if (!now.some((t) => closed.has(t.targetId))) return now.length ? 'restarted' : 'stopped';
      if (Date.now() > deadline) throw new Error('the extension service worker is still running 10 s after Target.closeTarget');
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** Where the built extension is loaded from; the bench points this at a private copy so a rebuild mid-run cannot disturb it. */
const builds = { chrome: 'dist/chrome', firefox: 'dist/firefox' };
export function useBuilds(dirs: { chrome: string; firefox: string }): void {
  Object.assign(builds, dirs);
}

/** Which extension a bench browser loads: ours, or the fixed-credential reference (reference-extension.ts). */
export type BenchExtension = 'ours' | 'reference';
const referenceBuilds: { chrome?: string; firefox?: string } = {};
export function useReference(dirs: { chrome: string; firefox: string }): void {
  Object.assign(referenceBuilds, dirs);
}

function extensionDir(which: BenchExtension, browser: 'chrome' | 'firefox'): string {
  if (which === 'ours') return builds[browser];
  const dir = referenceBuilds[browser];
  if (!dir) throw new Error('the reference extension was not written (useReference) before a reference side ran');
  return dir;
}

/**
 * A browser profile kept between launches (a second browser session on the same profile): the caller
 * owns and removes the directory. `uuid` fixes Firefox's moz-extension host, so storage is found again.
 */
export interface KeptProfile {
  dir: string;
  uuid: string;
}

async function launchRaw(name: BrowserName, proxyPort: number, which: BenchExtension, kept?: KeptProfile): Promise<Launched> {
  if (name === 'chromium') {
    const b = await launchChromium({ extensionPath: extensionDir(which, 'chrome'), proxyPort, ...(kept ? { userDataDir: kept.dir } : {}) });
    return {
      newPage: async () => (await b.context.newPage()) as unknown as AnyPage,
      evalInExtension: (fn, arg) => b.evalInExtension(fn, arg),
      stopWorker: () => stopChromiumWorker(b.context, b.extensionId),
      close: () => b.close(),
    };
  }
  // Full-precision timers: Firefox rounds performance.now() to 1 ms by default.
  const prefs = { 'privacy.reduceTimerPrecision': false };
  const geckoId = which === 'ours' ? GECKO_ID : REFERENCE_GECKO_ID;
  const b = await launchFirefox({ extensionPath: extensionDir(which, 'firefox'), proxyPort, geckoId, prefs, ...(kept ? { profileDir: kept.dir, uuid: kept.uuid } : {}) });
  return {
    newPage: async () => (await b.browser.newPage()) as unknown as AnyPage,
    evalInExtension: (fn, arg) => b.evalInExtension(fn, arg),
    stopWorker: async () => {
      await b.restartBackground();
      return 'reloaded';
    },
    close: () => b.close(),
  };
}

export async function launchBench(name: BrowserName, proxyPort: number, which: BenchExtension = 'ours', kept?: KeptProfile): Promise<BenchBrowser> {
  const raw = await launchRaw(name, proxyPort, which, kept);
  let tab: AnyPage | undefined;
  return {
    name,
    async send(msgName, ...payload) {
      const reply = (await raw.evalInExtension(sendInPage, { pak: 1, name: msgName, payload: payload[0] })) as Reply<typeof msgName> | undefined;
      if (!reply) throw new Error(`no reply to ${msgName}`);
      if (!reply.ok) throw new Error(`${msgName} failed: ${reply.error}`);
      return reply.value as ResponseOf<typeof msgName>;
    },
    async timedLoad(url, untilTitle = '') {
      tab ??= await raw.newPage();
      await tab.goto(url, { timeout: 30_000 });
      const t = await tab.evaluate(readTiming, untilTitle);
      if (!t.titleOk) throw new Error(`${url} did not finish (title never started with "${untilTitle}")`);
      if (t.status !== 0 && t.status !== 200) throw new Error(`${url} loaded with status ${t.status}`);
      return t;
    },
    async timedBurst(urls, deadlineMs) {
      const page = await raw.newPage();
      try {
        return (await page.evaluate(burstInPage, { urls: [...urls], deadlineMs })) as BurstTiming;
      } finally {
        await page.close().catch(() => {});
      }
    },
    evalInExtension: (fn, arg) => raw.evalInExtension(fn, arg),
    stopWorker: () => raw.stopWorker(),
    close: () => raw.close(),
  };
}

/** Launches, runs `fn`, and always closes the browser. */
export async function withBench<T>(name: BrowserName, proxyPort: number, fn: (b: BenchBrowser) => Promise<T>, which: BenchExtension = 'ours', kept?: KeptProfile): Promise<T> {
  const b = await launchBench(name, proxyPort, which, kept);
  try {
    return await fn(b);
  } finally {
    await b.close();
  }
}
