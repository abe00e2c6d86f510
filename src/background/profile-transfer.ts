// Profiles file in and out for the options page: export as the §8 file, import all-or-nothing.
import { planImport, profilesToFile } from '../core/profile-import';
import type { MessageMap } from '../messaging/map';
import { loadProfiles, saveProfiles } from '../storage/profiles';
import { reloadProfiles } from './state';

type Response<K extends keyof MessageMap> = MessageMap[K]['response'];

export async function exportProfiles(includePasswords: boolean): Promise<Response<'profiles/export'>> {
  const { profiles } = await loadProfiles();
  const file = profilesToFile(profiles, includePasswords, Date.now());
  return { text: `${JSON.stringify(file, null, 2)}\n`, count: file.profiles.length };
}

/** Validates against the saved profiles and writes every change in one storage call, or nothing. */
export async function importProfiles(text: string): Promise<Response<'profiles/import'>> {
  const { profiles } = await loadProfiles();
  const plan = planImport(text, profiles, { now: Date.now(), newId: () => crypto.randomUUID() });
  if (!plan.ok) return plan;
  const { added, updated, demoted, unchanged } = plan.value;
  await saveProfiles([...added, ...updated, ...demoted]);
  await reloadProfiles();
  return { ok: true, value: { added: added.length, updated: updated.length, unchanged } };
}
