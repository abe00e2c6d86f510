// Issue #15 in the worker: policy profiles from storage.managed answer, locked ones cannot be changed, a broken policy breaks nothing.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { aChallenge, aProfile } from '../../support/profiles';
import { settleWorkers, startWorker } from '../../support/workers';

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
    await expect(w.h['profiles/export']({ includePasswords: true })).rejects.toThrow(/organisation/);
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
