// S13: a saved password never reaches a server that is not the configured proxy — even one on the proxy's own host, port and realm.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import type { HistoryEntry } from '../../src/core/model';
import { launch } from '../support/driver';
import { BROWSERS, title } from './scenarios';

const REALM = 'Corp Proxy';
const USER = 'alice';
const PASS = 'S13-Exfil-Pa55word';
/** A bait page either fails at once (Chromium) or waits on the browser's own login dialog (Firefox). */
const BAIT_TIMEOUT_MS = 5_000;
const BASIC = `Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`;

interface Seen {
  /** 'proxy' when the request line holds an absolute URL (the browser used us as its proxy), else 'origin'. */
  as: 'proxy' | 'origin';
  url: string;
  authorization?: string;
  proxyAuthorization?: string;
}

/**
 * One Node server playing two parts on one address: asked as a proxy it wants the profile's credential
 * (407, realm REALM); asked directly as a web site it asks for the same realm (401) — the bait.
 */
async function startTwoFacedServer(): Promise<{ port: number; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const as = /^https?:\/\//i.test(url) ? 'proxy' : 'origin';
    seen.push({
      as,
      url,
      ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
      ...(req.headers['proxy-authorization'] !== undefined ? { proxyAuthorization: req.headers['proxy-authorization'] } : {}),
    });
    req.resume();
    const send = (status: number, body: string, headers: http.OutgoingHttpHeaders = {}) => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body), ...headers });
      res.end(body);
    };
    if (as === 'proxy') {
      if (req.headers['proxy-authorization'] === BASIC) send(200, '<title>via proxy</title><h1>served by the proxy</h1>');
      else send(407, 'proxy login', { 'Proxy-Authenticate': `Basic realm="${REALM}"` });
    } else if (url.startsWith('/407')) {
      // a web site pretending to be a proxy
      send(407, 'not a proxy', { 'Proxy-Authenticate': `Basic realm="${REALM}"` });
    } else {
      send(401, 'origin says 401', { 'WWW-Authenticate': `Basic realm="${REALM}"` });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

for (const browser of BROWSERS) {
  describe(`anti-exfiltration [${browser}, node]`, () => {
    it(title('S13', 'credentials never reach a server that is not the configured proxy', browser, 'node'), async () => {
      const trap = await startTwoFacedServer();
      // alpha.test goes through the two-faced server as a proxy; everything else (127.0.0.1 included) goes DIRECT
      const pac = `function FindProxyForURL(url, host) {
        if (host === 'alpha.test') return 'PROXY 127.0.0.1:${trap.port}';
        return 'DIRECT';
      }`;
      const d = await launch(browser, { proxyPort: trap.port, pac });
      const direct = `http://127.0.0.1:${trap.port}`;
      const originRequests = () => trap.seen.filter((s) => s.as === 'origin');
      /** Every request the server got as a web site: none may carry a credential. */
      const expectNoLeak = () =>
        expect(originRequests().filter((s) => s.authorization !== undefined || s.proxyAuthorization !== undefined).map((s) => s.url), 'requests that carried a credential').toEqual([]);
      try {
        const saved = await d.send('profiles/save', {
          name: 'Trap account',
          proxy: { host: '127.0.0.1', port: trap.port },
          realm: REALM,
          scheme: 'basic',
          username: USER,
          password: PASS,
          isDefault: true,
        });
        expect(saved.ok).toBe(true);

        // 1. The same host, port and realm, reached directly: a web site's 401. No credential.
        // (Headless Chromium has no login dialog and fails the load; Firefox's own dialog waits, and the load times out.)
        const page = await d.load(`${direct}/`, BAIT_TIMEOUT_MS);
        expectNoLeak();
        if (page.status !== null) expect(page.status).toBe(401);
        // 2. The same server, directly, pretending to be a proxy (a 407 from a web site). No credential.
        await d.load(`${direct}/407`, BAIT_TIMEOUT_MS);
        expectNoLeak();
        // 3. Subresources of another page, straight to the bait.
        await d.fetchAll([`${direct}/sub?x=1`, `${direct}/407/sub?x=2`]);
        expectNoLeak();
        expect(originRequests().length).toBeGreaterThanOrEqual(3);
        expect((await d.send('engine/status')).challengesSeen).toBe(0);
        // nothing was answered or asked (Firefox may still note a web site's 407 as a request that failed)
        expect((await d.send('history/query', {})).filter((r) => r.profileId !== null || r.decision !== 'no-challenge-header')).toEqual([]);
        expect(await d.send('prompts/list')).toEqual([]);

        // 4. Control: asked AS the proxy, the same server gets the password — so the profile does point at it.
        const viaProxy = await d.load('http://alpha.test/');
        expect(viaProxy.status).toBe(200);
        expect(viaProxy.text).toContain('served by the proxy');
        expect(trap.seen.some((s) => s.as === 'proxy' && s.proxyAuthorization === BASIC)).toBe(true);
        let rows: HistoryEntry[] = [];
        await vi.waitFor(
          async () => {
            rows = (await d.send('history/query', {})).filter((r) => r.outcome !== 'pending' && r.decision !== 'no-challenge-header');
            expect(rows).toHaveLength(1);
          },
          { timeout: 20_000, interval: 200 },
        );
        expect(rows[0]).toMatchObject({ decision: 'answered-saved', outcome: 'ok', challenger: { port: trap.port } });

        // 5. After the proxy accepted it (the browser now caches it), the direct server still gets nothing.
        await d.load(`${direct}/again`, BAIT_TIMEOUT_MS);
        await d.load(`${direct}/407-again`, BAIT_TIMEOUT_MS);
        expectNoLeak();
        expect(originRequests().length).toBeGreaterThanOrEqual(5);
      } finally {
        await d.close();
        await trap.close();
      }
    });
  });
}
