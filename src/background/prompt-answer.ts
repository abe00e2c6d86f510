// Turns the user's typed answer into a credential: used once, remembered for the session, or saved.
import { isManagedId, presetRecord } from '../core/managed-policy';
import { problem } from '../core/problems';
import { credentialKey, onceCredentialKey } from '../core/plan';
import type { Profile } from '../core/model';
import { nextVersion, sameProxy } from '../core/model';
import { SESSION_ID_PREFIX } from '../core/profile-label';
import { ProfileFieldsSchema, validate } from '../core/profile-schema';
import type { PromptAnswer, Result } from '../messaging/map';
import { isLocked, persistProfile } from './vault';
import { finishPrompt } from './prompts';
import { type State, addSessionProfile, reloadProfiles } from './state';
import { isScheme } from '../core/downgrade';
import { rememberProven } from './proven';
import { writeRefusal } from './profile-handlers';

const provenFor = (scheme: string): Pick<Profile, 'provenSchemes'> => (isScheme(scheme) ? { provenSchemes: [scheme] } : {});

/** The user's yes to a downgrade prompt: its profile answers with Basic, now and from now on. */
async function allowBasic(s: State, id: string): Promise<Result<{ released: number }>> {
  const prompt = s.prompts.get(id);
  const profile = [...s.profiles, ...s.sessionProfiles].find((p) => p.id === prompt?.downgradeProfile?.id);
  if (!prompt || !profile) return { ok: false, problems: [problem('id', 'prompt-gone')] };
  if (profile.locked) return { ok: false, problems: [problem('remember', 'vault-locked-save')] };
  await rememberProven(s, profile, 'basic');
  const key = credentialKey({ challenger: prompt.proxy, realm: prompt.realm }, profile);
  const released = finishPrompt(s, id, { kind: 'credentials', username: profile.username, password: profile.password, credentialKey: key, profileId: profile.id });
  return { ok: true, value: { released } };
}

export async function answerPrompt(s: State, a: PromptAnswer): Promise<Result<{ released: number }>> {
  const prompt = s.prompts.get(a.id);
  if (!prompt) return { ok: false, problems: [problem('id', 'prompt-gone')] };
  // an unlock prompt is answered by vault/unlock (the one way to open the vault), never with a login
  if (prompt.reason === 'vault-locked') return { ok: false, problems: [problem('id', 'prompt-needs-unlock')] };
  if (prompt.reason === 'downgrade' && a.allowBasic === true) return allowBasic(s, a.id);
  if (!a.username) return { ok: false, problems: [problem('username', 'username-required')] };
  const now = Date.now();
  const target = { challenger: prompt.proxy, realm: prompt.realm };
  let key = onceCredentialKey(target, crypto.randomUUID());
  let profileId: string | null = null;

  const updated = a.updateProfileId ? s.profiles.find((p) => p.id === a.updateProfileId) : undefined;
  // the organisation's policy: a locked profile is not rewritten from a prompt, nor a profile of the user's own saved where forbidden
  // a preset takes the user's own login (kept beside the policy's profile, under its id)
  if (a.updateProfileId && updated?.managed !== 'preset' && (updated?.managed === 'locked' || isManagedId(a.updateProfileId))) return { ok: false, problems: [problem('id', 'policy-locked')] };
  if (updated || a.remember === 'save') {
    const refused = writeRefusal(s, updated?.id);
    if (refused) return { ok: false, problems: [{ ...refused, path: 'remember' }] };
  }
  if (updated?.managed === 'preset') {
    const profile = { ...presetRecord(updated, a.username, a.password, now), lastUsedAt: now };
    const checked = validate(ProfileFieldsSchema, profile);
    if (!checked.ok) return checked;
    if (isLocked(s.vault)) return { ok: false, problems: [problem('remember', 'vault-locked-save')] };
    await persistProfile(profile, s.vault);
    await reloadProfiles();
    key = credentialKey(target, s.profiles.find((p) => p.id === profile.id) ?? profile);
    profileId = profile.id;
  } else if (updated || a.remember === 'save') {
    const base: Profile = updated ?? {
      id: crypto.randomUUID(),
      name: a.profileName?.trim() || `${a.username}@${prompt.proxy.host}`,
      proxy: { ...prompt.proxy },
      realm: prompt.realm,
      scheme: prompt.scheme === 'digest' || prompt.scheme === 'basic' || prompt.scheme === 'ntlm' ? prompt.scheme : 'any',
      username: a.username,
      password: a.password,
      isDefault: !s.profiles.some((p) => sameProxy(p.proxy, prompt.proxy)),
      createdAt: now,
      updatedAt: now,
      lastUsedAt: null,
      ...provenFor(prompt.scheme),
    };
    const profile: Profile = { ...base, username: a.username, password: a.password, updatedAt: nextVersion(now, base.updatedAt), lastUsedAt: now };
    const checked = validate(ProfileFieldsSchema, profile);
    if (!checked.ok) return checked;
    if (isLocked(s.vault)) return { ok: false, problems: [problem('remember', 'vault-locked-save')] };
    await persistProfile(profile, s.vault);
    await reloadProfiles();
    key = credentialKey(target, profile);
    profileId = profile.id;
  } else if (a.remember === 'session') {
    const profile: Profile = {
      id: `${SESSION_ID_PREFIX}${crypto.randomUUID()}`,
      // the username only: the pages say "this session" in their own language (core/profile-label.ts)
      name: a.username,
      proxy: { ...prompt.proxy },
      realm: prompt.realm,
      scheme: 'any',
      username: a.username,
      password: a.password,
      isDefault: false,
      createdAt: now,
      updatedAt: now,
      lastUsedAt: now,
      sessionOnly: true,
      // typed for this challenge's scheme: typed for Digest, it is not sent to a Basic challenge without a yes
      ...provenFor(prompt.scheme),
    };
    await addSessionProfile(s, profile);
    key = credentialKey(target, profile);
    profileId = profile.id;
  }
  const released = finishPrompt(s, a.id, { kind: 'credentials', username: a.username, password: a.password, credentialKey: key, profileId });
  return { ok: true, value: { released } };
}
