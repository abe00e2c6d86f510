// Issue #12 item 1: with the vault on, ordinary edits (make default, rename, undo a delete, import
// without passwords) keep the saved password; the pages never receive one they do not need.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProfileView } from '../../../src/core/model';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { settleWorkers, startWorker } from '../../support/workers';
import { aChallenge, aProfile } from '../../support/profiles';

vi.mock('../../../src/core/vault-crypto', async (load) => {
  const real = await load<typeof import('../../../src/core/vault-crypto')>();
  // real parameters are 600,000 iterations; the unit tests need milliseconds
  return { ...real, MIN_ITERATIONS: 1_000, createVault: (pw: string) => real.createVault(pw, 1_000) };
});

const MASTER = 'correct horse battery';
const SECRET = 'proxy-secret-1';

const worker = startWorker;
type Worker = Awaited<ReturnType<typeof worker>>;

/** What the pages send back for "Make default": the list view's fields, no password (profile-form.tsx profileInput). */
const fieldsOf = (p: ProfileView) => ({ id: p.id, name: p.name, proxy: p.proxy, realm: p.realm, scheme: p.scheme, username: p.username, isDefault: p.isDefault });

/** The password the next 407 for `work` is answered with. */
async function answeredWith(w: Worker): Promise<string | undefined> {
  const a = await w.answerChallenge(w.s, aChallenge({ challenger: { host: '127.0.0.1', port: 3128 }, realm: 'Corp Proxy' }));
  return 'authCredentials' in a ? a.authCredentials.password : undefined;
}

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
  await fakeBrowser.storage.local.set({
    schemaVersion: 1,
    'profile:work': aProfile({ id: 'work', name: 'Work', password: SECRET }),
    'profile:other': aProfile({ id: 'other', name: 'Other', username: 'bob', password: 'other-secret', isDefault: true, realm: 'Other Realm' }),
  });
});

for (const vaultOn of [true, false]) {
  describe(`profile edits keep the password [vault ${vaultOn ? 'on' : 'off'}]`, () => {
    const start = async () => {
      const w = await worker();
      if (vaultOn) expect((await w.h['vault/enable']({ masterPassword: MASTER })).ok).toBe(true);
      return w;
    };
    const work = async (w: Worker) => (await w.h['profiles/list']()).profiles.find((p) => p.id === 'work')!;

    it('profiles/list carries no password at all', async () => {
      const w = await start();
      const { profiles } = await w.h['profiles/list']();
      expect(profiles).toHaveLength(2);
      for (const p of profiles) {
        expect(p).not.toHaveProperty('password');
        expect(p).not.toHaveProperty('secret');
      }
      expect(JSON.stringify(profiles)).not.toMatch(/proxy-secret-1|other-secret/);
    });

    it('"Make default" and a rename sent without a password: the next 407 still gets the real one', async () => {
      const w = await start();
      const made = await w.h['profiles/save']({ ...fieldsOf(await work(w)), isDefault: true });
      expect(made).toMatchObject({ ok: true, value: { id: 'work', isDefault: true } });
      expect(JSON.stringify(made)).not.toContain(SECRET);
      expect(await answeredWith(w)).toBe(SECRET);
      expect((await w.h['profiles/save']({ ...fieldsOf(await work(w)), name: 'Work (renamed)', username: 'alice.renamed' })).ok).toBe(true);
      expect(w.s.profiles.find((p) => p.id === 'work')).toMatchObject({ name: 'Work (renamed)', username: 'alice.renamed', password: SECRET });
      // and after a worker restart, read back from storage
      expect((await worker()).s.profiles.find((p) => p.id === 'work')?.password).toBe(SECRET);
    });

    it('Undo after a delete puts the record back with its password; an unknown id cannot be restored', async () => {
      const w = await start();
      const before = structuredClone(fakeBrowser.storage.local.dump()['profile:work']);
      expect(await w.h['profiles/delete']({ id: 'work' })).toEqual({ deleted: true });
      expect(fakeBrowser.storage.local.dump()).not.toHaveProperty('profile:work');
      const restored = await w.h['profiles/restore']({ id: 'work' });
      expect(restored).toMatchObject({ ok: true, value: { id: 'work', name: 'Work' } });
      expect(JSON.stringify(restored)).not.toContain(SECRET);
      expect(fakeBrowser.storage.local.dump()['profile:work']).toEqual(before);
      expect(await answeredWith(w)).toBe(SECRET);
      expect(await w.h['profiles/restore']({ id: 'work' })).toMatchObject({ ok: false, problems: [{ code: 'undo-gone' }] });
    });

    it('import without passwords keeps the saved ones', async () => {
      const w = await start();
      const file = JSON.parse(((await w.h['profiles/export']({ includePasswords: false })) as { value: { text: string } }).value.text);
      file.profiles[0].name = 'Work (imported)';
      expect(await w.h['profiles/import']({ text: JSON.stringify(file) })).toMatchObject({ ok: true, value: { updated: 1 } });
      expect(w.s.profiles.find((p) => p.id === 'work')).toMatchObject({ name: 'Work (imported)', password: SECRET });
      expect(await answeredWith(w)).toBe(SECRET);
    });

    it('a new password given in the save replaces the old one', async () => {
      const w = await start();
      expect((await w.h['profiles/save']({ ...fieldsOf(await work(w)), password: 'brand-new' })).ok).toBe(true);
      expect((await worker()).s.profiles.find((p) => p.id === 'work')?.password).toBe('brand-new');
    });
  });
}

