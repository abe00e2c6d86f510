import { describe, expect, it } from 'vitest';
import { enProblem } from '../../support/words';
import { CURRENT_VERSION, type Migration, migrate } from '../../../src/storage/migrations';
import { readProfiles } from '../../../src/storage/profiles';
import { aProfile } from '../../support/profiles';

describe('storage migrations', () => {
  it('a fresh store becomes the current version without touching records', () => {
    const p = aProfile();
    const r = migrate({ [`profile:${p.id}`]: p }, 0);
    expect(r.version).toBe(CURRENT_VERSION);
    expect(r.set).toEqual({ schemaVersion: CURRENT_VERSION });
    expect(r.remove).toEqual([]);
  });

  it('runs steps in order, only those above the stored version', () => {
    const steps: Migration[] = [
      { to: 3, describe: 'c', run: (i) => ({ set: { trail: `${String(i.trail)}3` }, remove: [] }) },
      { to: 2, describe: 'b', run: (i) => ({ set: { trail: `${String(i.trail)}2` }, remove: ['old'] }) },
      { to: 1, describe: 'a', run: () => ({ set: { trail: 'never' }, remove: [] }) },
    ];
    const r = migrate({ trail: 'v1', old: 1, schemaVersion: 1 }, 1, steps);
    expect(r).toEqual({ set: { trail: 'v123', schemaVersion: 3 }, remove: ['old'], version: 3 });
  });
});

describe('reading stored profiles', () => {
  it('skips and reports a corrupted record, keeps the rest', () => {
    const good = aProfile();
    const { profiles, problems } = readProfiles({
      schemaVersion: 1,
      [`profile:${good.id}`]: good,
      'profile:broken': { ...aProfile(), proxy: { host: '', port: 70000 } },
      'profile:garbage': 'not an object',
      unrelated: 5,
    });
    expect(profiles).toEqual([good]);
    expect(problems.map((p) => p.path)).toEqual(['profile:broken.proxy.host', 'profile:broken.proxy.port', 'profile:garbage']);
    expect(enProblem(problems[1]!)).toMatch(/between 1 and 65535/);
  });
});
