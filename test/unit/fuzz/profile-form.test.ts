// Fuzz: bad profile form input through the worker's `profiles/save` handler is refused with messages; saved profiles stay as they were.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeBrowser } from '../../support/fake-browser';
import { aProfile } from '../../support/profiles';
import { BAD_FIELD_VALUES, FIELD_KEYS, mutation, validFields } from './arbitraries';
import { expectRefused, type FuzzWorker, workerWith } from './harness';
import type { Handlers } from '../../../src/messaging/router';

const RUNS = 1000;
/** profiles/save takes no password to mean "keep the saved one": leaving it out is no fault. */
const REQUIRED_IN_SAVE = FIELD_KEYS.filter((k) => k !== 'password');
const existing = [aProfile({ isDefault: true }), aProfile(), aProfile({ proxy: { host: '*.corp.example', port: 8080 }, realm: null })];

let w: FuzzWorker;
beforeAll(async () => {
  w = await workerWith(existing);
});

/** Form input with one known fault, sometimes aimed at an existing profile's id; or no object at all. */
const badForm = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(validFields, mutation(BAD_FIELD_VALUES, REQUIRED_IN_SAVE), fc.option(fc.constantFrom(...existing.map((p) => p.id), 'new-id'), { nil: undefined }))
      .map(([f, m, id]) => ({ input: m.apply(id === undefined ? f : { ...f, id }), key: m.key })),
  },
  { weight: 1, arbitrary: fc.anything().map((input) => ({ input, key: '' })) },
);

type SaveInput = Parameters<Handlers['profiles/save']>[0];

describe('fuzz: the profile form through profiles/save', () => {
  it(`${RUNS} bad inputs — refused with {ok:false, problems} naming the field, saved profiles untouched`, async () => {
    await fc.assert(
      fc.asyncProperty(badForm, async ({ input, key }) => {
        expectRefused(await w.h['profiles/save'](input as SaveInput), key);
        expect(fakeBrowser.storage.local.dump()).toEqual(w.before);
        expect(w.s.profiles).toEqual(existing);
      }),
      { numRuns: RUNS },
    );
  });

  it('control: valid input is saved (so the refusals above are not the generator’s doing)', async () => {
    await fc.assert(
      fc.asyncProperty(validFields, async (f) => {
        const r = await w.h['profiles/save']({ ...f, isDefault: false });
        expect(r.ok).toBe(true);
        if (r.ok) await w.h['profiles/delete']({ id: r.value.id });
      }),
      { numRuns: 100 },
    );
    expect(fakeBrowser.storage.local.dump()).toEqual(w.before);
  });

  it('a non-string id is a problem at "id", not an exception', async () => {
    const r = await w.h['profiles/save']({ name: 'n', proxy: { host: 'p.example', port: 1 }, realm: null, scheme: 'basic', username: 'u', password: 'p', isDefault: false, id: 42 as unknown as string });
    expect(r).toMatchObject({ ok: false, problems: [{ path: 'id' }] });
  });
});
