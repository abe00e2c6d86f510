// Saved profiles in storage.local: one record per key, validated on read, versioned with migrations.
import browser from 'webextension-polyfill';
import { removeLocal, setLocal } from './copied-areas';
import { sameProxy } from '../core/host';
import { withProven } from '../core/downgrade';
import type { ProfileRecord, Scheme } from '../core/model';
import { type Problem, ProfileRecordSchema, validate } from '../core/profile-schema';
import { CURRENT_VERSION, migrate } from './migrations';

export const PROFILE_PREFIX = 'profile:';
export const profileKey = (id: string): string => `${PROFILE_PREFIX}${id}`;

export interface LoadedProfiles {
  profiles: ProfileRecord[];
  /** Records that could not be read; they are skipped, kept in storage, and reported. */
  problems: Problem[];
}

/** Validates every stored record; a corrupted one is reported and skipped, never fatal. */
export function readProfiles(items: Record<string, unknown>): LoadedProfiles {
  const profiles: ProfileRecord[] = [];
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(items)) {
    if (!key.startsWith(PROFILE_PREFIX)) continue;
    const parsed = validate(ProfileRecordSchema, value, key);
    if (parsed.ok) profiles.push(parsed.value);
    else problems.push(...parsed.problems);
  }
  profiles.sort((a, b) => a.createdAt - b.createdAt);
  return { profiles, problems };
}

export async function ensureMigrated(): Promise<void> {
  const items = await browser.storage.local.get(null);
  const from = typeof items.schemaVersion === 'number' ? items.schemaVersion : 0;
  if (from >= CURRENT_VERSION) return;
  const { set, remove } = migrate(items, from);
  // before any copy is made (readSources migrates first), so straight to storage
  await browser.storage.local.set(set);
  if (remove.length) await browser.storage.local.remove(remove);
}

export async function loadProfiles(): Promise<LoadedProfiles> {
  await ensureMigrated();
  return readProfiles(await browser.storage.local.get(null));
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Every write to the profile records runs here, one after another: a read-modify-write (touchProfile,
 * a vault re-seal) never interleaves with another, so none can write back what the other replaced.
 */
export function serializeProfileWrites<T>(write: () => Promise<T>): Promise<T> {
  queued++;
  const run = queue.then(write, write).finally(() => queued--);
  queue = run.catch(() => {});
  return run;
}
let queued = 0;

/** Writes queued or running (tests use it to see that a write waits its turn). */
export const queuedProfileWrites = (): number => queued;

/** Resolves once every profile write queued so far is stored. */
export const profileWritesSettled = (): Promise<void> => queue.then(() => {});

/**
 * Writes one record now (call it inside serializeProfileWrites); making it the default clears the
 * flag on the others for the same proxy.
 */
export async function putProfile(profile: ProfileRecord): Promise<void> {
  const writes: Record<string, unknown> = { [profileKey(profile.id)]: profile };
  if (profile.isDefault) {
    const { profiles } = await loadProfiles();
    for (const other of profiles) {
      if (other.id !== profile.id && other.isDefault && sameProxy(other.proxy, profile.proxy)) writes[profileKey(other.id)] = { ...other, isDefault: false };
    }
  }
  await setLocal(writes);
}

/** Writes several finished records in one storage call now (inside serializeProfileWrites): the caller has settled default flags. */
export async function putProfiles(profiles: readonly ProfileRecord[]): Promise<void> {
  if (profiles.length) await setLocal(Object.fromEntries(profiles.map((p) => [profileKey(p.id), p])));
}

export const saveProfile = (profile: ProfileRecord): Promise<void> => serializeProfileWrites(() => putProfile(profile));
export const saveProfiles = (profiles: readonly ProfileRecord[]): Promise<void> => serializeProfileWrites(() => putProfiles(profiles));

/** Removes a record and hands back what it was (for Undo), or null when there was none. */
export function deleteProfile(id: string): Promise<ProfileRecord | null> {
  return serializeProfileWrites(async () => {
    const key = profileKey(id);
    const parsed = validate(ProfileRecordSchema, (await browser.storage.local.get(key))[key]);
    await removeLocal(key);
    return parsed.ok ? parsed.value : null;
  });
}

/** Records when a profile last answered; written rarely, so it does not bump updatedAt. */
export function touchProfile(id: string, at: number): Promise<void> {
  return serializeProfileWrites(async () => {
    const key = profileKey(id);
    const current = (await browser.storage.local.get(key))[key];
    const parsed = validate(ProfileRecordSchema, current);
    if (parsed.ok) await setLocal({ [key]: { ...parsed.value, lastUsedAt: at } });
  });
}

/** Adds a scheme the profile's password was proven with (or allowed for); its secret and updatedAt stay as they are. */
export function addProvenScheme(id: string, scheme: Scheme): Promise<void> {
  return serializeProfileWrites(async () => {
    const key = profileKey(id);
    const parsed = validate(ProfileRecordSchema, (await browser.storage.local.get(key))[key]);
    if (!parsed.ok) return;
    const provenSchemes = withProven(parsed.value, scheme);
    if (provenSchemes !== parsed.value.provenSchemes) await setLocal({ [key]: { ...parsed.value, provenSchemes } });
  });
}
