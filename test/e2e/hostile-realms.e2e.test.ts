// S17: a page's own server answers 407 with Proxy-Authenticate; a lax proxy passes it on and the browser reports it as the proxy's (issue #12 item 2).
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HistoryEntry } from '../../src/core/model';
import type { PendingPrompt } from '../../src/messaging/map';
import { MAX_NEW_PROMPTS_PER_WINDOW } from '../../src/core/prompt-queue';
import { launch } from '../support/driver';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { savedProfile, type TestProxy, startProxy } from '../support/proxies';
import { spreadUrls } from '../support/test-hosts';
import { expectAllOk } from '../support/waits';
import { BROWSERS, title } from './scenarios';

const REALM = 'Corp Proxy';
const USER = 'dora';
const PASS = 'dora-Pa55';
const PATIENCE = { timeout: 30_000, interval: 200 };
/** The codes a hostile request's row may carry: each says why nothing was marked refused. */
const GUARD_CODES = ['challenge-not-proof', 'realm-unseen', 'prompt-limited'];

let origin: OriginServer;
beforeAll(async () => {
  origin = await startOrigin();
});
afterAll(async () => origin?.close());

/** 50 different realms, the proxy's own among them: what a hostile page can make the network say. */
const hostileUrls = (): string[] => {
  const realms = [REALM, ...Array.from({ length: 49 }, (_, i) => `Hostile ${i}`)];
  return realms.map((realm, i) => origin.url(`/proxy-407?realm=${encodeURIComponent(realm)}&i=${i}&v=${Date.now()}`));
};

describe('S17 relayed 407s [node lax proxy]', () => {
  let proxy: TestProxy;
  beforeAll(async () => {
    proxy = await startProxy('node', REALM, { [USER]: PASS }, { lax: true });
  });
  afterAll(async () => proxy?.close());

  for (const browser of BROWSERS) {
    const name = title('S17', 'a hostile page behind a lax proxy answers 407 on 50 different realms: the saved credential keeps working, no "password refused", at most one prompt', browser, 'node');
    // Firefox passes the answers of one delivery batch on together: the unseen realm's prompt must not hold
    // the real pages' answers delivered with it (core/delivery-batch.ts; before, 1 run in 3–5 stalled here).
    it(
      name,
      async () => {
        const rejectedBefore = await proxy.rejected();
        const relayedBefore = await proxy.relayed407();
        const d = await launch(browser, { proxyPort: proxy.port });
        const seen: PendingPrompt[][] = [];
        const prompts = async (): Promise<PendingPrompt[]> => {
          const list = await d.send('prompts/list');
          seen.push(list);
          return list;
        };
        try {
          // an "any realm" profile: the kind a relayed realm could otherwise take the password to
          const saved = await d.send('profiles/save', savedProfile(proxy, USER, PASS, { realm: null, scheme: 'any' }));
          expect(saved.ok).toBe(true);
          expect((await d.load(origin.url('/'))).status).toBe(200);

          let hostileEnded = false;
          const hostile = d.fetchAll(hostileUrls(), origin.url('/')).finally(() => {
            hostileEnded = true;
          });
          // the real pages keep loading through the saved profile meanwhile
          const realPagesLoad = async () => {
            expect((await d.load(origin.url('/'))).status).toBe(200);
            await expectAllOk(d, 'real pages beside the hostile ones', await d.fetchAll(spreadUrls(origin.port, 10)), 10);
          };
          await realPagesLoad();
          // a realm the proxy never showed is asked about, not answered; the prompt says why. Whether one
          // opens depends on the browser: a request that went out with the cached credential meets the site's
          // realm as its first challenge (asked about); one that first met the proxy's own 407 was answered,
          // and the site's 407 after it proves nothing and ends it, asking nobody (seen in Firefox, 1 run in 5)
          let asked: PendingPrompt[] = [];
          await vi.waitFor(async () => {
            asked = await prompts();
            expect(asked.length > 0 || hostileEnded).toBe(true);
          }, PATIENCE);
          if (asked.length > 0) {
            const ui = await d.ui(`popup.html?prompt=${asked[0]!.id}`);
            await ui.waitForText('has not asked for this realm before');
            await ui.click('Cancel');
          }
          // the user says no to whatever else is asked (every list seen is checked below: never more than one)
          await vi.waitFor(async () => {
            for (const p of await prompts()) await d.send('prompts/cancel', { id: p.id });
            expect(hostileEnded).toBe(true);
          }, PATIENCE);
          expect(await hostile).toHaveLength(50);
          // every hostile request reached the site through the proxy, i.e. with the accepted credential
          expect((await proxy.relayed407()) - relayedBefore).toBeGreaterThanOrEqual(50);

          // nothing was marked refused: a fresh page still loads with the saved password
          expect((await d.load(origin.url('/'))).status).toBe(200);
          let rows: HistoryEntry[] = [];
          await vi.waitFor(async () => {
            rows = (await d.send('history/query', {})).filter((r) => r.url.includes('/proxy-407'));
            expect(rows.length).toBeGreaterThanOrEqual(50);
            expect(rows.filter((r) => r.outcome === 'pending')).toEqual([]);
          }, PATIENCE);
          for (const r of rows) expect(r.diagnosis.map((f) => f.code).filter((c) => GUARD_CODES.includes(c))).not.toEqual([]);
          expect(rows.filter((r) => r.outcome === 'rejected' && r.guard !== 'not-proof')).toEqual([]);
          expect(rows.filter((r) => r.decision === 'breaker-open')).toEqual([]);
          const all = await d.send('history/query', {});
          expect(all.filter((r) => !r.url.includes('/proxy-407') && r.outcome !== 'ok')).toEqual([]);
          // new prompts of one proxy are capped per minute, and none is left open
          const status = await d.send('engine/status');
          expect(status.promptsShown).toBeLessThanOrEqual(MAX_NEW_PROMPTS_PER_WINDOW);
          expect(await prompts()).toEqual([]);
        } finally {
          await d.close();
        }
        expect(seen.flat().filter((p) => p.reason === 'rejected')).toEqual([]);
        // a prompt here is for a realm the proxy never showed, and says so
        expect(seen.flat().filter((p) => p.newRealm !== true)).toEqual([]);
        expect(Math.max(...seen.map((l) => l.length))).toBeLessThanOrEqual(1);
        expect((await proxy.rejected()) - rejectedBefore).toBe(0);
      },
    );
  }
});

