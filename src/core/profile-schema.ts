// Validation of profiles wherever they come from: a stored record, the profile form, an import file.
import * as v from 'valibot';
import { normalizeHost } from './host';

// a DNS name (optionally *.wildcard), or an IPv6 literal (two colons at least, so "host:port" is refused)
const hostPattern = /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?\.?$|^\[?(?=[0-9a-f.]*:[0-9a-f.]*:)[0-9a-f:.]+\]?$/i;

export const HostSchema = v.pipe(
  v.string('Host must be text'),
  v.trim(),
  v.nonEmpty('Host is required'),
  v.maxLength(253, 'Host is longer than 253 characters'),
  v.regex(hostPattern, 'Host must be a host name, *.domain wildcard or IP address'),
  // one spelling per host: Proxy.Corp.Example. and proxy.corp.example are the same proxy
  v.transform(normalizeHost),
);

export const PortSchema = v.pipe(
  v.number('Port must be a number'),
  v.integer('Port must be a whole number'),
  v.minValue(1, 'Port must be between 1 and 65535'),
  v.maxValue(65535, 'Port must be between 1 and 65535'),
);

export const ProxySchema = v.object({ host: HostSchema, port: PortSchema });

export const SchemeSchema = v.picklist(['basic', 'digest', 'ntlm', 'any'], 'Scheme must be basic, digest, ntlm or any');

const RealmSchema = v.nullable(v.pipe(v.string('Realm must be text or null'), v.maxLength(1000, 'Realm is too long')));

/** What a person enters: the editable fields of a profile. */
export const ProfileFieldsSchema = v.object({
  name: v.pipe(v.string('Name must be text'), v.trim(), v.maxLength(200, 'Name is too long')),
  proxy: ProxySchema,
  realm: RealmSchema,
  scheme: SchemeSchema,
  username: v.pipe(v.string('Username must be text'), v.nonEmpty('Username is required'), v.maxLength(1000, 'Username is too long')),
  password: v.pipe(v.string('Password must be text'), v.maxLength(10_000, 'Password is too long')),
  isDefault: v.boolean('isDefault must be true or false'),
});
export type ProfileFields = v.InferOutput<typeof ProfileFieldsSchema>;

const Timestamp = v.pipe(v.number(), v.integer(), v.minValue(0));

/** A profile as stored in storage.local. */
export const ProfileRecordSchema = v.object({
  ...ProfileFieldsSchema.entries,
  id: v.pipe(v.string(), v.nonEmpty('id is required')),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  lastUsedAt: v.nullable(Timestamp),
  secret: v.optional(v.object({ iv: v.pipe(v.string(), v.nonEmpty()), ct: v.pipe(v.string(), v.nonEmpty()) }, 'Sealed password must be {iv, ct}')),
});

export interface Problem {
  /** JSON path of the offending value, e.g. `profiles[2].proxy.port`. */
  path: string;
  message: string;
}

/** valibot's default messages quote the value received, which may be a password: say what was expected instead. */
function safeMessage(issue: v.BaseIssue<unknown>): string {
  if (!issue.message.includes('received')) return issue.message;
  return `Invalid ${issue.kind === 'schema' ? 'type' : 'value'}: expected ${issue.expected ?? 'something else'}`;
}

/** Flattens valibot issues into one problem per offending value, with its JSON path. */
export function problemsOf(issues: readonly v.BaseIssue<unknown>[], prefix = ''): Problem[] {
  return issues.map((issue) => {
    let path = prefix;
    for (const item of issue.path ?? []) {
      const key = (item as { key: unknown }).key;
      path += typeof key === 'number' ? `[${key}]` : path ? `.${String(key)}` : String(key);
    }
    return { path: path || '(root)', message: safeMessage(issue) };
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
