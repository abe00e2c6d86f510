// Issue #15 in the worker: policy profiles from storage.managed answer, locked ones cannot be changed, a broken policy breaks nothing.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { aChallenge, aProfile } from '../../support/profiles';
import { settleWorkers, startWorker, track } from '../../support/workers';

const worker = startWorker;

const lockedPolicy = { name: 'Corp', proxy: { host: '127.0.0.1', port: 3128 }, realm: 'Corp Proxy', scheme: 'basic', username: 'svc', password: 'policy-pw', mode: 'locked' };

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
});

describe('managed policy in the worker', () => {
  it('a locked policy profile answers the 407; save and delete of it are refused and change nothing', async () => {
    await fakeBrowser.storage.managed.set({ profiles: [lockedPolicy] });
    const w = await worker();
    expect(await w.answerChallenge(w.s, aChallenge())).toEqual({ authCredentials: { username: 'svc', password: 'policy-pw' } });
    const [view] = (await w.h['profiles/list']()).profiles;
    expect(view).toMatchObject({ managed: 'locked', username: 'svc' });
    expect(view).not.toHaveProperty('password');
    const saved = await w.h['profiles/save']({ id: view!.id, name: 'Mine', proxy: { host: '127.0.0.1', port: 3128 }, realm: 'Corp Proxy', scheme: 'basic', username: 'me', password: 'x', isDefault: false });
    expect(saved).toEqual({ ok: false, problems: [{ path: 'id', code: 'policy-locked', params: {} }] });
    expect(await w.h['profiles/delete']({ id: view!.id })).toEqual({ deleted: false, problems: [{ path: 'id', code: 'policy-locked', params: {} }] });
    expect(await fakeBrowser.storage.local.get(null)).not.toHaveProperty(`profile:${view!.id}`);
    expect(w.s.profiles.map((p) => p.username)).toEqual(['svc']);
  });

  it('a malformed policy: problems kept with paths, the user profile untouched and still answering', async () => {
    const mine = aProfile({ proxy: { host: '127.0.0.1', port: 3128 }, realm: 'Corp Proxy' });
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${mine.id}`]: mine });
    await fakeBrowser.storage.managed.set({ profiles: [{ ...lockedPolicy, proxy: { host: 'bad host', port: 3128 } }], settings: { noMatch: 'never' } });
    const w = await worker();
    expect(w.s.policy.problems.map((p) => `${p.path} ${p.code}`)).toEqual(['profiles[0].proxy.host host-invalid', 'settings.noMatch no-match-invalid']);
    expect(w.s.profiles.map((p) => p.id)).toEqual([mine.id]);
    expect(await w.answerChallenge(w.s, aChallenge())).toEqual({ authCredentials: { username: mine.username, password: mine.password } });
    expect(await fakeBrowser.storage.local.get(`profile:${mine.id}`)).toEqual({ [`profile:${mine.id}`]: mine });
  });

  it('the policy changes at run time: the profile goes away without a restart and the shadowed user profile answers again', async () => {
    const mine = aProfile({ proxy: { host: '127.0.0.1', port: 3128 }, realm: 'Corp Proxy', username: 'svc', password: 'user-pw' });
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${mine.id}`]: mine });
    await fakeBrowser.storage.managed.set({ profiles: [lockedPolicy] });
    const w = await worker();
    expect(w.s.profiles.map((p) => p.password)).toEqual(['policy-pw']);
    await fakeBrowser.storage.managed.clear();
    await w.state.reloadPolicy();
    expect(w.s.profiles.map((p) => p.id)).toEqual([mine.id]);
    expect(await w.answerChallenge(w.s, aChallenge())).toEqual({ authCredentials: { username: 'svc', password: 'user-pw' } });
  });

  it('allowUserProfiles false: a new profile of the user is refused, an import too; the policy profile still answers', async () => {
    await fakeBrowser.storage.managed.set({ profiles: [lockedPolicy], settings: { allowUserProfiles: false, allowPasswordExport: false } });
    const w = await worker();
    const r = await w.h['profiles/save']({ name: 'Mine', proxy: { host: '10.0.0.1', port: 8080 }, realm: null, scheme: 'basic', username: 'me', password: 'x', isDefault: false });
    expect(r).toEqual({ ok: false, problems: [{ path: '(root)', code: 'policy-user-profiles-off', params: {} }] });
    expect(Object.keys(await fakeBrowser.storage.local.get(null)).filter((k) => k.startsWith('profile:'))).toEqual([]);
    expect(await w.h['profiles/export']({ includePasswords: true })).toEqual({ ok: false, problems: [{ path: 'includePasswords', code: 'policy-password-export-off', params: {} }] });
    expect(await w.answerChallenge(w.s, aChallenge())).toHaveProperty('authCredentials');
  });
});

