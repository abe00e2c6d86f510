// The start copy (storage/start-image.ts) never outlives a write to what it copies: it is removed first,
// after any refresh already under way, so a worker killed before the next refresh starts from the areas.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { settleWorkers } from '../../support/workers';

beforeEach(async () => {
  vi.restoreAllMocks();
  await settleWorkers();
  await resetFakeBrowser();
});

function recordWrites(log: string[]): void {
  for (const name of ['local', 'sync', 'session'] as const) {
    const area = fakeBrowser.storage[name] as unknown as Record<'set' | 'remove', (...a: unknown[]) => Promise<unknown>>;
    for (const method of ['set', 'remove'] as const) {
      const real = area[method].bind(area);
      vi.spyOn(area, method).mockImplementation((...args: unknown[]) => {
        const keys = method === 'set' ? Object.keys(args[0] as object) : [args[0]].flat();
        log.push(`${name}.${method}(${keys.join(',')})`);
        return real(...args);
      });
    }
  }
}

describe('writes to the copied areas', () => {
  it('a profile write removes the copy first, after a refresh that was under way (which must not put an old copy back)', async () => {
    vi.resetModules();
    const image = await import('../../../src/storage/start-image');
    const profiles = await import('../../../src/storage/profiles');
    const { aProfile } = await import('../../support/profiles');
    // the policy copy as a refresh leaves it (no policy): a first refresh would write it
    await fakeBrowser.storage.local.set({ schemaVersion: 1, managedCopy: { items: {} } });
    const log: string[] = [];
    recordWrites(log);
    const refresh = image.refreshStartImage();
    const p = aProfile();
    await profiles.saveProfile({ ...p, createdAt: 1, updatedAt: 1, lastUsedAt: null });
    await refresh;
    const key = `profile:${p.id}`;
    expect(log.filter((l) => l.includes('startImage') || l.includes(key))).toEqual(['session.set(startImage)', 'session.remove(startImage)', `local.set(${key})`]);
  });

  it('settings and the vault record go the same way', async () => {
    vi.resetModules();
    const settings = await import('../../../src/storage/settings');
    const vault = await import('../../../src/storage/vault');
    const log: string[] = [];
    recordWrites(log);
    const { DEFAULT_SETTINGS } = await import('../../../src/core/model');
    expect((await settings.saveSettings(DEFAULT_SETTINGS)).ok).toBe(true);
    await vault.writeVault(null, []);
    const writes = log.filter((l) => !l.startsWith('session.set'));
    expect(writes).toEqual(['session.remove(startImage)', 'sync.set(settings)', 'session.remove(startImage)', 'local.set()', 'session.remove(startImage)', 'local.remove(vault)']);
  });
});
