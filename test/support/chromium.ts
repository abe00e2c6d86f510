// Launches Debian's Chromium (playwright-core) with an unpacked MV3 extension, all traffic through a loopback proxy.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { access, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, type CDPSession, type ConsoleMessage, chromium, type Page, type Worker } from 'playwright-core';
import puppeteer, { type Browser as PuppeteerBrowser } from 'puppeteer-core';
import { makeTempDir, removeTempDir } from './temp.js';

export interface ChromiumOptions {
  /** Unpacked extension directory; default dist/chrome (resolved against the working directory). */
  extensionPath?: string;
  proxyPort: number;
  /** Default true; false opens a real window (the demo on a desktop). */
  headless?: boolean;
  /** A PAC script to choose between proxies; replaces the single --proxy-server. */
  pac?: string;
  /** Extra Chromium flags. */
  args?: string[];
  /** Receives every console message of the browser's pages and of the extension's service worker (each start). */
  onConsole?: (line: string) => void;
  /** The X display a headed browser draws on (test/support/xvfb.ts); default: the environment's. */
  display?: string;
  /** A profile directory the caller owns (kept on close, for a later restart); default: a fresh one, removed on close. */
  userDataDir?: string;
  /**
   * The browser's UI language (`de`, `fr`): Linux Chromium ignores `--lang` and takes it from the
   * environment's LANGUAGE (the chromium-l10n package holds the translations).
   */
  uiLanguage?: string;
}

export interface ChromiumSession {
  context: BrowserContext;
  extensionId: string;
  /** Opens chrome-extension://<id>/<path> in a new tab (default options.html) and waits for its load. */
  extensionPage(pagePath?: string): Promise<Page>;
  /** Evaluates in one reused extension page (options.html), where chrome.* APIs are available. */
  evalInExtension<T, A = unknown>(fn: string | ((arg: A) => T | Promise<T>), arg?: A): Promise<T>;
  /** Stops the extension's service worker through CDP and waits until its target is gone. */
  stopServiceWorker(): Promise<void>;
  /**
   * Allows the extension in incognito, as a user does on chrome://extensions (developer mode on, or
   * Chromium disables a command-line extension when it reloads for the switch); resolves once it runs again.
   */
  allowIncognito(): Promise<void>;
  close(): Promise<void>;
}

const BINARIES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];

async function findChromium(): Promise<string> {
  for (const candidate of BINARIES) {
    if (await access(candidate).then(() => true, () => false)) return candidate;
  }
  throw new Error('Chromium is not installed: run apt-get install -y chromium');
}

async function waitForExtensionWorker(context: BrowserContext, timeoutMs: number): Promise<Worker> {
  const isExtension = (w: Worker) => w.url().startsWith('chrome-extension://');
  const existing = context.serviceWorkers().find(isExtension);
  if (existing) return existing;
  return context.waitForEvent('serviceworker', { predicate: isExtension, timeout: timeoutMs });
}

/** Forwards console messages from pages and service workers, including workers started later (after a stop). */
function watchConsole(context: BrowserContext, log: (line: string) => void): void {
  const line = (m: ConsoleMessage) => `${m.type()} ${m.location().url}: ${m.text()}`;
  context.on('console', (m) => {
    if (!m.worker()) log(line(m));
  });
  const watch = (w: Worker) => w.on('console', (m) => log(line(m)));
  context.serviceWorkers().forEach(watch);
  context.on('serviceworker', watch);
}

