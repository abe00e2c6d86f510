// The optional vault in the worker: opens sealed passwords with the session key, seals what is saved.
import type { Params } from '../core/codes';
import { sameProxy } from '../core/host';
import { problem, type ProblemCode } from '../core/problems';
import type { Profile, ProfileRecord, SealedSecret } from '../core/model';
import type { Problem } from '../core/profile-schema';
import { MAX_ITERATIONS, MIN_ITERATIONS, SecretMismatch, type VaultMeta, createVault, keyFits, openSecret, sealSecret, unlockVault } from '../core/vault-crypto';
import { loadProfiles, putProfile, putProfiles, serializeProfileWrites } from '../storage/profiles';
import { clearVaultKey, saveVaultKey, writeVault } from '../storage/vault';

export interface VaultState {
  meta: VaultMeta | null;
  key: Uint8Array | null;
  /** The stored vault record is unreadable: nothing sealed can be opened, and no password is stored unsealed. */
  damaged?: true;
}

/** The state of the vault from what storage holds ('damaged': a record that cannot be read; see loadVaultMeta). */
export const vaultStateOf = async (meta: VaultMeta | null | 'damaged', key: Uint8Array | null): Promise<VaultState> =>
  meta === 'damaged' ? { meta: null, key: null, damaged: true } : { meta, key: await sessionKey(meta, key) };

/** The vault is on (or damaged) and its key is not in memory: nothing sealed can be read or written. */
export const isLocked = (v: VaultState): boolean => (v.meta !== null || v.damaged === true) && !v.key;

export type VaultResult = { ok: true } | { ok: false; problems: Problem[] };

const fail = (path: string, code: ProblemCode, params: Params = {}): VaultResult => ({ ok: false, problems: [problem(path, code, params)] });

/**
 * Iterations read from storage below 600,000 (or absurdly high, or not a whole number) are refused:
 * someone who could write storage must not get a vault that is cheap to guess, nor one that hangs.
 */
export function weakKdf(meta: VaultMeta): VaultResult | null {
  const n = meta.kdf?.iterations;
  return Number.isInteger(n) && n >= MIN_ITERATIONS && n <= MAX_ITERATIONS ? null : fail('masterPassword', 'vault-iterations-weak', { min: MIN_ITERATIONS });
}

/** The key for `master`, checked against the stored parameters; the vault itself is not touched. */
export async function keyFor(meta: VaultMeta, master: string): Promise<{ ok: true; key: Uint8Array } | { ok: false; problems: Problem[] }> {
  const weak = weakKdf(meta);
  if (weak && !weak.ok) return weak;
  const key = await unlockVault(meta, master);
  return key ? { ok: true, key } : { ok: false, problems: [problem('masterPassword', 'master-wrong')] };
}

/** The session's key, if it still belongs to the stored parameters and they are not weakened; else null (locked). */
export async function sessionKey(meta: VaultMeta | null, key: Uint8Array | null): Promise<Uint8Array | null> {
  if (!meta || !key || weakKdf(meta)) return null;
  return (await keyFits(meta, key)) ? key : null;
}

/** Records as stored → profiles as matched: sealed passwords opened, or marked locked; `secret` stays in storage. */
export async function openRecords(records: readonly ProfileRecord[], vault: VaultState): Promise<Profile[]> {
  return Promise.all(
    records.map(async ({ secret, ...r }): Promise<Profile> => {
      if (!secret) return r;
      if (!vault.key) return { ...r, password: '', locked: true };
      try {
        return { ...r, password: await openSecret(vault.key, secret, r, vault.meta?.bound !== true) };
      } catch (err) {
        if (!(err instanceof SecretMismatch)) throw err;
        // sealed with another key or for another record: kept as it is, never answered with
        return { ...r, password: '', unopenable: true };
      }
    }),
  );
}

/** The fields a sealed secret is bound to: changing one of them needs the password opened and sealed again. */
export const sameIdentity = (a: Pick<Profile, 'id' | 'proxy' | 'realm' | 'username'>, b: Pick<Profile, 'id' | 'proxy' | 'realm' | 'username'>): boolean =>
  a.id === b.id && sameProxy(a.proxy, b.proxy) && a.realm === b.realm && a.username === b.username;

/**
 * A profile as it must be stored: sealed for its own record when the vault is on. `keep` is the
 * record's current secret, written back untouched (the password was not given and cannot be opened
 * now; the caller checked the record's identity is unchanged). Throws when the vault is locked.
 */
async function toRecord(p: Profile, vault: VaultState, keep?: SealedSecret): Promise<ProfileRecord> {
  const { locked: _locked, unopenable: _unopenable, ...plain } = p;
  if (keep) return { ...plain, password: '', secret: keep };
  if (vault.damaged) throw new Error('The vault record in storage is damaged: no password is saved until the vault is repaired.');
  if (!vault.meta) return plain;
  if (!vault.key) throw new Error('The vault is locked: unlock it to change saved passwords.');
  return { ...plain, password: '', secret: await sealSecret(vault.key, p.password, p) };
}

/** Sealed inside the profile-write queue, so the key used is the one the vault has when the record is written. */
export function persistProfile(p: Profile, vault: VaultState, keep?: SealedSecret): Promise<void> {
  return serializeProfileWrites(async () => putProfile(await toRecord(p, vault, keep)));
}

