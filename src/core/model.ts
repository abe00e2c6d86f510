// The data the product is made of: profiles, challenges, decisions, history entries, settings.
import type { Finding } from './diagnosis-codes';

/** NTLM: the browser computes the handshake from the profile's user name (DOMAIN\\user or user@domain) and password. */
export type Scheme = 'basic' | 'digest' | 'ntlm';
export type ProfileScheme = Scheme | 'any';

export interface ProxyAddress {
  host: string;
  port: number;
}

/** What every shape of a profile has: who it is for, never the password. */
export interface ProfileBase {
  id: string;
  name: string;
  proxy: ProxyAddress;
  /** null: any realm. */
  realm: string | null;
  scheme: ProfileScheme;
  username: string;
  isDefault: boolean;
  createdAt: number;
  updatedAt: number;
  lastUsedAt: number | null;
  /** Remembered from a prompt for this browser session only; wins over saved profiles. */
  sessionOnly?: boolean;
  /** Set by the organisation's browser policy (core/managed-policy.ts): locked is read-only, a preset may take the user's own login. */
  managed?: 'locked' | 'preset';
  /** A policy profile without a password: not answered with; the user is asked. */
  askOncePerSession?: boolean;
  /**
   * The schemes this password was typed for or accepted under, and Basic once the user allowed it
   * (see core/downgrade.ts): a Digest-only password is not sent to a Basic challenge without a yes.
   */
  provenSchemes?: Scheme[];
}

/**
 * A password sealed with the vault key (AES-GCM). `v: 2`: sealed with the profile's identity as
 * additional data (see core/vault-crypto.ts `secretAad`), so it opens only in its own record.
 */
export interface SealedSecret {
  iv: string;
  ct: string;
  v?: 2;
}

/** A profile as stored in storage.local: the password in plain (vault off), or sealed in `secret` and `password` ''. */
export interface ProfileRecord extends ProfileBase {
  password: string;
  secret?: SealedSecret;
}

/** An opened profile, in the worker only: what matching and answering use. */
export interface Profile extends ProfileBase {
  password: string;
  /** The vault is locked, so the password is not known (`password` is ''). */
  locked?: boolean;
  /** The sealed password does not open in this record (moved from another one, or damaged); kept as it is. */
  unopenable?: boolean;
}

/** A profile as the pages see it: never a password, vault on or off. */
export interface ProfileView extends ProfileBase {
  locked?: boolean;
  unopenable?: boolean;
}

/** The list view of an opened profile: everything but the password. */
export function profileView(p: Profile): ProfileView {
  const { password: _password, ...view } = p as Profile & { secret?: unknown };
  delete (view as { secret?: unknown }).secret;
  return view;
}

/** One onAuthRequired call, reduced to what the decision needs. */
export interface Challenge {
  requestId: string;
  url: string;
  tabId: number;
  challenger: ProxyAddress;
  realm: string | null;
  /** Lower-case scheme as the browser reports it ('basic', 'digest', 'ntlm', ...). */
  scheme: string;
  isProxy: boolean;
  incognito?: boolean;
  cookieStoreId?: string;
}

export type Decision =
  | 'answered-saved'
  | 'answered-prompt'
  | 'prompt-pending'
  | 'prompt-cancelled'
  | 'prompt-timeout'
  | 'breaker-open'
  | 'no-match-pass-through'
  | 'no-match-cancelled'
  | 'unsupported-scheme'
  | 'vault-locked'
  /** Too many new sign-in questions for this proxy at once or within a minute: cancelled without asking (core/prompt-queue.ts). */
  | 'prompt-limited'
  /**
   * Asked the user without holding the request (Firefox: held, it would have held the answers of other
   * requests delivered with it, core/delivery-batch.ts); the request ended, its tab reloads on an answer.
   */
  | 'prompt-not-held'
  /** The proxy's 407 had no usable Proxy-Authenticate: the browser never asked us (recorded from the request's end). */
  | 'no-challenge-header';

export type Outcome = 'ok' | 'rejected' | 'failed' | 'cancelled' | 'pending';

/** One challenge as history keeps it: the challenge's own fields, then what was decided and how it ended. */
export interface HistoryEntry extends Pick<Challenge, 'requestId' | 'tabId' | 'challenger' | 'realm' | 'scheme'> {
  id: string;
  at: number;
  /** Query stripped unless the user turned that off; empty for private windows. */
  url: string;
  profileId: string | null;
  profileName: string | null;
  decision: Decision;
  outcome: Outcome;
  attempts: number;
  /** True when the proxy's 407 came without a Proxy-Authenticate the browser could use. */
  noChallengeHeader?: boolean;
  private?: boolean;
  cookieStoreId?: string;
  /** The schemes the proxy's first 407 offered (lower-case, in its order), when the browser showed its headers. */
  offered?: string[];
  /**
   * What a guard against network-made challenges did with this request: `not-proof`, a second 407
   * after our answer that did not prove a refusal (the request ended, the credential kept its
   * standing); `unseen-realm`, an "any realm" profile was not sent to a realm the proxy never showed.
   */
  guard?: 'not-proof' | 'unseen-realm';
  /** Network error text when outcome is failed. */
  error?: string;
  /** Codes (see core/diagnose.ts); rows from before codes are read back as legacy-text findings. */
  diagnosis: Finding[];
}

export type NoMatchAction = 'ask' | 'browser' | 'cancel';

export interface Settings {
  noMatch: NoMatchAction;
  promptTimeoutSeconds: number;
  historyRetentionDays: number;
  historyMaxRows: number;
  stripQueryStrings: boolean;
  /** Lock the vault after this many minutes without use; 0: never. */
  vaultAutoLockMinutes: number;
}

export const DEFAULT_SETTINGS: Settings = {
  noMatch: 'ask',
  promptTimeoutSeconds: 120,
  historyRetentionDays: 30,
  historyMaxRows: 100_000,
  stripQueryStrings: true,
  vaultAutoLockMinutes: 0,
};

export { proxyKey, sameProxy } from './host';

/** The `updatedAt` of an edit: strictly after the previous version, so an edit always makes a new credential key. */
export const nextVersion = (now: number, previous: number | undefined): number => Math.max(now, (previous ?? 0) + 1);

/** A login remembered for this browser session only (never written to disk). */
export const isSessionProfile = (p: Pick<Profile, 'sessionOnly'>): boolean => p.sessionOnly === true;
