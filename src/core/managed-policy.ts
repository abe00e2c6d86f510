// Profiles and settings an organisation sets through the browser's policy engine (storage.managed):
// validated like an import file, merged with the user's own profiles; a broken entry is reported with
// its path and skipped, never breaking what the user saved.
import * as v from 'valibot';
import { type Profile, type Settings, isSessionProfile } from './model';
import { MAX_PROMPT_TIMEOUT_SECONDS } from './settings-schema';
import { accountKey } from './profile-import';
import { type Problem, ProfileFieldsSchema, validate } from './profile-schema';
import { problem } from './problems';

export type ManagedMode = 'locked' | 'preset';

/** One profile in the policy: the import file's fields plus the admin's mode. */
export const PolicyProfileSchema = v.object({
  ...ProfileFieldsSchema.entries,
  name: v.optional(ProfileFieldsSchema.entries.name, ''),
  realm: v.optional(ProfileFieldsSchema.entries.realm, null),
  scheme: v.optional(ProfileFieldsSchema.entries.scheme, 'any'),
  password: v.optional(ProfileFieldsSchema.entries.password),
  isDefault: v.optional(ProfileFieldsSchema.entries.isDefault, false),
  mode: v.optional(v.picklist(['locked', 'preset'], 'policy-mode-invalid'), 'locked'),
  askOncePerSession: v.optional(v.boolean('policy-ask-once-not-boolean'), false),
});
export type PolicyProfile = v.InferOutput<typeof PolicyProfileSchema>;

/** Settings the policy forces; each absent one is left to the user. */
export const PolicySettingsSchema = v.object({
  noMatch: v.optional(v.picklist(['ask', 'browser', 'cancel'], 'no-match-invalid')),
  promptTimeoutSeconds: v.optional(v.pipe(v.number('prompt-timeout-not-number'), v.integer('prompt-timeout-not-whole'), v.minValue(10, 'prompt-timeout-too-short'), v.maxValue(MAX_PROMPT_TIMEOUT_SECONDS, 'policy-value-out-of-range'))),
  historyRetentionDays: v.optional(v.pipe(v.number('retention-not-number'), v.integer('retention-not-whole'), v.minValue(1, 'retention-too-short'), v.maxValue(3650, 'retention-too-long'))),
  stripQueryStrings: v.optional(v.boolean('strip-query-not-boolean')),
  vaultRequired: v.optional(v.boolean('policy-flag-not-boolean')),
  allowUserProfiles: v.optional(v.boolean('policy-flag-not-boolean')),
  allowPasswordExport: v.optional(v.boolean('policy-flag-not-boolean')),
});
export type PolicySettings = v.InferOutput<typeof PolicySettingsSchema>;

export interface ManagedPolicy {
  /** Valid policy profiles, opened as profiles (id `managed:<n>` from their account). */
  profiles: Profile[];
  settings: PolicySettings;
  /** Each broken value with its path in the policy (`profiles[2].proxy.port`). */
  problems: Problem[];
  /** storage.managed held anything for us (a policy that is all broken is still a policy). */
  active: boolean;
}

export const EMPTY_POLICY: ManagedPolicy = { profiles: [], settings: {}, problems: [], active: false };

const MANAGED_ID = 'managed:';
export const isManagedId = (id: string): boolean => id.startsWith(MANAGED_ID);

/** A policy profile's id: the same account keeps the same id across policy reloads and workers. */
export const managedId = (p: { proxy: { host: string; port: number }; realm: string | null; username: string }): string => `${MANAGED_ID}${accountKey(p)}`;

/** Reads what storage.managed holds (`{ profiles, settings }`); every broken entry is a problem, the rest is kept. */
export function readPolicy(raw: unknown): ManagedPolicy {
  if (raw === undefined || raw === null || (typeof raw === 'object' && !Array.isArray(raw) && Object.keys(raw).length === 0)) return EMPTY_POLICY;
  if (typeof raw !== 'object' || Array.isArray(raw)) return { ...EMPTY_POLICY, active: true, problems: [problem('(root)', 'invalid-type', { expected: 'Object' })] };
  const { profiles: items, settings: rawSettings } = raw as { profiles?: unknown; settings?: unknown };
  const problems: Problem[] = [];
  const profiles: Profile[] = [];
  if (items !== undefined && !Array.isArray(items)) problems.push(problem('profiles', 'profiles-not-list'));
  const seen = new Map<string, number>();
  (Array.isArray(items) ? items : []).forEach((item, i) => {
    const at = `profiles[${i}]`;
    const r = validate(PolicyProfileSchema, item, at);
    if (!r.ok) return problems.push(...r.problems);
    const p = r.value;
    const id = managedId(p);
    const first = seen.get(id);
    if (first !== undefined) return problems.push(problem(at, 'duplicate-account', { first: `profiles[${first}]` }));
    seen.set(id, i);
    profiles.push({
      id,
      name: p.name || `${p.username}@${p.proxy.host}`,
      proxy: { ...p.proxy },
      realm: p.realm,
      scheme: p.scheme,
      username: p.username,
      password: p.password ?? '',
      isDefault: p.isDefault,
      createdAt: 0,
      updatedAt: 1,
      lastUsedAt: null,
      managed: p.mode,
      ...(p.askOncePerSession || p.password === undefined ? { askOncePerSession: true } : {}),
    });
  });
  let settings: PolicySettings = {};
  if (rawSettings !== undefined) {
    const r = validate(PolicySettingsSchema, rawSettings, 'settings');
    if (r.ok) settings = r.value;
    else problems.push(...r.problems);
  }
  return { profiles, settings, problems, active: true };
}

