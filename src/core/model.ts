// The data the product is made of: profiles, challenges, decisions, history entries, settings.
import type { Finding } from './diagnosis-codes';

/** NTLM: the browser computes the handshake from the profile's user name (DOMAIN\\user or user@domain) and password. */
export type Scheme = 'basic' | 'digest' | 'ntlm';
export type ProfileScheme = Scheme | 'any';

export interface ProxyAddress {
  host: string;
  port: number;
}

export interface Profile {
  id: string;
  name: string;
  proxy: ProxyAddress;
  /** null: any realm. */
  realm: string | null;
  scheme: ProfileScheme;
  username: string;
  password: string;
  isDefault: boolean;
  createdAt: number;
  updatedAt: number;
  lastUsedAt: number | null;
  /** Remembered from a prompt for this browser session only; wins over saved profiles. */
  sessionOnly?: boolean;
  /** With the vault on: the password sealed with the vault key (then `password` is empty at rest). */
  secret?: { iv: string; ct: string };
  /** In memory only: the vault is locked, so the password is not known. */
  locked?: boolean;
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
  /** The proxy's 407 had no usable Proxy-Authenticate: the browser never asked us (recorded from the request's end). */
  | 'no-challenge-header';

export type Outcome = 'ok' | 'rejected' | 'failed' | 'cancelled' | 'pending';

export interface HistoryEntry {
  id: string;
  at: number;
  requestId: string;
  /** Query stripped unless the user turned that off; empty for private windows. */
  url: string;
  tabId: number;
  challenger: ProxyAddress;
  realm: string | null;
  scheme: string;
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
  vaultEnabled: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  noMatch: 'ask',
  promptTimeoutSeconds: 120,
  historyRetentionDays: 30,
  historyMaxRows: 100_000,
  stripQueryStrings: true,
  vaultEnabled: false,
};

export const proxyKey = (p: ProxyAddress): string => `${p.host.toLowerCase()}:${p.port}`;
