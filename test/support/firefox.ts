// Launches Firefox ESR (puppeteer-core, WebDriver BiDi) with a temporary add-on, all traffic through a loopback proxy.
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

const run = promisify(execFile);

export interface FirefoxOptions {
  /** Unpacked add-on directory; default dist/firefox (resolved against the working directory). */
  extensionPath?: string;
  proxyPort: number;
  /** browser_specific_settings.gecko.id of the add-on's manifest. */
  geckoId: string;
  /** Internal UUID of the add-on (its moz-extension:// host); random when absent. */
  uuid?: string;
  /** Extra prefs, merged over the defaults below. */
  prefs?: Record<string, unknown>;
  /** Lets the add-on run in private windows, as a user would allow it in about:addons. */
  allowPrivateBrowsing?: boolean;
  /**
   * A profile directory the caller owns and keeps between launches. The add-on is then installed in
   * it for good (an .xpi in its extensions folder, unsigned, as ESR allows), not as a temporary
   * add-on: it survives a browser restart and starts with the browser, as a user's does.
   */
  profileDir?: string;
  /** Pages opened at start, on the command line (start pages / restored tabs). */
  startUrls?: string[];
  /**
   * Starts without the add-on; `installAddon()` installs it later (as a person does while a tab waits).
   * Login prompts are then not cancelled: a 407 nobody answers waits, as on a person's login dialog
   * (headless Firefox shows none).
   */
  installLater?: boolean;
}

export interface FirefoxSession {
  browser: Browser;
  /** The id Firefox reports for the installed add-on (the gecko id). */
  addonId: string;
  uuid: string;
  /** Opens moz-extension://<uuid>/<path> (default options.html) in a new tab; waits until it has loaded. */
  extensionPage(pagePath?: string): Promise<Page>;
  /** A new browsing tab (in a window of its own when the most recent window is the prompt's popup). */
  newTab(): Promise<Page>;
  /** Evaluates in one reused extension page, where browser.* / chrome.* APIs are available. */
  evalInExtension<T, A = unknown>(fn: string | ((arg: A) => T | Promise<T>), arg?: A): Promise<T>;
  /**
   * Restarts the add-on's background script: uninstalls and reinstalls the temporary add-on.
   * The UUID is fixed by pref and storage is kept (extensions.webextensions.keepStorageOnUninstall).
   */
  restartBackground(): Promise<void>;
  /** With `installLater`: installs the temporary add-on now. */
  installAddon(): Promise<void>;
  close(): Promise<void>;
}

const BINARIES = ['/usr/bin/firefox-esr', '/usr/bin/firefox'];

async function findFirefox(): Promise<string> {
  for (const candidate of BINARIES) {
    if (await access(candidate).then(() => true, () => false)) return candidate;
  }
  throw new Error('Firefox is not installed: run apt-get install -y firefox-esr');
}

