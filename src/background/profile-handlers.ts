// The worker's answers to profile messages. Pages get profiles without passwords; a password reaches
// a page only when the user asks to see it (with the vault on: after the master password).
import { isManagedId, policyRefusal, presetRecord } from '../core/managed-policy';
import { problem } from '../core/problems';
import { type Profile, nextVersion, profileView, sameProxy } from '../core/model';
import { type Problem, ProfileRecordSchema, type ProfileSaveFields, ProfileSaveSchema, validate } from '../core/profile-schema';
import { openSecret } from '../core/vault-crypto';
import type { Handlers } from '../messaging/router';
import { deleteProfile, loadProfiles } from '../storage/profiles';
import { rememberDeleted, takeDeleted } from '../storage/session';
import { isLocked, keyFor, persistProfile, restoreRecord, sameIdentity } from './vault';
import { type State, reloadPolicy, reloadProfiles } from './state';

type ProfileHandlers = Pick<Handlers, 'profiles/list' | 'profiles/save' | 'profiles/delete' | 'profiles/restore' | 'profiles/open'>;

/** The stored record of `id` as it is now (for its sealed secret), or null. */
async function storedRecord(id: string) {
  const { profiles } = await loadProfiles();
  return profiles.find((r) => r.id === id) ?? null;
}

/**
 * The organisation's rules for writing a profile of the user's (`id` absent: a new one): none with
 * user profiles forbidden (a preset's own login excepted), none with a password in the clear while the
 * policy requires the vault and it is off.
 */
export function writeRefusal(s: State, id: string | undefined): Problem | null {
  const preset = id !== undefined && isManagedId(id);
  if (!preset && s.policy.settings.allowUserProfiles === false) return problem('(root)', 'policy-user-profiles-off');
  if (s.policy.settings.vaultRequired === true && !s.vault.meta) return problem('password', 'policy-vault-required');
  if (s.vault.damaged) return problem('password', 'vault-damaged');
  return null;
}

/** The first field of a save that differs from the preset's policy values (only username and password may change). */
function presetFieldChanged(p: Profile, f: Omit<ProfileSaveFields, 'password'>): string | null {
  if (f.name !== p.name) return 'name';
  if (!sameProxy(f.proxy, p.proxy)) return 'proxy.host';
  if (f.realm !== p.realm) return 'realm';
  if (f.scheme !== p.scheme) return 'scheme';
  if (f.isDefault !== p.isDefault) return 'isDefault';
  return null;
}

export function profileHandlers(s: State): ProfileHandlers {
  return {
    'profiles/list': async () => {
      // the policy is read again too: a browser that re-read its policy without telling us is seen here
      await reloadPolicy();
      return { profiles: s.profiles.map(profileView), problems: s.problems };
    },
    'profiles/save': async (input) => {
      if (typeof input !== 'object' || input === null) return { ok: false, problems: [problem('(root)', 'profile-not-object')] };
      if (input.id !== undefined && (typeof input.id !== 'string' || !input.id.trim()))
        return { ok: false, problems: [problem('id', 'id-not-text')] };
      const refused = policyRefusal(s.profiles, input.id, 'save') ?? writeRefusal(s, input.id);
      if (refused) return { ok: false, problems: [refused] };
      const parsed = validate(ProfileSaveSchema, input);
      if (!parsed.ok) return parsed;
      const now = Date.now();
      const existing = input.id ? s.profiles.find((p) => p.id === input.id) : undefined;
      const { password, ...fields } = parsed.value;
      // a preset: the user's username and password over the policy's profile, nothing else
      const preset = existing?.managed === 'preset' ? existing : undefined;
      if (preset) {
        const changed = presetFieldChanged(preset, fields);
        if (changed) return { ok: false, problems: [problem(changed, 'policy-preset-fields')] };
        // a preset without a policy password has none to keep: the user's own is needed
        if (password === undefined && preset.askOncePerSession) return { ok: false, problems: [problem('password', 'password-missing')] };
      }
      const profile: Profile = preset ? presetRecord(preset, fields.username, password ?? preset.password, now) : {
        ...fields,
        // without a password the profile keeps its own: a page never has to send one back
        password: password ?? existing?.password ?? '',
        // an unknown id is kept (profiles written by another version, tests)
        id: existing?.id ?? input.id?.trim() ?? crypto.randomUUID(),
        createdAt: existing?.createdAt ?? now,
        // strictly increasing so every edit makes a new credential version for the breaker
        updatedAt: nextVersion(now, existing?.updatedAt),
        lastUsedAt: existing?.lastUsedAt ?? null,
        // what this proxy was seen to use stays known across edits (a Digest-only password keeps asking before Basic)
        ...(existing?.provenSchemes && sameProxy(existing.proxy, fields.proxy) ? { provenSchemes: existing.provenSchemes } : {}),
      };
      const needsOpen = password === undefined && (existing?.locked || existing?.unopenable);
      if (needsOpen) {
        // the password is not known here: its sealed form is kept as long as it stays bound to the same record
        const record = await storedRecord(profile.id);
        if (!record?.secret || !sameIdentity(record, profile))
          return { ok: false, problems: [problem('password', existing?.locked ? 'vault-locked-edit' : 'password-unopenable')] };
        await persistProfile(profile, s.vault, record.secret);
      } else {
        if (isLocked(s.vault)) return { ok: false, problems: [problem('password', 'vault-locked-edit')] };
        await persistProfile(profile, s.vault);
      }
      await reloadProfiles();
      return { ok: true, value: profileView(s.profiles.find((p) => p.id === profile.id) ?? profile) };
    },
    'profiles/delete': async ({ id }) => {
      // deleting stays allowed with the vault required or user profiles off: it writes no password
      const refused = policyRefusal(s.profiles, String(id), 'delete');
      if (refused) return { deleted: false, problems: [refused] };
      const removed = await deleteProfile(String(id));
      if (removed) await rememberDeleted(removed);
      await reloadProfiles();
      return { deleted: removed !== null };
    },
    'profiles/restore': async ({ id }) => {
      const refused = writeRefusal(s, undefined);
      if (refused) return { ok: false, problems: [refused] };
      const record = validate(ProfileRecordSchema, await takeDeleted(String(id)));
      if (!record.ok) return { ok: false, problems: [problem('id', 'undo-gone')] };
      await restoreRecord(record.value);
      await reloadProfiles();
      const restored = s.profiles.find((p) => p.id === record.value.id);
      return restored ? { ok: true, value: profileView(restored) } : { ok: false, problems: [problem('id', 'undo-gone')] };
    },
    'profiles/open': async ({ id, masterPassword }) => {
      const record = await storedRecord(String(id));
      if (!record) return { ok: false, problems: [problem('id', 'profile-gone')] };
      if (!record.secret) return { ok: true, value: { password: record.password } };
      // seeing a sealed password takes the master password, even while the vault is unlocked
      if (!s.vault.meta) return { ok: false, problems: [problem('masterPassword', 'password-unopenable')] };
      if (typeof masterPassword !== 'string' || !masterPassword) return { ok: false, problems: [problem('masterPassword', 'master-required')] };
      const checked = await keyFor(s.vault.meta, masterPassword);
      if (!checked.ok) return checked;
      try {
        return { ok: true, value: { password: await openSecret(checked.key, record.secret, record, s.vault.meta.bound !== true) } };
      } catch {
        return { ok: false, problems: [problem('password', 'password-unopenable')] };
      }
    },
  };
}
