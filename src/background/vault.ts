// The optional vault in the worker: opens sealed passwords with the session key, seals what is saved.
import type { Params } from '../core/codes';
import { problem, type ProblemCode } from '../core/problems';
import type { Profile, ProfileRecord, SealedSecret } from '../core/model';
import type { Problem } from '../core/profile-schema';
import { type VaultMeta, createVault, open, seal, unlockVault } from '../core/vault-crypto';
import { saveProfile, saveProfiles } from '../storage/profiles';
import { clearVaultKey, saveVaultKey, writeVault } from '../storage/vault';

export interface VaultState {
  meta: VaultMeta | null;
  key: Uint8Array | null;
}

export type VaultResult = { ok: true } | { ok: false; problems: Problem[] };

const fail = (path: string, code: ProblemCode, params: Params = {}): VaultResult => ({ ok: false, problems: [problem(path, code, params)] });

/** Records as stored → profiles as matched: sealed passwords opened, or marked locked; `secret` stays in storage. */
export async function openRecords(records: readonly ProfileRecord[], vault: VaultState): Promise<Profile[]> {
  return Promise.all(
    records.map(async ({ secret, ...r }): Promise<Profile> => {
      if (!secret) return r;
      if (!vault.key) return { ...r, password: '', locked: true };
      try {
        return { ...r, password: await open(vault.key, secret) };
      } catch {
        // sealed with another key or for another record: kept as it is, never answered with
        return { ...r, password: '', unopenable: true };
      }
    }),
  );
}

/** The fields a sealed secret is bound to: changing one of them needs the password opened and sealed again. */
export const sameIdentity = (a: Pick<Profile, 'id' | 'proxy' | 'realm' | 'username'>, b: Pick<Profile, 'id' | 'proxy' | 'realm' | 'username'>): boolean =>
  a.id === b.id && a.proxy.host.toLowerCase() === b.proxy.host.toLowerCase() && a.proxy.port === b.proxy.port && a.realm === b.realm && a.username === b.username;

/**
 * A profile as it must be stored: sealed when the vault is on. `keep` is the record's current
 * secret, written back untouched (the password was not given and cannot be opened now).
 * Throws when the vault is locked and nothing can be kept.
 */
async function toRecord(p: Profile, vault: VaultState, keep?: SealedSecret): Promise<ProfileRecord> {
  const { locked: _locked, unopenable: _unopenable, ...plain } = p;
  if (keep) return { ...plain, password: '', secret: keep };
  if (!vault.meta) return plain;
  if (!vault.key) throw new Error('The vault is locked: unlock it to change saved passwords.');
  return { ...plain, password: '', secret: await seal(vault.key, p.password) };
}

export async function persistProfile(p: Profile, vault: VaultState, keep?: SealedSecret): Promise<void> {
  await saveProfile(await toRecord(p, vault, keep));
}

export async function persistProfiles(list: readonly Profile[], vault: VaultState): Promise<void> {
  await saveProfiles(await Promise.all(list.map((p) => toRecord(p, vault))));
}

/** A stored record, written back as it was (Undo after a delete): its secret is never re-sealed here. */
export async function restoreRecord(r: ProfileRecord): Promise<void> {
  await saveProfile(r);
}

const MIN_MASTER_LENGTH = 8;

export async function enableVault(vault: VaultState, profiles: readonly Profile[], master: string): Promise<VaultResult> {
  if (vault.meta) return fail('masterPassword', 'vault-already-on');
  if (master.length < MIN_MASTER_LENGTH) return fail('masterPassword', 'master-too-short', { min: MIN_MASTER_LENGTH });
  if (profiles.some((p) => p.locked)) return fail('masterPassword', 'profiles-locked');
  return sealAllUnder(vault, profiles, master);
}

/** A new key from `master`; every password sealed under it and the parameters written in one storage write. */
async function sealAllUnder(vault: VaultState, profiles: readonly Profile[], master: string): Promise<VaultResult> {
  const { meta, key } = await createVault(master);
  const next: VaultState = { meta, key };
  await writeVault(meta, await Promise.all(profiles.map((p) => toRecord(p, next))));
  await saveVaultKey(key);
  Object.assign(vault, next);
  return { ok: true };
}

export async function unlock(vault: VaultState, master: string): Promise<VaultResult> {
  if (!vault.meta) return fail('masterPassword', 'vault-off');
  const key = await unlockVault(vault.meta, master);
  if (!key) return fail('masterPassword', 'master-wrong');
  await saveVaultKey(key);
  vault.key = key;
  return { ok: true };
}

export async function lock(vault: VaultState): Promise<void> {
  await clearVaultKey();
  vault.key = null;
}

/** New master password: every password re-sealed under the new key, in one write. */
export async function changeMaster(vault: VaultState, current: readonly Profile[], old: string, master: string): Promise<VaultResult> {
  const checked = await unlock(vault, old);
  if (!checked.ok) return checked;
  const profiles = await openRecords(current, vault);
  if (profiles.some((p) => p.locked)) return fail('masterPassword', 'password-unopenable');
  if (master.length < MIN_MASTER_LENGTH) return fail('newMasterPassword', 'master-too-short', { min: MIN_MASTER_LENGTH });
  return sealAllUnder(vault, profiles, master);
}

export async function disableVault(vault: VaultState, current: readonly Profile[], master: string): Promise<VaultResult> {
  const checked = await unlock(vault, master);
  if (!checked.ok) return checked;
  const profiles = await openRecords(current, vault);
  if (profiles.some((p) => p.locked)) return fail('masterPassword', 'password-unopenable');
  const plain: VaultState = { meta: null, key: null };
  await writeVault(null, await Promise.all(profiles.map((p) => toRecord(p, plain))));
  await clearVaultKey();
  Object.assign(vault, plain);
  return { ok: true };
}
