// Issue #15: the organisation's policy (storage.managed) read with the import's validation and merged with the user's profiles.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/core/model';
import { applySettingsSave, effectiveSettings, forcedSettings, managedId, mergeProfiles, policyRefusal, policyRules, presetRecord, readPolicy } from '../../../src/core/managed-policy';
import { aProfile } from '../../support/profiles';

const locked = { name: 'Corp', proxy: { host: 'Proxy.Corp.Example', port: 3128 }, realm: 'Corp Proxy', scheme: 'basic', username: 'svc', password: 'pw', mode: 'locked' };

describe('readPolicy', () => {
  it('turns each valid policy profile into a managed profile with a stable id from its account', () => {
    const p = readPolicy({ profiles: [locked, { proxy: { host: 'other.example', port: 8080 }, username: 'alice', mode: 'preset' }] });
    expect(p.problems).toEqual([]);
    expect(p.profiles).toHaveLength(2);
    expect(p.profiles[0]).toMatchObject({ id: managedId({ proxy: { host: 'proxy.corp.example', port: 3128 }, realm: 'Corp Proxy', username: 'svc' }), proxy: { host: 'proxy.corp.example', port: 3128 }, managed: 'locked', password: 'pw' });
    expect(p.profiles[0]!.askOncePerSession).toBeUndefined();
    // no password: the user is asked; realm, scheme and name default like an import file
    expect(p.profiles[1]).toMatchObject({ managed: 'preset', realm: null, scheme: 'any', name: 'alice@other.example', askOncePerSession: true, password: '' });
    expect(readPolicy({ profiles: [locked] }).profiles[0]!.id).toBe(p.profiles[0]!.id);
  });

  it('a malformed policy: each broken value is a problem with its path, the valid entries are kept', () => {
    const p = readPolicy({
      profiles: [locked, { ...locked, proxy: { host: 'x.example', port: 70000 } }, { ...locked, mode: 'forced' }, 'nonsense', { ...locked, name: 'Again' }],
      settings: { promptTimeoutSeconds: 'soon', allowUserProfiles: 'no' },
    });
    expect(p.profiles.map((x) => x.name)).toEqual(['Corp']);
    expect(p.problems.map((x) => `${x.path} ${x.code}`)).toEqual([
      'profiles[1].proxy.port port-out-of-range',
      'profiles[2].mode policy-mode-invalid',
      'profiles[3] invalid-type',
      'profiles[4] duplicate-account',
      'settings.promptTimeoutSeconds prompt-timeout-not-number',
      'settings.allowUserProfiles policy-flag-not-boolean',
    ]);
    // broken settings force nothing
    expect(p.settings).toEqual({});
  });

  it('no policy, an empty one, or one that is not an object', () => {
    expect(readPolicy(undefined)).toEqual({ profiles: [], settings: {}, problems: [], active: false });
    expect(readPolicy({})).toEqual({ profiles: [], settings: {}, problems: [], active: false });
    expect(readPolicy({ profiles: [] }).active).toBe(true);
    expect(readPolicy([1]).problems).toEqual([{ path: '(root)', code: 'invalid-type', params: { expected: 'Object' } }]);
    expect(readPolicy({ profiles: 'a' }).problems.map((x) => x.code)).toEqual(['profiles-not-list']);
  });

  it('never quotes a policy password in a problem', () => {
    const p = readPolicy({ profiles: [{ ...locked, password: 12345678 }] });
    expect(JSON.stringify(p.problems)).not.toContain('12345678');
    expect(p.problems.map((x) => x.path)).toEqual(['profiles[0].password']);
  });
});

