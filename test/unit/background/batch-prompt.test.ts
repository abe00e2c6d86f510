// Firefox's batched delivery and the prompt: a listener call held for the user must not hold the other answers of its batch.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthDetails } from '../../../src/background/auth-listener';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { aChallenge, aProfile } from '../../support/profiles';
import { settleWorkers, track } from '../../support/workers';

const PROXY = { host: '127.0.0.1', port: 3128 };
const OTHER_PROXY = { host: '127.0.0.1', port: 3129 };
const REALM = 'Corp Proxy';

async function freshWorker() {
  vi.resetModules();
  const state = await import('../../../src/background/state');
  const { onAuthRequired } = await import('../../../src/background/auth-listener');
  const { answerChallenge } = await import('../../../src/background/answer');
  const outcomes = await import('../../../src/background/outcomes');
  const { finishPrompt } = await import('../../../src/background/prompts');
  const history = await import('../../../src/storage/history');
  const s = await state.ready();
  track(s, (await import('../../../src/storage/profiles')).profileWritesSettled);
  return { s, onAuthRequired, answerChallenge, finishPrompt, history, ...outcomes };
}
type Worker = Awaited<ReturnType<typeof freshWorker>>;
type Reply = Parameters<Parameters<Worker['onAuthRequired']>[1] & {}>[0];

/** Calls the listener as the browser does; several calls in one synchronous turn are one delivery batch. */
function ask(w: Worker, d: Partial<AuthDetails> & { requestId: string }): Promise<Reply> {
  return new Promise((resolve) =>
    w.onAuthRequired({ url: `http://h${d.requestId}.test/x`, tabId: 1, isProxy: true, scheme: 'basic', realm: REALM, challenger: PROXY, ...d }, resolve),
  );
}

/** A worker whose saved "any realm" profile the proxy accepted once, so it is answered at once (no own request). */
async function provenWorker() {
  const p = aProfile({ proxy: PROXY, realm: null, scheme: 'any' });
  await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
  const w = await freshWorker();
  const first = aChallenge({ requestId: 'real0', realm: REALM, challenger: PROXY });
  expect(await w.answerChallenge(w.s, first)).toHaveProperty('authCredentials');
  w.noteResponse(w.s, 'real0', 200);
  w.settleCompleted(w.s, 'real0', 200);
  return { w, p };
}

/** Resolves once the answer promise has settled, or reports that it is still held. */
const stateOf = (answer: Promise<Reply>) => Promise.race([answer.then(() => 'answered'), new Promise((r) => setImmediate(() => r('held')))]);

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
  fakeBrowser.tabs.all.set(7, { id: 7, url: 'http://evil.test/', active: true, discarded: false, status: 'complete' });
});

describe('prompts in a delivery batch (Firefox)', () => {
  it('S17 shape: an unseen realm delivered with the real pages\' challenges is asked about without holding them; it ends at once, its tab reloads after a yes', async () => {
    const { w, p } = await provenWorker();
    // one synchronous turn: one batch with a hostile realm and two of the proxy's own challenges
    const hostile = ask(w, { requestId: 'h0', realm: 'Evil 0', url: 'http://evil.test/x', tabId: 7 });
    const real = [ask(w, { requestId: 'real1' }), ask(w, { requestId: 'real2' })];
    for (const a of await Promise.all(real)) expect(a).toEqual({ authCredentials: { username: p.username, password: p.password } });
    // the hostile request is not held for the user: held, Firefox would keep the real answers back with it
    expect(await hostile).toEqual({ cancel: true });
    expect(w.s.prompts.list()).toMatchObject([{ realm: 'Evil 0', newRealm: true, waiting: 1 }]);
    // its own end (the cancel) does not take the question away
    w.settleError(w.s, 'h0', 'NS_ERROR_ABORT');
    expect(w.s.prompts.size).toBe(1);
    // the user says yes: the tab loads again so that its request meets the answer
    const id = w.s.prompts.list()[0]!.id;
    expect(w.finishPrompt(w.s, id, { kind: 'credentials', username: 'u', password: 'p', credentialKey: 'once:x', profileId: null })).toBe(1);
    await vi.waitFor(() => expect(fakeBrowser.tabs.calls).toEqual(['reload 7']));
    await w.s.history.drain();
    const row = (await w.history.queryHistory()).find((r) => r.requestId === 'h0');
    expect(row).toMatchObject({ decision: 'prompt-not-held', outcome: 'cancelled', guard: 'unseen-realm', profileId: null });
    expect(row?.diagnosis.map((f) => f.code)).toEqual(expect.arrayContaining(['realm-unseen', 'prompt-not-held']));
  });

  it('a cancelled or timed-out prompt reloads nothing', async () => {
    const { w } = await provenWorker();
    const hostile = ['h0', 'h1'].map((id, i) => ask(w, { requestId: id, realm: `Evil ${i}`, url: 'http://evil.test/x', tabId: 7 }));
    void ask(w, { requestId: 'real1' });
    for (const a of await Promise.all(hostile)) expect(a).toEqual({ cancel: true });
    expect(w.s.prompts.size).toBe(1);
    w.finishPrompt(w.s, w.s.prompts.list()[0]!.id, { kind: 'cancelled' });
    await w.s.history.drain();
    expect(fakeBrowser.tabs.calls).toEqual([]);
  });

  it('a batch whose challenges all wait on the same prompt is held together, and released together by one answer', async () => {
    const w = await freshWorker();
    const answers = ['1', '2', '3'].map((id) => ask(w, { requestId: id }));
    await vi.waitFor(() => expect(w.s.prompts.list()).toMatchObject([{ waiting: 3 }]));
    expect(await stateOf(answers[0]!)).toBe('held');
    const id = w.s.prompts.list()[0]!.id;
    expect(w.finishPrompt(w.s, id, { kind: 'credentials', username: 'u', password: 'p', credentialKey: 'once:y', profileId: null })).toBe(3);
    // the typed credential goes through the breaker as any unproven one; here the cancel of the rest is not the point
    expect(await answers[0]).toHaveProperty('authCredentials');
    expect(fakeBrowser.tabs.calls).toEqual([]);
  });

  it('a lone challenge without a profile waits on the prompt as before (Chrome delivers every challenge alone)', async () => {
    const w = await freshWorker();
    const answer = ask(w, { requestId: 'solo', challenger: OTHER_PROXY });
    await vi.waitFor(() => expect(w.s.prompts.size).toBe(1));
    expect(await stateOf(answer)).toBe('held');
    w.finishPrompt(w.s, w.s.prompts.list()[0]!.id, { kind: 'cancelled' });
    expect(await answer).toEqual({ cancel: true });
  });

  it('two proxies in one batch, one without a profile: the other proxy\'s answer leaves at once', async () => {
    const { w, p } = await provenWorker();
    const unknown = ask(w, { requestId: 'o1', challenger: OTHER_PROXY, tabId: 7 });
    const known = ask(w, { requestId: 'k1' });
    expect(await known).toEqual({ authCredentials: { username: p.username, password: p.password } });
    expect(await unknown).toEqual({ cancel: true });
    expect(w.s.prompts.list()).toMatchObject([{ proxy: OTHER_PROXY, waiting: 1 }]);
  });
});
