// Profiles in and out as the profiles file (docs/contracts.md): passwords only when asked; an import is validated whole and merged without doubling.
import * as v from 'valibot';
import { normalizeHost, proxyKey, sameProxy } from './host';
import { type Profile, isSessionProfile, nextVersion } from './model';
import { type Problem, ProfileFieldsSchema, validate } from './profile-schema';
import { problem } from './problems';

export const PROFILES_FORMAT = 'proxy-auth-keeper/profiles';

/** One profile in the file: the editable fields; password optional, realm and isDefault default to any / false. */
export const FileProfileSchema = v.object({
  ...ProfileFieldsSchema.entries,
  realm: v.optional(ProfileFieldsSchema.entries.realm, null),
  password: v.optional(ProfileFieldsSchema.entries.password),
  isDefault: v.optional(ProfileFieldsSchema.entries.isDefault, false),
});
export type FileProfile = v.InferOutput<typeof FileProfileSchema>;

/** The file's frame; each profile is checked on its own so every broken one is reported. */
const FileFrameSchema = v.object({
  format: v.literal(PROFILES_FORMAT, 'format-invalid'),
  version: v.literal(1, 'version-invalid'),
  exportedAt: v.pipe(v.string('exported-at-invalid'), v.isoTimestamp('exported-at-invalid')),
  profiles: v.pipe(v.array(v.unknown(), 'profiles-not-list'), v.maxLength(10_000, 'too-many-profiles')),
});

export interface ProfilesFile {
  format: typeof PROFILES_FORMAT;
  version: 1;
  exportedAt: string;
  profiles: FileProfile[];
}

export function profilesToFile(profiles: readonly Profile[], includePasswords: boolean, now: number): ProfilesFile {
  return {
    format: PROFILES_FORMAT,
    version: 1,
    exportedAt: new Date(now).toISOString(),
    profiles: profiles
      .filter((p) => !isSessionProfile(p))
      .map((p) => ({
        name: p.name,
        proxy: { host: p.proxy.host, port: p.proxy.port },
        realm: p.realm,
        scheme: p.scheme,
        username: p.username,
        ...(includePasswords ? { password: p.password } : {}),
        isDefault: p.isDefault,
      })),
  };
}

export interface ImportPlan {
  added: Profile[];
  updated: Profile[];
  /** Existing defaults that lose the flag because an imported profile is the default for their proxy. */
  demoted: Profile[];
  unchanged: number;
}

/** Same proxy (host case-insensitive) + realm + username: the same account, updated instead of doubled. */
export const accountKey = (p: { proxy: { host: string; port: number }; realm: string | null; username: string }): string =>
  JSON.stringify([normalizeHost(p.proxy.host), p.proxy.port, p.realm, p.username]);
const proxyId = (p: { proxy: { host: string; port: number } }): string => proxyKey(p.proxy);

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; problems: Problem[] } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, problems: [problem('(root)', 'file-not-json', { detail: err instanceof Error ? err.message : String(err) })] };
  }
}

/** Checks every profile and the file as a whole against what is saved; nothing is planned unless all is valid. */
function checkProfiles(items: readonly unknown[], existing: readonly Profile[]): { problems: Problem[]; valid: FileProfile[] } {
  const problems: Problem[] = [];
  const valid: FileProfile[] = [];
  const seen = new Map<string, number>();
  const defaults = new Map<string, number>();
  const saved = new Set(existing.map(accountKey));
  items.forEach((item, i) => {
    const at = `profiles[${i}]`;
    const r = validate(FileProfileSchema, item, at);
    if (!r.ok) return problems.push(...r.problems);
    const p = r.value;
    valid.push(p);
    const key = accountKey(p);
    const first = seen.get(key);
    if (first !== undefined) problems.push(problem(at, 'duplicate-account', { first: `profiles[${first}]` }));
    else seen.set(key, i);
    const firstDefault = defaults.get(proxyId(p));
    if (p.isDefault && firstDefault !== undefined) problems.push(problem(`${at}.isDefault`, 'default-taken', { first: `profiles[${firstDefault}]`, proxy: proxyId(p) }));
    else if (p.isDefault) defaults.set(proxyId(p), i);
    if (p.password === undefined && !saved.has(key))
      problems.push(problem(`${at}.password`, 'password-missing'));
  });
  return { problems, valid };
}

const sameFields = (a: Profile, b: Profile): boolean =>
  a.name === b.name && sameProxy(a.proxy, b.proxy) && a.realm === b.realm && a.scheme === b.scheme && a.username === b.username && a.password === b.password && a.isDefault === b.isDefault;

/** Reads an import file (text or parsed JSON) and plans what changes; every problem comes with its JSON path. */
export function planImport(
  input: string | unknown,
  existing: readonly Profile[],
  opts: { now: number; newId: () => string },
): { ok: true; value: ImportPlan } | { ok: false; problems: Problem[] } {
  const parsed = typeof input === 'string' ? parseJson(input) : { ok: true as const, value: input };
  if (!parsed.ok) return parsed;
  const frame = validate(FileFrameSchema, parsed.value);
  const items = Array.isArray((parsed.value as { profiles?: unknown } | null)?.profiles) ? ((parsed.value as { profiles: unknown[] }).profiles) : [];
  const checked = checkProfiles(items, existing);
  const frameProblems = frame.ok ? [] : frame.problems.map((p) => (p.code === 'format-invalid' ? problem(p.path, p.code, { format: PROFILES_FORMAT }) : p));
  const problems = [...frameProblems, ...checked.problems];
  if (problems.length) return { ok: false, problems };

  const byKey = new Map(existing.map((p) => [accountKey(p), p]));
  const plan: ImportPlan = { added: [], updated: [], demoted: [], unchanged: 0 };
  for (const f of checked.valid) {
    const current = byKey.get(accountKey(f));
    const fields = { ...f, name: f.name || `${f.username}@${f.proxy.host}`, password: f.password ?? current?.password ?? '' };
    if (!current) {
      plan.added.push({ ...fields, id: opts.newId(), createdAt: opts.now, updatedAt: opts.now, lastUsedAt: null });
      continue;
    }
    const next: Profile = { ...current, ...fields, proxy: { ...fields.proxy } };
    if (sameFields(current, next)) plan.unchanged++;
    else plan.updated.push({ ...next, updatedAt: nextVersion(opts.now, current.updatedAt) });
  }
  // the flag only: the credential is the same, so the breaker's verdict on it stays
  const inFile = new Set(checked.valid.map((f) => byKey.get(accountKey(f))?.id));
  const newDefaults = new Set(checked.valid.filter((f) => f.isDefault).map(proxyId));
  for (const p of existing) {
    if (p.isDefault && !inFile.has(p.id) && newDefaults.has(proxyId(p))) plan.demoted.push({ ...p, isDefault: false });
  }
  return { ok: true, value: plan };
}
