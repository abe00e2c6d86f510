// The one message map between pages and the worker: each name with its request and response types.
import type { ForcedSetting, PolicyRules } from '../core/managed-policy';
import type { HistoryEntry, ProfileView, Settings } from '../core/model';
import type { Problem, ProfileSaveFields } from '../core/profile-schema';
import type { HistoryQuery } from '../storage/history';

export type { PendingPrompt } from '../core/prompt-queue';
import type { PendingPrompt } from '../core/prompt-queue';

export type Remember = 'once' | 'session' | 'save';

export interface PromptAnswer {
  id: string;
  username: string;
  password: string;
  remember: Remember;
  /** With remember 'save': the new profile's name (default: user@host). */
  profileName?: string;
  /** After a rejection: write the new password into this profile. */
  updateProfileId?: string;
  /** When the prompt's reason is 'downgrade': yes, send the Digest-proven profile's password with Basic (remembered on the profile). */
  allowBasic?: boolean;
}

export interface EngineStatus {
  startedAt: number;
  challengesSeen: number;
  promptsShown: number;
  promptsPending: number;
  /** Credentials the proxy refused that will not be sent again until edited or retyped. */
  openBreakers: number;
  profileProblems: Problem[];
  /** Requests the browser started while an unproven credential's first answer awaited its verdict (core/in-flight.ts). */
  startedWhileProbing: number;
  /** First answers of unproven credentials that waited for other started requests (a lone request, or a proven credential, never does). */
  burstWaits: number;
  /** First answers released by the burst wait's safety net rather than the request ordering. */
  burstSafetyReleases: number;
}

export interface VaultStatus {
  enabled: boolean;
  unlocked: boolean;
  /** PBKDF2 iterations of the current key (stored with the data so they can be raised). */
  iterations: number | null;
  /** The stored vault record cannot be read: sealed passwords cannot be opened, no new password is saved. */
  damaged?: true;
}

export interface SettingsState {
  settings: Settings;
  forced: ForcedSetting[];
  rules: PolicyRules;
}

export interface PolicyStatus {
  /** storage.managed holds a policy for this extension (valid or not). */
  active: boolean;
  profiles: number;
  problems: Problem[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export interface MessageMap {
  /** Every saved profile without its password (vault on or off): the pages never hold one they do not need. */
  'profiles/list': { request: void; response: { profiles: ProfileView[]; problems: Problem[] } };
  /** Without `password`, an existing profile keeps the password it has (sealed or not). */
  'profiles/save': { request: ProfileSaveFields & { id?: string }; response: Result<ProfileView> };
  'profiles/delete': { request: { id: string }; response: { deleted: boolean; problems?: Problem[] } };
  /** Undo of a delete: the record comes back exactly as it was stored, password included, from the worker's memory of it. */
  'profiles/restore': { request: { id: string }; response: Result<ProfileView> };
  /** "Show saved password": with the vault on only with the master password (checked even while unlocked). */
  'profiles/open': { request: { id: string; masterPassword?: string }; response: Result<{ password: string }> };
  /** The profiles file (docs/contracts.md) as text; nothing changes unless the whole file is valid. */
  'profiles/import': { request: { text: string }; response: Result<{ added: number; updated: number; unchanged: number }> };
  /** The profiles file (docs/contracts.md); passwords only when asked (Result: the policy or a locked vault may refuse them). */
  'profiles/export': { request: { includePasswords: boolean }; response: Result<{ text: string; count: number }> };
  'history/query': { request: HistoryQuery; response: HistoryEntry[] };
  'history/export': { request: { format: 'csv' | 'json' }; response: { text: string; count: number } };
  'history/clear': { request: void; response: { cleared: true } };
  /** Resolves once every history write so far is stored (tests and exports rely on it). */
  'history/flush': { request: void; response: { flushed: true } };
  'prompts/list': { request: void; response: PendingPrompt[] };
  'prompts/answer': { request: PromptAnswer; response: Result<{ released: number }> };
  'prompts/cancel': { request: { id: string }; response: { cancelled: number } };
  /** What the worker has done since it last started: for the options page's status line and for tests. */
  'engine/status': { request: void; response: EngineStatus };
  'vault/status': { request: void; response: VaultStatus };
  'vault/enable': { request: { masterPassword: string }; response: Result<VaultStatus> };
  'vault/unlock': { request: { masterPassword: string }; response: Result<VaultStatus> };
  'vault/lock': { request: void; response: VaultStatus };
  'vault/change': { request: { masterPassword: string; newMasterPassword: string }; response: Result<VaultStatus> };
  'vault/disable': { request: { masterPassword: string }; response: Result<VaultStatus> };
  /** The settings in force (the policy's forced values in place of the user's), which keys the policy forces, and its rules. */
  'settings/get': { request: void; response: SettingsState };
  /** A forced key is refused unless it carries the forced value; the answer is the settings in force. */
  'settings/save': { request: unknown; response: Result<Settings> };
  /** The organisation's policy as the worker read it: whether there is one, and each broken entry with its path. */
  'policy/status': { request: void; response: PolicyStatus };
}

export type MessageName = keyof MessageMap;
export type RequestOf<K extends MessageName> = MessageMap[K]['request'];
export type ResponseOf<K extends MessageName> = MessageMap[K]['response'];

export interface Envelope<K extends MessageName = MessageName> {
  /** Marks our messages so the router ignores anything else on the runtime channel. */
  pak: 1;
  name: K;
  payload: RequestOf<K>;
}

/** What the worker tells every open page, unasked (no reply): history rows written or removed. */
export interface BroadcastMap {
  'history/written': { entries: HistoryEntry[] };
  /** Rows dropped by retention or Clear history; `all` when everything went. */
  'history/removed': { ids: string[]; all: boolean };
}

export type BroadcastName = keyof BroadcastMap;

export interface BroadcastEnvelope<K extends BroadcastName = BroadcastName> {
  pakBroadcast: 1;
  name: K;
  payload: BroadcastMap[K];
}

/** What crosses the boundary: a value, or an error as data (never a thrown object). */
export type Reply<K extends MessageName> = { ok: true; value: ResponseOf<K> } | { ok: false; error: string };