describe('mergeProfiles', () => {
  const policy = readPolicy({ profiles: [locked] });
  it('policy first; a user profile for the same account is shadowed by it, the others stay', () => {
    const same = aProfile({ proxy: { host: 'proxy.corp.example', port: 3128 }, realm: 'Corp Proxy', username: 'svc', password: 'user-version' });
    const other = aProfile();
    const merged = mergeProfiles(policy, [same, other]);
    expect(merged.map((p) => p.id)).toEqual([policy.profiles[0]!.id, other.id]);
    expect(merged[0]!.password).toBe('pw');
  });

  it('allowUserProfiles false: only the policy and session logins are matched', () => {
    const forbidding = readPolicy({ profiles: [locked], settings: { allowUserProfiles: false } });
    const session = aProfile({ sessionOnly: true });
    expect(mergeProfiles(forbidding, [aProfile(), session]).map((p) => p.id)).toEqual([forbidding.profiles[0]!.id, session.id]);
  });

  it('a policy profile removed: the merge no longer has it and the user profile it shadowed is back', () => {
    const same = aProfile({ proxy: { host: 'proxy.corp.example', port: 3128 }, realm: 'Corp Proxy', username: 'svc' });
    expect(mergeProfiles(readPolicy({}), [same]).map((p) => p.id)).toEqual([same.id]);
  });
});

describe('policyRefusal and effectiveSettings', () => {
  const policy = readPolicy({ profiles: [locked, { ...locked, username: 'bob', mode: 'preset' }] });
  const [lockedOne, presetOne] = policy.profiles;
  it('a locked profile refuses save and delete; a preset refuses delete only; user profiles neither', () => {
    expect(policyRefusal(policy.profiles, lockedOne!.id, 'save')?.code).toBe('policy-locked');
    expect(policyRefusal(policy.profiles, lockedOne!.id, 'delete')?.code).toBe('policy-locked');
    expect(policyRefusal(policy.profiles, presetOne!.id, 'save')).toBeNull();
    expect(policyRefusal(policy.profiles, presetOne!.id, 'delete')?.code).toBe('policy-preset-delete');
    expect(policyRefusal(policy.profiles, 'p-user', 'delete')).toBeNull();
    // an id in the policy's namespace is never the user's to write, even after the policy dropped it
    expect(policyRefusal([], managedId(lockedOne!), 'save')?.code).toBe('policy-locked');
  });

  it('forced settings replace the user choice; the rest stay the user\'s', () => {
    const s = effectiveSettings({ ...DEFAULT_SETTINGS, noMatch: 'ask', historyRetentionDays: 30 }, { noMatch: 'cancel' });
    expect(s).toEqual({ ...DEFAULT_SETTINGS, noMatch: 'cancel', historyRetentionDays: 30 });
  });
});

