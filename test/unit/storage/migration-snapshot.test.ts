// A real-looking v1 storage.local (test/fixtures/storage-v1.json) loads through loadProfiles(): good profiles in, the broken one reported and kept.
import { enProblem } from '../../support/words';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src/core/model';
import { normalizeHost } from '../../../src/core/host';
import { CURRENT_VERSION } from '../../../src/storage/migrations';
import { loadProfiles } from '../../../src/storage/profiles';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';

const snapshot = JSON.parse(readFileSync(new URL('../../fixtures/storage-v1.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const BROKEN = 'profile:7c5b3a19-8d2e-4f60-b1a7-c9d8e7f6a5b4';
const good = Object.entries(snapshot)
  .filter(([k]) => k.startsWith('profile:') && k !== BROKEN)
  .map(([, v]) => v as Profile);

describe('storage v1 snapshot', () => {
  beforeEach(resetFakeBrowser);

  it('the fixture is what it claims: version 1, six good profiles and one broken', () => {
    expect(snapshot.schemaVersion).toBe(1);
    expect(good).toHaveLength(6);
    expect(snapshot[BROKEN]).toBeDefined();
  });

  it('loads every good profile, oldest first, field for field', async () => {
    await fakeBrowser.storage.local.set(structuredClone(snapshot));
    const { profiles } = await loadProfiles();
    const byAge = [...good].sort((a, b) => a.createdAt - b.createdAt);
    expect(profiles.map((p) => p.id)).toEqual(byAge.map((p) => p.id));
    for (const p of byAge) {
      // the fields a person and the matcher rely on; a later version may add fields, never lose these
      expect(profiles.find((x) => x.id === p.id)).toMatchObject({
        name: p.name,
        proxy: { ...p.proxy, host: normalizeHost(p.proxy.host) },
        realm: p.realm,
        scheme: p.scheme,
        username: p.username,
        password: p.password,
        isDefault: p.isDefault,
        createdAt: p.createdAt,
        lastUsedAt: p.lastUsedAt,
      });
    }
  });

  it('reports each fault of the broken record with its path, and keeps it in storage for repair', async () => {
    await fakeBrowser.storage.local.set(structuredClone(snapshot));
    const { problems } = await loadProfiles();
    expect(problems.map((p) => p.path).sort()).toEqual([`${BROKEN}.password`, `${BROKEN}.proxy.port`, `${BROKEN}.scheme`]);
    expect(problems.every((p) => enProblem(p).length > 0)).toBe(true);
    expect(problems.find((p) => p.path.endsWith('.proxy.port'))?.code).toBe('port-not-number');
    const after = fakeBrowser.storage.local.dump();
    expect(after[BROKEN]).toEqual(snapshot[BROKEN]);
    expect(after.schemaVersion).toBe(CURRENT_VERSION);
  });

  it('loading twice changes nothing more (the migration is idempotent)', async () => {
    await fakeBrowser.storage.local.set(structuredClone(snapshot));
    const first = await loadProfiles();
    const stored = structuredClone(fakeBrowser.storage.local.dump());
    expect(await loadProfiles()).toEqual(first);
    expect(fakeBrowser.storage.local.dump()).toEqual(stored);
  });

  it('the same records from a pre-release store without schemaVersion read the same and get the current version', async () => {
    const { schemaVersion: _v, ...unversioned } = structuredClone(snapshot);
    await fakeBrowser.storage.local.set(unversioned);
    const { profiles, problems } = await loadProfiles();
    expect(profiles.map((p) => p.id).sort()).toEqual(good.map((p) => p.id).sort());
    expect(problems).toHaveLength(3);
    expect(fakeBrowser.storage.local.dump().schemaVersion).toBe(CURRENT_VERSION);
  });

  it('migrates v1 → v2: hosts typed in another spelling are stored canonical, nothing else changes', async () => {
    await fakeBrowser.storage.local.set(structuredClone(snapshot));
    await loadProfiles();
    const after = fakeBrowser.storage.local.dump() as Record<string, Profile & Record<string, unknown>>;
    expect(after.schemaVersion).toBe(2);
    expect(CURRENT_VERSION).toBe(2);
    expect(after['profile:5a0e9d31-64c2-4b7e-a8f1-2c3d4e5f6a7b']?.proxy).toEqual({ host: 'proxy.branch.corp.example', port: 8080 });
    for (const [key, value] of Object.entries(snapshot)) {
      if (key === 'schemaVersion' || key === 'profile:5a0e9d31-64c2-4b7e-a8f1-2c3d4e5f6a7b') continue;
      expect(after[key], key).toEqual(value);
    }
  });
});