/** The part of chrome://extensions' private API allowIncognito uses. */
interface DeveloperPrivate {
  updateProfileConfiguration(o: { inDeveloperMode: boolean }): Promise<void>;
  updateExtensionConfiguration(o: { extensionId: string; incognitoAccess: boolean }): Promise<void>;
  getExtensionInfo(id: string): Promise<{ state: string; incognitoAccess: { isActive: boolean } }>;
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

/** The flags every launch here uses: the proxy (or PAC), loopback through it, the unpacked extension. */
function chromiumArgs(opts: Pick<ChromiumOptions, 'headless' | 'pac' | 'proxyPort' | 'args'>, extensionPath: string): string[] {
  return [
    ...browserArgs(opts),
    // Playwright adds --disable-extensions; --disable-extensions-except overrides it.
    `--disable-extensions-except=${extensionPath}`,
    `--load-extension=${extensionPath}`,
    ...(opts.args ?? []),
  ];
}

/** The flags every launch shares: the proxy (or PAC), no first-run noise, no background traffic. */
function browserArgs(opts: Pick<ChromiumOptions, 'headless' | 'pac' | 'proxyPort'>): string[] {
  return [
    ...(opts.headless === false ? [] : ['--headless=new']),
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--ignore-certificate-errors',
    // Never Playwright's `proxy` option with credentials: it would answer the 407 itself.
    opts.pac
      ? `--proxy-pac-url=data:application/x-ns-proxy-autoconfig;base64,${Buffer.from(opts.pac).toString('base64')}`
      : `--proxy-server=http://127.0.0.1:${opts.proxyPort}`,
    // Chromium skips the proxy for loopback unless told otherwise.
    '--proxy-bypass-list=<-loopback>',
  ];
}

export async function launchChromium(opts: ChromiumOptions): Promise<ChromiumSession> {
  const executablePath = await findChromium();
  const extensionPath = path.resolve(opts.extensionPath ?? 'dist/chrome');
  await access(path.join(extensionPath, 'manifest.json')).catch(() => {
    throw new Error(`no manifest.json in ${extensionPath}: build the extension first`);
  });
  const ownDir = opts.userDataDir === undefined;
  const userDataDir = opts.userDataDir ?? (await makeTempDir('chromium-profile'));
  const removeOwnDir = () => (ownDir ? removeTempDir(userDataDir) : Promise.resolve());
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      // Playwright's own headless switch would pick the old headless shell; --headless=new below.
      headless: false,
      ignoreHTTPSErrors: true,
      ...(opts.display || opts.uiLanguage
        ? { env: { ...process.env, ...(opts.display ? { DISPLAY: opts.display } : {}), ...(opts.uiLanguage ? { LANGUAGE: opts.uiLanguage } : {}) } }
        : {}),
      args: chromiumArgs(opts, extensionPath),
    });
  } catch (err) {
    await removeOwnDir();
    throw err;
  }

  if (opts.onConsole) watchConsole(context, opts.onConsole);
  let extensionId: string;
  try {
    const worker = await waitForExtensionWorker(context, 15_000);
    extensionId = new URL(worker.url()).host;
  } catch (err) {
    await context.close().catch(() => {});
    await removeOwnDir();
    throw new Error(`the extension's service worker did not start: ${(err as Error).message}`);
  }

  const extensionUrl = (p: string) => `chrome-extension://${extensionId}/${p.replace(/^\//, '')}`;
  let evalPage: Page | undefined;
  let cdp: CDPSession | undefined;

  async function extensionPage(pagePath = 'options.html'): Promise<Page> {
    const page = await context.newPage();
    await page.goto(extensionUrl(pagePath));
    return page;
  }

  async function browserCdp(): Promise<CDPSession> {
    if (cdp) return cdp;
    const browser = context.browser();
    if (!browser) throw new Error('no Browser behind this context: cannot open a browser CDP session');
    cdp = await browser.newBrowserCDPSession();
    return cdp;
  }

  async function workerTargets(session: CDPSession): Promise<TargetInfo[]> {
    const { targetInfos } = (await session.send('Target.getTargets')) as { targetInfos: TargetInfo[] };
    return targetInfos.filter((t) => t.type === 'service_worker' && t.url.startsWith(extensionUrl('')));
  }

  return {
    context,
    extensionId,
    extensionPage,
    async evalInExtension<T, A = unknown>(fn: string | ((arg: A) => T | Promise<T>), arg?: A): Promise<T> {
      if (!evalPage || evalPage.isClosed()) evalPage = await extensionPage();
      if (typeof fn === 'string') return (await evalPage.evaluate(fn)) as T;
      return evalPage.evaluate<T, A>(fn as (arg: unknown) => T | Promise<T>, arg as A);
    },
    async stopServiceWorker() {
      // the worker's own start time tells an old worker from one restarted at once for a pending event
      const startedAt = async () => {
        if (!evalPage || evalPage.isClosed()) evalPage = await extensionPage();
        // an extension other than ours (the infra test's) has no such message: then only the target tells
        const reply = (await evalPage
          .evaluate(() => chrome.runtime.sendMessage({ pak: 1, name: 'engine/status' }))
          .catch(() => undefined)) as { value?: { startedAt?: number } } | undefined;
        return reply?.value?.startedAt;
      };
      const before = await startedAt();
      const session = await browserCdp();
      for (const target of await workerTargets(session)) {
        await session.send('Target.closeTarget', { targetId: target.targetId }).catch(() => {});
      }
      const started = Date.now();
      for (;;) {
        if ((await workerTargets(session)).length === 0) return;
        await new Promise((r) => setTimeout(r, 50));
        // still a worker after a moment: a new one may have started for a pending event (asking
        // wakes a worker, so only ask after the old one had time to go, and only our extension)
        if (before !== undefined && Date.now() - started > 1_000) {
          const now = await startedAt().catch(() => before);
          if (now !== undefined && now !== before) return;
        }
        if (Date.now() - started > 10_000) throw new Error('the extension service worker is still running 10 s after Target.closeTarget');
      }
    },
    async allowIncognito() {
      const page = await context.newPage();
      try {
        await page.goto(`chrome://extensions/?id=${extensionId}`);
        await page.evaluate(async (id: string) => {
          const dp = (globalThis as unknown as { chrome: { developerPrivate: DeveloperPrivate } }).chrome.developerPrivate;
          await dp.updateProfileConfiguration({ inDeveloperMode: true });
          await dp.updateExtensionConfiguration({ extensionId: id, incognitoAccess: true });
          // the extension reloads for the switch: back when it is enabled with the access granted
          for (let i = 0; i < 200; i++) {
            const info = await dp.getExtensionInfo(id);
            if (info.state === 'ENABLED' && info.incognitoAccess.isActive) return;
            await new Promise((r) => setTimeout(r, 50));
          }
          throw new Error('the extension did not come back enabled in incognito within 10 s');
        }, extensionId);
      } finally {
        await page.close().catch(() => {});
      }
      evalPage = undefined; // the reload closed it
    },
    async close() {
      await cdp?.detach().catch(() => {});
      await context.close().catch(() => {});
      await removeOwnDir();
    },
  };
}

