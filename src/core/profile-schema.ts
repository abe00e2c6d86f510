// Validation of profiles wherever they come from: a stored record, the profile form, an import file.
import * as v from 'valibot';
import { normalizeHost, wildcardProblem } from './host';
import { isProblemCode, type Problem, problem } from './problems';

// a DNS name (optionally *.wildcard), or an IPv6 literal (two colons at least, so "host:port" is refused)
const hostPattern = /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?\.?$|^\[?(?=[0-9a-f.]*:[0-9a-f.]*:)[0-9a-f:.]+\]?$/i;

export const HostSchema = v.pipe(
  v.string('host-not-text'),
  v.trim(),
  v.nonEmpty('host-required'),
  v.maxLength(253, 'host-too-long'),
  v.regex(hostPattern, 'host-invalid'),
  // one spelling per host: Proxy.Corp.Example. and proxy.corp.example are the same proxy
  v.transform(normalizeHost),
  v.rawCheck(({ dataset, addIssue }) => {
    const code = dataset.typed ? wildcardProblem(dataset.value) : null;
    if (code) addIssue({ message: code });
  }),
);

export const PortSchema = v.pipe(
  v.number('port-not-number'),
  v.integer('port-not-whole'),
  v.minValue(1, 'port-out-of-range'),
  v.maxValue(65535, 'port-out-of-range'),
);

export const ProxySchema = v.object({ host: HostSchema, port: PortSchema });

export const SchemeSchema = v.picklist(['basic', 'digest', 'ntlm', 'any'], 'scheme-invalid');

const RealmSchema = v.nullable(v.pipe(v.string('realm-not-text'), v.maxLength(1000, 'realm-too-long')));

/** What a person enters: the editable fields of a profile. */
export const ProfileFieldsSchema = v.object({
  name: v.pipe(v.string('name-not-text'), v.trim(), v.maxLength(200, 'name-too-long')),
  proxy: ProxySchema,
  realm: RealmSchema,
  scheme: SchemeSchema,
  username: v.pipe(v.string('username-not-text'), v.nonEmpty('username-required'), v.maxLength(1000, 'username-too-long')),
  password: v.pipe(v.string('password-not-text'), v.maxLength(10_000, 'password-too-long')),
  isDefault: v.boolean('is-default-not-boolean'),
});
export type ProfileFields = v.InferOutput<typeof ProfileFieldsSchema>;

/** What profiles/save takes: the fields, the password optional (absent: an existing profile keeps its own). */
export const ProfileSaveSchema = v.object({ ...ProfileFieldsSchema.entries, password: v.optional(ProfileFieldsSchema.entries.password) });
export type ProfileSaveFields = v.InferOutput<typeof ProfileSaveSchema>;

const Timestamp = v.pipe(v.number(), v.integer(), v.minValue(0));

/** A profile as stored in storage.local. */
export const ProfileRecordSchema = v.object({
  ...ProfileFieldsSchema.entries,
  id: v.pipe(v.string(), v.nonEmpty('id-required')),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  lastUsedAt: v.nullable(Timestamp),
  provenSchemes: v.optional(v.array(v.picklist(['basic', 'digest', 'ntlm'], 'scheme-invalid'))),
  secret: v.optional(v.object({ iv: v.pipe(v.string(), v.nonEmpty()), ct: v.pipe(v.string(), v.nonEmpty()), v: v.optional(v.literal(2)) }, 'secret-invalid')),
});

export type { Problem } from './problems';

/**
 * Our schemas carry a problem code as their message. valibot's own default messages quote the value
 * received, which may be a password: only what was expected is kept.
 */
function problemOf(issue: v.BaseIssue<unknown>, path: string): Problem {
  if (isProblemCode(issue.message)) return problem(path, issue.message);
  return problem(path, issue.kind === 'schema' ? 'invalid-type' : 'invalid-value', { expected: issue.expected ?? '?' });
}

/** Flattens valibot issues into one problem per offending value, with its JSON path. */
export function problemsOf(issues: readonly v.BaseIssue<unknown>[], prefix = ''): Problem[] {
  return issues.map((issue) => {
    let path = prefix;
    for (const item of issue.path ?? []) {
      const key = (item as { key: unknown }).key;
      path += typeof key === 'number' ? `[${key}]` : path ? `.${String(key)}` : String(key);
    }
    return problemOf(issue, path || '(root)');
  });
}

/** Parses with one problem per value (the first broken rule), so the user sees one clear message each. */
export function validate<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  prefix = '',
): { ok: true; value: v.InferOutput<S> } | { ok: false; problems: Problem[] } {
  const r = v.safeParse(schema, input, { abortPipeEarly: true });
  return r.success ? { ok: true, value: r.output } : { ok: false, problems: problemsOf(r.issues, prefix) };
}
