// Fuzz: every bad profiles file is refused with problems that have a JSON path and a message, and `profiles/import` changes nothing.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROFILES_FORMAT, planImport } from '../../../src/core/profile-import';
import { fakeBrowser } from '../../support/fake-browser';
import { aProfile } from '../../support/profiles';
import { BAD_FIELD_VALUES, junk, mutation, notString, validFields } from './arbitraries';
import { expectRefused, type FuzzWorker, workerWith } from './harness';

const RUNS = 1000;
const existing = [aProfile({ isDefault: true }), aProfile({ proxy: { host: 'proxy.corp.example', port: 8080 }, realm: null })];

let w: FuzzWorker;
beforeAll(async () => {
  w = await workerWith(existing);
});

/** Valid file items: distinct accounts, none the default (so no two defaults collide), each with a password. */
const goodItems = fc.array(validFields, { maxLength: 4 }).map((items) => items.map((f, i) => ({ ...f, username: `${f.username}#${i}`, isDefault: false })));
const exportedAt = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
const goodFile = fc.tuple(goodItems, exportedAt).map(([profiles, at]) => ({ format: PROFILES_FORMAT, version: 1, exportedAt: at, profiles }));

/** In a file realm, password and isDefault may be left out: only these four are required. */
const REQUIRED_IN_FILE = ['name', 'proxy', 'scheme', 'username'] as const;

interface BadFile {
  text: string;
  /** Where at least one problem must point ('' when anywhere will do). */
  at: string;
}

const asText = (value: unknown): string => JSON.stringify(value) ?? 'undefined';

const badFile: fc.Arbitrary<BadFile> = fc.oneof(
  // not JSON at all, or JSON that is not the file's object
  fc.string().filter((t) => {
    try {
      JSON.parse(t);
      return false;
    } catch {
      return true;
    }
  }).map((text) => ({ text, at: '(root)' })),
  junk.filter((x) => x === null || typeof x !== 'object').map((x) => ({ text: asText(x), at: '(root)' })),
  // one frame field wrong or missing
  fc.tuple(goodFile, fc.oneof(
    fc.constant({ key: 'format', value: undefined }),
    fc.oneof(notString, fc.string().filter((s) => s !== PROFILES_FORMAT), fc.constant('proxy-auth-keeper/profile')).map((value) => ({ key: 'format', value })),
    fc.constant({ key: 'version', value: undefined }),
    junk.filter((x) => x !== 1).map((value) => ({ key: 'version', value })),
    fc.constant({ key: 'exportedAt', value: undefined }),
    fc.oneof(notString, fc.string().filter((s) => !/^\d{4}-/.test(s)), fc.constantFrom('2024-13-01T00:00:00Z', 'yesterday', '1700000000000')).map((value) => ({ key: 'exportedAt', value })),
    fc.constant({ key: 'profiles', value: undefined }),
    junk.filter((x) => !Array.isArray(x)).map((value) => ({ key: 'profiles', value })),
  )).map(([file, { key, value }]) => ({ text: asText({ ...file, [key]: value }), at: key })),
  // one profile in the list broken, among good ones
  fc.tuple(goodFile, validFields, mutation(BAD_FIELD_VALUES, REQUIRED_IN_FILE), fc.nat()).map(([file, f, m, n]) => {
    const i = n % (file.profiles.length + 1);
    const profiles: unknown[] = [...file.profiles];
    profiles.splice(i, 0, m.apply({ ...f, username: `broken-${f.username}` }));
    return { text: asText({ ...file, profiles }), at: `profiles[${i}]` };
  }),
  // the same account twice
  fc.tuple(goodFile, validFields).map(([file, f]) => {
    const profiles = [...file.profiles, f, { ...f, name: `${f.name} again`, isDefault: false }];
    return { text: asText({ ...file, profiles }), at: `profiles[${profiles.length - 1}]` };
  }),
  // two defaults for one proxy
  fc.tuple(goodFile, validFields).map(([file, f]) => {
    const profiles = [...file.profiles, { ...f, username: 'one', isDefault: true }, { ...f, username: 'two', isDefault: true }];
    return { text: asText({ ...file, profiles }), at: `profiles[${profiles.length - 1}].isDefault` };
  }),
  // a new account without a password
  fc.tuple(goodFile, validFields).map(([file, f]) => {
    const { password: _dropped, ...withoutPassword } = { ...f, username: `new-${f.username}` };
    const profiles = [...file.profiles, withoutPassword];
    return { text: asText({ ...file, profiles }), at: `profiles[${profiles.length - 1}].password` };
  }),
);

describe('fuzz: profile import files', () => {
  it(`planImport: ${RUNS} bad files — never throws, refused with ≥1 problem, each with a JSON path and a message`, () => {
    fc.assert(
      fc.property(badFile, ({ text, at }) => {
        expectRefused(planImport(text, existing, { now: 1, newId: () => 'new' }), at);
      }),
      { numRuns: RUNS },
    );
  });

  it(`profiles/import: ${RUNS} bad files — refused, and storage.local is exactly as before`, async () => {
    await fc.assert(
      fc.asyncProperty(badFile, async ({ text }) => {
        const r = await w.h['profiles/import']({ text });
        expect(r.ok).toBe(false);
        expect(fakeBrowser.storage.local.dump()).toEqual(w.before);
      }),
      { numRuns: RUNS },
    );
  });

  it('control: the good files the bad ones are made from are accepted', () => {
    fc.assert(
      fc.property(goodFile, (file) => {
        expect(planImport(JSON.stringify(file), existing, { now: 1, newId: () => 'new' }).ok).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