describe('a policy profile and its prompt', () => {
  it('refused policy password, then the policy drops the profile while its prompt is open: the prompt cannot rewrite it, a once-login still answers', async () => {
    await fakeBrowser.storage.managed.set({ profiles: [{ ...lockedPolicy, password: 'stale' }] });
    const w = await worker();
    const { finishPrompt } = await import('../../../src/background/prompts');
    const { answerPrompt } = await import('../../../src/background/prompt-answer');
    const c = aChallenge();
    expect(await w.answerChallenge(w.s, c)).toEqual({ authCredentials: { username: 'svc', password: 'stale' } });
    const retry = w.answerChallenge(w.s, c);
    await vi.waitFor(() => expect(w.s.prompts.list()[0]).toMatchObject({ reason: 'rejected' }));
    const [prompt] = w.s.prompts.list();
    const managedId = w.s.profiles[0]!.id;
    await fakeBrowser.storage.managed.clear();
    await w.state.reloadPolicy();
    expect(w.s.profiles).toEqual([]);
    // "update the saved profile" with the policy's id is refused: no stored record under the policy's id
    expect(await answerPrompt(w.s, { id: prompt!.id, username: 'svc', password: 'new', remember: 'once', updateProfileId: managedId })).toEqual({ ok: false, problems: [{ path: 'id', code: 'policy-locked', params: {} }] });
    expect(Object.keys(await fakeBrowser.storage.local.get(null)).filter((k) => k.startsWith('profile:'))).toEqual([]);
    expect(await answerPrompt(w.s, { id: prompt!.id, username: 'svc', password: 'new', remember: 'once' })).toMatchObject({ ok: true });
    expect(await retry).toEqual({ authCredentials: { username: 'svc', password: 'new' } });
    expect(finishPrompt(w.s, prompt!.id, { kind: 'cancelled' })).toBe(0);
  });
});

describe('a policy profile that asks once per session (no password in the policy)', () => {
  const askOnce = { name: 'Corp', proxy: { host: '127.0.0.1', port: 3128 }, realm: 'Corp Proxy', scheme: 'basic', username: 'svc', mode: 'locked', askOncePerSession: true };

  it.each(['browser', 'cancel', 'ask'] as const)('opens the prompt whatever the policy says when nothing matches (noMatch %s); typed for this session, it answers the next 407 without asking', async (noMatch) => {
    await fakeBrowser.storage.managed.set({ profiles: [askOnce], settings: { noMatch } });
    const w = await worker();
    expect(w.s.settings.noMatch).toBe(noMatch);
    const { answerPrompt } = await import('../../../src/background/prompt-answer');
    const c = aChallenge();
    const first = w.answerChallenge(w.s, c);
    await vi.waitFor(() => expect(w.s.prompts.size).toBe(1));
    expect(w.s.prompts.list()[0]).toMatchObject({ reason: 'no-match', proxy: { host: '127.0.0.1', port: 3128 }, realm: 'Corp Proxy' });
    expect(await answerPrompt(w.s, { id: w.s.prompts.list()[0]!.id, username: 'svc', password: 'typed-pw', remember: 'session' })).toMatchObject({ ok: true });
    expect(await first).toEqual({ authCredentials: { username: 'svc', password: 'typed-pw' } });
    (await import('../../../src/background/outcomes')).noteResponse(w.s, c.requestId, 200);
    expect(await w.answerChallenge(w.s, aChallenge())).toEqual({ authCredentials: { username: 'svc', password: 'typed-pw' } });
    expect(w.s.prompts.shown).toBe(1);
  });

  it('a challenge the policy profile does not fit (another proxy, another realm) still follows noMatch', async () => {
    await fakeBrowser.storage.managed.set({ profiles: [askOnce], settings: { noMatch: 'cancel' } });
    const w = await worker();
    expect(await w.answerChallenge(w.s, aChallenge({ challenger: { host: '127.0.0.1', port: 8888 } }))).toEqual({ cancel: true });
    expect(await w.answerChallenge(w.s, aChallenge({ realm: 'Other' }))).toEqual({ cancel: true });
    expect(w.s.prompts.size).toBe(0);
  });
});

