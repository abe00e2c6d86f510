// Locking the vault, by hand or after N idle minutes: the key leaves storage.session and so do the
// "remember for this session" logins, so a locked vault leaves no usable password in the worker.
import browser from 'webextension-polyfill';
import { saveSessionProfiles } from '../storage/session';
import { lock } from './vault';
import { type State, indexOf, reloadProfiles } from './state';

export const AUTO_LOCK_ALARM = 'vault-auto-lock';
const USED_AT = 'vaultUsedAt';
const NOTE_EVERY_MS = 10_000;
let lastNoted = 0;

export async function lockVault(s: State): Promise<void> {
  await lock(s.vault);
  s.sessionProfiles = [];
  s.index = indexOf(s.profiles, s.sessionProfiles);
  await Promise.all([saveSessionProfiles([]), browser.storage.session.remove(USED_AT), browser.alarms?.clear(AUTO_LOCK_ALARM)]);
  await reloadProfiles();
}

/**
 * The vault was used (unlocked, a sealed password answered a proxy, a profile saved or shown): the
 * auto-lock alarm moves to `now` + the idle minutes. Off (0) or locked: no alarm.
 */
export async function noteVaultUse(s: State, now = Date.now(), busy = false): Promise<void> {
  const minutes = s.settings.vaultAutoLockMinutes;
  if (!s.vault.meta || !s.vault.key || !minutes) {
    lastNoted = 0;
    await browser.alarms?.clear(AUTO_LOCK_ALARM);
    return;
  }
  // a burst of answered requests moves the alarm once (the idle time counts from at most 10 s earlier)
  if (busy && now - lastNoted < NOTE_EVERY_MS) return;
  lastNoted = now;
  await browser.storage.session.set({ [USED_AT]: now });
  await browser.alarms?.create(AUTO_LOCK_ALARM, { when: now + minutes * 60_000 });
}

let noting: Promise<void> = Promise.resolve();

/** noteVaultUse from the 407 path, which does not wait for it; one after another. */
export function noteVaultUseSoon(s: State): void {
  const now = Date.now();
  noting = noting.then(() => noteVaultUse(s, now, true)).catch(() => {});
}

/** Resolves once every note started so far is written. */
export const vaultUseSettled = (): Promise<void> => noting;

/** The alarm fired (perhaps in a new worker): lock if the vault has been idle long enough, else wait on. */
export async function onAutoLockAlarm(s: State, now = Date.now()): Promise<boolean> {
  const minutes = s.settings.vaultAutoLockMinutes;
  if (!s.vault.key || !minutes) return false;
  const raw = (await browser.storage.session.get(USED_AT))[USED_AT];
  const usedAt = typeof raw === 'number' ? raw : 0;
  const due = usedAt + minutes * 60_000;
  if (now < due) {
    await browser.alarms?.create(AUTO_LOCK_ALARM, { when: due });
    return false;
  }
  await lockVault(s);
  return true;
}
