// Fuzz: junk under profile:<id> keys never breaks reading; good records always survive, bad ones are always reported.
import { enProblem } from '../../support/words';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { normalizeHost } from '../../../src/core/host';
import { CURRENT_VERSION } from '../../../src/storage/migrations';
import { loadProfiles, readProfiles } from '../../../src/storage/profiles';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { BAD_RECORD_VALUES, RECORD_KEYS, junk, mutation, pathIn, validRecord } from './arbitraries';

const RUNS = 1000;
/** 1,000 runs take about a second; a machine shared with browsers may be many times slower (a budget, not a speed check). */
const FUZZ_TIMEOUT_MS = 60_000;

/** A storage.local snapshot: good records, broken records (one known fault each), and unrelated keys. */
const store = fc
  .tuple(
    fc.integer({ min: 0, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => validRecord(`good-${i}`)))),
    fc.array(
      fc.oneof(
        { weight: 3, arbitrary: fc.tuple(validRecord('broken'), mutation(BAD_RECORD_VALUES, RECORD_KEYS)).map(([g, m]) => m.apply(g)) },
        { weight: 1, arbitrary: fc.anything() },
      ),
      { minLength: 1, maxLength: 4 },
    ),
    fc.dictionary(
      fc.string().filter((k) => !k.startsWith('profile:') && k !== '__proto__'),
      junk,
      { maxKeys: 3 },
    ),
    fc.array(fc.record({ key: fc.integer({ min: 0, max: 3 }), extra: junk }), { maxLength: 2 }),
  )
  .map(([goods, bads, others, extras]) => {
    const items: Record<string, unknown> = { ...others, schemaVersion: 1 };
    const good = goods.map((g) => ({ ...g }));
    // unknown keys on a good record are dropped on read, never fatal
    for (const { key, extra } of extras) if (good[key]) items[`profile:${good[key].id}`] = { ...good[key], x_unknown: extra };
    for (const g of good) items[`profile:${g.id}`] ??= g;
    const badKeys = bads.map((b, i) => {
      const key = `profile:bad-${i}`;
      items[key] = b;
      return key;
    });
    return { items, good, badKeys };
  });

/** Records the v2 migration may rewrite (a host in another spelling); everything else stays byte for byte. */
const isRecordWithHost = (x: unknown): boolean => typeof (x as { proxy?: { host?: unknown } } | null)?.proxy?.host === 'string';

function check({ profiles, problems }: ReturnType<typeof readProfiles>, good: Array<{ id: string; proxy: { host: string } }>, badKeys: string[]): void {
  expect(profiles.map((p) => p.id).sort()).toEqual(good.map((g) => g.id).sort());
  // read as stored, the host in its one canonical spelling (schema v2)
  for (const g of good) expect(profiles.find((p) => p.id === g.id)).toEqual({ ...g, proxy: { ...g.proxy, host: normalizeHost(g.proxy.host) } });
  for (const key of badKeys) expect(problems.some((p) => pathIn(p.path, key)), `no problem reported for ${key}`).toBe(true);
  for (const p of problems) {
    expect(enProblem(p), `no words for ${p.code} at ${p.path}`).toMatch(/^(?!problem[A-Z])\S.*\s/);
    expect(badKeys.some((k) => pathIn(p.path, k)), `a problem outside the broken records: ${p.path}`).toBe(true);
  }
}

describe('fuzz: stored profile records', () => {
  beforeEach(resetFakeBrowser);

  it(`readProfiles: ${RUNS} stores with junk records — never throws, good ones survive, bad ones reported`, () => {
    fc.assert(
      fc.property(store, ({ items, good, badKeys }) => check(readProfiles(items), good, badKeys)),
      { numRuns: RUNS },
    );
  }, FUZZ_TIMEOUT_MS);

  it(`loadProfiles from storage.local: ${RUNS} stores — never rejects, same verdicts, nothing rewritten`, async () => {
    await fc.assert(
      fc.asyncProperty(store, async ({ items, good, badKeys }) => {
        await fakeBrowser.storage.local.clear();
        await fakeBrowser.storage.local.set(items);
        const before = structuredClone(fakeBrowser.storage.local.dump());
        check(await loadProfiles(), good, badKeys);
        // a broken record is kept as it is (the user may repair it), never deleted or rewritten;
        // the only writes are the migration's (version number, canonical host spellings)
        const after = fakeBrowser.storage.local.dump();
        for (const key of badKeys) if (!isRecordWithHost(before[key])) expect(after[key]).toEqual(before[key]);
        expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
        expect(after.schemaVersion).toBe(CURRENT_VERSION);
      }),
      { numRuns: RUNS },
    );
  }, FUZZ_TIMEOUT_MS);

  it('problem messages never quote what a broken record holds (a password in it would be logged)', () => {
    const secret = 'Stored-Secret-42';
    const { problems } = readProfiles({
      'profile:text': JSON.stringify({ id: 'text', username: 'alice', password: secret }),
      'profile:shifted': { id: 'shifted', name: 'n', proxy: { host: 'p.example', port: 1 }, realm: null, scheme: 'basic', username: 'u', password: 'p', isDefault: false, createdAt: secret, updatedAt: 1, lastUsedAt: null },
    });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => `${enProblem(p)} ${JSON.stringify(p.params)}`).join('\n')).not.toContain(secret);
  });
});
