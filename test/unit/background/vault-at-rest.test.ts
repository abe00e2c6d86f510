// Issue #12 item 7: each sealed secret is bound to its profile; weakened parameters are refused;
// old unbound secrets are bound at the next unlock; a "last used" write cannot put plain text back.
import fc from 'fast-check';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_ITERATIONS, MIN_ITERATIONS, createVault, open, openSecret, seal, sealSecret, secretAad } from '../../../src/core/vault-crypto';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { settleWorkers, startWorker } from '../../support/workers';
import { aChallenge, aProfile } from '../../support/profiles';

const MASTER = 'correct horse battery';
const FAST = 1_000;

const worker = startWorker;
const local = () => fakeBrowser.storage.local.dump() as Record<string, Record<string, unknown>>;

/** A vault as an older version wrote it: fast parameters, secrets sealed without additional data, not marked bound. */
async function legacyVault(profiles: ReturnType<typeof aProfile>[]) {
  const { meta, key } = await createVault(MASTER, FAST);
  const items: Record<string, unknown> = { schemaVersion: 1, vault: meta };
  for (const p of profiles) items[`profile:${p.id}`] = { ...p, password: '', secret: await seal(key, p.password) };
  await fakeBrowser.storage.local.set(items);
  return { meta, key };
}

/** The real iteration floor would take seconds per unlock here; these tests lower it and check the real one apart. */
vi.mock('../../../src/core/vault-crypto', async (load) => {
  const real = await load<typeof import('../../../src/core/vault-crypto')>();
  return { ...real, MIN_ITERATIONS: 1_000, createVault: (pw: string, it = 1_000) => real.createVault(pw, it) };
});

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
});

const owner = fc.record({
  id: fc.string({ minLength: 1, maxLength: 40 }),
  proxy: fc.record({ host: fc.oneof(fc.domain(), fc.string({ maxLength: 30 })), port: fc.integer({ min: 1, max: 65535 }) }),
  realm: fc.option(fc.string({ maxLength: 40 }), { nil: null }),
  username: fc.string({ maxLength: 40 }),
});

describe('a secret is bound to its profile (AES-GCM additional data)', () => {
  it('property: a secret opens for its own id, host, port, realm and user name, and for no other', async () => {
    const { key } = await createVault(MASTER, FAST);
    await fc.assert(
      fc.asyncProperty(owner, owner, fc.string({ maxLength: 60 }), async (a, b, password) => {
        const sealed = await sealSecret(key, password, a);
        expect(await openSecret(key, sealed, a, false)).toBe(password);
        // the host is matched without case, so it is bound without case
        expect(await openSecret(key, sealed, { ...a, proxy: { ...a.proxy, host: a.proxy.host.toUpperCase() } }, false)).toBe(password);
        const same = Buffer.from(secretAad(a)).equals(Buffer.from(secretAad(b)));
        if (same) expect(await openSecret(key, sealed, b, false)).toBe(password);
        else await expect(openSecret(key, sealed, b, false)).rejects.toThrow(/does not open/);
      }),
      { numRuns: 300 },
    );
  });

  it('two records with their ciphertexts swapped: neither opens nor is answered with, storage keeps both, swapping back restores them', async () => {
    await fakeBrowser.storage.local.set({
      schemaVersion: 1,
      'profile:a': aProfile({ id: 'a', username: 'alice', password: 'alice-pw', realm: 'Corp Proxy', isDefault: true }),
      'profile:b': aProfile({ id: 'b', username: 'bob', password: 'bob-pw', realm: 'Corp Proxy' }),
    });
    const w1 = await worker();
    expect((await w1.h['vault/enable']({ masterPassword: MASTER })).ok).toBe(true);
    const a = structuredClone(local()['profile:a']!);
    const b = structuredClone(local()['profile:b']!);
    await fakeBrowser.storage.local.set({ 'profile:a': { ...a, secret: b.secret }, 'profile:b': { ...b, secret: a.secret } });
    const swapped = structuredClone(local());

    const w = await worker();
    const { profiles } = await w.h['profiles/list']();
    expect(profiles.map((p) => [p.id, p.unopenable])).toEqual([['a', true], ['b', true]]);
    expect(w.s.profiles.every((p) => p.password === '')).toBe(true);
    // never answered with (nor with the other's password): the request is asked about instead
    const answer = w.answerChallenge(w.s, aChallenge({ realm: 'Corp Proxy' }));
    await vi.waitFor(() => expect(w.s.prompts.list()).toMatchObject([{ reason: 'no-match' }]));
    w.h['prompts/cancel']({ id: w.s.prompts.list()[0]!.id });
    expect(await answer).toEqual({ cancel: true });
    expect(await w.h['profiles/open']({ id: 'a', masterPassword: MASTER })).toMatchObject({ ok: false, problems: [{ code: 'password-unopenable' }] });
    // a re-key refuses to run over a password it cannot open: nothing is lost
    expect(await w.h['vault/change']({ masterPassword: MASTER, newMasterPassword: 'another master' })).toMatchObject({ ok: false, problems: [{ code: 'password-unopenable' }] });
    expect(local()).toEqual(swapped);

    await fakeBrowser.storage.local.set({ 'profile:a': a, 'profile:b': b });
    const back = await worker();
    expect(back.s.profiles.map((p) => `${p.id}:${p.password}`)).toEqual(['a:alice-pw', 'b:bob-pw']);
  });

  it('editing a bound record’s user name in storage makes its secret refuse to open', async () => {
    await fakeBrowser.storage.local.set({ schemaVersion: 1, 'profile:a': aProfile({ id: 'a', username: 'alice', password: 'alice-pw' }) });
    const w1 = await worker();
    await w1.h['vault/enable']({ masterPassword: MASTER });
    await fakeBrowser.storage.local.set({ 'profile:a': { ...local()['profile:a'], username: 'mallory' } });
    expect((await worker()).s.profiles[0]).toMatchObject({ username: 'mallory', password: '', unopenable: true });
  });
});