/** One GET through a proxy with a good credential: what the client receives. */
function getThrough(port: number, url: string, auth: string): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: url, headers: { 'Proxy-Authorization': `Basic ${Buffer.from(auth).toString('base64')}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('S17 what a proxy does with a site\'s 407 (observation)', () => {
  it('S17 squid passes the site\'s 407 on but drops its Proxy-Authenticate, so the browser has no challenge to report [node client, squid]', async () => {
    const squid = await startProxy('squid', REALM, { [USER]: PASS });
    try {
      const r = await getThrough(squid.port, origin.url(`/proxy-407?realm=${encodeURIComponent(REALM)}`), `${USER}:${PASS}`);
      expect(r.status).toBe(407);
      expect(r.headers['proxy-authenticate']).toBeUndefined();
      // squid logs it as a forwarded answer, not as a refused credential
      await vi.waitFor(async () => expect(await squid.relayed407()).toBe(1), PATIENCE);
      expect(await squid.rejected()).toBe(0);
    } finally {
      await squid.close();
    }
  });

  it('S17 the Node proxy in lax mode forwards the site\'s 407 with its Proxy-Authenticate; in normal mode it drops it [node client, node]', async () => {
    const lax = await startProxy('node', REALM, { [USER]: PASS }, { lax: true });
    const strict = await startProxy('node', REALM, { [USER]: PASS });
    try {
      const url = origin.url('/proxy-407?realm=Elsewhere');
      const a = await getThrough(lax.port, url, `${USER}:${PASS}`);
      expect(a).toMatchObject({ status: 407, headers: { 'proxy-authenticate': 'Basic realm="Elsewhere"' } });
      const b = await getThrough(strict.port, url, `${USER}:${PASS}`);
      expect(b.status).toBe(407);
      expect(b.headers['proxy-authenticate']).toBeUndefined();
      expect([await lax.rejected(), await strict.rejected(), await lax.relayed407()]).toEqual([0, 0, 1]);
    } finally {
      await Promise.all([lax.close(), strict.close()]);
    }
  });
});
