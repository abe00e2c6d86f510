// Profile files: export per the contract, import validated whole with JSON paths, merged without doubling.
import { enProblem } from '../../support/words';
import { describe, expect, it } from 'vitest';
import { PROFILES_FORMAT, planImport, profilesToFile } from '../../../src/core/profile-import';
import { aProfile } from '../../support/profiles';

const NOW = Date.UTC(2026, 10, 26, 4, 0, 0);
let ids = 0;
const opts = { now: NOW, newId: () => `new${++ids}` };

const fileOf = (profiles: unknown[]) => ({ format: PROFILES_FORMAT, version: 1, exportedAt: '2026-11-26T04:13:13.123Z', profiles });
const good = { name: 'Lab', proxy: { host: 'proxy.lab.example', port: 3128 }, realm: 'Lab', scheme: 'basic', username: 'bob', password: 'pw', isDefault: true };

describe('profiles export', () => {
  const p = aProfile({ name: 'Work', password: 'top-secret' });
  it('leaves passwords out unless asked, and only the contract fields', () => {
    const file = profilesToFile([p, aProfile({ sessionOnly: true })], false, NOW);
    expect(file).toMatchObject({ format: PROFILES_FORMAT, version: 1, exportedAt: '2026-11-26T04:00:00.000Z' });
    expect(file.profiles).toHaveLength(1);
    expect(Object.keys(file.profiles[0] ?? {})).toEqual(['name', 'proxy', 'realm', 'scheme', 'username', 'isDefault']);
    expect(JSON.stringify(file)).not.toContain('top-secret');
    expect(profilesToFile([p], true, NOW).profiles[0]?.password).toBe('top-secret');
  });

  it('an exported file (with passwords) imports back as no change at all', () => {
    const text = JSON.stringify(profilesToFile([p], true, NOW));
    expect(planImport(text, [p], opts)).toEqual({ ok: true, value: { added: [], updated: [], demoted: [], unchanged: 1 } });
  });
});

describe('profiles import', () => {
  it('adds new profiles with fresh ids and timestamps', () => {
    const r = planImport(fileOf([good, { ...good, username: 'carol', isDefault: false, realm: undefined, name: '' }]), [], opts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.added).toHaveLength(2);
    expect(r.value.added[0]).toMatchObject({ ...good, createdAt: NOW, updatedAt: NOW, lastUsedAt: null });
    expect(r.value.added[1]).toMatchObject({ name: 'carol@proxy.lab.example', realm: null, isDefault: false });
  });

  it('lists every problem with its JSON path and plans nothing', () => {
    const r = planImport(
      fileOf([{ ...good, proxy: { host: 'p', port: 70000 } }, { ...good, username: 'x', scheme: 'negotiate' }, { ...good, username: 'y', name: 5 }]),
      [],
      opts,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path)).toEqual(['profiles[0].proxy.port', 'profiles[1].scheme', 'profiles[2].name']);
    expect(enProblem(r.problems[0]!)).toMatch(/between 1 and 65535/);
  });

  it('checks the frame too: format, version, date, and JSON itself', () => {
    const r = planImport({ format: 'other', version: 2, exportedAt: 'yesterday', profiles: [{ ...good, username: '' }] }, [], opts);
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toEqual(['format', 'version', 'exportedAt', 'profiles[0].username']);
    expect(planImport('{not json', [], opts)).toMatchObject({ ok: false, problems: [{ path: '(root)' }] });
    expect(planImport(JSON.stringify({ profiles: 'x' }), [], opts)).toMatchObject({ ok: false });
  });

  it('same proxy + realm + username updates instead of doubling; a missing password keeps the saved one', () => {
    const saved = aProfile({ name: 'Old', proxy: { host: 'Proxy.Lab.Example', port: 3128 }, realm: 'Lab', username: 'bob', password: 'saved-pw', updatedAt: NOW + 5 });
    const { password: _omit, ...noPassword } = good;
    const r = planImport(fileOf([{ ...noPassword, name: 'Renamed' }]), [saved], opts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.added).toEqual([]);
    expect(r.value.updated).toEqual([{ ...saved, name: 'Renamed', proxy: good.proxy, isDefault: true, password: 'saved-pw', updatedAt: NOW + 6 }]);
  });

  it('a new profile without a password is an error, not a profile that sends an empty password', () => {
    const { password: _omit, ...noPassword } = good;
    const r = planImport(fileOf([noPassword]), [], opts);
    expect(r).toMatchObject({ ok: false, problems: [{ path: 'profiles[0].password' }] });
  });

  it('duplicates and two defaults for one proxy inside the file are problems', () => {
    const r = planImport(fileOf([good, { ...good }, { ...good, username: 'z' }]), [], opts);
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toEqual(['profiles[1]', 'profiles[1].isDefault', 'profiles[2].isDefault']);
  });

  it('an imported default takes the flag from the saved default of that proxy', () => {
    const other = aProfile({ proxy: { host: 'proxy.lab.example', port: 3128 }, username: 'old-default', isDefault: true });
    const r = planImport(fileOf([good]), [other], opts);
    expect(r.ok && r.value.demoted).toEqual([{ ...other, isDefault: false }]);
  });
});
