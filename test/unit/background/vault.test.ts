// The vault in the worker: sealed at rest, locked → one unlock prompt, atomic re-key and turn-off.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser, resetFakeBrowser, resetListeners } from '../../support/fake-browser';
import { aChallenge, aProfile } from '../../support/profiles';
import { settleWorkers, track } from '../../support/workers';

vi.mock('../../../src/core/vault-crypto', async (load) => {
  const real = await load<typeof import('../../../src/core/vault-crypto')>();
  // real parameters are 600,000 iterations; the unit tests need milliseconds
  return { ...real, MIN_ITERATIONS: 1_000, createVault: (pw: string) => real.createVault(pw, 1_000) };
});

async function worker() {
  vi.resetModules();
  await resetListeners();
  await import('../../../src/background/index'); // the entry starts orphan recovery once the state loads
  const state = await import('../../../src/background/state');
  const { handlers } = await import('../../../src/background/handlers');
  const { answerChallenge } = await import('../../../src/background/answer');
  const s = await state.ready();
  track(s, (await import('../../../src/storage/profiles')).profileWritesSettled, (await import('../../../src/background/vault-lock')).vaultUseSettled);
  return { s, h: await handlers(), answerChallenge, outcomes: await import('../../../src/background/outcomes') };
}

const stored = () => fakeBrowser.storage.local.dump() as Record<string, unknown>;
const MASTER = 'correct horse battery';

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
  const p = aProfile({ id: 'work', password: 'proxy-secret-1' });
  await fakeBrowser.storage.local.set({ schemaVersion: 1, 'profile:work': p });
});