/** Polls `page` until it shows `url` fully loaded: page.goto to moz-extension:// may never resolve. */
async function waitForLoaded(page: Page, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await page
      .evaluate(() => ({ href: location.href, ready: document.readyState }))
      .catch(() => undefined);
    if (state?.href === url && state.ready === 'complete') return;
    if (Date.now() > deadline) throw new Error(`${url} did not load within ${timeoutMs} ms (at ${state?.href ?? 'unknown'})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface BidiConnection {
  send(method: string, params: unknown): Promise<unknown>;
}

/**
 * Headless Firefox has no login dialog: an auth challenge the extension hands back to the browser
 * (an origin's 401, or a proxy 407 passed through) would wait for a dialog nobody can answer, and
 * the page would never load. An intercept at the WebDriver BiDi `authRequired` phase turns that
 * dialog into a cancel: puppeteer answers every blocked `network.authRequired` of its pages with
 * `continueWithAuth: cancel` (it has no credentials set), so the page ends with the 401/407 response
 * itself, as a user pressing Cancel would see it. The extension is asked first: Firefox's webRequest
 * wraps the channel's own auth prompt, so proxy challenges the extension answers never reach BiDi.
 */
async function cancelBrowserLoginPrompts(browser: Browser): Promise<void> {
  const { connection } = browser as unknown as { connection: BidiConnection };
  await connection.send('network.addIntercept', { phases: ['authRequired'] });
}

/** Installs the temporary add-on; WebDriver BiDi's `moz:allowPrivateBrowsing` grants it private windows. */
async function install(browser: Browser, extensionPath: string, allowPrivateBrowsing: boolean): Promise<string> {
  if (!allowPrivateBrowsing) return browser.installExtension(extensionPath);
  const { connection } = browser as unknown as { connection: BidiConnection };
  const reply = (await connection.send('webExtension.install', {
    extensionData: { type: 'path', path: extensionPath },
    'moz:allowPrivateBrowsing': true,
  })) as { result: { extension: string } };
  return reply.result.extension;
}

/** Packs the add-on into <profile>/extensions/<gecko id>.xpi (once), where Firefox installs it at start. */
async function installInProfile(profileDir: string, extensionPath: string, geckoId: string): Promise<void> {
  const dir = path.join(profileDir, 'extensions');
  await mkdir(dir, { recursive: true });
  const xpi = path.join(dir, `${geckoId}.xpi`);
  // a second launch of the profile keeps the file: a changed .xpi is an update, which restarts the background
  if (await access(xpi).then(() => true, () => false)) return;
  await run('zip', ['-qr', xpi, '.'], { cwd: extensionPath }).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ENOENT' ? new Error('zip is not installed: run apt-get install -y zip') : err;
  });
}

export async function launchFirefox(opts: FirefoxOptions): Promise<FirefoxSession> {
  const executablePath = await findFirefox();
  const extensionPath = path.resolve(opts.extensionPath ?? 'dist/firefox');
  await access(path.join(extensionPath, 'manifest.json')).catch(() => {
    throw new Error(`no manifest.json in ${extensionPath}: build the extension first`);
  });
  const uuid = opts.uuid ?? randomUUID();
  if (opts.profileDir) await installInProfile(opts.profileDir, extensionPath, opts.geckoId);
  // puppeteer creates a fresh temporary profile for each launch and removes it on close.
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    // PAK_FIREFOX_DUMPIO=1 shows Firefox's stdout/stderr (extension console, MOZ_LOG) while debugging.
    dumpio: process.env.PAK_FIREFOX_DUMPIO === '1',
    // The test origin's HTTPS certificate is self-signed.
    acceptInsecureCerts: true,
    args: ['--remote-allow-system-access', ...(opts.startUrls ?? [])],
    ...(opts.profileDir ? { userDataDir: opts.profileDir } : {}),
    // Release builds ignore services.settings.server unless this is set.
    env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
    extraPrefsFirefox: {
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': opts.proxyPort,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': opts.proxyPort,
      'network.proxy.share_proxy_settings': false,
      // Without this, loopback URLs bypass the proxy.
      'network.proxy.allow_hijacking_localhost': true,
      'network.proxy.no_proxies_on': '',
      'network.trr.mode': 5,
      'network.dns.disablePrefetch': true,
      'network.prefetch-next': false,
      'network.http.speculative-parallel-limit': 0,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      // Remote settings would poll firefox.settings.services.mozilla.com through the proxy.
      'services.settings.server': 'data:,#remote-settings-dummy/v1',
      'extensions.webextensions.uuids': JSON.stringify({ [opts.geckoId]: uuid }),
      'extensions.webextensions.keepUuidOnUninstall': true,
      'extensions.webextensions.keepStorageOnUninstall': true,
      'devtools.console.stdout.content': true,
      ...(opts.profileDir
        ? { 'xpinstall.signatures.required': false, 'extensions.autoDisableScopes': 0, 'extensions.enabledScopes': 15 }
        : {}),
      ...opts.prefs,
    },
  });

  let addonId = opts.geckoId;
  try {
    if (!opts.installLater) {
      await cancelBrowserLoginPrompts(browser);
      addonId = opts.profileDir ? opts.geckoId : await install(browser, extensionPath, opts.allowPrivateBrowsing === true);
    }
  } catch (err) {
    await browser.close().catch(() => {});
    throw err;
  }

  const extensionUrl = (p: string) => `moz-extension://${uuid}/${p.replace(/^\//, '')}`;
  let evalPage: Page | undefined;

  /**
   * A new tab. Firefox's remote agent adds it to the most recent window; when that is the extension's
   * prompt window (type popup, which holds no tabs) it fails with "no such frame" (seen in S17): then
   * the page opens in a window of its own.
   */
  async function openTab(): Promise<Page> {
    try {
      return await browser.newPage();
    } catch (err) {
      if (!/no such frame|DiscardedBrowsingContext/.test(String(err))) throw err;
      return browser.newPage({ type: 'window' });
    }
  }

  async function extensionPage(pagePath = 'options.html'): Promise<Page> {
    const url = extensionUrl(pagePath);
    const page = await openTab();
    page.goto(url).catch(() => {});
    await waitForLoaded(page, url, 15_000);
    return page;
  }

  return {
    browser,
    addonId,
    uuid,
    extensionPage,
    newTab: openTab,
    async evalInExtension<T, A = unknown>(fn: string | ((arg: A) => T | Promise<T>), arg?: A): Promise<T> {
      if (!evalPage || evalPage.isClosed()) evalPage = await extensionPage();
      if (typeof fn === 'string') return (await evalPage.evaluate(fn)) as T;
      return (await evalPage.evaluate(fn as (a: unknown) => unknown, arg)) as T;
    },
    async restartBackground() {
      if (evalPage && !evalPage.isClosed()) await evalPage.close().catch(() => {});
      evalPage = undefined;
      await browser.uninstallExtension(addonId);
      addonId = await install(browser, extensionPath, opts.allowPrivateBrowsing === true);
    },
    async installAddon() {
      addonId = await install(browser, extensionPath, opts.allowPrivateBrowsing === true);
    },
    async close() {
      await browser.close().catch(() => {});
    },
  };
}
