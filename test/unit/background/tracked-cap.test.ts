// Issue #12 item 6 in the worker: a flood of challenges cannot grow the tracked requests saved in storage.session.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LIMITS } from '../../../src/core/caps';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { aChallenge, aProfile } from '../../support/profiles';
import { settleWorkers, track } from '../../support/workers';

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
});

describe('tracked requests in the worker', () => {
  it(`${LIMITS.trackedRequests + 500} challenges that never end: at most ${LIMITS.trackedRequests} tracked; the request carrying a credential is kept and still settles`, async () => {
    const p = aProfile({ password: 'pw' });
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
    await fakeBrowser.storage.sync.set({ settings: { noMatch: 'browser' } });
    vi.resetModules();
    const s = await (await import('../../../src/background/state')).ready();
    track(s);
    const { answerChallenge } = await import('../../../src/background/answer');
    const { noteResponse } = await import('../../../src/background/outcomes');
    expect(await answerChallenge(s, aChallenge({ requestId: 'real' }))).toEqual({ authCredentials: { username: p.username, password: 'pw' } });
    // a flood on another proxy: no profile, passed to the browser, never ended
    for (let i = 0; i < LIMITS.trackedRequests + 500; i++) await answerChallenge(s, aChallenge({ requestId: `f${i}`, challenger: { host: '10.9.9.9', port: 1 } }));
    expect(s.requests.size).toBeLessThanOrEqual(LIMITS.trackedRequests);
    expect(s.requests.get('real')?.answeredWith).not.toBeNull();
    expect(s.requests.has('f0')).toBe(false);
    expect(s.requests.has(`f${LIMITS.trackedRequests + 499}`)).toBe(true);
    noteResponse(s, 'real', 200);
    expect(Object.values(s.breaker.snapshot())).toContain('good');
  });
});