export interface StartUrlsOptions {
  /** A profile an earlier launchChromium({ userDataDir }) saved; the caller removes it. */
  userDataDir: string;
  /** Opened as start-up tabs, as a person's start pages or restored tabs are: before any extension runs. */
  urls: string[];
  proxyPort: number;
  pac?: string;
  /** Headed on this X display (headless Chromium never starts command-line URLs beside a webRequest extension). */
  display: string;
  extensionPath?: string;
  args?: string[];
}

export interface TargetListing {
  id: string;
  type: string;
  url: string;
  title: string;
}

export interface StartedChromium {
  /** The browser's targets from its DevTools HTTP endpoint: reading them attaches to no page (a page held by the native login dialog can hang an attached debugger). */
  targets(): Promise<TargetListing[]>;
  /** Attaches Playwright over CDP (only once no page can be held by a native dialog); the default context is the profile's. */
  connect(): Promise<BrowserContext>;
  /**
   * Attaches to every target but web pages (puppeteer's targetFilter; a popup's target has no URL yet
   * when it appears): usable while tabs wait on a request, where Playwright's connect, which attaches
   * to every page, hangs.
   */
  attachBesidePages(): Promise<PuppeteerBrowser>;
  /** Stops the browser (its process, by pid) and waits for it to exit. */
  close(): Promise<void>;
}

/**
 * Starts Chromium as a person does, with start-up URLs on its command line: Playwright's
 * launchPersistentContext refuses page arguments, so this spawns the binary with a DevTools port.
 */
