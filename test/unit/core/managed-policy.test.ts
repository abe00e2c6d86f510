// Issue #15: the organisation's policy (storage.managed) read with the import's validation and merged with the user's profiles.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/core/model';
import { effectiveSettings, managedId, mergeProfiles, policyRefusal, readPolicy } from '../../../src/core/managed-policy';
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
    expect(readPolicy(undefined)).toEqual({ profiles: [], settings: {}, problems: [] });
    expect(readPolicy({})).toEqual({ profiles: [], settings: {}, problems: [] });
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