export function persistProfiles(list: readonly Profile[], vault: VaultState): Promise<void> {
  return serializeProfileWrites(async () => putProfiles(await Promise.all(list.map((p) => toRecord(p, vault)))));
}

/** A stored record, written back as it was (Undo after a delete): its secret is never re-sealed here. */
export function restoreRecord(r: ProfileRecord): Promise<void> {
  return serializeProfileWrites(() => putProfile(r));
}

const MIN_MASTER_LENGTH = 8;

/**
 * Every record, read fresh from storage inside the write queue, opened under `from` and written under
 * `to` with the vault parameters in one storage write; `commit` updates the session key and memory
 * before the queue moves on. Refused (nothing written, nothing changed) when a password cannot be opened.
 */
function rewriteAll(from: VaultState, to: VaultState, commit: () => Promise<void>): Promise<VaultResult> {
  return serializeProfileWrites(async () => {
    const { profiles: records } = await loadProfiles();
    const opened = await openRecords(records, from);
    if (opened.some((p) => p.locked)) return fail('masterPassword', 'profiles-locked');
    if (opened.some((p) => p.unopenable)) return fail('masterPassword', 'password-unopenable');
    await writeVault(to.meta, await Promise.all(opened.map((p) => toRecord(p, to))));
    await commit();
    return { ok: true };
  });
}

/** A fresh key and parameters for `master`; every secret sealed with it is bound to its record. */
async function newVault(master: string): Promise<VaultState> {
  const { meta, key } = await createVault(master);
  return { meta: { ...meta, bound: true }, key };
}

export async function enableVault(vault: VaultState, profiles: readonly Profile[], master: string): Promise<VaultResult> {
  if (vault.damaged) return fail('masterPassword', 'vault-damaged');
  if (vault.meta) return fail('masterPassword', 'vault-already-on');
  if (master.length < MIN_MASTER_LENGTH) return fail('masterPassword', 'master-too-short', { min: MIN_MASTER_LENGTH });
  if (profiles.some((p) => p.locked)) return fail('masterPassword', 'profiles-locked');
  const next = await newVault(master);
  return rewriteAll({ meta: null, key: null }, next, async () => {
    await saveVaultKey(next.key!);
    Object.assign(vault, next);
  });
}

export async function unlock(vault: VaultState, master: string): Promise<VaultResult> {
  if (vault.damaged) return fail('masterPassword', 'vault-damaged');
  if (!vault.meta) return fail('masterPassword', 'vault-off');
  const checked = await keyFor(vault.meta, master);
  if (!checked.ok) return checked;
  await saveVaultKey(checked.key);
  vault.key = checked.key;
  await bindSecrets(vault);
  return { ok: true };
}

/**
 * Migration of a vault from before bound secrets: at the first unlock every unbound secret is opened
 * and sealed again with its record as additional data, and the vault marked bound, in one write.
 * A secret that does not open is left as it was (it shows as unopenable, nothing is lost).
 */
export function bindSecrets(vault: VaultState): Promise<void> {
  return serializeProfileWrites(async () => {
    const { meta, key } = vault;
    if (!meta || !key || meta.bound) return;
    const { profiles: records } = await loadProfiles();
    const rebound: ProfileRecord[] = [];
    for (const r of records) {
      if (!r.secret || r.secret.v === 2) continue;
      try {
        rebound.push({ ...r, secret: await sealSecret(key, await openSecret(key, r.secret, r, true), r) });
      } catch (err) {
        if (!(err instanceof SecretMismatch)) throw err;
      }
    }
    const bound: VaultMeta = { ...meta, bound: true };
    await writeVault(bound, rebound);
    vault.meta = bound;
  });
}

export async function lock(vault: VaultState): Promise<void> {
  await clearVaultKey();
  vault.key = null;
}

/**
 * New master password: every password re-sealed under the new key, in one write. Every check comes
 * first and the vault (key, lock state, records) changes only when the new one is written: a refused
 * change leaves it exactly as it was, locked or not.
 */
export async function changeMaster(vault: VaultState, _current: readonly Profile[], old: string, master: string): Promise<VaultResult> {
  if (!vault.meta) return fail('masterPassword', 'vault-off');
  if (master.length < MIN_MASTER_LENGTH) return fail('newMasterPassword', 'master-too-short', { min: MIN_MASTER_LENGTH });
  const checked = await keyFor(vault.meta, old);
  if (!checked.ok) return checked;
  const next = await newVault(master);
  return rewriteAll({ meta: vault.meta, key: checked.key }, next, async () => {
    await saveVaultKey(next.key!);
    Object.assign(vault, next);
  });
}

export async function disableVault(vault: VaultState, _current: readonly Profile[], master: string): Promise<VaultResult> {
  if (!vault.meta) return fail('masterPassword', 'vault-off');
  const checked = await keyFor(vault.meta, master);
  if (!checked.ok) return checked;
  const plain: VaultState = { meta: null, key: null };
  return rewriteAll({ meta: vault.meta, key: checked.key }, plain, async () => {
    await clearVaultKey();
    Object.assign(vault, plain);
  });
}
