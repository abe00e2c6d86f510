// Issue #12 item 6 in the worker: a flood of challenges cannot grow the tracked requests (storage.session) without bound.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TRACKED_REQUESTS } from '../../../src/core/bounds';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { aChallenge, aProfile } from '../../support/profiles';
import { settleWorkers, track } from '../../support/workers';

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
});

describe('bounds in the worker', () => {
  it(`${MAX_TRACKED_REQUESTS + 500} challenges that never end: at most ${MAX_TRACKED_REQUESTS} tracked; the request carrying a credential is kept and still settles`, async () => {
    const p = aProfile({ password: 'pw' });
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
    await fakeBrowser.storage.sync.set({ settings: { noMatch: 'browser' } });
    vi.resetModules();
    const s = await (await import('../../../src/background/state')).ready();
    track(s);
    const { answerChallenge } = await import('../../../src/background/answer');
    const { noteResponse } = await import('../../../src/background/outcomes');
    const carried = aChallenge({ requestId: 'real' });
    expect(await answerChallenge(s, carried)).toEqual({ authCredentials: { username: p.username, password: 'pw' } });
    // a flood on another proxy: no profile, passed to the browser, never ended
    for (let i = 0; i < MAX_TRACKED_REQUESTS + 500; i++) await answerChallenge(s, aChallenge({ requestId: `f${i}`, challenger: { host: '10.9.9.9', port: 1 }, realm: 'x'.repeat(5_000) }));
    expect(s.requests.size).toBeLessThanOrEqual(MAX_TRACKED_REQUESTS);
    expect(s.requests.get('real')?.answeredWith).not.toBeNull();
    expect(s.requests.get('f0')).toBeUndefined();
    expect(s.requests.get(`f${MAX_TRACKED_REQUESTS + 499}`)?.entry.realm).toHaveLength(256);
    noteResponse(s, 'real', 200);
    expect(Object.values(s.gate.snapshot())).toContain('good');
  });
});