export async function startChromiumWithUrls(opts: StartUrlsOptions): Promise<StartedChromium> {
  const executablePath = await findChromium();
  const extensionPath = path.resolve(opts.extensionPath ?? 'dist/chrome');
  const portFile = path.join(opts.userDataDir, 'DevToolsActivePort');
  await rm(portFile, { force: true });
  const args = [
    ...chromiumArgs({ ...opts, headless: false }, extensionPath),
    '--no-default-browser-check',
    '--password-store=basic',
    '--remote-debugging-port=0',
    `--user-data-dir=${opts.userDataDir}`,
    ...opts.urls,
  ];
  // PAK_CHROMIUM_LOG=<file>: the browser's log (with the extension worker's console lines) while debugging
  const logFile = process.env.PAK_CHROMIUM_LOG;
  const log = logFile ? openSync(logFile, 'a') : 'ignore';
  if (logFile) args.unshift('--enable-logging=stderr', '--v=0');
  const child = spawn(executablePath, args, { stdio: ['ignore', log, log], env: { ...process.env, DISPLAY: opts.display } });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
    if (!gone) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  let port = 0;
  const deadline = Date.now() + 20_000;
  while (!port) {
    const text = await readFile(portFile, 'utf8').catch(() => '');
    port = Number.parseInt(text.split('\n')[0] ?? '', 10) || 0;
    if (port) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Chromium wrote no DevToolsActivePort within 20 s (exit code ${child.exitCode})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  let browser: Browser | undefined;
  let extensionOnly: PuppeteerBrowser | undefined;
  return {
    async targets() {
      const res = await fetch(`http://127.0.0.1:${port}/json/list`);
      return (await res.json()) as TargetListing[];
    },
    async connect() {
      browser ??= await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
      const context = browser.contexts()[0];
      if (!context) throw new Error('the browser has no default context');
      return context;
    },
    async attachBesidePages() {
      extensionOnly ??= await puppeteer.connect({
        browserURL: `http://127.0.0.1:${port}`,
        defaultViewport: null,
        targetFilter: (t) => !/^https?:/.test(t.url()),
      });
      return extensionOnly;
    },
    async close() {
      // disconnect only: closing would end the browser before stop() can
      await extensionOnly?.disconnect().catch(() => {});
      await browser?.close().catch(() => {});
      await stop();
    },
  };
}

export interface BareChromium {
  /** The browser over its DevTools pipe (Extensions.loadUnpacked needs the pipe). */
  browser: PuppeteerBrowser;
  /** Installs the unpacked extension as a person's "Load unpacked" does; resolves with its id. */
  install(extensionPath?: string): Promise<string>;
  /** Every page target's url and title, read without attaching to the page (a login dialog may hold it). */
  pages(): Promise<Array<{ url: string; title: string }>>;
  close(): Promise<void>;
}

/**
 * Headed Chromium WITHOUT the extension, started with `urls` as a person's start pages: a 407 they
 * meet goes to the browser's own login dialog. The extension is installed later with install().
 */
export async function launchBareChromium(opts: { proxyPort: number; display: string; userDataDir: string; urls: string[] }): Promise<BareChromium> {
  const browser = await puppeteer.launch({
    executablePath: await findChromium(),
    headless: false,
    pipe: true,
    enableExtensions: true,
    defaultViewport: null,
    userDataDir: opts.userDataDir,
    env: { ...process.env, DISPLAY: opts.display },
    args: [...browserArgs({ headless: false, proxyPort: opts.proxyPort }), '--enable-unsafe-extension-debugging', '--password-store=basic', ...opts.urls],
  });
  return {
    browser,
    install: (extensionPath = 'dist/chrome') => browser.installExtension(path.resolve(extensionPath)),
    async pages() {
      const session = await browser.target().createCDPSession();
      try {
        const { targetInfos } = await session.send('Target.getTargets');
        return targetInfos.filter((t) => t.type === 'page').map((t) => ({ url: t.url, title: t.title }));
      } finally {
        await session.detach().catch(() => {});
      }
    },
    close: () => browser.close(),
  };
}
