// Fuzz: settings read from storage.sync or sent by a page never throw; bad fields fall back to their defaults.
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/core/model';
import { SettingsSchema, settingsFromStored, validateSettings } from '../../../src/core/settings-schema';
import { expectRefused } from './harness';

const RUNS = 1000;

const int = (x: unknown, min: number, max: number): boolean => typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;

/** What each field accepts, written out independently of the schema under test. */
const VALID: Record<keyof Settings, (x: unknown) => boolean> = {
  noMatch: (x) => x === 'ask' || x === 'browser' || x === 'cancel',
  promptTimeoutSeconds: (x) => int(x, 1, 290),
  historyRetentionDays: (x) => int(x, 1, 3650),
  historyMaxRows: (x) => int(x, 100, 1_000_000),
  stripQueryStrings: (x) => typeof x === 'boolean',
  vaultAutoLockMinutes: (x) => int(x, 0, 1440),
};
const FIELDS = Object.keys(VALID) as Array<keyof Settings>;

const good: Record<keyof Settings, fc.Arbitrary<unknown>> = {
  noMatch: fc.constantFrom('ask', 'browser', 'cancel'),
  promptTimeoutSeconds: fc.integer({ min: 1, max: 290 }),
  historyRetentionDays: fc.integer({ min: 1, max: 3650 }),
  historyMaxRows: fc.integer({ min: 100, max: 1_000_000 }),
  stripQueryStrings: fc.boolean(),
  vaultAutoLockMinutes: fc.integer({ min: 0, max: 1440 }),
};

/** Near misses (just out of range, numbers as text, other case) and plain junk. */
const nearMiss: Record<keyof Settings, fc.Arbitrary<unknown>> = {
  noMatch: fc.constantFrom('ASK', 'Ask', ' ask', 'prompt', '', 'never', 0),
  promptTimeoutSeconds: fc.constantFrom(0, 291, 300, -1, 1.5, '120', 120.0001, Number.NaN, Number.POSITIVE_INFINITY, 1e300),
  historyRetentionDays: fc.constantFrom(0, 3651, -30, 0.5, '30', Number.NaN),
  historyMaxRows: fc.constantFrom(99, 1_000_001, 0, 100.5, '100000', Number.NEGATIVE_INFINITY),
  stripQueryStrings: fc.constantFrom('true', 'false', 0, 1, null, 'on'),
  vaultAutoLockMinutes: fc.constantFrom(-1, 1441, 0.5, '15', Number.NaN, Number.POSITIVE_INFINITY, 1e9, null),
};

const fieldValue = (k: keyof Settings) =>
  fc.oneof({ weight: 2, arbitrary: good[k] }, { weight: 2, arbitrary: nearMiss[k] }, { weight: 1, arbitrary: fc.anything() });

/** A stored settings object: each field good, nearly good, junk or missing; sometimes with unknown keys; sometimes not an object at all. */
const stored: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.record(Object.fromEntries(FIELDS.map((k) => [k, fieldValue(k)])), { requiredKeys: [] }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.record(Object.fromEntries(FIELDS.map((k) => [k, fieldValue(k)]))), fc.dictionary(fc.string().filter((k) => !(k in VALID) && k !== '__proto__'), fc.anything(), { maxKeys: 3 }))
      .map(([a, b]) => ({ ...b, ...a })),
  },
  { weight: 1, arbitrary: fc.anything() },
);

/** Bad only: at least one field missing or invalid. */
const badInput = stored.filter((s) => !(s !== null && typeof s === 'object' && FIELDS.every((k) => VALID[k]((s as Record<string, unknown>)[k]))));

const field = (s: unknown, k: keyof Settings): unknown => (s !== null && typeof s === 'object' ? (s as Record<string, unknown>)[k] : undefined);

describe('fuzz: settings', () => {
  it(`settingsFromStored: ${RUNS} stored values — never throws, each bad field takes its default, the result is always valid`, () => {
    fc.assert(
      fc.property(badInput, (s) => {
        const out = settingsFromStored(s);
        expect(v.safeParse(SettingsSchema, out).success).toBe(true);
        expect(Object.keys(out).sort()).toEqual([...FIELDS].sort());
        for (const k of FIELDS) {
          const given = field(s, k);
          expect(out[k], k).toStrictEqual(VALID[k](given) ? given : DEFAULT_SETTINGS[k]);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`validateSettings: ${RUNS} bad inputs — never throws, refused with a message for every bad field, nothing else`, () => {
    fc.assert(
      fc.property(badInput, (s) => {
        const r = validateSettings(s);
        expectRefused(r);
        if (r.ok) return;
        if (s !== null && typeof s === 'object') {
          const badFields = FIELDS.filter((k) => !VALID[k](field(s, k)));
          expect([...new Set(r.problems.map((p) => p.path))].sort()).toEqual(badFields.sort());
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('control: fully valid settings are accepted as they are', () => {
    fc.assert(
      fc.property(fc.record(good), (s) => {
        expect(validateSettings(s)).toEqual({ ok: true, settings: s });
        expect(settingsFromStored(s)).toEqual(s);
      }),
      { numRuns: 200 },
    );
  });
});
