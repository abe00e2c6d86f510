// A vault record in storage.local that cannot be read is "damaged", never "off": no password typed
// afterwards is stored unsealed, the sealed ones are kept as they are, and the user is told.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { createVault, seal } from '../../../src/core/vault-crypto';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { aChallenge, aProfile } from '../../support/profiles';
import { settleWorkers, startWorker } from '../../support/workers';

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
});

const local = () => fakeBrowser.storage.local.dump() as Record<string, unknown>;

const DAMAGED: [string, unknown][] = [
  ['null', null],
  ['not an object', 'vault'],
  ['empty object', {}],
  ['an unknown version', { version: 2, kdf: {}, check: {} }],
  ['no key parameters', { version: 1, check: { iv: 'a', ct: 'b' } }],
  ['no check value', { version: 1, kdf: { salt: 'c2FsdA==', iterations: 600_000, hash: 'SHA-256' } }],
];

describe('a damaged vault record', () => {
  it.each(DAMAGED)('%s: reported as damaged, no new password saved, the sealed profile kept and never answered with', async (_what, record) => {
    const { key } = await createVault('correct horse battery', 1_000);
    const sealed = aProfile({ id: 'sealed', name: 'Sealed' });
    const plain = aProfile({ id: 'plain', name: 'Plain', proxy: { host: 'other.example', port: 8080 } });
    await fakeBrowser.storage.local.set({
      schemaVersion: 1,
      vault: record,
      'profile:sealed': { ...sealed, password: '', secret: await seal(key, sealed.password) },
      'profile:plain': plain,
    });
    const before = structuredClone(local());
    const w = await startWorker();

    expect(await w.h['vault/status']()).toEqual({ enabled: true, unlocked: false, iterations: null, damaged: true });
    // a new profile with a password: refused with the reason, nothing written
    const saved = await w.h['profiles/save']({ ...aProfile({ proxy: { host: 'new.example', port: 3128 } }), id: undefined, password: 'typed now' });
    expect(saved).toMatchObject({ ok: false, problems: [{ path: 'password', code: 'vault-damaged' }] });
    // the vault cannot be unlocked nor turned on over the damaged record
    expect(await w.h['vault/unlock']({ masterPassword: 'correct horse battery' })).toMatchObject({ ok: false, problems: [{ code: 'vault-damaged' }] });
    expect(await w.h['vault/enable']({ masterPassword: 'another master password' })).toMatchObject({ ok: false, problems: [{ code: 'vault-damaged' }] });
    // the sealed profile is listed (locked), never answered with an empty password; the plain one still answers
    expect(await w.answerChallenge(w.s, aChallenge({ requestId: 'r1', challenger: plain.proxy, realm: plain.realm }))).toEqual({
      authCredentials: { username: plain.username, password: plain.password },
    });
    const list = await w.h['profiles/list']();
    expect(list.profiles.map((p) => p.id).sort()).toEqual(['plain', 'sealed']);
    expect(w.s.profiles.find((p) => p.id === 'sealed')).toMatchObject({ locked: true, password: '' });
    await settleWorkers();
    const after = local();
    for (const k of ['vault', 'profile:sealed', 'profile:plain']) expect(after[k]).toEqual(before[k]);
    expect(Object.keys(after).filter((k) => k.startsWith('profile:'))).toHaveLength(2);
  });

  it('no record at all is "off": a password is saved as the user typed it', async () => {
    await fakeBrowser.storage.local.set({ schemaVersion: 1 });
    const w = await startWorker();
    expect(await w.h['vault/status']()).toEqual({ enabled: false, unlocked: false, iterations: null });
    const saved = await w.h['profiles/save']({ ...aProfile(), id: undefined });
    expect(saved.ok).toBe(true);
  });
});