describe('migration of a vault sealed before binding', () => {
  it('the next unlock re-seals every secret with its profile and marks the vault bound, in one write; passwords unchanged', async () => {
    await legacyVault([aProfile({ id: 'a', password: 'alice-pw' }), aProfile({ id: 'b', password: 'bob-pw' })]);
    const w = await worker();
    expect(w.s.profiles.every((p) => p.locked)).toBe(true);
    const sets: string[][] = [];
    const set = fakeBrowser.storage.local.set;
    fakeBrowser.storage.local.set = async (items: Record<string, unknown>) => {
      sets.push(Object.keys(items).sort());
      return set(items);
    };
    try {
      expect((await w.h['vault/unlock']({ masterPassword: MASTER })).ok).toBe(true);
    } finally {
      fakeBrowser.storage.local.set = set;
    }
    expect(sets).toEqual([['profile:a', 'profile:b', 'vault']]);
    expect(local().vault).toMatchObject({ bound: true });
    expect(local()['profile:a']!.secret).toMatchObject({ v: 2 });
    expect(w.s.profiles.map((p) => p.password)).toEqual(['alice-pw', 'bob-pw']);
    expect((await worker()).s.profiles.map((p) => p.password)).toEqual(['alice-pw', 'bob-pw']);
  });

  it('after the migration an unbound (old) ciphertext moved into a record is refused', async () => {
    const { key } = await legacyVault([aProfile({ id: 'a', password: 'alice-pw' })]);
    const old = structuredClone(local()['profile:a']!.secret);
    const w = await worker();
    await w.h['vault/unlock']({ masterPassword: MASTER });
    await fakeBrowser.storage.local.set({ 'profile:a': { ...local()['profile:a'], secret: old } });
    expect(await open(key, old as { iv: string; ct: string })).toBe('alice-pw'); // control: it is a valid old ciphertext
    expect((await worker()).s.profiles[0]).toMatchObject({ password: '', unopenable: true });
  });
});

