// What must survive a worker restart but not a browser restart: breaker verdicts and requests in flight.
import browser from 'webextension-polyfill';
import type { CredentialStatus } from '../core/breaker';
import type { Life } from '../core/request-life';
import type { Profile, ProfileRecord } from '../core/model';

/** A request in flight, as core/request-life.ts shapes it. */
export type TrackedRequest = Life;

export interface EngineSnapshot {
  breaker: Record<string, CredentialStatus>;
  requests: Record<string, TrackedRequest>;
}

const KEY = 'engine';

/** The snapshot in items read from storage.session. */
export function snapshotOf(items: Record<string, unknown>): EngineSnapshot {
  const raw = items[KEY] as Partial<EngineSnapshot> | undefined;
  return { breaker: raw?.breaker ?? {}, requests: raw?.requests ?? {} };
}

export async function loadSnapshot(): Promise<EngineSnapshot> {
  return snapshotOf(await browser.storage.session.get(KEY));
}

export async function saveSnapshot(s: EngineSnapshot): Promise<void> {
  await browser.storage.session.set({ [KEY]: s });
}

const SESSION_PROFILES = 'sessionProfiles';

/** Credentials the user chose to remember for this browser session only; never written to disk. */
export async function loadSessionProfiles(): Promise<Profile[]> {
  return sessionProfilesOf(await browser.storage.session.get(SESSION_PROFILES));
}

export function sessionProfilesOf(items: Record<string, unknown>): Profile[] {
  const raw = items[SESSION_PROFILES];
  return Array.isArray(raw) ? (raw as Profile[]) : [];
}

export async function saveSessionProfiles(list: readonly Profile[]): Promise<void> {
  await browser.storage.session.set({ [SESSION_PROFILES]: list });
}

const SESSION_SINCE = 'sessionSince';

/**
 * When this browser session's first worker started (storage.session is empty at every browser
 * start). Rows older than that come from an earlier session, whose tab ids mean other tabs now.
 */
export async function sessionSince(now = Date.now()): Promise<number> {
  const raw = (await browser.storage.session.get(SESSION_SINCE))[SESSION_SINCE];
  if (typeof raw === 'number') return raw;
  await browser.storage.session.set({ [SESSION_SINCE]: now });
  return now;
}

const DELETED = 'deletedProfiles';
/** Undo reaches back this far: the toast shows one at a time, the popup and options page one each. */
const MAX_DELETED = 10;

/**
 * Deleted records, as they were stored (sealed when the vault is on), so Undo puts back the real
 * password without a page ever holding it. Cleared when the vault's key changes.
 */
export async function rememberDeleted(record: ProfileRecord): Promise<void> {
  const list = await loadDeleted();
  await browser.storage.session.set({ [DELETED]: [...list.filter((r) => r.id !== record.id), record].slice(-MAX_DELETED) });
}

export async function takeDeleted(id: string): Promise<ProfileRecord | null> {
  const list = await loadDeleted();
  const found = list.find((r) => r.id === id) ?? null;
  if (found) await browser.storage.session.set({ [DELETED]: list.filter((r) => r.id !== id) });
  return found;
}

export async function forgetDeleted(): Promise<void> {
  await browser.storage.session.remove(DELETED);
}

async function loadDeleted(): Promise<ProfileRecord[]> {
  const raw = (await browser.storage.session.get(DELETED))[DELETED];
  return Array.isArray(raw) ? (raw as ProfileRecord[]) : [];
}
