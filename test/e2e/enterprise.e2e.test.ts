// Issue #15, scenario S20: profiles set by the browser's own policy engine, from a REAL policy file.
// A policy file applies to every browser on this machine: this file takes the e2e lock for its whole
// run, writes policies only for our extension id, and removes them in afterAll and on process exit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserName, GECKO_ID, launch } from '../support/driver';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { CHROMIUM_POLICY_FILE, FIREFOX_POLICY_FILE, chromiumPolicy, firefoxPolicy, holdE2eLock, releaseE2eLock, removePolicies, requireRoot, writePolicy } from '../support/policy';
import { type TestProxy, startProxy } from '../support/proxies';
import { BROWSERS, title } from './scenarios';

const REALM = 'Corp Proxy';

let origin: OriginServer;
let proxy: TestProxy;
beforeAll(async () => {
  requireRoot();
  await holdE2eLock();
  origin = await startOrigin();
  proxy = await startProxy('squid', REALM, { svc: 'policy-Pa55' });
});
afterAll(async () => {
  removePolicies();
  releaseE2eLock();
  await Promise.all([origin?.close(), proxy?.close()]);
});

/** Writes the browser's own policy file with `policy` under our extension id only. */
function writeFor(browser: BrowserName, policy: unknown): void {
  if (browser === 'chromium') writePolicy(CHROMIUM_POLICY_FILE, chromiumPolicy(policy));
  else writePolicy(FIREFOX_POLICY_FILE, firefoxPolicy(GECKO_ID, policy));
}

for (const browser of BROWSERS) {
  describe(`enterprise policy [${browser}, squid]`, () => {
    it(title('S20', 'a managed locked profile from a real policy file answers squid', browser, 'squid'), async () => {
      writeFor(browser, {
        profiles: [{ name: 'Corp (policy)', proxy: { host: '127.0.0.1', port: proxy.port }, realm: REALM, scheme: 'basic', username: 'svc', password: 'policy-Pa55', mode: 'locked' }],
      });
      const d = await launch(browser, { proxyPort: proxy.port });
      try {
        // the browser read the file: the extension sees it in storage.managed
        expect(await d.evalInExtension(() => (globalThis as unknown as { chrome: typeof chrome }).chrome.storage.managed.get(null))).toMatchObject({ profiles: [{ username: 'svc', mode: 'locked' }] });
        const { profiles, problems } = await d.send('profiles/list');
        expect(problems).toEqual([]);
        expect(profiles).toMatchObject([{ name: 'Corp (policy)', managed: 'locked', username: 'svc' }]);
        const page = await d.load(origin.url('/'));
        expect(page.status).toBe(200);
        expect(await proxy.accepted()).toBeGreaterThan(0);
        // the worker refuses to change or delete it
        expect(await d.send('profiles/delete', { id: profiles[0]!.id })).toMatchObject({ deleted: false, problems: [{ code: 'policy-locked' }] });
        expect((await d.send('profiles/list')).profiles).toHaveLength(1);
      } finally {
        await d.close();
      }
      expect(await proxy.rejected()).toBe(0);
    });
  });
}
