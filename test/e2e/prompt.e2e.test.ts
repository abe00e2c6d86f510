// Scenarios of the prompt: one question for every waiting request, answered, cancelled, timed out, or after a rejection.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HistoryEntry } from '../../src/core/model';
import { type Driver, launch } from '../support/driver';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { savedProfile, type TestProxy, startProxy } from '../support/proxies';
import { spreadUrls } from '../support/test-hosts';
import { BROWSERS, title } from './scenarios';
import { expectAllOk, onePrompt } from '../support/waits';

const REALM = 'Corp Proxy';
const USER = 'carol';
const PASS = 'carol-Pa55';

let origin: OriginServer;
let proxy: TestProxy;
beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startProxy('squid', REALM, { [USER]: PASS });
});
afterAll(async () => Promise.all([origin?.close(), proxy?.close()]));


async function rows(d: Driver, n: number): Promise<HistoryEntry[]> {
  let list: HistoryEntry[] = [];
  await vi.waitFor(
    async () => {
      list = (await d.send('history/query', {})).filter((r) => r.outcome !== 'pending');
      expect(list).toHaveLength(n);
    },
    { timeout: 20_000, interval: 200 },
  );
  return list;
}

async function session(browser: (typeof BROWSERS)[number], fn: (d: Driver) => Promise<void>): Promise<void> {
  const d = await launch(browser, { proxyPort: proxy.port });
  try {
    await fn(d);
  } finally {
    await d.close();
  }
}

for (const browser of BROWSERS) {
  describe(`prompt [${browser}, squid]`, () => {
    it(title('S2', 'no profile: 20 parallel requests ask ONE question; Save as profile answers all of them', browser, 'squid'), async () => {
      await session(browser, async (d) => {
        const ended = d.fetchAll(spreadUrls(origin.port, 20));
        const prompt = await onePrompt(d, 20);
        expect(prompt).toMatchObject({ reason: 'no-match', realm: REALM, scheme: 'basic', clearTextWarning: true });
        const ui = await d.ui(`popup.html?prompt=${prompt.id}`);
        await ui.waitForText('20 requests are waiting');
        await ui.fill('Username', USER);
        await ui.fill('Password', PASS);
        await ui.check('Save as profile');
        await ui.click('Sign in');
        await expectAllOk(d, 'after the answer', await ended, 20);
        const { profiles } = await d.send('profiles/list');
        expect(profiles).toMatchObject([{ username: USER, realm: REALM, proxy: { port: proxy.port }, isDefault: true }]);
        // the next request is answered without a question
        expect((await d.load(origin.url('/'))).status).toBe(200);
        const status = await d.send('engine/status');
        expect(status).toMatchObject({ promptsShown: 1, promptsPending: 0 });
        const history = await rows(d, status.challengesSeen);
        expect(history.every((r) => r.decision === 'answered-prompt' && r.outcome === 'ok')).toBe(true);
      });
    });

    it(title('S2', 'Cancel ends all 20 waiting requests and history says prompt-cancelled', browser, 'squid'), async () => {
      await session(browser, async (d) => {
        const ended = d.fetchAll(spreadUrls(origin.port, 20));
        const prompt = await onePrompt(d, 20);
        const ui = await d.ui(`popup.html?prompt=${prompt.id}`);
        await ui.waitForText('Sign in to proxy');
        await ui.click('Cancel');
        expect(await ended).toHaveLength(20);
        const history = await rows(d, 20);
        expect(history.map((r) => `${r.decision}/${r.outcome}`)).toEqual(Array(20).fill('prompt-cancelled/cancelled'));
        expect((await d.send('engine/status')).promptsShown).toBe(1);
      });
    });

    it(title('S2', 'an unanswered prompt times out, ends its requests and says prompt-timeout', browser, 'squid'), async () => {
      await session(browser, async (d) => {
        const saved = await d.send('settings/save', { ...(await d.send('settings/get')).settings, promptTimeoutSeconds: 2 });
        expect(saved.ok).toBe(true);
        const ended = d.fetchAll(spreadUrls(origin.port, 5));
        await onePrompt(d, 5);
        expect(await ended).toHaveLength(5);
        const history = await rows(d, 5);
        expect(history.map((r) => `${r.decision}/${r.outcome}`)).toEqual(Array(5).fill('prompt-timeout/cancelled'));
        expect(await d.send('prompts/list')).toEqual([]);
      });
    });

    it(title('S2', 'a rejected saved password: the prompt says so, the right one updates the profile and releases all', browser, 'squid'), async () => {
      const before = await proxy.rejected(USER);
      await session(browser, async (d) => {
        const saved = await d.send('profiles/save', savedProfile(proxy, USER, 'old-password', { name: 'Work' }));
        expect(saved.ok).toBe(true);
        const ended = d.fetchAll(spreadUrls(origin.port, 10));
        const prompt = await onePrompt(d, 10);
        expect(prompt).toMatchObject({ reason: 'rejected', rejectedProfile: { name: 'Work', username: USER } });
        const ui = await d.ui(`popup.html?prompt=${prompt.id}`);
        await ui.waitForText('rejected');
        await ui.fill('Password', PASS);
        await ui.click('Sign in');
        await expectAllOk(d, 'after the answer', await ended, 10);
        const { profiles } = await d.send('profiles/list');
        expect(profiles).toHaveLength(1);
        expect(profiles[0]).toMatchObject({ name: 'Work' });
        expect(await d.send('profiles/open', { id: profiles[0]!.id })).toEqual({ ok: true, value: { password: PASS } });
      });
      expect((await proxy.rejected(USER)) - before).toBe(1);
    });
  });
}