describe('iterations read from storage', () => {
  it(`the real floor is ${(600_000).toLocaleString('en')}`, async () => {
    const real = await vi.importActual<typeof import('../../../src/core/vault-crypto')>('../../../src/core/vault-crypto');
    expect(real.MIN_ITERATIONS).toBe(600_000);
    expect(MAX_ITERATIONS).toBeGreaterThan(600_000);
  });

  it('property: a stored vault whose iterations are below the floor, above the maximum or not whole is never unlocked; nothing changes', async () => {
    const bad = fc.oneof(
      fc.integer({ min: -1_000_000, max: MIN_ITERATIONS - 1 }),
      fc.integer({ min: MAX_ITERATIONS + 1, max: Number.MAX_SAFE_INTEGER }),
      fc.double({ noInteger: true }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY),
    );
    await legacyVault([aProfile({ id: 'a', password: 'alice-pw' })]);
    const w = await worker();
    await w.h['vault/unlock']({ masterPassword: MASTER }); // bound first, so only the parameters differ
    await w.h['vault/lock']();
    const good = structuredClone(local().vault) as { kdf: { iterations: number } };
    await fc.assert(
      fc.asyncProperty(bad, async (iterations) => {
        await fakeBrowser.storage.local.set({ vault: { ...good, kdf: { ...good.kdf, iterations } } });
        const before = structuredClone(local());
        const v = await worker();
        for (const r of [
          await v.h['vault/unlock']({ masterPassword: MASTER }),
          await v.h['vault/change']({ masterPassword: MASTER, newMasterPassword: 'another master' }),
          await v.h['vault/disable']({ masterPassword: MASTER }),
          await v.h['profiles/open']({ id: 'a', masterPassword: MASTER }),
        ])
          expect(r).toMatchObject({ ok: false, problems: [{ code: 'vault-iterations-weak', params: { min: MIN_ITERATIONS } }] });
        expect(await v.h['vault/status']()).toMatchObject({ enabled: true, unlocked: false });
        expect(local()).toEqual(before);
      }),
      { numRuns: 25 },
    );
  });

  it('a key kept in storage.session does not open a vault whose parameters were weakened since', async () => {
    await fakeBrowser.storage.local.set({ schemaVersion: 1, 'profile:a': aProfile({ id: 'a', password: 'alice-pw' }) });
    const w1 = await worker();
    await w1.h['vault/enable']({ masterPassword: MASTER });
    const vault = local().vault as { kdf: { iterations: number } };
    await fakeBrowser.storage.local.set({ vault: { ...vault, kdf: { ...vault.kdf, iterations: 10 } } });
    const w = await worker();
    expect(await w.h['vault/status']()).toMatchObject({ enabled: true, unlocked: false });
    expect(w.s.profiles[0]).toMatchObject({ password: '', locked: true });
  });
});

describe('"last used" and a vault re-seal', () => {
  it('a lastUsedAt write that read the record before the vault was turned on cannot write the plain password back', async () => {
    await fakeBrowser.storage.local.set({ schemaVersion: 1, 'profile:a': aProfile({ id: 'a', password: 'alice-pw' }) });
    const w = await worker();
    // storage answers the "last used" read late: what it read is delivered once the vault is written
    // (or once the vault's write is waiting behind it, with the writes serialized)
    let vaultWritten = false;
    const { get, set } = fakeBrowser.storage.local;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    fakeBrowser.storage.local.get = async (keys?: string | string[] | null) => {
      const value = await get(keys);
      if (keys === 'profile:a') await released;
      return value;
    };
    fakeBrowser.storage.local.set = async (items: Record<string, unknown>) => {
      await set(items);
      if ('vault' in items) vaultWritten = true;
    };
    try {
      const touched = w.profiles.touchProfile('a', 1_800_000_000_000);
      const enabled = w.h['vault/enable']({ masterPassword: MASTER });
      const queued = () => (w.profiles as { queuedProfileWrites?: () => number }).queuedProfileWrites?.() ?? 0;
      await vi.waitFor(() => expect(vaultWritten || queued() >= 2).toBe(true));
      release();
      await touched;
      expect((await enabled).ok).toBe(true);
    } finally {
      Object.assign(fakeBrowser.storage.local, { get, set });
    }
    expect(JSON.stringify(local())).not.toContain('alice-pw');
    expect(local()['profile:a']).toMatchObject({ password: '', secret: { v: 2 }, lastUsedAt: 1_800_000_000_000 });
    expect((await worker()).s.profiles[0]?.password).toBe('alice-pw');
  });
});
