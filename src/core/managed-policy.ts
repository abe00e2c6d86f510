// Profiles and settings an organisation sets through the browser's policy engine (storage.managed):
// validated like an import file, merged with the user's own profiles; a broken entry is reported with
// its path and skipped, never breaking what the user saved.
import * as v from 'valibot';
import { type Profile, type Settings, isSessionProfile } from './model';
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
  promptTimeoutSeconds: v.optional(v.pipe(v.number('prompt-timeout-not-number'), v.integer('prompt-timeout-not-whole'), v.minValue(10, 'prompt-timeout-too-short'), v.maxValue(600, 'policy-value-out-of-range'))),
  historyRetentionDays: v.optional(v.pipe(v.number('retention-not-number'), v.integer('retention-not-whole'), v.minValue(0, 'retention-too-short'), v.maxValue(3650, 'retention-too-long'))),
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
}

export const EMPTY_POLICY: ManagedPolicy = { profiles: [], settings: {}, problems: [] };

const MANAGED_ID = 'managed:';
export const isManagedId = (id: string): boolean => id.startsWith(MANAGED_ID);

/** A policy profile's id: the same account keeps the same id across policy reloads and workers. */
export const managedId = (p: { proxy: { host: string; port: number }; realm: string | null; username: string }): string => `${MANAGED_ID}${accountKey(p)}`;

/** Reads what storage.managed holds (`{ profiles, settings }`); every broken entry is a problem, the rest is kept. */
export function readPolicy(raw: unknown): ManagedPolicy {
  if (raw === undefined || raw === null) return EMPTY_POLICY;
  if (typeof raw !== 'object' || Array.isArray(raw)) return { ...EMPTY_POLICY, problems: [problem('(root)', 'invalid-type', { expected: 'Object' })] };
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
  return { profiles, settings, problems };
}

/** A preset's user-side change: username and password the user chose for it, kept in storage.local. */
export interface PresetOverride {
  username: string;
  password: string;
}

/**
 * The profiles matching sees and the pages list: policy profiles first (with a preset's user override),
 * then the user's own, unless the policy forbids them. A user profile for the same account as a policy
 * profile is shadowed by it (the policy wins; the user's record stays stored, untouched).
 */
export function mergeProfiles(policy: ManagedPolicy, user: readonly Profile[], overrides: ReadonlyMap<string, PresetOverride> = new Map()): Profile[] {
  const managed = policy.profiles.map((p) => {
    const o = p.managed === 'preset' ? overrides.get(p.id) : undefined;
    return o ? { ...p, username: o.username, password: o.password, askOncePerSession: undefined, updatedAt: p.updatedAt + 1 } : p;
  });
  const managedAccounts = new Set(policy.profiles.map(accountKey));
  const own = policy.settings.allowUserProfiles === false ? user.filter(isSessionProfile) : user.filter((p) => !managedAccounts.has(accountKey(p)));
  return [...managed, ...own];
}

/** Why the worker refuses a change to `id`: a locked policy profile is read-only and cannot be deleted. */
export function policyRefusal(profiles: readonly Profile[], id: string | undefined, action: 'save' | 'delete'): Problem | null {
  if (!id) return null;
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
