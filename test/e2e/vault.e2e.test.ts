// Scenario S11: with the vault locked, one master password releases every waiting request.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PendingPrompt } from '../../src/messaging/map';
import { launch } from '../support/driver';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { savedProfile, type TestProxy, startProxy } from '../support/proxies';
import { spreadUrls } from '../support/test-hosts';
import { expectAllOk } from '../support/waits';
import { BROWSERS, title } from './scenarios';

const REALM = 'Corp Proxy';
const MASTER = 'a long master password';

let origin: OriginServer;
let proxy: TestProxy;
beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startProxy('squid', REALM, { dave: 'dave-Pa55' });
});
afterAll(async () => Promise.all([origin?.close(), proxy?.close()]));

for (const browser of BROWSERS) {
  describe(`vault [${browser}, squid]`, () => {
    it(title('S11', 'vault locked: one unlock prompt for 20 waiting requests, then all complete', browser, 'squid'), async () => {
      const d = await launch(browser, { proxyPort: proxy.port });
      try {
        const saved = await d.send('profiles/save', savedProfile(proxy, 'dave', 'dave-Pa55', { name: 'Work' }));
        expect(saved.ok).toBe(true);
        expect(await d.send('vault/enable', { masterPassword: MASTER })).toMatchObject({ ok: true, value: { enabled: true, iterations: 600_000 } });
        // at rest: no readable password anywhere in storage.local
        const local = await d.evalInExtension(() => chrome.storage.local.get(null));
        expect(JSON.stringify(local)).not.toContain('dave-Pa55');
        expect(await d.send('vault/lock')).toMatchObject({ enabled: true, unlocked: false });

        const ended = d.fetchAll(spreadUrls(origin.port, 20));
        let prompts: PendingPrompt[] = [];
        await vi.waitFor(
          async () => {
            prompts = await d.send('prompts/list');
            expect(prompts).toMatchObject([{ reason: 'vault-locked', waiting: 20 }]);
          },
          { timeout: 20_000, interval: 200 },
        );
        const ui = await d.ui(`popup.html?prompt=${prompts[0]!.id}`);
        await ui.waitForText('Unlock your saved proxy passwords');
        await ui.fill('Master password', 'not the master password');
        await ui.click('Unlock');
        await ui.waitForText('Wrong master password');
        await ui.fill('Master password', MASTER);
        await ui.click('Unlock');
        await expectAllOk(d, 'after the answer', await ended, 20);
        expect(await d.send('engine/status')).toMatchObject({ promptsShown: 1, promptsPending: 0 });
        expect(await d.send('vault/status')).toMatchObject({ enabled: true, unlocked: true });
      } finally {
        await d.close();
      }
      expect(await proxy.rejected()).toBe(0);
    });
  });
}
