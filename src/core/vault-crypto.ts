// The vault's cryptography: PBKDF2-SHA-256 → AES-GCM, parameters stored with the data so they can be raised later.

export interface KdfParams {
  name: 'PBKDF2';
  hash: 'SHA-256';
  iterations: number;
  /** base64 */
  salt: string;
}

/** One encrypted value: a fresh 96-bit IV per encryption. */
export interface Sealed {
  iv: string;
  ct: string;
}

export interface VaultMeta {
  version: 1;
  kdf: KdfParams;
  /** A known text sealed with the key: proves a master password right without storing it. */
  check: Sealed;
}

export const MIN_ITERATIONS = 600_000;
const CHECK_TEXT = 'proxy-auth-keeper vault v1';

const enc = new TextEncoder();
const dec = new TextDecoder();

export const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
export const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export function newKdfParams(iterations = MIN_ITERATIONS): KdfParams {
  return { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toBase64(crypto.getRandomValues(new Uint8Array(16))) };
}

/** Derives the raw AES-256 key bytes (kept only in storage.session while unlocked). */
export async function deriveKeyBytes(masterPassword: string, kdf: KdfParams): Promise<Uint8Array> {
  const base = await crypto.subtle.importKey('raw', enc.encode(masterPassword), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: kdf.hash, iterations: kdf.iterations, salt: fromBase64(kdf.salt) }, base, 256);
  return new Uint8Array(bits);
}

const aesKey = (raw: Uint8Array, usage: KeyUsage): Promise<CryptoKey> =>
  crypto.subtle.importKey('raw', new Uint8Array(raw), 'AES-GCM', false, [usage]);

export async function seal(raw: Uint8Array, plaintext: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await aesKey(raw, 'encrypt'), enc.encode(plaintext));
  return { iv: toBase64(iv), ct: toBase64(new Uint8Array(ct)) };
}

/** Throws when the key is wrong or the data was altered (AES-GCM authenticates). */
export async function open(raw: Uint8Array, sealed: Sealed): Promise<string> {
  const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(sealed.iv) }, await aesKey(raw, 'decrypt'), fromBase64(sealed.ct));
  return dec.decode(pt);
}

export async function createVault(masterPassword: string, iterations = MIN_ITERATIONS): Promise<{ meta: VaultMeta; key: Uint8Array }> {
  const kdf = newKdfParams(iterations);
  const key = await deriveKeyBytes(masterPassword, kdf);
  return { meta: { version: 1, kdf, check: await seal(key, CHECK_TEXT) }, key };
}

/** The key for this master password, or null when the password is wrong. */
export async function unlockVault(meta: VaultMeta, masterPassword: string): Promise<Uint8Array | null> {
  const key = await deriveKeyBytes(masterPassword, meta.kdf);
  try {
    return (await open(key, meta.check)) === CHECK_TEXT ? key : null;
  } catch {
    return null;
  }
}
