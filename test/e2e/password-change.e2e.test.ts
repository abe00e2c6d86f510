// S22: the password is changed on the proxy while the browser runs (an IT rotation): refused at the next tunnelled request, one prompt, no hammering.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PendingPrompt } from '../../src/messaging/map';
import { launch } from '../support/driver';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { savedProfile, type TestProxy, startProxy } from '../support/proxies';
import { BROWSERS, title } from './scenarios';

const REALM = 'Corp Proxy';
const USER = 'erin';
const OLD = 'erin-Old-Pa55';
const NEW = 'erin-New-Pa55';
const PATIENCE = { timeout: 30_000, interval: 200 };
/**
 * Rejected logins the change may cost. The browser sends its cached credential up front on each new
 * CONNECT before any extension is asked: Firefox on the one connection of the page, Chromium on up
 * to two (the page's and a spare one it opens beside it; seen in the Node proxy's log as two
 * CONNECTs with the old password in the same millisecond). Then our answer to the page's 407 (1),
 * whose second 407 proves the refusal (only the proxy can challenge a CONNECT). The browser drops a
 * cached credential the proxy refused, so nothing after that carries the old password.
 */
const BOUND = { chromium: 3, firefox: 2 } as const;

let origin: OriginServer;
let proxy: TestProxy;
/** The origin's HTTPS side under a .test name (the proxies send those to 127.0.0.1; the test browsers accept its certificate). */
const secure = (host: string, path: string): string => origin.httpsUrl(path).replace('127.0.0.1', host);
beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startProxy('node', REALM, { [USER]: OLD });
});
afterAll(async () => {
  await proxy?.close();
  await origin?.close();
});

describe('S22 password changed on the proxy mid-session [node]', () => {
  for (const browser of BROWSERS) {
    it(
      title('S22', 'the proxy account\'s password changes while the browser runs: the next HTTPS page shows one "password refused" prompt, no request carries the old password after that, the new password then loads it', browser, 'node'),
      async () => {
        proxy.setPassword(USER, OLD);
        const d = await launch(browser, { proxyPort: proxy.port });
        try {
          const saved = await d.send('profiles/save', savedProfile(proxy, USER, OLD));
          expect(saved.ok).toBe(true);
          const id = saved.ok ? saved.value.id : '';
          // accepted: the breaker knows this credential as good, the browser has it cached
          expect((await d.load(origin.httpsUrl('/?before'))).status).toBe(200);
          expect((await d.load(origin.httpsUrl('/?before-again'))).status).toBe(200);

          proxy.setPassword(USER, NEW);
          const before = await proxy.rejected(USER);
          // another host: a new CONNECT (a tunnel already open is never asked again)
          const page = d.load(secure('alpha.test', '/?after'), 60_000);
          let asked: PendingPrompt[] = [];
          await vi.waitFor(async () => {
            asked = await d.send('prompts/list');
            expect(asked).toHaveLength(1);
            expect(asked[0]).toMatchObject({ reason: 'rejected', rejectedProfile: { id, username: USER } });
          }, PATIENCE);
          const refused = (await proxy.rejected(USER)) - before;
          expect(refused).toBeGreaterThanOrEqual(1);
          expect(refused).toBeLessThanOrEqual(BOUND[browser]);

          // while the prompt waits, more pages of the same proxy do not carry the old password
          const more = d.fetchAll([secure('beta.test', '/res/1'), secure('h1.test', '/res/2'), secure('h2.test', '/res/3')], origin.httpsUrl('/?before'));
          await vi.waitFor(async () => expect((await d.send('prompts/list'))[0]?.waiting ?? 0).toBeGreaterThanOrEqual(2), PATIENCE);
          expect((await proxy.rejected(USER)) - before).toBe(refused);

          const answered = await d.send('prompts/answer', { id: asked[0]!.id, username: USER, password: NEW, remember: 'save', updateProfileId: id });
          expect(answered.ok).toBe(true);
          expect((await page).status).toBe(200);
          expect(await more).toEqual(['ok', 'ok', 'ok']);
          // the profile now holds the new password and keeps working
          expect((await d.load(secure('h3.test', '/?later'))).status).toBe(200);
          expect((await d.send('profiles/list')).profiles.filter((p) => p.username === USER)).toHaveLength(1);
          expect((await proxy.rejected(USER)) - before).toBe(refused);
          // the page's row keeps the refusal (challenged again after our answer), then the prompt's answer
          const rows = await d.send('history/flush').then(() => d.send('history/query', {}));
          expect(rows.find((r) => r.url.includes('alpha.test'))).toMatchObject({ decision: 'answered-prompt', outcome: 'rejected', attempts: 2 });
          // the pages that waited on the prompt never carried the old password
          expect(rows.filter((r) => /beta|h1|h2/.test(r.url)).map((r) => [r.decision, r.outcome, r.attempts])).toEqual(Array(3).fill(['answered-prompt', 'ok', 1]));
        } finally {
          await d.close();
        }
      },
    );
  }
});
