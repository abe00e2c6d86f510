// The worker's answers to profile messages. Pages get profiles without passwords; a password reaches
// a page only when the user asks to see it (with the vault on: after the master password).
import { policyRefusal } from '../core/managed-policy';
import { problem } from '../core/problems';
import { type Profile, nextVersion, profileView, sameProxy } from '../core/model';
import { ProfileRecordSchema, ProfileSaveSchema, validate } from '../core/profile-schema';
import { openSecret } from '../core/vault-crypto';
import type { Handlers } from '../messaging/router';
import { deleteProfile, loadProfiles } from '../storage/profiles';
import { rememberDeleted, takeDeleted } from '../storage/session';
import { isLocked, keyFor, persistProfile, restoreRecord, sameIdentity } from './vault';
import { type State, reloadProfiles } from './state';

type ProfileHandlers = Pick<Handlers, 'profiles/list' | 'profiles/save' | 'profiles/delete' | 'profiles/restore' | 'profiles/open'>;

/** The stored record of `id` as it is now (for its sealed secret), or null. */
async function storedRecord(id: string) {
  const { profiles } = await loadProfiles();
  return profiles.find((r) => r.id === id) ?? null;
}

export function profileHandlers(s: State): ProfileHandlers {
  return {
    'profiles/list': async () => {
      await reloadProfiles();
      return { profiles: s.profiles.map(profileView), problems: s.problems };
    },
    'profiles/save': async (input) => {
      if (typeof input !== 'object' || input === null) return { ok: false, problems: [problem('(root)', 'profile-not-object')] };
      if (input.id !== undefined && (typeof input.id !== 'string' || !input.id.trim()))
        return { ok: false, problems: [problem('id', 'id-not-text')] };
      const refused = policyRefusal(s.profiles, input.id, 'save');
      if (refused) return { ok: false, problems: [refused] };
      if (!input.id && s.policy.settings.allowUserProfiles === false) return { ok: false, problems: [problem('(root)', 'policy-user-profiles-off')] };
      const parsed = validate(ProfileSaveSchema, input);
      if (!parsed.ok) return parsed;
      const now = Date.now();
      const existing = input.id ? s.profiles.find((p) => p.id === input.id) : undefined;
      const { password, ...fields } = parsed.value;
      const profile: Profile = {
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
      const refused = policyRefusal(s.profiles, String(id), 'delete');
      if (refused) return { deleted: false, problems: [refused] };
      const removed = await deleteProfile(String(id));
      if (removed) await rememberDeleted(removed);
      await reloadProfiles();
      return { deleted: removed !== null };
    },
    'profiles/restore': async ({ id }) => {
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