/**
 * The profiles matching sees and the pages list: policy profiles first, then the user's own, unless the
 * policy forbids them. A user profile for the same account as a policy profile is shadowed by it (the
 * policy wins; the user's record stays stored, untouched). A preset's own username and password are a
 * user record under the preset's id (`managed:…`, sealed by the vault like any record): they replace the
 * policy's login; such a record is never listed on its own, and is ignored while its id is not a preset.
 */
export function mergeProfiles(policy: ManagedPolicy, user: readonly Profile[]): Profile[] {
  const overrides = new Map(user.filter((p) => isManagedId(p.id)).map((p) => [p.id, p]));
  const managed = policy.profiles.map((p): Profile => {
    const o = p.managed === 'preset' ? overrides.get(p.id) : undefined;
    // an override whose seal does not open in this record (the policy moved the preset) gives way to the policy's login
    if (!o || o.unopenable) return p;
    const { askOncePerSession: _ask, ...rest } = p;
    return {
      ...rest,
      username: o.username,
      password: o.password,
      // each edit of the override is a new credential version for the breaker
      updatedAt: Math.max(p.updatedAt, o.updatedAt),
      lastUsedAt: o.lastUsedAt,
      ...(o.locked ? { locked: true } : {}),
      ...(o.provenSchemes ? { provenSchemes: o.provenSchemes } : {}),
    };
  });
  const managedAccounts = new Set(policy.profiles.map(accountKey));
  const mine = user.filter((p) => !isManagedId(p.id));
  const own = policy.settings.allowUserProfiles === false ? mine.filter(isSessionProfile) : mine.filter((p) => !managedAccounts.has(accountKey(p)));
  return [...managed, ...own];
}

/** What is stored for a preset's own login: the policy's profile with the user's username and password, as a plain user record. */
export function presetRecord(p: Profile, username: string, password: string, now: number): Profile {
  const { managed: _m, askOncePerSession: _a, locked: _l, unopenable: _u, ...rest } = p;
  return { ...rest, username, password, isDefault: false, updatedAt: Math.max(now, p.updatedAt + 1) };
}

/** The settings of the pages' Settings tab that the policy forces (shown as managed, disabled). */
export type ForcedSetting = 'noMatch' | 'promptTimeoutSeconds' | 'historyRetentionDays' | 'stripQueryStrings';
const FORCEABLE: readonly ForcedSetting[] = ['noMatch', 'promptTimeoutSeconds', 'historyRetentionDays', 'stripQueryStrings'];

export const forcedSettings = (forced: PolicySettings): ForcedSetting[] => FORCEABLE.filter((k) => forced[k] !== undefined);

/** The policy's rules beyond settings values, with the defaults that hold without a policy. */
export interface PolicyRules {
  vaultRequired: boolean;
  allowUserProfiles: boolean;
  allowPasswordExport: boolean;
}

export const policyRules = (forced: PolicySettings): PolicyRules => ({
  vaultRequired: forced.vaultRequired === true,
  allowUserProfiles: forced.allowUserProfiles !== false,
  allowPasswordExport: forced.allowPasswordExport !== false,
});

/**
 * A settings save with the policy in force: a forced key may be sent only with its forced value (the
 * page shows it disabled); the user's own stored value of it is kept, so it is back when the policy drops it.
 */
export function applySettingsSave(input: Settings, stored: Settings, forced: PolicySettings): { ok: true; settings: Settings } | { ok: false; problems: Problem[] } {
  const refused = forcedSettings(forced).filter((k) => input[k] !== forced[k]);
  if (refused.length) return { ok: false, problems: refused.map((k) => problem(k, 'policy-setting-forced')) };
  const out = { ...input };
  for (const k of forcedSettings(forced)) (out as Record<string, unknown>)[k] = stored[k];
  return { ok: true, settings: out };
}

/** Why the worker refuses a change to `id`: a locked policy profile is read-only and cannot be deleted. */
export function policyRefusal(profiles: readonly Profile[], id: string | undefined, action: 'save' | 'delete'): Problem | null {
  if (!id) return null;
  // a managed id the policy no longer has is read-only: its leftovers are not the user's to rewrite
  const p = profiles.find((x) => x.id === id) ?? (isManagedId(id) ? ({ managed: 'locked' } as Pick<Profile, 'managed'>) : undefined);
  if (!p?.managed) return null;
  if (p.managed === 'locked' || action === 'delete') return problem('id', p.managed === 'locked' ? 'policy-locked' : 'policy-preset-delete');
  return null;
}

/** The settings the worker works with: the user's, with each one the policy forces put in its place. */
export function effectiveSettings(user: Settings, forced: PolicySettings): Settings {
  const out = { ...user };
  if (forced.noMatch !== undefined) out.noMatch = forced.noMatch;
  if (forced.promptTimeoutSeconds !== undefined) out.promptTimeoutSeconds = forced.promptTimeoutSeconds;
  if (forced.historyRetentionDays !== undefined) out.historyRetentionDays = forced.historyRetentionDays;
  if (forced.stripQueryStrings !== undefined) out.stripQueryStrings = forced.stripQueryStrings;
  return out;
}
