// Issue #15, scenarios S20–S20d: profiles and settings set by the browser's own policy engine, from a REAL policy file.
// A policy file applies to every browser on this machine: this file takes the e2e lock for its whole
// run, writes policies only for our extension id, and removes them in afterAll and on process exit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserName, GECKO_ID, launch } from '../support/driver';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { CHROMIUM_POLICY_FILE, FIREFOX_POLICY_FILE, chromiumPolicy, firefoxPolicy, holdE2eLock, releaseE2eLock, removePolicies, requireRoot, writePolicy } from '../support/policy';
import { openOptions, openPage } from '../support/options-page';
import { type TestProxy, startProxy } from '../support/proxies';
import { BROWSERS, title } from './scenarios';
import { onePrompt } from '../support/waits';
import { EXAMPLE_POLICY, policyExamples } from '../../scripts/policy-example';

const REALM = 'Corp Proxy';

let origin: OriginServer;
let proxy: TestProxy;
beforeAll(async () => {
  requireRoot();
  await holdE2eLock();
  origin = await startOrigin();
  proxy = await startProxy('squid', REALM, { svc: 'policy-Pa55', bob: 'bob-Pa55', me: 'my-Pa55' });
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
    it(title('S20', 'a managed locked profile from a real policy file answers squid; the popup shows it as managed and offers no delete; history marks the answer', browser, 'squid'), async () => {
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
        // the popup shows it as managed, read-only: no Edit, no Delete, no Set as default, and says why
        const popup = await openPage(d, 'popup.html');
        await popup.waitForText('Corp (policy)');
        expect(await popup.profileItem('Corp (policy)')).toEqual({ badges: ['Managed by your organisation'], buttons: [], hint: 'Locked by your organisation: read-only, it cannot be changed or deleted.' });
        await popup.close();
        // the history row of the answer is marked as answered from a managed profile
        await d.send('history/flush');
        const rows = await d.send('history/query', {});
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r.profileId === profiles[0]!.id && r.decision === 'answered-saved')).toBe(true);
        const options = await openOptions(d, 'history');
        await options.waitForText('Corp (policy)');
        expect(await options.texts('.history-managed')).toContain('managed');
        expect(await options.attribute('.history-managed', 'title')).toBe('Answered with a profile managed by your organisation');
        await options.close();
      } finally {
        await d.close();
      }
      expect(await proxy.rejected()).toBe(0);
    });
    it(title('S20b', 'a preset profile: the user changes its password in the popup, the next 407 uses it, the policy still lists it', browser, 'squid'), async () => {
      writeFor(browser, {
        profiles: [{ name: 'Corp preset', proxy: { host: '127.0.0.1', port: proxy.port }, realm: REALM, scheme: 'basic', username: 'bob', password: 'policy-old', mode: 'preset' }],
      });
      const rejectedBefore = await proxy.rejected();
      const d = await launch(browser, { proxyPort: proxy.port });
      try {
        const popup = await openPage(d, 'popup.html');
        await popup.waitForText('Corp preset');
        // a preset: editable (username and password only), never deleted
        expect(await popup.profileItem('Corp preset')).toEqual({ badges: ['Managed by your organisation'], buttons: ['Edit'], hint: 'Preset by your organisation: you may change its username and password; it cannot be deleted.' });
        await popup.clickInProfile('Corp preset', 'Edit');
        await popup.waitForText('Only the username and password can be changed here.');
        for (const label of ['Name', 'Proxy host', 'Port', 'Realm']) {
          expect(await popup.attributeOf(label, 'disabled'), `${label} disabled`).not.toBeNull();
          expect(await popup.attributeOf(label, 'title')).toBe('Managed by your organisation: only the username and password can be changed here.');
        }
        expect(await popup.attributeOf('Username', 'disabled')).toBeNull();
        expect(await popup.attributeOf('Password', 'disabled')).toBeNull();
        await popup.fill('Password', 'bob-Pa55');
        await popup.click('Save');
        await popup.waitForText('Preset by your organisation');
        await popup.close();
        // the next 407 is answered with the user's password: the page loads and the proxy refused nothing
        const page = await d.load(origin.url('/'));
        expect(page.status).toBe(200);
        expect(await proxy.rejected()).toBe(rejectedBefore);
        // the policy is unchanged and still lists the profile; the worker lists it once, as the preset
        expect(await d.evalInExtension(() => (globalThis as unknown as { chrome: typeof chrome }).chrome.storage.managed.get(null))).toMatchObject({ profiles: [{ username: 'bob', password: 'policy-old', mode: 'preset' }] });
        const { profiles } = await d.send('profiles/list');
        expect(profiles).toMatchObject([{ name: 'Corp preset', managed: 'preset', username: 'bob' }]);
        expect(profiles).toHaveLength(1);
        await d.send('history/flush');
        const rows = await d.send('history/query', {});
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r.profileId === profiles[0]!.id && r.outcome === 'ok')).toBe(true);
        expect(await d.send('profiles/delete', { id: profiles[0]!.id })).toMatchObject({ deleted: false, problems: [{ code: 'policy-preset-delete' }] });
      } finally {
        await d.close();
      }
    });

    it(title('S20c', 'settings forced by policy (no user profiles, vault required, no password export) are enforced in the UI and in the worker', browser, 'squid'), async () => {
      writeFor(browser, {
        profiles: [{ name: 'Corp (policy)', proxy: { host: '127.0.0.1', port: proxy.port }, realm: REALM, scheme: 'basic', username: 'svc', password: 'policy-Pa55' }],
        settings: { noMatch: 'cancel', allowUserProfiles: false, vaultRequired: true, allowPasswordExport: false },
      });
      const d = await launch(browser, { proxyPort: proxy.port });
      try {
        const managedNote = 'Managed by your organisation';
        // the popup: no way to add a profile, and it says why
        const popup = await openPage(d, 'popup.html');
        await popup.waitForText('Corp (policy)');
        expect(await popup.button('Add profile')).toEqual({ disabled: true, title: 'Your organisation does not allow profiles of your own.' });
        await popup.close();
        // the options page: the forced choice is disabled and marked, the vault cannot be left off, no password export, no import
        const settings = await openOptions(d, 'settings');
        await settings.waitForText('Its browser policy sets this');
        expect(await settings.attribute('fieldset.choices', 'disabled')).not.toBeNull();
        expect(await settings.attribute('fieldset.choices', 'title')).toBe('Managed by your organisation: its browser policy sets this, so it cannot be changed here.');
        expect(await settings.texts('[data-managed="noMatch"]')).toEqual([`${managedNote} Its browser policy sets this, so it cannot be changed here.`]);
        expect((await settings.texts('[data-managed="vaultRequired"]'))[0]).toContain('Your organisation requires a master password');
        // a disabled fieldset disables its radios: the user cannot pick another choice
        expect(await settings.count('input[name="noMatch"]:disabled')).toBe(3);
        await settings.close();
        const profilesTab = await openOptions(d, 'profiles');
        await profilesTab.waitForText('Corp (policy)');
        expect(await profilesTab.attributeOf('Include passwords', 'disabled')).not.toBeNull();
        expect(await profilesTab.attributeOf('Import profiles', 'disabled')).not.toBeNull();
        expect(await profilesTab.button('Add profile')).toMatchObject({ disabled: true });
        expect(await profilesTab.texts('[data-managed="allowPasswordExport"]')).toEqual([`${managedNote} Your organisation does not allow exporting passwords: export without them.`]);
        await profilesTab.close();
        // the worker refuses every message that goes around the UI, each with its code
        const mine = { name: 'Mine', proxy: { host: '127.0.0.1', port: proxy.port }, realm: REALM, scheme: 'basic' as const, username: 'me', password: 'my-Pa55', isDefault: false };
        expect(await d.send('profiles/save', mine)).toMatchObject({ ok: false, problems: [{ code: 'policy-user-profiles-off' }] });
        expect(await d.send('profiles/export', { includePasswords: true })).toMatchObject({ ok: false, problems: [{ code: 'policy-password-export-off' }] });
        const { settings: inForce, forced, rules } = await d.send('settings/get');
        expect({ noMatch: inForce.noMatch, forced, rules }).toEqual({ noMatch: 'cancel', forced: ['noMatch'], rules: { vaultRequired: true, allowUserProfiles: false, allowPasswordExport: false } });
        expect(await d.send('settings/save', { ...inForce, noMatch: 'ask' })).toMatchObject({ ok: false, problems: [{ path: 'noMatch', code: 'policy-setting-forced' }] });
        expect(await d.send('vault/enable', { masterPassword: 'master-Pa55-long' })).toMatchObject({ ok: true });
        expect(await d.send('vault/disable', { masterPassword: 'master-Pa55-long' })).toMatchObject({ ok: false, problems: [{ code: 'policy-vault-required' }] });
        expect(await d.send('vault/status')).toMatchObject({ enabled: true });
        expect((await d.send('profiles/list')).profiles.map((p) => p.name)).toEqual(['Corp (policy)']);
        // and the policy profile still answers
        expect((await d.load(origin.url('/'))).status).toBe(200);
      } finally {
        await d.close();
      }
    });

    it(title('S20d', 'a malformed policy: each problem with its path on the options page, user profiles untouched and still answering', browser, 'squid'), async () => {
      writeFor(browser, {
        profiles: [
          { name: 'Broken port', proxy: { host: '127.0.0.1', port: 70000 }, username: 'svc', password: 'policy-Pa55' },
          { name: 'Broken host', proxy: { host: 'bad host', port: proxy.port }, username: 'svc' },
        ],
        settings: { promptTimeoutSeconds: 5 },
      });
      const rejectedBefore = await proxy.rejected();
      const d = await launch(browser, { proxyPort: proxy.port });
      try {
        const mine = { name: 'Mine', proxy: { host: '127.0.0.1', port: proxy.port }, realm: REALM, scheme: 'basic' as const, username: 'me', password: 'my-Pa55', isDefault: true };
        const saved = await d.send('profiles/save', mine);
        expect(saved).toMatchObject({ ok: true });
        const options = await openOptions(d, 'profiles');
        await options.waitForText('3 problems');
        const paths = ['profiles[0].proxy.port', 'profiles[1].proxy.host', 'settings.promptTimeoutSeconds'];
        expect(await options.texts('.policy-problems li code')).toEqual(paths);
        const items = await options.texts('.policy-problems li');
        expect(items[0]).toBe('profiles[0].proxy.port: Port must be between 1 and 65535.');
        // each problem in words, never its bare code
        for (const [i, item] of items.entries()) expect(item.length, item).toBeGreaterThan(paths[i]!.length + 10);
        // the user's profile is listed and answers the proxy; nothing of the policy does
        expect(await options.profileItem('Mine')).toMatchObject({ badges: ['Default'], hint: null });
        await options.close();
        expect((await d.send('profiles/list')).profiles.map((p) => p.name)).toEqual(['Mine']);
        expect(await d.send('policy/status')).toMatchObject({ active: true, profiles: 0 });
        expect((await d.send('settings/get')).forced).toEqual([]);
        expect((await d.load(origin.url('/'))).status).toBe(200);
        await d.send('history/flush');
        const rows = await d.send('history/query', {});
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => saved.ok && r.profileId === saved.value.id && r.outcome === 'ok')).toBe(true);
        expect(await proxy.rejected()).toBe(rejectedBefore);
      } finally {
        await d.close();
      }
    });
    it(title('S20e', 'a policy profile without a password asks once per session although the policy passes unmatched challenges to the browser; history names the login in words, not stored English', browser, 'squid'), async () => {
      writeFor(browser, {
        profiles: [{ name: 'Corp (ask)', proxy: { host: '127.0.0.1', port: proxy.port }, realm: REALM, scheme: 'basic', username: 'svc', mode: 'locked', askOncePerSession: true }],
        settings: { noMatch: 'browser' },
      });
      const rejectedBefore = await proxy.rejected();
      const d = await launch(browser, { proxyPort: proxy.port });
      try {
        expect((await d.send('settings/get')).settings.noMatch).toBe('browser');
        const loading = d.load(origin.url('/?step=ask-once'));
        const prompt = await onePrompt(d, 1);
        expect(prompt).toMatchObject({ reason: 'no-match', realm: REALM });
        expect(await d.send('prompts/answer', { id: prompt.id, username: 'svc', password: 'policy-Pa55', remember: 'session' })).toMatchObject({ ok: true });
        expect((await loading).status).toBe(200);
        // the next page of the session is answered without a second question
        expect((await d.load(origin.url('/?step=again'))).status).toBe(200);
        expect(await d.send('prompts/list')).toEqual([]);
        expect(await proxy.rejected()).toBe(rejectedBefore);
        await d.send('history/flush');
        const rows = await d.send('history/query', {});
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r.profileName === 'svc' && r.profileId?.startsWith('session:'))).toBe(true);
        const options = await openOptions(d, 'history');
        await options.waitForText('svc (this session)');
        await options.close();
      } finally {
        await d.close();
      }
    });

    it(title('S20', 'the example policy `npm run policy:example` writes for this browser on Linux is read by the real browser, every field kept, no problem', browser, 'squid'), async () => {
      const file = policyExamples().find((f) => f.file === (browser === 'chromium' ? 'chromium-linux/proxy-auth-keeper.json' : 'firefox-linux/policies.json'))!;
      writePolicy(browser === 'chromium' ? CHROMIUM_POLICY_FILE : FIREFOX_POLICY_FILE, JSON.parse(String(file.content)));
      const d = await launch(browser, { proxyPort: proxy.port });
      try {
        // Chrome checks it against managed_schema.json first: a field the schema lacked would be gone here
        expect(await d.evalInExtension(() => (globalThis as unknown as { chrome: typeof chrome }).chrome.storage.managed.get(null))).toEqual(EXAMPLE_POLICY);
        expect(await d.send('policy/status')).toEqual({ active: true, profiles: 3, problems: [] });
        expect((await d.send('profiles/list')).profiles.map((p) => [p.name, p.managed])).toEqual([
          ['Corp proxy', 'locked'],
          ['Branch office', 'preset'],
          ['Build service', 'locked'],
        ]);
        expect((await d.send('settings/get')).forced).toEqual(['noMatch', 'promptTimeoutSeconds', 'historyRetentionDays', 'stripQueryStrings']);
      } finally {
        await d.close();
      }
    });
  });
}
