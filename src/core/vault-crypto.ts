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
  /**
   * Every secret is sealed with its profile as additional data (`v: 2`). From then on a secret
   * without it is refused: an old unbound ciphertext cannot be moved into another record.
   */
  bound?: true;
}

/** Iterations below this, read from storage, are refused (a weakened vault is never unlocked or re-sealed). */
export const MIN_ITERATIONS = 600_000;
/** Above this a stored value is damage, not strength: refused rather than hanging the worker. */
export const MAX_ITERATIONS = 100_000_000;
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

const gcm = (iv: Uint8Array<ArrayBuffer>, aad?: Uint8Array<ArrayBuffer>): AesGcmParams => (aad ? { name: 'AES-GCM', iv, additionalData: aad } : { name: 'AES-GCM', iv });

/** `aad`: additional data the ciphertext is bound to; open() must be given the same bytes. */
export async function seal(raw: Uint8Array, plaintext: string, aad?: Uint8Array<ArrayBuffer>): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(gcm(iv, aad), await aesKey(raw, 'encrypt'), enc.encode(plaintext));
  return { iv: toBase64(iv), ct: toBase64(new Uint8Array(ct)) };
}

/** Throws when the key is wrong, the additional data differs or the data was altered (AES-GCM authenticates). */
export async function open(raw: Uint8Array, sealed: Sealed, aad?: Uint8Array<ArrayBuffer>): Promise<string> {
  const pt = await crypto.subtle.decrypt(gcm(fromBase64(sealed.iv), aad), await aesKey(raw, 'decrypt'), fromBase64(sealed.ct));
  return dec.decode(pt);
}

/** What a profile's secret is bound to: its id and the account it is for (host without case, as matched). */
export interface SecretOwner {
  id: string;
  proxy: { host: string; port: number };
  realm: string | null;
  username: string;
}

export const secretAad = (o: SecretOwner): Uint8Array<ArrayBuffer> =>
  enc.encode(JSON.stringify(['proxy-auth-keeper secret v2', o.id, o.proxy.host.toLowerCase(), o.proxy.port, o.realm, o.username]));

/** A password sealed for one profile: it opens only in a record with the same id, host, port, realm and user name. */
export async function sealSecret(raw: Uint8Array, password: string, owner: SecretOwner): Promise<Sealed & { v: 2 }> {
  return { ...(await seal(raw, password, secretAad(owner))), v: 2 };
}

export class SecretMismatch extends Error {}

/**
 * Opens a profile's secret. A `v: 2` secret opens only with its owner's additional data; an older
 * unbound one only while `allowUnbound` (before the vault's migration to bound secrets).
 */
export async function openSecret(raw: Uint8Array, secret: Sealed & { v?: 2 }, owner: SecretOwner, allowUnbound: boolean): Promise<string> {
  if (secret.v !== 2 && !allowUnbound) throw new SecretMismatch('an unbound secret in a vault whose secrets are all bound');
  try {
    return await open(raw, secret, secret.v === 2 ? secretAad(owner) : undefined);
  } catch {
    throw new SecretMismatch('the secret does not open in this record');
  }
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

/** Does this key (from storage.session) belong to these parameters? A re-key cut short leaves an old one behind. */
export async function keyFits(meta: VaultMeta, key: Uint8Array): Promise<boolean> {
  try {
    return (await open(key, meta.check)) === CHECK_TEXT;
  } catch {
    return false;
  }
}
