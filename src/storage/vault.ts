// Where the vault lives: its parameters in storage.local, the derived key only in storage.session.
import browser from 'webextension-polyfill';
import { removeLocal, setLocal } from './copied-areas';
import type { VaultMeta } from '../core/vault-crypto';
import { fromBase64, toBase64 } from '../core/vault-crypto';
import type { ProfileRecord } from '../core/model';
import { profileKey } from './profiles';

const META = 'vault';
const KEY = 'vaultKey';

export async function loadVaultMeta(): Promise<VaultMeta | null | 'damaged'> {
  return vaultMetaOf(await browser.storage.local.get(META));
}

/**
 * The vault's parameters in items read from storage.local; null when the vault is off (no record). A
 * record that is there but cannot be read is 'damaged', never "off": read as off, a password typed
 * next would be stored unsealed.
 */
export function vaultMetaOf(items: Record<string, unknown>): VaultMeta | null | 'damaged' {
  if (!(META in items)) return null;
  const raw = items[META] as Partial<VaultMeta> | null;
  const whole = raw !== null && typeof raw === 'object' && raw.version === 1 && typeof raw.kdf === 'object' && raw.kdf !== null && typeof raw.check === 'object' && raw.check !== null;
  return whole ? (raw as VaultMeta) : 'damaged';
}

/** The key survives the worker being stopped, never a browser restart (storage.session is memory only). */
export async function loadVaultKey(): Promise<Uint8Array | null> {
  return vaultKeyOf(await browser.storage.session.get(KEY));
}

export function vaultKeyOf(items: Record<string, unknown>): Uint8Array | null {
  const raw = items[KEY];
  return typeof raw === 'string' ? fromBase64(raw) : null;
}

export async function saveVaultKey(key: Uint8Array): Promise<void> {
  await browser.storage.session.set({ [KEY]: toBase64(key) });
}

export async function clearVaultKey(): Promise<void> {
  await browser.storage.session.remove(KEY);
}

/**
 * Turns the vault on, re-keys it, or turns it off, together with every profile record, in ONE
 * storage write: a crash leaves either the old state or the new one, never a mix.
 * Turning off writes the plaintext records first and removes the vault parameters after; a crash in
 * between leaves readable records and unused parameters (harmless: records without `secret` are plain).
 */
export async function writeVault(meta: VaultMeta | null, records: readonly ProfileRecord[]): Promise<void> {
  const items: Record<string, unknown> = {};
  for (const r of records) items[profileKey(r.id)] = r;
  if (meta) items[META] = meta;
  await setLocal(items);
  if (!meta) await removeLocal(META);
}