describe('showing a saved password', () => {
  it('vault off: profiles/open hands it over', async () => {
    const { h } = await worker();
    expect(await h['profiles/open']({ id: 'work' })).toEqual({ ok: true, value: { password: SECRET } });
    expect(await h['profiles/open']({ id: 'nope' })).toMatchObject({ ok: false, problems: [{ code: 'profile-gone' }] });
  });

  it('vault on: only with the right master password, even while unlocked; the vault stays as it was', async () => {
    const { h } = await worker();
    await h['vault/enable']({ masterPassword: MASTER });
    expect(await h['profiles/open']({ id: 'work' })).toMatchObject({ ok: false, problems: [{ code: 'master-required' }] });
    expect(await h['profiles/open']({ id: 'work', masterPassword: 'wrong master' })).toMatchObject({ ok: false, problems: [{ code: 'master-wrong' }] });
    expect(await h['profiles/open']({ id: 'work', masterPassword: MASTER })).toEqual({ ok: true, value: { password: SECRET } });
    await h['vault/lock']();
    expect(await h['profiles/open']({ id: 'work', masterPassword: MASTER })).toEqual({ ok: true, value: { password: SECRET } });
    expect(await h['vault/status']()).toMatchObject({ unlocked: false });
  });
});

describe('while the vault is locked', () => {
  it('"Make default" keeps the sealed password as it is; a change of user name needs the vault open', async () => {
    const w1 = await worker();
    await w1.h['vault/enable']({ masterPassword: MASTER });
    await w1.h['vault/lock']();
    const w = await worker();
    const sealed = structuredClone((fakeBrowser.storage.local.dump()['profile:work'] as { secret: unknown }).secret);
    const view = (await w.h['profiles/list']()).profiles.find((p) => p.id === 'work')!;
    expect(view.locked).toBe(true);
    expect(await w.h['profiles/save']({ ...fieldsOf(view), isDefault: true })).toMatchObject({ ok: true, value: { isDefault: true } });
    expect(fakeBrowser.storage.local.dump()['profile:work']).toMatchObject({ isDefault: true, password: '', secret: sealed });
    const before = structuredClone(fakeBrowser.storage.local.dump());
    expect(await w.h['profiles/save']({ ...fieldsOf(view), username: 'someone-else' })).toMatchObject({ ok: false, problems: [{ code: 'vault-locked-edit' }] });
    expect(fakeBrowser.storage.local.dump()).toEqual(before);
    expect((await w.h['vault/unlock']({ masterPassword: MASTER })).ok).toBe(true);
    expect(w.s.profiles.find((p) => p.id === 'work')).toMatchObject({ isDefault: true, password: SECRET });
  });
});

describe('Undo across a change of the vault key', () => {
  it('a record deleted before a new master password cannot come back sealed under the old key', async () => {
    const { h } = await worker();
    await h['vault/enable']({ masterPassword: MASTER });
    await h['profiles/delete']({ id: 'work' });
    expect((await h['vault/change']({ masterPassword: MASTER, newMasterPassword: 'another master' })).ok).toBe(true);
    expect(await h['profiles/restore']({ id: 'work' })).toMatchObject({ ok: false, problems: [{ code: 'undo-gone' }] });
    expect(fakeBrowser.storage.local.dump()).not.toHaveProperty('profile:work');
  });
});
