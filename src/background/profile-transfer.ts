// Profiles file in and out for the options page: export as the profiles file (docs/contracts.md), import all-or-nothing.
import { problem } from '../core/problems';
import { planImport, profilesToFile } from '../core/profile-import';
import type { MessageMap } from '../messaging/map';
import { type State, reloadProfiles } from './state';
import { isLocked, persistProfiles } from './vault';
import { writeRefusal } from './profile-handlers';

type Response<K extends keyof MessageMap> = MessageMap[K]['response'];

export async function exportProfiles(s: State, includePasswords: boolean): Promise<Response<'profiles/export'>> {
  // the opened profiles: with the vault on, stored records hold no readable password
  // the organisation's profiles are its policy's, not the user's: never in the user's file
  const profiles = s.profiles.filter((p) => !p.managed);
  if (includePasswords && s.policy.settings.allowPasswordExport === false) return { ok: false, problems: [problem('includePasswords', 'policy-password-export-off')] };
  if (includePasswords && profiles.some((p) => p.locked)) return { ok: false, problems: [problem('includePasswords', 'vault-locked-export')] };
  const file = profilesToFile(profiles, includePasswords, Date.now());
  return { ok: true, value: { text: `${JSON.stringify(file, null, 2)}\n`, count: file.profiles.length } };
}

/** Validates against the saved profiles and writes every change in one storage call, or nothing. */
export async function importProfiles(s: State, text: string): Promise<Response<'profiles/import'>> {
  if (isLocked(s.vault)) return { ok: false, problems: [problem('(root)', 'vault-locked-import')] };
  const refused = writeRefusal(s, undefined);
  if (refused) return { ok: false, problems: [{ ...refused, path: '(root)' }] };
  const profiles = s.profiles.filter((p) => !p.managed);
  const plan = planImport(text, profiles, { now: Date.now(), newId: () => crypto.randomUUID() });
  if (!plan.ok) return plan;
  const { added, updated, demoted, unchanged } = plan.value;
  await persistProfiles([...added, ...updated, ...demoted], s.vault);
  await reloadProfiles();
  return { ok: true, value: { added: added.length, updated: updated.length, unchanged } };
}