describe('merging policy with user data (issue #15)', () => {
  const preset = { ...locked, username: 'bob', password: 'policy-bob', mode: 'preset' };
  const policy = readPolicy({ profiles: [locked, preset] });
  const [lockedOne, presetOne] = policy.profiles;

  it('precedence: policy profiles come first, in policy order, then the user\'s own', () => {
    const mine = aProfile({ name: 'Mine' });
    expect(mergeProfiles(policy, [mine]).map((p) => p.id)).toEqual([lockedOne!.id, presetOne!.id, mine.id]);
  });

  it('duplicates: a user profile for the account of a policy profile is shadowed, even with a differently cased host; another user at the same proxy stays', () => {
    const sameAccount = aProfile({ proxy: { host: 'PROXY.corp.example', port: 3128 }, realm: 'Corp Proxy', username: 'svc', password: 'user-pw' });
    const otherUser = aProfile({ proxy: { host: 'proxy.corp.example', port: 3128 }, realm: 'Corp Proxy', username: 'carol' });
    const merged = mergeProfiles(policy, [sameAccount, otherUser]);
    expect(merged.map((p) => p.id)).toEqual([lockedOne!.id, presetOne!.id, otherUser.id]);
    expect(merged.find((p) => p.username === 'svc')!.password).toBe('pw');
    // two policy entries for one account: the first is kept, the second is a problem with its path
    expect(readPolicy({ profiles: [locked, { ...locked, proxy: { host: 'proxy.CORP.example', port: 3128 }, name: 'Twice' }] }).problems).toEqual([
      { path: 'profiles[1]', code: 'duplicate-account', params: { first: 'profiles[0]' } },
    ]);
  });

  it("a preset's own login (a record under its id) replaces the policy's username and password, nothing else; it is never listed on its own", () => {
    const override = aProfile({ id: presetOne!.id, name: 'edited?', proxy: { host: 'elsewhere.example', port: 1 }, username: 'bob.smith', password: 'mine', updatedAt: 5_000, lastUsedAt: 4_000 });
    const merged = mergeProfiles(policy, [override]);
    expect(merged).toHaveLength(2);
    expect(merged[1]).toMatchObject({ id: presetOne!.id, managed: 'preset', name: presetOne!.name, proxy: presetOne!.proxy, username: 'bob.smith', password: 'mine', updatedAt: 5_000, lastUsedAt: 4_000 });
    // the same record under a locked profile's id changes nothing
    expect(mergeProfiles(policy, [{ ...override, id: lockedOne!.id }])[0]).toEqual(lockedOne);
    // the preset dropped by the policy: its leftover record answers nothing and is not listed
    expect(mergeProfiles(readPolicy({ profiles: [locked] }), [override]).map((p) => p.id)).toEqual([lockedOne!.id]);
    // a sealed override that does not open here gives way to the policy's login; a locked vault keeps it locked
    expect(mergeProfiles(policy, [{ ...override, password: '', unopenable: true }])[1]).toEqual(presetOne);
    expect(mergeProfiles(policy, [{ ...override, password: '', locked: true }])[1]).toMatchObject({ username: 'bob.smith', locked: true });
  });

  it('presetRecord keeps the policy fields with the user\'s login, as a plain record that is no default and not managed', () => {
    const r = presetRecord(presetOne!, 'bob2', 'pw2', 10);
    expect(r).toMatchObject({ id: presetOne!.id, proxy: presetOne!.proxy, realm: 'Corp Proxy', username: 'bob2', password: 'pw2', isDefault: false });
    expect(r).not.toHaveProperty('managed');
    expect(r.updatedAt).toBeGreaterThan(presetOne!.updatedAt);
  });
});

describe('forced settings', () => {
  const forced = { noMatch: 'cancel', stripQueryStrings: true, vaultRequired: true } as const;
  it('forcedSettings names the forced keys of the Settings tab; policyRules gives the defaults without a policy', () => {
    expect(forcedSettings(forced)).toEqual(['noMatch', 'stripQueryStrings']);
    expect(policyRules({})).toEqual({ vaultRequired: false, allowUserProfiles: true, allowPasswordExport: true });
    expect(policyRules({ vaultRequired: true, allowUserProfiles: false, allowPasswordExport: false })).toEqual({ vaultRequired: true, allowUserProfiles: false, allowPasswordExport: false });
  });

  it("a save may carry a forced key only with its forced value; the user's own stored value of it is kept", () => {
    const stored = { ...DEFAULT_SETTINGS, noMatch: 'browser' as const, stripQueryStrings: false };
    expect(applySettingsSave({ ...DEFAULT_SETTINGS, noMatch: 'ask', stripQueryStrings: true }, stored, forced)).toEqual({ ok: false, problems: [{ path: 'noMatch', code: 'policy-setting-forced', params: {} }] });
    expect(applySettingsSave({ ...DEFAULT_SETTINGS, noMatch: 'cancel', stripQueryStrings: true, historyMaxRows: 500 }, stored, forced)).toEqual({
      ok: true,
      settings: { ...DEFAULT_SETTINGS, noMatch: 'browser', stripQueryStrings: false, historyMaxRows: 500 },
    });
  });

  it('a forced prompt timeout stays under what the browser waits for a request (the user limit)', () => {
    expect(readPolicy({ settings: { promptTimeoutSeconds: 291 } }).problems).toEqual([{ path: 'settings.promptTimeoutSeconds', code: 'policy-value-out-of-range', params: {} }]);
    expect(readPolicy({ settings: { promptTimeoutSeconds: 290 } }).settings).toEqual({ promptTimeoutSeconds: 290 });
  });
});
