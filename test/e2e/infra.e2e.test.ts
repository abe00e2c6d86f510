// Proves the e2e infrastructure without the real extension: Node proxy, squid (Basic/Digest), Chromium and Firefox launchers.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { launchFirefox } from '../support/firefox.js';
import { type NodeProxy, startNodeProxy } from '../support/node-proxy.js';
import { type OriginServer, startOrigin } from '../support/origin-server.js';
import { type ProxyCredential, proxiedGet, tunnelledGet } from '../support/proxy-client.js';
import { startSquid } from '../support/squid.js';
import { makeTempDir, removeTempDir } from '../support/temp.js';

const REALM = 'Corp Proxy';
const USERS = { alice: 'correct horse', bob: 's3cret:with:colons' };

let origin: OriginServer;
let scratch: string;

beforeAll(async () => {
  origin = await startOrigin();
  scratch = await makeTempDir('infra-test');
});

afterAll(async () => {
  await origin?.close();
  await removeTempDir(scratch);
});

/** Writes a minimal MV3 extension (Chromium or Firefox flavour) with an options page. */
async function trivialExtension(name: string, manifest: Record<string, unknown>, background: string): Promise<string> {
  const dir = path.join(scratch, name);
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, 'manifest.json'),
    JSON.stringify({ manifest_version: 3, name, version: '1.0', options_ui: { page: 'options.html' }, ...manifest }),
  );
  await writeFile(path.join(dir, 'background.js'), background);
  await writeFile(path.join(dir, 'options.html'), '<!doctype html><title>options</title><p>options</p>\n');
  return dir;
}

describe('origin server', () => {
  it('serves the hello page over HTTP and HTTPS routes directly', async () => {
    const res = await fetch(origin.url('/'));
    expect(await res.text()).toContain('<h1>Hello through the proxy</h1>');
    const page = await (await fetch(origin.url('/page?n=3'))).text();
    expect(page).toContain("document.title = 'done:'");
    const r401 = await fetch(origin.url('/basic-401?realm=Intranet'), { headers: { Authorization: 'Basic eDp5' } });
    expect(r401.status).toBe(401);
    expect(r401.headers.get('www-authenticate')).toBe('Basic realm="Intranet"');
    expect(await r401.text()).toBe('origin says 401');
    expect(origin.authHeadersSeen).toBeGreaterThanOrEqual(1);
    expect(origin.hits.get('/basic-401')).toBeGreaterThanOrEqual(1);
  });
});

