// A credential the proxy accepted is answered at once in a later browser session; a new version or a refusal starts it over.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { aChallenge, aProfile } from '../../support/profiles';
import { settleWorkers, track } from '../../support/workers';
import { VERDICTS_KEY } from '../../../src/storage/verdicts';
import type { Profile } from '../../../src/core/model';

/** A worker started in a new browser session: storage.session is empty, storage.local is kept. */
async function newSession() {
  await fakeBrowser.storage.session.clear();
  vi.resetModules();
  const state = await import('../../../src/background/state');
  const { answerChallenge } = await import('../../../src/background/answer');
  const outcomes = await import('../../../src/background/outcomes');
  const { inFlight } = await import('../../../src/background/in-flight-tracker');
  const verdicts = await import('../../../src/storage/verdicts');
  const { profileWritesSettled } = await import('../../../src/storage/profiles');
  const s = track(await state.ready(), verdicts.verdictWritesSettled, profileWritesSettled);
  // the session's own writes (the verdict, "last used", proven schemes) land before a test edits storage
  const saved = async () => {
    await verdicts.verdictWritesSettled();
    await profileWritesSettled();
  };
  return { s, answerChallenge, inFlight, ...outcomes, verdictsSaved: saved };
}

const stored = async (): Promise<Record<string, number>> => ((await fakeBrowser.storage.local.get(VERDICTS_KEY))[VERDICTS_KEY] ?? {}) as Record<string, number>;

async function save(p: Profile): Promise<void> {
  await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
}

/** Whether `p` has resolved once pending callbacks ran (the burst wait's safety net is 2 s away). */
async function settlesNow(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  return done;
}

/** Session 1: the proxy accepts the profile's password on one request. */
async function provenInAnEarlierSession(p: Profile): Promise<void> {
  const w = await newSession();
  const c = aChallenge({ requestId: 'first' });
  expect(await w.answerChallenge(w.s, c)).toEqual({ authCredentials: { username: p.username, password: p.password } });
  w.noteResponse(w.s, c.requestId, 200);
  await w.verdictsSaved();
}

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
});

describe('verdicts kept across browser sessions', () => {
  it('keeps the credential key of an accepted saved password in storage.local, never the password', async () => {
    const p = aProfile({ password: 'Pa55-kept-in-its-record' });
    await save(p);
    await provenInAnEarlierSession(p);
    const keys = Object.keys(await stored());
    expect(keys).toEqual([`127.0.0.1:3128|Corp Proxy|${p.id}@${p.updatedAt}`]);
    const { [`profile:${p.id}`]: _record, ...rest } = await fakeBrowser.storage.local.get(null);
    expect(JSON.stringify(rest)).not.toContain(p.password);
    expect(JSON.stringify(await fakeBrowser.storage.sync.get(null))).not.toContain(p.password);
  });

  it('a later session answers the first challenge at once although other requests are still on their way', async () => {
    const p = aProfile();
    await save(p);
    await provenInAnEarlierSession(p);
    const w = await newSession();
    expect(w.s.breaker.statusOf(`127.0.0.1:3128|Corp Proxy|${p.id}@${p.updatedAt}`)).toBe('remembered');
    w.inFlight.sent('still-on-its-way');
    const answer = w.answerChallenge(w.s, aChallenge({ requestId: 'doc' }));
    expect(await settlesNow(answer)).toBe(true);
    expect(await answer).toEqual({ authCredentials: { username: p.username, password: p.password } });
    expect(w.inFlight.safetyReleases).toBe(0);
  });

  it('an edited password is a new version: unproven, it waits for the requests on their way', async () => {
    const p = aProfile();
    await save(p);
    await provenInAnEarlierSession(p);
    await save({ ...p, password: 'changed', updatedAt: p.updatedAt + 1 });
    const w = await newSession();
    w.inFlight.sent('still-on-its-way');
    const answer = w.answerChallenge(w.s, aChallenge({ requestId: 'doc' }));
    expect(await settlesNow(answer)).toBe(false);
    w.inFlight.challenged('still-on-its-way');
    expect(await answer).toEqual({ authCredentials: { username: p.username, password: 'changed' } });
    // the old version's key is dropped when the new one is accepted
    w.noteResponse(w.s, 'doc', 200);
    await w.verdictsSaved();
    expect(Object.keys(await stored())).toEqual([`127.0.0.1:3128|Corp Proxy|${p.id}@${p.updatedAt + 1}`]);
  });

  it('a remembered password the proxy now refuses (changed on the proxy) is carried once, then the user is asked; it is forgotten', async () => {
    const p = aProfile();
    await save(p);
    await provenInAnEarlierSession(p);
    const w = await newSession();
    const { finishPrompt } = await import('../../../src/background/prompts');
    const c = aChallenge({ requestId: 'doc' });
    expect(await w.answerChallenge(w.s, c)).toEqual({ authCredentials: { username: p.username, password: p.password } });
    // the others wait for the verdict of the one request that carries it
    const others = ['x1', 'x2'].map((id) => w.answerChallenge(w.s, aChallenge({ requestId: id })));
    expect(await settlesNow(Promise.race(others))).toBe(false);
    // the proxy challenges the answered request again: with a verdict of an earlier session only, that proves a refusal
    const retry = w.answerChallenge(w.s, c);
    await vi.waitFor(() => expect(w.s.prompts.list()[0]).toMatchObject({ reason: 'rejected', waiting: 3 }));
    await w.verdictsSaved();
    expect(await stored()).toEqual({});
    expect(finishPrompt(w.s, w.s.prompts.list()[0]!.id, { kind: 'cancelled' })).toBe(3);
    expect(await Promise.all([retry, ...others])).toEqual([{ cancel: true }, { cancel: true }, { cancel: true }]);
  });

  it('a session-only or typed-once credential is never kept', async () => {
    const w = await newSession();
    const { persistVerdict } = await import('../../../src/background/verdicts');
    persistVerdict(() => [], '127.0.0.1:3128|Corp Proxy|once:abc', 'good');
    persistVerdict(() => [], '127.0.0.1:3128|Corp Proxy|session-1@5', 'good');
    await w.verdictsSaved();
    expect(await stored()).toEqual({});
  });
});
