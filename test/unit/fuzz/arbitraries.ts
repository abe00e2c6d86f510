// Generators for the fuzz tests: valid profiles, and broken ones whose broken field is known (the ground truth).
import fc from 'fast-check';
import { wildcardProblem } from '../../../src/core/host';

/** Any JSON value: what storage, a message or an import file can really hold. */
export const junk: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 });
export const notString = junk.filter((x) => typeof x !== 'string');
export const notNumber = junk.filter((x) => typeof x !== 'number');
export const notBoolean = junk.filter((x) => typeof x !== 'boolean');
const notObject = junk.filter((x) => x === null || typeof x !== 'object');
const nonInteger = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x));
/** A string one past a limit, or a little more. */
const longerThan = (n: number) => fc.integer({ min: n + 1, max: n + 40 }).map((k) => 'x'.repeat(k));
/** Unicode text, no surrounding blanks (the schema trims names and hosts). */
const text = (maxLength: number) => fc.string({ unit: 'grapheme', maxLength });

export const validHost = fc.oneof(
  fc.domain().filter((d) => d.length <= 253),
  fc.ipV4(),
  fc.ipV6(),
  fc.domain().filter((d) => d.length <= 250 && wildcardProblem(`*.${d}`) === null).map((d) => `*.${d}`),
);
export const validPort = fc.integer({ min: 1, max: 65535 });

export const badHost = fc.oneof(
  notString,
  fc.constantFrom('', '   ', '\t'),
  longerThan(253),
  // one forbidden character anywhere in a good host
  fc.tuple(validHost, fc.constantFrom(...'@/_!?#%&()<>,;"\'=+~`|\\^$'.split('')), fc.nat()).map(([h, c, i]) => {
    const at = i % (h.length + 1);
    return h.slice(0, at) + c + h.slice(at);
  }),
);

export const badPort = fc.oneof(
  notNumber,
  fc.constantFrom(0, -1, 65536, 70000, 1.5),
  fc.integer({ max: 0 }),
  fc.integer({ min: 65536 }),
  nonInteger,
);

export const badProxy = fc.oneof(
  notObject,
  validHost.map((host) => ({ host })),
  validPort.map((port) => ({ port })),
  fc.tuple(badHost, validPort).map(([host, port]) => ({ host, port })),
  fc.tuple(validHost, badPort).map(([host, port]) => ({ host, port })),
);

export const SCHEMES = ['basic', 'digest', 'any'] as const;

/** The editable fields of a profile, all valid. */
export const validFields = fc.record({
  name: text(40).map((s) => s.trim()),
  proxy: fc.record({ host: validHost, port: validPort }),
  realm: fc.option(text(40), { nil: null }),
  scheme: fc.constantFrom(...SCHEMES),
  username: text(30).map((s) => s || 'u'),
  password: text(40),
  isDefault: fc.boolean(),
});
export type Fields = typeof validFields extends fc.Arbitrary<infer T> ? T : never;

const timestamp = fc.nat();
const badTimestamp = fc.oneof(notNumber, fc.integer({ max: -1 }), nonInteger);

/** One value per field that makes the field invalid on its own. */
export const BAD_FIELD_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  name: fc.oneof(notString, longerThan(200)),
  proxy: badProxy,
  realm: fc.oneof(
    junk.filter((x) => x !== null && typeof x !== 'string'),
    longerThan(1000),
  ),
  scheme: fc.oneof(notString, fc.string().filter((s) => !(SCHEMES as readonly string[]).includes(s))),
  username: fc.oneof(fc.constant(''), notString, longerThan(1000)),
  password: fc.oneof(notString, longerThan(10_000)),
  isDefault: notBoolean,
};

export const BAD_RECORD_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  ...BAD_FIELD_VALUES,
  id: fc.oneof(fc.constant(''), notString),
  createdAt: badTimestamp,
  updatedAt: badTimestamp,
  lastUsedAt: badTimestamp.filter((x) => x !== null),
};

export interface Mutation {
  /** The field that is now missing or wrong; '' when the whole value was replaced. */
  key: string;
  apply(good: Record<string, unknown>): unknown;
}

/** Breaks exactly one thing: removes a required key, gives one field a bad value, or replaces the whole value. */
export function mutation(bad: Record<string, fc.Arbitrary<unknown>>, required: readonly string[]): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.constantFrom(...required).map(
      (key): Mutation => ({
        key,
        apply: (g) => {
          const copy = { ...g };
          delete copy[key];
          return copy;
        },
      }),
    ),
    ...Object.entries(bad).map(([key, values]) => values.map((value): Mutation => ({ key, apply: (g) => ({ ...g, [key]: value }) }))),
    notObject.map((value): Mutation => ({ key: '', apply: () => value })),
  );
}

/** A stored profile record, valid; extra unknown keys are allowed and dropped on read. */
export const validRecord = (id: string) =>
  fc
    .tuple(validFields, timestamp, timestamp, fc.option(timestamp, { nil: null }))
    .map(([f, createdAt, updatedAt, lastUsedAt]) => ({ ...f, id, createdAt, updatedAt, lastUsedAt }));

export const RECORD_KEYS = ['name', 'proxy', 'realm', 'scheme', 'username', 'password', 'isDefault', 'id', 'createdAt', 'updatedAt', 'lastUsedAt'] as const;
export const FIELD_KEYS = ['name', 'proxy', 'realm', 'scheme', 'username', 'password', 'isDefault'] as const;

/** Does a problem path point into `prefix` (the key itself, a field of it, or an item of it)? */
export const pathIn = (path: string, prefix: string): boolean =>
  prefix === '' ? true : path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