describe('node proxy', () => {
  let proxy: NodeProxy;
  const good: ProxyCredential = { scheme: 'basic', user: 'alice', password: USERS.alice };

  beforeAll(async () => {
    proxy = await startNodeProxy({ realm: REALM, users: USERS });
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('challenges a request without credentials', async () => {
    proxy.resetStats();
    const res = await proxiedGet(proxy.port, origin.url('/'));
    expect(res.status).toBe(407);
    expect(res.proxyAuthenticate).toEqual([`Basic realm="${REALM}"`]);
    expect(proxy.stats.challenges407).toBe(1);
    expect(proxy.stats.rejected).toBe(0);
  });

  it('rejects a wrong credential and counts it by user', async () => {
    proxy.resetStats();
    const res = await proxiedGet(proxy.port, origin.url('/'), { ...good, password: 'wrong' });
    expect(res.status).toBe(407);
    expect(proxy.stats.rejected).toBe(1);
    expect(proxy.stats.challenges407).toBe(0);
    expect(proxy.stats.rejectedByCredential.get('alice')).toBe(1);
  });

  it('forwards with a good credential and strips Proxy-Authorization', async () => {
    proxy.resetStats();
    const res = await proxiedGet(proxy.port, origin.url('/'), good);
    expect(res.status).toBe(200);
    expect(res.body).toContain('Hello through the proxy');
    const colons = await proxiedGet(proxy.port, origin.url('/res/1'), { scheme: 'basic', user: 'bob', password: USERS.bob });
    expect(colons.status).toBe(200);
    expect(proxy.stats.accepted).toBe(2);
    expect(proxy.stats.acceptedByUser.get('alice')).toBe(1);
    expect(proxy.stats.acceptedByUser.get('bob')).toBe(1);
  });

  it('tunnels CONNECT to the HTTPS origin with a good credential only', async () => {
    proxy.resetStats();
    const denied = await tunnelledGet(proxy.port, origin.httpsUrl('/'));
    expect(denied.connectStatus).toBe(407);
    expect(denied.proxyAuthenticate).toEqual([`Basic realm="${REALM}"`]);
    const tunnel = await tunnelledGet(proxy.port, origin.httpsUrl('/'), good);
    expect(tunnel.connectStatus).toBe(200);
    expect(tunnel.response?.status).toBe(200);
    expect(tunnel.response?.body).toContain('Hello through the proxy');
    expect(proxy.stats).toMatchObject({ challenges407: 1, accepted: 1, rejected: 0 });
  });

  it('refuses targets outside loopback without challenging', async () => {
    proxy.resetStats();
    // The proxy answers 403 itself; nothing leaves the machine.
    const res = await proxiedGet(proxy.port, 'http://example.com/', good);
    expect(res.status).toBe(403);
    const tunnel = await tunnelledGet(proxy.port, 'https://example.com/', good);
    expect(tunnel.connectStatus).toBe(403);
    expect(proxy.stats).toMatchObject({ challenges407: 0, accepted: 0, rejected: 0 });
  });

  it('survives 300 parallel connections', async () => {
    proxy.resetStats();
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => proxiedGet(proxy.port, origin.url(`/res/${i}?v=par`), good)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(300);
    expect(proxy.stats.accepted).toBe(300);
  });

  it('can play a misconfigured proxy that sends 407 without Proxy-Authenticate', async () => {
    const bad = await startNodeProxy({ realm: REALM, users: USERS, sendChallengeHeader: false });
    try {
      const res = await proxiedGet(bad.port, origin.url('/'));
      expect(res.status).toBe(407);
      expect(res.proxyAuthenticate).toEqual([]);
      expect(bad.stats.challenges407).toBe(1);
    } finally {
      await bad.close();
    }
  });
});

describe.each(['basic', 'digest'] as const)('squid (%s)', (scheme) => {
  let squid: Awaited<ReturnType<typeof startSquid>>;
  const good: ProxyCredential = { scheme, user: 'alice', password: USERS.alice };

  beforeAll(async () => {
    squid = await startSquid({ scheme, realm: REALM, users: USERS });
  });
  afterAll(async () => {
    await squid?.close();
  });

  it('challenges, rejects a wrong credential, accepts a good one, tunnels CONNECT', async () => {
    const none = await proxiedGet(squid.port, origin.url('/'));
    expect(none.status).toBe(407);
    expect(none.proxyAuthenticate.some((h) => h.toLowerCase().startsWith(scheme))).toBe(true);
    expect(none.proxyAuthenticate.join(' ')).toContain(`realm="${REALM}"`);

    const wrong = await proxiedGet(squid.port, origin.url('/'), { ...good, password: 'wrong' });
    expect(wrong.status).toBe(407);

    const ok = await proxiedGet(squid.port, origin.url('/'), good);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('Hello through the proxy');

    const tunnel = await tunnelledGet(squid.port, origin.httpsUrl('/res/7'), good);
    expect(tunnel.connectStatus).toBe(200);
    expect(tunnel.response?.body).toBe('resource 7\n');

    const wrongTunnel = await tunnelledGet(squid.port, origin.httpsUrl('/'), { ...good, user: 'bob', password: 'nope' });
    expect(wrongTunnel.connectStatus).toBe(407);

    const outside = await proxiedGet(squid.port, 'http://example.com/', good);
    expect(outside.status).toBe(403);

    // Only the two wrong credentials count as failures, never the credential-less challenges.
    expect(await squid.countAuthFailures()).toBe(2);
    expect(await squid.countAuthFailures('alice')).toBe(1);
    expect(await squid.countAuthFailures('bob')).toBe(1);
    expect(await squid.countOk()).toBe(2);
    // Basic: 1 (no credential); Digest also collects a challenge before each answer: 1 + 4.
    expect(await squid.countChallenges()).toBe(scheme === 'basic' ? 1 : 5);
    expect(await squid.accessLog()).toMatch(/TCP_TUNNEL\/200 \d+ CONNECT 127\.0\.0\.1:\d+ alice/);
  });
});

describe('chromium launcher', () => {
  it('loads a trivial extension, routes pages through the proxy and stops the worker', async () => {
    const proxy = await startNodeProxy({ realm: REALM, users: USERS });
    const ext = await trivialExtension('chromium-trivial', { background: { service_worker: 'background.js' } }, 'self.startedAt = Date.now();\n');
    const session = await launchChromium({ extensionPath: ext, proxyPort: proxy.port });
    try {
      expect(session.extensionId).toMatch(/^[a-p]{32}$/);
      expect(await session.evalInExtension('chrome.runtime.id')).toBe(session.extensionId);
      expect(await session.evalInExtension((n: number) => n * 2, 21)).toBe(42);

      const hitsBefore = origin.hits.get('/') ?? 0;
      const page = await session.context.newPage();
      // Nothing answers onAuthRequired: Chromium gives up on the challenge.
      const outcome = await page.goto(origin.url('/'), { timeout: 15_000 }).then(
        (res) => `status ${res?.status()}`,
        (err: Error) => err.message,
      );
      expect(outcome).toMatch(/ERR_INVALID_AUTH_CREDENTIALS|status 407/);
      expect(proxy.stats.challenges407).toBeGreaterThanOrEqual(1);
      expect(proxy.stats.accepted).toBe(0);
      expect(origin.hits.get('/') ?? 0).toBe(hitsBefore);

      await session.stopServiceWorker();
      const cdp = await session.context.browser()?.newBrowserCDPSession();
      const { targetInfos } = (await cdp?.send('Target.getTargets')) as { targetInfos: { type: string; url: string }[] };
      expect(targetInfos.filter((t) => t.type === 'service_worker' && t.url.includes(session.extensionId))).toEqual([]);
    } finally {
      await session.close();
      await proxy.close();
    }
  });
});

describe('firefox launcher', () => {
  it('installs a trivial add-on with a fixed UUID, evaluates in it and restarts its background', async () => {
    const proxy = await startNodeProxy({ realm: REALM, users: USERS });
    const geckoId = 'infra-trivial@proxy-auth-keeper.test';
    const uuid = '6f1c1c52-0d5e-4c1f-9a57-2f0b9d6c0a11';
    const ext = await trivialExtension(
      'firefox-trivial',
      { background: { scripts: ['background.js'] }, permissions: ['storage'], browser_specific_settings: { gecko: { id: geckoId } } },
      "chrome.storage.local.get('starts').then(({ starts = 0 }) => chrome.storage.local.set({ starts: starts + 1 }));\n",
    );
    const session = await launchFirefox({ extensionPath: ext, proxyPort: proxy.port, geckoId, uuid });
    try {
      expect(session.addonId).toBe(geckoId);
      expect(await session.evalInExtension('location.href')).toBe(`moz-extension://${uuid}/options.html`);
      const starts = () => session.evalInExtension(async () => (await chrome.storage.local.get('starts')).starts as number);
      await expect.poll(starts).toBe(1);
      await session.restartBackground();
      await expect.poll(starts).toBe(2);

      const page = await session.browser.newPage();
      // No onAuthRequired listener: Firefox would show a native prompt (hangs headless), so only look at the proxy.
      page.goto(origin.url('/?ff')).catch(() => {});
      await expect.poll(() => proxy.stats.challenges407).toBeGreaterThanOrEqual(1);
      expect(proxy.stats.accepted).toBe(0);
      expect(proxy.stats.requests).toBe(proxy.stats.challenges407);
    } finally {
      await session.close();
      await proxy.close();
    }
  });
});
