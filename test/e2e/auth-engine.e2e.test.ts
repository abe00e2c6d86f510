// Scenarios of the auth engine, each run in every browser against the Node proxy and squid.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ProfileFields } from '../../src/core/profile-schema';
import { type Driver, launch } from '../support/driver';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { type ProxyKind, type TestProxy, savedProfile, startProxy } from '../support/proxies';
import { spreadUrls } from '../support/test-hosts';
import { BROWSERS, title } from './scenarios';
import { expectBreakerBound, settledRows } from '../support/waits';

const REALM = 'Corp Proxy';
const USER = 'alice';
const PASS = 'alice-Pa55word';

let origin: OriginServer;
beforeAll(async () => {
  origin = await startOrigin();
});
afterAll(async () => origin?.close());

const profileFor = (proxy: TestProxy, over: Partial<ProfileFields> = {}): ProfileFields => savedProfile(proxy, USER, PASS, over);


async function withBrowser<T>(browser: (typeof BROWSERS)[number], proxy: TestProxy, fn: (d: Driver) => Promise<T>): Promise<T> {
  const d = await launch(browser, { proxyPort: proxy.port });
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

const PROXIES: ProxyKind[] = ['node', 'squid'];

for (const browser of BROWSERS) {
  for (const kind of PROXIES) {
    describe(`auth engine [${browser}, ${kind}]`, () => {
      let proxy: TestProxy;
      beforeAll(async () => {
        proxy = await startProxy(kind, REALM, { [USER]: PASS });
      });
      afterAll(async () => proxy?.close());

      it(title('S1', 'a saved profile answers the proxy 407 and the page loads (HTTP)', browser, kind), async () => {
        const before = await proxy.rejected();
        await withBrowser(browser, proxy, async (d) => {
          await d.send('profiles/save', profileFor(proxy));
          const page = await d.load(origin.url('/'));
          expect(page.status).toBe(200);
          expect(page.text).toContain('Hello through the proxy');
          const rows = await settledRows(d, 1);
          expect(rows[0]).toMatchObject({ decision: 'answered-saved', outcome: 'ok', attempts: 1, realm: REALM });
        });
        expect(await proxy.rejected()).toBe(before);
      });

      it(title('S1', 'a saved profile answers the proxy 407 for an HTTPS page through CONNECT', browser, kind), async () => {
        await withBrowser(browser, proxy, async (d) => {
          await d.send('profiles/save', profileFor(proxy));
          const page = await d.load(origin.httpsUrl('/'));
          expect(page.status).toBe(200);
          expect(page.text).toContain('Hello through the proxy');
          const rows = await settledRows(d, 1);
          expect(rows[0]).toMatchObject({ decision: 'answered-saved', outcome: 'ok' });
          expect(rows[0]?.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
        });
      });

      it(title('S3', 'wrong saved password with 30 parallel requests reaches the proxy at most once', browser, kind), async () => {
        const before = await proxy.rejected(USER);
        await withBrowser(browser, proxy, async (d) => {
          await d.send('profiles/save', profileFor(proxy, { password: 'wrong-password' }));
          // 30 requests on 30 hosts: all in flight at once (a browser keeps at most 6 per host)
          const ended = d.fetchAll(spreadUrls(origin.port, 30));
          // all of them wait on ONE prompt that says the saved password was refused
          let prompts = await d.send('prompts/list');
          await vi.waitFor(
            async () => {
              prompts = await d.send('prompts/list');
              expect(prompts).toHaveLength(1);
              expect(prompts[0]).toMatchObject({ reason: 'rejected', waiting: 30 });
            },
            { timeout: 20_000, interval: 200 },
          );
          expect(prompts[0]?.rejectedProfile?.username).toBe(USER);
          await d.send('prompts/cancel', { id: prompts[0]!.id });
          expect(await ended).toHaveLength(30); // every request ended: none hangs
          const status = await d.send('engine/status');
          expect(status.promptsShown).toBe(1); // the queued requests that came after Cancel did not ask again
          const rows = await settledRows(d, status.challengesSeen);
          expect(rows).toHaveLength(30);
          // The password reached the proxy once (asserted below). Chromium sends it on one page request
          // (its row: answered-saved / rejected). Firefox does too, unless the 30 challenges reached the
          // worker in one delivery batch: then no page request can carry it (the answers of a batch leave
          // together; src/background/own-request.ts), the worker's own request does, and all 30 rows say
          // breaker-open.
          const carried = rows.filter((r) => r.decision === 'answered-saved' && r.outcome === 'rejected');
          expect(carried.length).toBeLessThanOrEqual(1);
          expect(rows.filter((r) => r.decision === 'breaker-open')).toHaveLength(30 - carried.length);
          for (const row of rows) expect(row.diagnosis.map((f) => f.code)).toContain('credentials-rejected');
          const rejected = (await proxy.rejected(USER)) - before;
          // usually 1; a CI run on a fresh machine once measured 13 here (then within the bound)
          expectBreakerBound(`S3 [${browser}, ${kind}]`, status, rejected);
        });
      });

      it(title('S5', 'cold start: the first page after the worker was stopped is answered', browser, kind), async () => {
        const before = await proxy.rejected();
        await withBrowser(browser, proxy, async (d) => {
          await d.send('profiles/save', profileFor(proxy));
          await d.restartWorker();
          const page = await d.load(origin.url('/'));
          expect(page.error).toBeUndefined();
          expect(page.status).toBe(200);
          const rows = await settledRows(d, 1);
          expect(rows[0]).toMatchObject({ decision: 'answered-saved', outcome: 'ok', attempts: 1 });
        });
        expect(await proxy.rejected()).toBe(before);
      });

      it(title('S6', '200 parallel requests: all succeed, one history row per 407, none lost', browser, kind), async () => {
        const before = { rejected: await proxy.rejected(), challenges: await proxy.challenges() };
        await withBrowser(browser, proxy, async (d) => {
          await d.send('profiles/save', profileFor(proxy));
          const results = await d.fetchAll(spreadUrls(origin.port, 200));
          expect(results.filter((r) => r === 'ok')).toHaveLength(200);
          // The browser answers later 407s from its own cache once a credential worked (Firefox also
          // sends it up front on later requests), so not every 407 reaches the extension: every one
          // that did must have its row, settled ok. The proxy's count may include the Firefox worker's
          // own request (own-request.ts), which has no row.
          const challenged = (await proxy.challenges()) - before.challenges;
          const { challengesSeen } = await d.send('engine/status');
          expect(challengesSeen).toBeGreaterThan(0);
          expect(challengesSeen).toBeLessThanOrEqual(challenged);
          const rows = await settledRows(d, challengesSeen);
          expect(rows).toHaveLength(challengesSeen);
          expect(rows.every((r) => r.decision === 'answered-saved' && r.outcome === 'ok')).toBe(true);
        });
        expect(await proxy.rejected()).toBe(before.rejected);
      });
    });
  }

  describe(`origin 401 [${browser}, node]`, () => {
    let proxy: TestProxy;
    beforeAll(async () => {
      proxy = await startProxy('node', REALM, { [USER]: PASS });
    });
    afterAll(async () => proxy?.close());

    it(title('S4', 'an origin 401 with the same realm gets no credentials', browser, 'node'), async () => {
      const seen = origin.authHeadersSeen;
      await withBrowser(browser, proxy, async (d) => {
        await d.send('profiles/save', profileFor(proxy));
        const page = await d.load(origin.url(`/basic-401?realm=${encodeURIComponent(REALM)}`));
        // The extension hands origin 401s back to the browser. Headless Chromium has no login dialog
        // and reports ERR_INVALID_AUTH_CREDENTIALS; headless Firefox would wait for its dialog forever,
        // so its driver cancels browser login dialogs (test/support/firefox.ts) and the page shows the
        // 401 itself. A browser with a window shows its own dialog.
        if (page.status === null) expect(page.error).toMatch(/ERR_INVALID_AUTH_CREDENTIALS/);
        else {
          expect(page.status).toBe(401);
          expect(page.text).toContain('origin says 401');
        }
        const rows = await settledRows(d, 1);
        expect(rows).toHaveLength(1); // the proxy challenge only; the origin 401 is not ours
      });
      expect(origin.authHeadersSeen).toBe(seen);
    });
  });

  describe(`digest [${browser}, squid-digest]`, () => {
    let proxy: TestProxy;
    beforeAll(async () => {
      proxy = await startProxy('squid-digest', REALM, { [USER]: PASS });
    });
    afterAll(async () => proxy?.close());

    it(title('S7', 'squid with Digest auth is answered and the page loads', browser, 'squid-digest'), async () => {
      await withBrowser(browser, proxy, async (d) => {
        await d.send('profiles/save', profileFor(proxy, { scheme: 'digest' }));
        const page = await d.load(origin.url('/'));
        expect(page.status).toBe(200);
        const rows = await settledRows(d, 1);
        expect(rows[0]).toMatchObject({ decision: 'answered-saved', outcome: 'ok', scheme: 'digest' });
      });
      expect(await proxy.rejected()).toBe(0);
    });
  });

  describe(`two proxies [${browser}, node ×2]`, () => {
    let alpha: TestProxy;
    let beta: TestProxy;
    beforeAll(async () => {
      alpha = await startProxy('node', 'Alpha Realm', { alice: 'alice-alpha' });
      beta = await startProxy('node', 'Beta Realm', { bob: 'bob-beta' });
    });
    afterAll(async () => Promise.all([alpha?.close(), beta?.close()]));

    it(title('S9', 'two proxies with different realms each get their own account, never the other', browser, 'node ×2'), async () => {
      // alpha.test pages go through proxy Alpha, beta.test pages through proxy Beta (both proxies
      // send .test names to 127.0.0.1; browsers never send loopback names through a PAC's proxies)
      const pac = `function FindProxyForURL(url, host) {
        if (host === 'alpha.test') return 'PROXY 127.0.0.1:${alpha.port}';
        if (host === 'beta.test') return 'PROXY 127.0.0.1:${beta.port}';
        return 'DIRECT';
      }`;
      const d = await launch(browser, { proxyPort: alpha.port, pac });
      try {
        await d.send('profiles/save', profileFor(alpha, { name: 'Alpha', username: 'alice', password: 'alice-alpha', realm: 'Alpha Realm' }));
        await d.send('profiles/save', profileFor(beta, { name: 'Beta', username: 'bob', password: 'bob-beta', realm: 'Beta Realm' }));
        expect((await d.load(origin.url('/').replace('127.0.0.1', 'alpha.test'))).status).toBe(200);
        expect((await d.load(origin.url('/').replace('127.0.0.1', 'beta.test'))).status).toBe(200);
        const rows = await settledRows(d, 2);
        expect(rows.map((r) => `${r.realm}:${r.profileName}:${r.outcome}`).sort()).toEqual(['Alpha Realm:Alpha:ok', 'Beta Realm:Beta:ok']);
      } finally {
        await d.close();
      }
      expect([await alpha.rejected(), await beta.rejected()]).toEqual([0, 0]);
      expect([await alpha.accepted(), await beta.accepted()].every((n) => n > 0)).toBe(true);
    });
  });
}