describe('vault', () => {
  it('turning it on seals every password at rest; the key lives only in storage.session', async () => {
    const { h } = await worker();
    expect(await h['vault/enable']({ masterPassword: MASTER })).toMatchObject({ ok: true, value: { enabled: true, unlocked: true } });
    expect(JSON.stringify(stored())).not.toContain('proxy-secret-1');
    expect(stored()['profile:work']).toMatchObject({ password: '', secret: { iv: expect.any(String), ct: expect.any(String) } });
    expect(fakeBrowser.storage.session.dump()).toHaveProperty('vaultKey');
    expect(JSON.stringify(fakeBrowser.storage.sync.dump())).not.toContain('proxy-secret-1');
  });

  it('a short master password is refused and nothing changes', async () => {
    const { h } = await worker();
    const before = structuredClone(stored());
    expect(await h['vault/enable']({ masterPassword: 'short' })).toMatchObject({ ok: false, problems: [{ path: 'masterPassword' }] });
    expect(stored()).toEqual(before);
  });

  it('unlocked after a worker restart (session key), locked after a browser restart', async () => {
    const w1 = await worker();
    await w1.h['vault/enable']({ masterPassword: MASTER });
    const w2 = await worker();
    expect(w2.s.profiles[0]).toMatchObject({ password: 'proxy-secret-1' });
    await fakeBrowser.storage.session.clear(); // what a browser restart does
    const w3 = await worker();
    expect(w3.s.profiles[0]).toMatchObject({ password: '', locked: true });
    expect(await w3.h['vault/status']()).toEqual({ enabled: true, unlocked: false, iterations: 1_000 });
  });

  it('while locked, 20 waiting requests share ONE unlock prompt; the right master password answers all', async () => {
    const w1 = await worker();
    await w1.h['vault/enable']({ masterPassword: MASTER });
    await w1.h['vault/lock']();
    const { s, h, answerChallenge, outcomes } = await worker();
    const challenges = Array.from({ length: 20 }, (_, i) => aChallenge({ requestId: `v${i}` }));
    const answers = challenges.map((c) => answerChallenge(s, c));
    await vi.waitFor(() => expect(s.prompts.list()).toMatchObject([{ reason: 'vault-locked', waiting: 20 }]));
    const id = s.prompts.list()[0]!.id;
    expect(await h['vault/unlock']({ masterPassword: 'wrong master' })).toMatchObject({
      ok: false,
      problems: [{ code: 'master-wrong' }],
    });
    expect(s.prompts.size).toBe(1);
    // a login typed into an unlock prompt is refused: only the master password opens the vault
    expect(await h['prompts/answer']({ id, username: 'u', password: 'p', remember: 'once' })).toMatchObject({ ok: false, problems: [{ code: 'prompt-needs-unlock' }] });
    expect(await h['vault/unlock']({ masterPassword: MASTER })).toMatchObject({ ok: true });
    expect(s.prompts.size).toBe(0);
    await vi.waitFor(() => expect([...s.requests.values()].filter((t) => t.answeredWith)).toHaveLength(1));
    const probe = [...s.requests.entries()].find(([, t]) => t.answeredWith)![0];
    outcomes.noteResponse(s, probe, 200);
    const all = await Promise.all(answers);
    expect(all.every((a) => 'authCredentials' in a && a.authCredentials.password === 'proxy-secret-1')).toBe(true);
  });

  it('the worker killed while requests wait on the unlock prompt: the next one settles them as cancelled, still locked', async () => {
    const w1 = await worker();
    await w1.h['vault/enable']({ masterPassword: MASTER });
    await w1.h['vault/lock']();
    const w2 = await worker();
    for (let i = 0; i < 3; i++) void w2.answerChallenge(w2.s, aChallenge({ requestId: `k${i}`, tabId: -1 }));
    await vi.waitFor(() => expect(w2.s.prompts.list()).toMatchObject([{ reason: 'vault-locked', waiting: 3 }]));
    await w2.s.snapshot.saved(); // the session snapshot is written behind
    const w3 = await worker();
    const history = await import('../../../src/storage/history');
    await vi.waitFor(async () => {
      await w3.s.history.drain();
      const rows = await history.queryHistory();
      expect(rows.map((r) => `${r.decision}/${r.outcome}`)).toEqual(Array(3).fill('vault-locked/cancelled'));
      expect(rows.every((r) => /restarted/.test(r.error ?? ''))).toBe(true);
    });
    expect(w3.s.requests.size).toBe(0);
    expect(await w3.h['vault/status']()).toMatchObject({ enabled: true, unlocked: false });
  });

  it('a new master password re-seals everything in one write; turning it off restores plain records', async () => {
    const { h, s } = await worker();
    await h['vault/enable']({ masterPassword: MASTER });
    const sealedBefore = (stored()['profile:work'] as { secret: { ct: string } }).secret.ct;
    expect(await h['vault/change']({ masterPassword: 'nope nope nope', newMasterPassword: 'another master' })).toMatchObject({ ok: false });
    expect(await h['vault/change']({ masterPassword: MASTER, newMasterPassword: 'another master' })).toMatchObject({ ok: true });
    expect((stored()['profile:work'] as { secret: { ct: string } }).secret.ct).not.toBe(sealedBefore);
    expect(s.profiles[0]?.password).toBe('proxy-secret-1');
    expect(await h['vault/disable']({ masterPassword: 'another master' })).toMatchObject({ ok: true, value: { enabled: false } });
    expect(stored()['profile:work']).toMatchObject({ password: 'proxy-secret-1' });
    expect(stored()['profile:work']).not.toHaveProperty('secret');
    expect(stored()).not.toHaveProperty('vault');
  });

  it('saving or importing while locked is refused with a clear message and changes nothing', async () => {
    const w1 = await worker();
    await w1.h['vault/enable']({ masterPassword: MASTER });
    await w1.h['vault/lock']();
    const { h } = await worker();
    const before = structuredClone(stored());
    const r = await h['profiles/save']({ name: 'x', proxy: { host: 'p.example', port: 8080 }, realm: null, scheme: 'basic', username: 'u', password: 'p', isDefault: false });
    expect(r).toMatchObject({ ok: false, problems: [{ code: expect.stringMatching(/locked/) }] });
    expect(stored()).toEqual(before);
  });
});
