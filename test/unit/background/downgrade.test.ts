// The worker's side of the Digest → Basic downgrade: ask, send nothing before the yes, remember the yes.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { aChallenge, aProfile } from '../../support/profiles';
import { settleWorkers, track } from '../../support/workers';

async function freshWorker() {
  vi.resetModules();
  const state = await import('../../../src/background/state');
  const { answerChallenge } = await import('../../../src/background/answer');
  const outcomes = await import('../../../src/background/outcomes');
  const { answerPrompt } = await import('../../../src/background/prompt-answer');
  const profiles = await import('../../../src/storage/profiles');
  const s = await state.ready();
  track(s);
  return { s, answerChallenge, answerPrompt, ...outcomes, profiles };
}

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
});

describe('Digest → Basic downgrade in the worker', () => {
  it('a saved Digest profile: the Basic challenge asks (clear-text warning), nothing is sent before the yes; the yes is remembered', async () => {
    const p = aProfile({ scheme: 'digest', password: 'digest-pw' });
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
    const w = await freshWorker();
    // Digest challenges are answered as before
    const digest = aChallenge({ scheme: 'digest' });
    expect(await w.answerChallenge(w.s, digest)).toEqual({ authCredentials: { username: p.username, password: 'digest-pw' } });
    w.noteResponse(w.s, digest.requestId, 200);
    const basic = aChallenge({ scheme: 'basic' });
    let settled = false;
    const answer = w.answerChallenge(w.s, basic).finally(() => (settled = true));
    await vi.waitFor(() => expect(w.s.prompts.size).toBe(1));
    const prompt = w.s.prompts.list()[0]!;
    expect(prompt).toMatchObject({ reason: 'downgrade', scheme: 'basic', clearTextWarning: true, downgradeProfile: { id: p.id, name: p.name, username: p.username } });
    expect(settled).toBe(false);
    expect(w.s.requests.get(basic.requestId)).toMatchObject({ answeredWith: null, entry: { decision: 'prompt-pending' } });

    expect(await w.answerPrompt(w.s, { id: prompt.id, username: '', password: '', remember: 'once', allowBasic: true })).toEqual({ ok: true, value: { released: 1 } });
    expect(await answer).toEqual({ authCredentials: { username: p.username, password: 'digest-pw' } });
    await w.profiles.profileWritesSettled();
    const stored = (await fakeBrowser.storage.local.get(`profile:${p.id}`))[`profile:${p.id}`];
    expect(stored).toMatchObject({ scheme: 'digest', provenSchemes: ['digest', 'basic'], password: 'digest-pw', updatedAt: p.updatedAt });
    // the next Basic challenge is answered without a question
    expect(await w.answerChallenge(w.s, aChallenge({ scheme: 'basic' }))).toEqual({ authCredentials: { username: p.username, password: 'digest-pw' } });
    expect(w.s.prompts.shown).toBe(1);
  });

  it('"remember for this session" typed for Digest is not sent to Basic without a yes', async () => {
    const w = await freshWorker();
    const digest = aChallenge({ scheme: 'digest' });
    const first = w.answerChallenge(w.s, digest);
    await vi.waitFor(() => expect(w.s.prompts.size).toBe(1));
    const id = w.s.prompts.list()[0]!.id;
    await w.answerPrompt(w.s, { id, username: 'dora', password: 'session-pw', remember: 'session' });
    expect(await first).toEqual({ authCredentials: { username: 'dora', password: 'session-pw' } });
    w.noteResponse(w.s, digest.requestId, 200);
    expect(w.s.sessionProfiles[0]).toMatchObject({ scheme: 'any', provenSchemes: ['digest'] });

    const basic = w.answerChallenge(w.s, aChallenge({ scheme: 'basic' }));
    await vi.waitFor(() => expect(w.s.prompts.list()[0]?.reason).toBe('downgrade'));
    const prompt = w.s.prompts.list()[0]!;
    expect(prompt.clearTextWarning).toBe(true);
    // the user says no: the Basic request is cancelled, the password never went out
    const { finishPrompt } = await import('../../../src/background/prompts');
    finishPrompt(w.s, prompt.id, { kind: 'cancelled' });
    expect(await basic).toEqual({ cancel: true });
    expect(w.s.sessionProfiles[0]!.provenSchemes).toEqual(['digest']);
  });

  it('an "any" profile the proxy accepted only under Digest asks before Basic (the accepted scheme is recorded)', async () => {
    const p = aProfile({ scheme: 'any', password: 'pw' });
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
    const w = await freshWorker();
    // never proven: answers Basic as before
    expect(await w.answerChallenge(w.s, aChallenge({ scheme: 'basic', requestId: 'unused' }))).toMatchObject({ authCredentials: { password: 'pw' } });
    w.settleError(w.s, 'unused', 'net::ERR_ABORTED');
    const digest = aChallenge({ scheme: 'digest' });
    await w.answerChallenge(w.s, digest);
    w.noteResponse(w.s, digest.requestId, 200);
    await vi.waitFor(async () => {
      await w.profiles.profileWritesSettled();
      expect((await fakeBrowser.storage.local.get(`profile:${p.id}`))[`profile:${p.id}`]).toMatchObject({ provenSchemes: ['digest'] });
    });
    void w.answerChallenge(w.s, aChallenge({ scheme: 'basic' }));
    await vi.waitFor(() => expect(w.s.prompts.list()[0]).toMatchObject({ reason: 'downgrade', downgradeProfile: { id: p.id } }));
  });
});
