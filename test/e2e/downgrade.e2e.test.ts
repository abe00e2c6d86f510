// S18: a password proven with Digest is not sent readable to a Basic challenge of the same proxy without the user's yes.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Driver, launch } from '../support/driver';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { type Squid, startSquid } from '../support/squid';
import { onePrompt } from '../support/waits';
import { BROWSERS, title } from './scenarios';

const REALM = 'Corp Proxy';
const USER = 'dave';
const PASS = 'dave-Digest-0nly';
const PATIENCE = { timeout: 20_000, interval: 200 };

let origin: OriginServer;
beforeAll(async () => {
  origin = await startOrigin();
});
afterAll(async () => origin?.close());

for (const browser of BROWSERS) {
  describe(`downgrade [${browser}, squid]`, () => {
    it(title('S18', 'a Digest profile is not sent to a Basic challenge of the same proxy without a yes', browser, 'squid'), async () => {
      const users = { [USER]: PASS };
      let squid: Squid = await startSquid({ scheme: 'digest', realm: REALM, users });
      const port = squid.port;
      const d: Driver = await launch(browser, { proxyPort: port });
      try {
        const saved = await d.send('profiles/save', { name: 'Digest account', proxy: { host: '127.0.0.1', port }, realm: REALM, scheme: 'digest', username: USER, password: PASS, isDefault: true });
        expect(saved.ok).toBe(true);
        // proven with Digest: the page loads, squid accepted the user
        expect((await d.load(origin.url('/res/digest'))).status).toBe(200);
        expect(await squid.countOk()).toBeGreaterThan(0);

        // the same proxy (same port) now asks for Basic
        await squid.close();
        squid = await startSquid({ scheme: 'basic', realm: REALM, users, port });
        const loaded = d.load(origin.url('/res/basic'), 60_000);
        const prompt = await onePrompt(d, 1);
        expect(prompt).toMatchObject({ reason: 'downgrade', scheme: 'basic', realm: REALM, clearTextWarning: true, downgradeProfile: { username: USER } });
        // squid logged the credential-less challenge (its log is live) and no request that carried a credential
        await vi.waitFor(async () => expect(await squid.countChallenges()).toBeGreaterThan(0), PATIENCE);
        expect((await squid.entries()).filter((e) => e.user !== undefined)).toEqual([]);
        // the popup shows the warning and the yes
        const ui = await d.ui(`popup.html?prompt=${prompt.id}`);
        await ui.waitForText('now asks for Basic');
        await ui.waitForText('Basic sends your password readable');

        // the yes (the button's message): the saved password goes out with Basic, and the page loads
        expect(await d.send('prompts/answer', { id: prompt.id, username: '', password: '', remember: 'once', allowBasic: true })).toMatchObject({ ok: true });
        expect((await loaded).status).toBe(200);
        expect((await squid.entries()).some((e) => e.user === USER && e.status === 200)).toBe(true);
        expect(await squid.countAuthFailures()).toBe(0);
        // the yes is remembered on the profile: the next Basic challenge asks nothing
        const { profiles } = await d.send('profiles/list');
        expect(profiles[0]?.provenSchemes).toContain('basic');
        expect((await d.load(origin.url('/res/again'))).status).toBe(200);
        expect((await d.send('engine/status')).promptsShown).toBe(1);
      } finally {
        await d.close();
        await squid.close();
      }
    });
  });
}
