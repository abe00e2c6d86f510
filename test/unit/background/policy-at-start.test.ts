// Browser start: Chromium holds storage.managed reads until its policy service is up (5 s seen); the
// worker answers from the policy as last read, then follows the browser's read when it differs.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { aChallenge } from '../../support/profiles';
import { settleWorkers, startWorker, track } from '../../support/workers';

const policyProfile = (password: string) => ({ name: 'Corp', proxy: { host: '127.0.0.1', port: 3128 }, realm: 'Corp Proxy', scheme: 'basic', username: 'svc', password, mode: 'locked' });

/** storage.managed.get held until `release` (as Chromium's policy service at browser start). */
function holdPolicyRead() {
  const managed = fakeBrowser.storage.managed as unknown as { get: (...a: unknown[]) => Promise<Record<string, unknown>> };
  const real = managed.get.bind(managed);
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const spy = vi.spyOn(managed, 'get').mockImplementation(async (...a: unknown[]) => {
    await released;
    return real(...a);
  });
  return { release, spy };
}

beforeEach(async () => {
  vi.restoreAllMocks();
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
});

describe('the policy at browser start', () => {
  it('a worker whose policy read is held answers from the copy of the last read, then applies the changed policy and keeps its copy', async () => {
    // the last browser session read this policy and kept its copy
    await fakeBrowser.storage.managed.set({ profiles: [policyProfile('old-pw')] });
    const first = await startWorker();
    expect(first.s.profiles.map((p) => p.password)).toEqual(['old-pw']);
    await vi.waitFor(async () => expect(await fakeBrowser.storage.local.get('managedCopy')).toEqual({ managedCopy: { items: { profiles: [policyProfile('old-pw')] } } }));
    await settleWorkers();

    // the next browser start: the administrator changed the password, and the browser is slow to say so
    await fakeBrowser.storage.session.clear();
    await fakeBrowser.storage.managed.set({ profiles: [policyProfile('new-pw')] });
    const held = holdPolicyRead();
    const w = await startWorker();
    expect(held.spy).toHaveBeenCalled();
    expect(await w.answerChallenge(w.s, aChallenge())).toEqual({ authCredentials: { username: 'svc', password: 'old-pw' } });

    held.release();
    await vi.waitFor(() => expect(w.s.profiles.map((p) => p.password)).toEqual(['new-pw']));
    await vi.waitFor(async () => expect(await fakeBrowser.storage.local.get('managedCopy')).toEqual({ managedCopy: { items: { profiles: [policyProfile('new-pw')] } } }));
  });

  it('a policy removed since the last read: the profile goes once the browser has read it', async () => {
    await fakeBrowser.storage.managed.set({ profiles: [policyProfile('pw')] });
    await startWorker();
    await vi.waitFor(async () => expect(await fakeBrowser.storage.local.get('managedCopy')).toHaveProperty('managedCopy.items.profiles'));
    await settleWorkers();

    await fakeBrowser.storage.session.clear();
    await fakeBrowser.storage.managed.clear();
    const held = holdPolicyRead();
    const w = await startWorker();
    expect(w.s.profiles.map((p) => p.username)).toEqual(['svc']);
    held.release();
    await vi.waitFor(() => expect(w.s.profiles).toEqual([]));
    await vi.waitFor(async () => expect(await fakeBrowser.storage.local.get('managedCopy')).toEqual({ managedCopy: { items: {} } }));
  });

  it('the first run (no copy yet) waits for the browser to read the policy: its profile is in the first state', async () => {
    await fakeBrowser.storage.managed.set({ profiles: [policyProfile('pw')] });
    const held = holdPolicyRead();
    vi.resetModules();
    const state = await import('../../../src/background/state');
    const ready = state.ready().then(track);
    await vi.waitFor(() => expect(held.spy).toHaveBeenCalled());
    held.release();
    // the held read is the only place 'pw' comes from: a state built before it would have no profile
    expect((await ready).profiles.map((p) => p.password)).toEqual(['pw']);
  });

  it('an unreadable copy counts as none: the worker waits for the policy read and writes a good copy', async () => {
    await fakeBrowser.storage.local.set({ managedCopy: 'garbage' });
    await fakeBrowser.storage.managed.set({ profiles: [policyProfile('pw')] });
    const w = await startWorker();
    expect(w.s.profiles.map((p) => p.password)).toEqual(['pw']);
    await vi.waitFor(async () => expect(await fakeBrowser.storage.local.get('managedCopy')).toEqual({ managedCopy: { items: { profiles: [policyProfile('pw')] } } }));
  });
});