const presetPolicy = { ...lockedPolicy, name: 'Corp preset', username: 'bob', password: 'policy-bob', mode: 'preset' };
const presetSave = (id: string, over: Record<string, unknown> = {}) => ({ id, name: 'Corp preset', proxy: { host: '127.0.0.1', port: 3128 }, realm: 'Corp Proxy', scheme: 'basic' as const, username: 'bob.smith', password: 'mine', isDefault: false, ...over });
const userKeys = async () => Object.keys(await fakeBrowser.storage.local.get(null)).filter((k) => k.startsWith('profile:'));

describe('a preset policy profile (S20b in the worker)', () => {
  it('the user changes username and password: the next 407 gets them, the policy still lists the profile, and other fields are refused', async () => {
    await fakeBrowser.storage.managed.set({ profiles: [presetPolicy] });
    const w = await worker();
    const id = w.s.profiles[0]!.id;
    expect(await w.answerChallenge(w.s, aChallenge())).toEqual({ authCredentials: { username: 'bob', password: 'policy-bob' } });
    expect(await w.h['profiles/save'](presetSave(id, { realm: 'Other' }))).toEqual({ ok: false, problems: [{ path: 'realm', code: 'policy-preset-fields', params: {} }] });
    expect(await w.h['profiles/save'](presetSave(id, { proxy: { host: '10.0.0.9', port: 3128 } }))).toMatchObject({ ok: false, problems: [{ code: 'policy-preset-fields' }] });
    expect(await userKeys()).toEqual([]);
    expect(await w.h['profiles/save'](presetSave(id))).toMatchObject({ ok: true, value: { id, managed: 'preset', username: 'bob.smith' } });
    expect(await w.answerChallenge(w.s, aChallenge())).toEqual({ authCredentials: { username: 'bob.smith', password: 'mine' } });
    const { profiles } = await w.h['profiles/list']();
    expect(profiles).toHaveLength(1);
    expect(profiles[0]).toMatchObject({ id, managed: 'preset', name: 'Corp preset', username: 'bob.smith' });
    // a new worker reads the user's login back; deleting the preset stays refused
    const again = await worker();
    expect(await again.answerChallenge(again.s, aChallenge())).toEqual({ authCredentials: { username: 'bob.smith', password: 'mine' } });
    expect(await again.h['profiles/delete']({ id })).toMatchObject({ deleted: false, problems: [{ code: 'policy-preset-delete' }] });
  });

  it('a preset without a policy password needs the user to type one; with the vault on, the user\'s password is sealed at rest', async () => {
    const { password: _p, ...noPassword } = presetPolicy;
    await fakeBrowser.storage.managed.set({ profiles: [noPassword] });
    const w = await worker();
    const id = w.s.profiles[0]!.id;
    const { password: _none, ...withoutPassword } = presetSave(id);
    expect(await w.h['profiles/save'](withoutPassword)).toEqual({ ok: false, problems: [{ path: 'password', code: 'password-missing', params: {} }] });
    expect(await w.h['vault/enable']({ masterPassword: 'master-password-1' })).toMatchObject({ ok: true });
    expect(await w.h['profiles/save'](presetSave(id, { password: 'sealed-one' }))).toMatchObject({ ok: true });
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain('sealed-one');
    expect(await w.answerChallenge(w.s, aChallenge())).toEqual({ authCredentials: { username: 'bob.smith', password: 'sealed-one' } });
  });

  it('a rejected preset password is fixed from the prompt ("update the saved profile") and the fix is kept as the preset\'s login', async () => {
    await fakeBrowser.storage.managed.set({ profiles: [{ ...presetPolicy, password: 'stale' }] });
    const w = await worker();
    const { answerPrompt } = await import('../../../src/background/prompt-answer');
    const c = aChallenge();
    expect(await w.answerChallenge(w.s, c)).toEqual({ authCredentials: { username: 'bob', password: 'stale' } });
    const retry = w.answerChallenge(w.s, c);
    await vi.waitFor(() => expect(w.s.prompts.list()[0]).toMatchObject({ reason: 'rejected' }));
    const [prompt] = w.s.prompts.list();
    const id = w.s.profiles[0]!.id;
    expect(await answerPrompt(w.s, { id: prompt!.id, username: 'bob', password: 'fresh', remember: 'once', updateProfileId: id })).toMatchObject({ ok: true });
    expect(await retry).toEqual({ authCredentials: { username: 'bob', password: 'fresh' } });
    expect(w.s.profiles).toMatchObject([{ id, managed: 'preset', password: 'fresh' }]);
  });

  it('a preset removed by the policy while its rejected prompt is open: the update is refused, nothing is written, a once-login answers', async () => {
    await fakeBrowser.storage.managed.set({ profiles: [{ ...presetPolicy, password: 'stale' }] });
    const w = await worker();
    const { answerPrompt } = await import('../../../src/background/prompt-answer');
    const c = aChallenge();
    await w.answerChallenge(w.s, c);
    const retry = w.answerChallenge(w.s, c);
    await vi.waitFor(() => expect(w.s.prompts.list()[0]).toMatchObject({ reason: 'rejected' }));
    const [prompt] = w.s.prompts.list();
    const id = w.s.profiles[0]!.id;
    await fakeBrowser.storage.managed.clear();
    await w.state.reloadPolicy();
    expect(await answerPrompt(w.s, { id: prompt!.id, username: 'bob', password: 'fresh', remember: 'once', updateProfileId: id })).toEqual({ ok: false, problems: [{ path: 'id', code: 'policy-locked', params: {} }] });
    expect(await userKeys()).toEqual([]);
    expect(await answerPrompt(w.s, { id: prompt!.id, username: 'bob', password: 'fresh', remember: 'once' })).toMatchObject({ ok: true });
    expect(await retry).toEqual({ authCredentials: { username: 'bob', password: 'fresh' } });
  });
});

