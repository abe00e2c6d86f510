// Issue #12 item 5: lock means locked (session logins go too), a refused master-password change
// leaves the vault exactly as it was, and the vault locks itself after N idle minutes.
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { matchProfile } from '../../../src/core/match';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { settleWorkers, track } from '../../support/workers';
import { aChallenge, aProfile } from '../../support/profiles';

vi.mock('../../../src/core/vault-crypto', async (load) => {
  const real = await load<typeof import('../../../src/core/vault-crypto')>();
  // real parameters are 600,000 iterations; the unit tests need milliseconds
  return { ...real, MIN_ITERATIONS: 1_000, createVault: (pw: string) => real.createVault(pw, 1_000) };
});

const MASTER = 'correct horse battery';

async function worker() {
  vi.resetModules();
  const state = await import('../../../src/background/state');
  const { handlers } = await import('../../../src/background/handlers');
  const s = await state.ready();
  track(s, (await import('../../../src/storage/profiles')).profileWritesSettled, (await import('../../../src/background/vault-lock')).vaultUseSettled);
  return { s, state, h: await handlers(), lock: await import('../../../src/background/vault-lock') };
}
type Worker = Awaited<ReturnType<typeof worker>>;

const sessionLogin = () =>
  aProfile({ id: 'session:1', name: 'typed (this session)', proxy: { host: 'other.example', port: 8080 }, realm: 'R', scheme: 'any', username: 'typed', password: 'typed-in-prompt', sessionOnly: true });

/** The profile that would answer the proxy `other.example:8080` now (only the session login fits it). */
const matched = (w: Worker) => matchProfile(w.s.index, aChallenge({ challenger: { host: 'other.example', port: 8080 }, realm: 'R' }));

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
  await fakeBrowser.storage.local.set({ schemaVersion: 1, 'profile:work': aProfile({ id: 'work', password: 'proxy-secret-1' }) });
});
afterEach(() => vi.useRealTimers());

describe('locking the vault', () => {
  it('drops "remember for this session" logins, in memory and in storage.session', async () => {
    const w = await worker();
    await w.h['vault/enable']({ masterPassword: MASTER });
    await w.state.addSessionProfile(w.s, sessionLogin());
    expect(matched(w)).toMatchObject({ username: 'typed', password: 'typed-in-prompt' });
    await w.h['vault/lock']();
    expect(w.s.sessionProfiles).toEqual([]);
    expect(JSON.stringify(fakeBrowser.storage.session.dump())).not.toContain('typed-in-prompt');
    expect(matched(w)).toBeNull(); // the next challenge asks again
    expect((await worker()).s.sessionProfiles).toEqual([]);
  });
});

describe('a refused master-password change leaves the vault as it was', () => {
  const snapshot = () => structuredClone({ local: fakeBrowser.storage.local.dump(), session: fakeBrowser.storage.session.dump() });

  for (const locked of [true, false]) {
    it(`${locked ? 'locked' : 'unlocked'}: a wrong current password, or a new one too short, change nothing — not even the lock`, async () => {
      const w1 = await worker();
      await w1.h['vault/enable']({ masterPassword: MASTER });
      if (locked) await w1.h['vault/lock']();
      const w = await worker();
      const before = snapshot();
      const status = await w.h['vault/status']();
      expect(await w.h['vault/change']({ masterPassword: 'not the master', newMasterPassword: 'another master' })).toMatchObject({ ok: false, problems: [{ code: 'master-wrong' }] });
      expect(await w.h['vault/change']({ masterPassword: MASTER, newMasterPassword: 'short' })).toMatchObject({ ok: false, problems: [{ path: 'newMasterPassword', code: 'master-too-short' }] });
      expect(await w.h['vault/disable']({ masterPassword: 'not the master' })).toMatchObject({ ok: false });
      expect(snapshot()).toEqual(before);
      expect(await w.h['vault/status']()).toEqual(status);
      expect(w.s.profiles[0]?.password).toBe(locked ? '' : 'proxy-secret-1');
    });
  }
});

describe('auto-lock after N idle minutes', () => {
  const T0 = Date.UTC(2026, 11, 3, 8, 0, 0);
  const MIN = 60_000;

  async function unlockedWithAutoLock(minutes: number) {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const w = await worker();
    await w.h['vault/enable']({ masterPassword: MASTER });
    expect(await w.h['settings/save']({ ...(await w.h['settings/get']()).settings, vaultAutoLockMinutes: minutes })).toMatchObject({ ok: true });
    return w;
  }

  it('the setting is validated: out of range or not whole is refused with its problem, nothing saved', async () => {
    const w = await worker();
    const base = (await w.h['settings/get']()).settings;
    for (const bad of [-1, 1441, 2.5, '15'])
      expect(await w.h['settings/save']({ ...base, vaultAutoLockMinutes: bad })).toMatchObject({ ok: false, problems: [{ path: 'vaultAutoLockMinutes' }] });
    expect((await w.h['settings/get']()).settings.vaultAutoLockMinutes).toBe(0);
  });

  it('locks after N minutes without use; each use moves the deadline; session logins go with it', async () => {
    const w = await unlockedWithAutoLock(15);
    expect(fakeBrowser.alarms.when.get(w.lock.AUTO_LOCK_ALARM)).toBe(T0 + 15 * MIN);
    await w.state.addSessionProfile(w.s, sessionLogin());

    vi.setSystemTime(T0 + 10 * MIN);
    await w.lock.noteVaultUse(w.s); // e.g. a sealed password answered a proxy
    expect(fakeBrowser.alarms.when.get(w.lock.AUTO_LOCK_ALARM)).toBe(T0 + 25 * MIN);

    // an alarm left from before the use fires: not yet, it waits on to the new deadline
    vi.setSystemTime(T0 + 15 * MIN);
    expect(await w.lock.onAutoLockAlarm(w.s)).toBe(false);
    expect(await w.h['vault/status']()).toMatchObject({ unlocked: true });
    expect(fakeBrowser.alarms.when.get(w.lock.AUTO_LOCK_ALARM)).toBe(T0 + 25 * MIN);

    // a new worker (the alarm woke it) reads the last use from storage.session
    vi.setSystemTime(T0 + 25 * MIN);
    const w2 = await worker();
    expect(await w2.lock.onAutoLockAlarm(w2.s)).toBe(true);
    expect(await w2.h['vault/status']()).toMatchObject({ enabled: true, unlocked: false });
    expect(w2.s.sessionProfiles).toEqual([]);
    expect(fakeBrowser.storage.session.dump()).not.toHaveProperty('vaultKey');
    expect(fakeBrowser.alarms.created.has(w.lock.AUTO_LOCK_ALARM)).toBe(false);
  });

  it('off (0) or with the vault locked: no alarm, and a stray one locks nothing', async () => {
    const w = await unlockedWithAutoLock(0);
    expect(fakeBrowser.alarms.created.has(w.lock.AUTO_LOCK_ALARM)).toBe(false);
    vi.setSystemTime(T0 + 1_000 * MIN);
    expect(await w.lock.onAutoLockAlarm(w.s)).toBe(false);
    expect(await w.h['vault/status']()).toMatchObject({ unlocked: true });
  });
});