describe('settings forced by policy, enforced in the worker (S20c in the worker)', () => {
  const rules = { allowUserProfiles: false, vaultRequired: true, allowPasswordExport: false };

  it('settings/get answers the forced values, which keys are forced and the rules; settings/save of a forced key is refused, the rest saves', async () => {
    await fakeBrowser.storage.sync.set({ settings: { noMatch: 'browser', promptTimeoutSeconds: 60, historyRetentionDays: 30, historyMaxRows: 100000, stripQueryStrings: false, vaultAutoLockMinutes: 0 } });
    await fakeBrowser.storage.managed.set({ settings: { noMatch: 'cancel', stripQueryStrings: true, ...rules } });
    const w = await worker();
    const got = await w.h['settings/get']();
    expect(got).toMatchObject({ settings: { noMatch: 'cancel', stripQueryStrings: true, promptTimeoutSeconds: 60 }, forced: ['noMatch', 'stripQueryStrings'], rules });
    expect(await w.h['settings/save']({ ...got.settings, noMatch: 'ask' })).toEqual({ ok: false, problems: [{ path: 'noMatch', code: 'policy-setting-forced', params: {} }] });
    expect(await w.h['settings/save']({ ...got.settings, stripQueryStrings: false })).toMatchObject({ ok: false, problems: [{ path: 'stripQueryStrings', code: 'policy-setting-forced' }] });
    expect(await w.h['settings/save']({ ...got.settings, promptTimeoutSeconds: 45 })).toMatchObject({ ok: true, value: { noMatch: 'cancel', promptTimeoutSeconds: 45 } });
    // the user's own choice stays stored under the policy, and is back once the policy drops it
    expect((await fakeBrowser.storage.sync.get('settings')).settings).toMatchObject({ noMatch: 'browser', stripQueryStrings: false, promptTimeoutSeconds: 45 });
    await fakeBrowser.storage.managed.clear();
    expect(await w.h['settings/get']()).toMatchObject({ settings: { noMatch: 'browser', stripQueryStrings: false }, forced: [], rules: { vaultRequired: false, allowUserProfiles: true, allowPasswordExport: true } });
  });

  it('messages that bypass the UI are refused with their code: a new profile, an import, an undo, an export with passwords, turning the vault off', async () => {
    const mine = aProfile({ proxy: { host: '10.0.0.1', port: 8080 } });
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${mine.id}`]: mine });
    await fakeBrowser.storage.managed.set({ profiles: [lockedPolicy], settings: rules });
    const w = await worker();
    const fields = { name: 'Mine', proxy: { host: '10.0.0.2', port: 8080 }, realm: null, scheme: 'basic' as const, username: 'me', password: 'x', isDefault: false };
    expect(await w.h['profiles/save'](fields)).toEqual({ ok: false, problems: [{ path: '(root)', code: 'policy-user-profiles-off', params: {} }] });
    // the user's hidden profile cannot be rewritten by its id either
    expect(await w.h['profiles/save']({ ...fields, id: mine.id })).toMatchObject({ ok: false, problems: [{ code: 'policy-user-profiles-off' }] });
    const file = JSON.stringify({ format: 'proxy-auth-keeper/profiles', version: 1, exportedAt: new Date().toISOString(), profiles: [] });
    expect(await w.h['profiles/import']({ text: file })).toMatchObject({ ok: false, problems: [{ code: 'policy-user-profiles-off' }] });
    expect(await w.h['profiles/restore']({ id: mine.id })).toMatchObject({ ok: false, problems: [{ code: 'policy-user-profiles-off' }] });
    expect(await w.h['profiles/export']({ includePasswords: true })).toEqual({ ok: false, problems: [{ path: 'includePasswords', code: 'policy-password-export-off', params: {} }] });
    expect(await w.h['profiles/export']({ includePasswords: false })).toMatchObject({ ok: true });
    expect(await w.h['vault/enable']({ masterPassword: 'master-password-1' })).toMatchObject({ ok: true });
    expect(await w.h['vault/disable']({ masterPassword: 'master-password-1' })).toEqual({ ok: false, problems: [{ path: '(root)', code: 'policy-vault-required', params: {} }] });
    expect(await w.h['vault/status']()).toMatchObject({ enabled: true });
    // nothing of the user's was touched; only the policy profile answers
    expect(await fakeBrowser.storage.local.get(`profile:${mine.id}`)).toHaveProperty(`profile:${mine.id}`);
    expect(w.s.profiles.map((p) => p.username)).toEqual(['svc']);
  });

  it('vault required and the vault off: no password is written in the clear (a profile, a preset\'s login); the vault on, it saves', async () => {
    await fakeBrowser.storage.managed.set({ profiles: [presetPolicy], settings: { vaultRequired: true } });
    const w = await worker();
    const id = w.s.profiles[0]!.id;
    expect(await w.h['profiles/save']({ name: 'Mine', proxy: { host: '10.0.0.2', port: 8080 }, realm: null, scheme: 'basic', username: 'me', password: 'x', isDefault: false })).toEqual({ ok: false, problems: [{ path: 'password', code: 'policy-vault-required', params: {} }] });
    expect(await w.h['profiles/save'](presetSave(id))).toMatchObject({ ok: false, problems: [{ code: 'policy-vault-required' }] });
    expect(await userKeys()).toEqual([]);
    expect(await w.h['vault/enable']({ masterPassword: 'master-password-1' })).toMatchObject({ ok: true });
    expect(await w.h['profiles/save'](presetSave(id))).toMatchObject({ ok: true });
  });

  it('policy/status: a malformed policy is active with each problem\'s path; no policy is not active', async () => {
    await fakeBrowser.storage.managed.set({ profiles: [{ ...lockedPolicy, proxy: { host: '127.0.0.1', port: 0 } }] });
    const w = await worker();
    expect(await w.h['policy/status']()).toEqual({ active: true, profiles: 0, problems: [{ path: 'profiles[0].proxy.port', code: 'port-out-of-range', params: {} }] });
    await fakeBrowser.storage.managed.clear();
    expect(await w.h['policy/status']()).toEqual({ active: false, profiles: 0, problems: [] });
  });
});

describe('a policy change at run time through the worker entry', () => {
  it("storage.onChanged area 'managed' applies the new policy without a restart", async () => {
    vi.resetModules();
    const { ready } = await import('../../../src/background/state').then(async (m) => {
      await import('../../../src/background/index');
      return m;
    });
    const s = track(await ready());
    expect(s.profiles).toEqual([]);
    await fakeBrowser.storage.managed.set({ profiles: [lockedPolicy] });
    await vi.waitFor(() => expect(s.profiles.map((p) => p.managed)).toEqual(['locked']));
    // the admin empties the policy's profile list (the fake's clear() fires no event)
    await fakeBrowser.storage.managed.set({ profiles: [] });
    await vi.waitFor(() => expect(s.profiles).toEqual([]));
  });
});

describe('a policy change found by a page, without a storage event', () => {
  it('the copy a stopped worker starts from follows it: the next worker answers with the new policy', async () => {
    const first = await worker();
    expect(first.s.profiles).toEqual([]);
    // the browser changed its policy and no storage.onChanged came (written past the fake's set(), which drops the start copy)
    await first.state.ready();
    await (await import('../../../src/storage/copied-areas')).copyOrderSettled();
    expect(fakeBrowser.storage.session.dump()).toHaveProperty('startImage');
    fakeBrowser.storage.managed.dump().profiles = [lockedPolicy];
    expect(await first.h['policy/status']()).toMatchObject({ active: true, profiles: 1 });
    // this worker's own module instance: only awaits a refresh under way, starts none
    await (await import('../../../src/storage/copied-areas')).copyOrderSettled();
    const next = await worker();
    expect(next.s.profiles.map((p) => p.username)).toEqual(['svc']);
    expect(await next.answerChallenge(next.s, aChallenge())).toEqual({ authCredentials: { username: 'svc', password: 'policy-pw' } });
  });
});
