// The worker's decision path with storage faked: breaker across parallel requests, history rows, restarts.
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
  const history = await import('../../../src/storage/history');
  const { answerPrompt } = await import('../../../src/background/prompt-answer');
  const { finishPrompt } = await import('../../../src/background/prompts');
  const s = await state.ready();
  track(s, (await import('../../../src/storage/profiles')).profileWritesSettled, (await import('../../../src/background/vault-lock')).vaultUseSettled);
  return { s, answerChallenge, answerPrompt, finishPrompt, ...outcomes, history };
}

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory(); // a fresh database per test
});

describe('worker decisions', () => {
  it('30 parallel requests with a wrong saved password send it once; all end; history says rejected / breaker-open', async () => {
    const p = aProfile({ password: 'wrong' });
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
    const w = await freshWorker();
    const challenges = Array.from({ length: 30 }, (_, i) => aChallenge({ requestId: `r${i}` }));
    const answers = challenges.map((c) => w.answerChallenge(w.s, c));
    const first = await answers[0];
    expect(first).toEqual({ authCredentials: { username: p.username, password: 'wrong' } });
    // the proxy refuses: the browser calls again for r0; everything now waits on ONE prompt that says so
    const retry = w.answerChallenge(w.s, challenges[0]!);
    await vi.waitFor(() => expect(w.s.prompts.list()[0]?.waiting).toBe(30));
    const [prompt] = w.s.prompts.list();
    expect(w.s.prompts.size).toBe(1);
    expect(prompt).toMatchObject({ reason: 'rejected', rejectedProfile: { id: p.id, username: p.username } });
    expect(w.finishPrompt(w.s, prompt!.id, { kind: 'cancelled' })).toBe(30);
    expect(await retry).toEqual({ cancel: true });
    const rest = await Promise.all(answers.slice(1));
    expect(rest.every((a) => 'cancel' in a)).toBe(true);
    for (const c of challenges) w.settleError(w.s, c.requestId, 'net::ERR_BLOCKED_BY_CLIENT');
    await w.s.history.drain();
    const rows = await w.history.queryHistory();
    expect(rows).toHaveLength(30);
    const probe = rows.find((r) => r.requestId === 'r0');
    expect(probe).toMatchObject({ decision: 'answered-saved', outcome: 'rejected', attempts: 2 });
    expect(rows.filter((r) => r.decision === 'breaker-open' && r.outcome === 'cancelled')).toHaveLength(29);
    expect(probe?.diagnosis.map((f) => f.code)).toContain('credentials-rejected');
  });

  it('200 simultaneous challenges with a good profile: all answered, 200 rows, none lost', async () => {
    const p = aProfile();
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
    const w = await freshWorker();
    const challenges = Array.from({ length: 200 }, (_, i) => aChallenge({ requestId: `g${i}` }));
    const answers = challenges.map((c) => w.answerChallenge(w.s, c));
    await answers[0];
    w.noteResponse(w.s, 'g0', 200);
    expect((await Promise.all(answers)).every((a) => 'authCredentials' in a)).toBe(true);
    for (const c of challenges) w.settleCompleted(w.s, c.requestId, 200);
    await w.s.history.drain();
    const rows = await w.history.queryHistory();
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((r) => r.outcome))).toEqual(new Set(['ok']));
  });

  it('item 6: a flood of 700 challenges on one proxy within a minute gets at most 600 history rows, all still answered', async () => {
    const p = aProfile();
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
    const w = await freshWorker();
    const challenges = Array.from({ length: 700 }, (_, i) => aChallenge({ requestId: `f${i}` }));
    const answers = challenges.map((c) => w.answerChallenge(w.s, c));
    await answers[0];
    w.noteResponse(w.s, 'f0', 200);
    expect((await Promise.all(answers)).every((a) => 'authCredentials' in a)).toBe(true);
    for (const c of challenges) w.settleCompleted(w.s, c.requestId, 200);
    await w.s.history.drain();
    expect(await w.history.queryHistory()).toHaveLength(600);
    expect(w.s.requests.size).toBe(0);
  });

  it('a worker restart between answer and rejection still recognises the rejection', async () => {
    const p = aProfile();
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
    const w1 = await freshWorker();
    const c = aChallenge();
    expect(await w1.answerChallenge(w1.s, c)).toHaveProperty('authCredentials');
    await w1.s.snapshot.saved(); // the session snapshot is written behind
    const w2 = await freshWorker();
    const again = w2.answerChallenge(w2.s, c);
    const other = w2.answerChallenge(w2.s, aChallenge());
    await vi.waitFor(() => expect(w2.s.prompts.list()[0]).toMatchObject({ reason: 'rejected', waiting: 2 }));
    w2.finishPrompt(w2.s, w2.s.prompts.list()[0]!.id, { kind: 'timeout' });
    expect(await again).toEqual({ cancel: true });
    expect(await other).toEqual({ cancel: true });
  });

  it('no profile: 20 parallel requests share ONE prompt; "save" answers all, creates the profile, and the next is silent', async () => {
    const w = await freshWorker();
    const challenges = Array.from({ length: 20 }, (_, i) => aChallenge({ requestId: `q${i}` }));
    const answers = challenges.map((c) => w.answerChallenge(w.s, c));
    await vi.waitFor(() => expect(w.s.prompts.list()[0]?.waiting).toBe(20));
    expect(w.s.prompts.size).toBe(1);
    const id = w.s.prompts.list()[0]!.id;
    const r = await w.answerPrompt(w.s, { id, username: 'alice', password: 'right', remember: 'save' });
    expect(r).toEqual({ ok: true, value: { released: 20 } });
    // the typed credential is unproven: one request carries it first, the rest follow its success
    await vi.waitFor(() => expect([...w.s.requests.values()].filter((t) => t.answeredWith)).toHaveLength(1));
    const probe = [...w.s.requests.entries()].find(([, t]) => t.answeredWith)?.[0];
    w.noteResponse(w.s, probe!, 200);
    const all = await Promise.all(answers);
    expect(all.every((a) => 'authCredentials' in a && a.authCredentials.password === 'right')).toBe(true);
    expect(w.s.profiles).toHaveLength(1);
    expect(w.s.profiles[0]).toMatchObject({ username: 'alice', proxy: { host: '127.0.0.1', port: 3128 }, realm: 'Corp Proxy', isDefault: true });
    expect(await w.answerChallenge(w.s, aChallenge())).toEqual({ authCredentials: { username: 'alice', password: 'right' } });
    expect(w.s.prompts.size).toBe(0);
  });

  it('a prompt that times out cancels its requests and says so in history', async () => {
    await fakeBrowser.storage.sync.set({ settings: { promptTimeoutSeconds: 1 } });
    const w = await freshWorker();
    const c = aChallenge();
    expect(await w.answerChallenge(w.s, c)).toEqual({ cancel: true });
    w.settleError(w.s, c.requestId, 'net::ERR_BLOCKED_BY_CLIENT');
    await w.s.history.drain();
    expect(await w.history.queryHistory()).toMatchObject([{ decision: 'prompt-timeout', outcome: 'cancelled' }]);
  });

  it('origin-style challenges never reach the engine; no profile with setting browser passes to the browser', async () => {
    await fakeBrowser.storage.sync.set({ settings: { noMatch: 'browser' } });
    const w = await freshWorker();
    expect(await w.answerChallenge(w.s, aChallenge())).toEqual({});
    const { onAuthRequired } = await import('../../../src/background/auth-listener');
    const cb = vi.fn();
    onAuthRequired({ requestId: '1', url: 'http://x/', tabId: 1, isProxy: false, scheme: 'basic', realm: 'Corp Proxy' }, cb);
    expect(cb).toHaveBeenCalledWith({});
  });
});

/** A worker whose saved profile `p` the proxy has accepted once (on challenge `c`); `key` is that credential's breaker key. */
async function acceptedOnce(p: ReturnType<typeof aProfile>, c: ReturnType<typeof aChallenge>) {
  await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
  const w = await freshWorker();
  expect(await w.answerChallenge(w.s, c)).toHaveProperty('authCredentials');
  w.noteResponse(w.s, c.requestId, 200);
  w.settleCompleted(w.s, c.requestId, 200);
  const key = Object.keys(w.s.breaker.snapshot())[0]!;
  expect(w.s.breaker.statusOf(key)).toBe('good');
  return { w, key };
}

describe('407s relayed from a site behind a lax proxy (issue #12 item 2)', () => {
  const REALM = 'Corp Proxy';

  it('a good "any realm" credential survives 50 hostile realms and its own realm relayed: no refusal, at most one prompt, rows say why', async () => {
    const p = aProfile({ realm: null, scheme: 'any' });
    const { w, key } = await acceptedOnce(p, aChallenge({ requestId: 'real0', realm: REALM }));
    // the site answers 407 with the proxy's own realm: we answered once, the second challenge proves nothing
    const same = aChallenge({ requestId: 'h-same', realm: REALM, url: 'http://evil.test/x' });
    expect(await w.answerChallenge(w.s, same)).toHaveProperty('authCredentials');
    expect(await w.answerChallenge(w.s, same)).toEqual({ cancel: true });
    expect(w.s.breaker.statusOf(key)).toBe('good');
    // fifty realms the proxy never showed: not answered with the saved password; one prompt at most
    const hostile = Array.from({ length: 50 }, (_, i) => aChallenge({ requestId: `h${i}`, realm: `Evil ${i}`, url: 'http://evil.test/x' }));
    const answers = hostile.map((c) => w.answerChallenge(w.s, c));
    const limited = await Promise.all(answers.slice(1));
    expect(limited.every((a) => 'cancel' in a)).toBe(true);
    expect(w.s.prompts.size).toBe(1);
    expect(w.s.prompts.list()[0]).toMatchObject({ reason: 'no-match', realm: 'Evil 0', newRealm: true });
    // the real pages keep being answered at once
    expect(await w.answerChallenge(w.s, aChallenge({ requestId: 'real1', realm: REALM }))).toEqual({ authCredentials: { username: p.username, password: p.password } });
    w.finishPrompt(w.s, w.s.prompts.list()[0]!.id, { kind: 'cancelled' });
    expect(await answers[0]).toEqual({ cancel: true });
    for (const c of [same, ...hostile]) w.settleCompleted(w.s, c.requestId, 407);
    w.settleCompleted(w.s, 'real1', 200);
    await w.s.history.drain();
    const rows = await w.history.queryHistory();
    const byId = new Map(rows.map((r) => [r.requestId, r]));
    expect(rows.filter((r) => r.outcome === 'rejected' || r.decision === 'breaker-open')).toEqual([]);
    expect(byId.get('h-same')).toMatchObject({ decision: 'answered-saved', outcome: 'cancelled', guard: 'not-proof' });
    expect(byId.get('h-same')?.diagnosis.map((f) => f.code)).toContain('challenge-not-proof');
    expect(byId.get('h0')).toMatchObject({ decision: 'prompt-cancelled', guard: 'unseen-realm', profileId: null });
    expect(byId.get('h0')?.diagnosis.map((f) => f.code)).toContain('realm-unseen');
    for (let i = 1; i < 50; i++) expect(byId.get(`h${i}`)?.diagnosis.map((f) => f.code)).toContain('prompt-limited');
    expect(byId.get('real1')).toMatchObject({ decision: 'answered-saved', outcome: 'ok' });
  });

  it('a password changed on the proxy: an https request challenged again in the same realm proves it refused, even after it was accepted; one prompt says so', async () => {
    const p = aProfile({ realm: REALM });
    const { w, key } = await acceptedOnce(p, aChallenge({ requestId: 'ok0', realm: REALM, url: 'https://intranet.test/' }));
    // the password is changed on the proxy: the next tunnelled request is challenged again after our answer
    const later = aChallenge({ requestId: 'tls1', realm: REALM, url: 'https://intranet.test/app' });
    expect(await w.answerChallenge(w.s, later)).toHaveProperty('authCredentials');
    const retry = w.answerChallenge(w.s, later);
    await vi.waitFor(() => expect(w.s.prompts.list()[0]?.reason).toBe('rejected'));
    expect(w.s.breaker.statusOf(key)).toBe('bad');
    // other requests no longer carry it: they wait on the same prompt
    const other = w.answerChallenge(w.s, aChallenge({ requestId: 'tls2', realm: REALM, url: 'https://intranet.test/b' }));
    await vi.waitFor(() => expect(w.s.prompts.list()[0]?.waiting).toBe(2));
    expect(w.s.prompts.size).toBe(1);
    w.finishPrompt(w.s, w.s.prompts.list()[0]!.id, { kind: 'cancelled' });
    expect(await retry).toEqual({ cancel: true });
    expect(await other).toEqual({ cancel: true });
  });

  it('over plain HTTP the same second challenge of an accepted credential proves nothing (a site behind a lax proxy may send it)', async () => {
    const p = aProfile({ realm: REALM });
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
    const w = await freshWorker();
    expect(await w.answerChallenge(w.s, aChallenge({ requestId: 'ok0', realm: REALM }))).toHaveProperty('authCredentials');
    w.noteResponse(w.s, 'ok0', 200);
    const plain = aChallenge({ requestId: 'p1', realm: REALM, url: 'http://evil.test/' });
    expect(await w.answerChallenge(w.s, plain)).toHaveProperty('authCredentials');
    expect(await w.answerChallenge(w.s, plain)).toEqual({ cancel: true });
    expect(Object.values(w.s.breaker.snapshot())).toEqual(['good']);
    expect(w.s.prompts.size).toBe(0);
  });

  it('an unproven credential challenged again in another realm is not refused: the next waiting request carries it', async () => {
    const p = aProfile({ realm: null, scheme: 'any' });
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
    const w = await freshWorker();
    const first = aChallenge({ requestId: 'u0', realm: REALM });
    expect(await w.answerChallenge(w.s, first)).toHaveProperty('authCredentials');
    const waiting = w.answerChallenge(w.s, aChallenge({ requestId: 'u1', realm: REALM }));
    expect(await w.answerChallenge(w.s, { ...first, realm: 'Somewhere else' })).toEqual({ cancel: true });
    expect(await waiting).toHaveProperty('authCredentials');
    expect(Object.values(w.s.breaker.snapshot())).not.toContain('bad');
    expect(w.s.prompts.size).toBe(0);
  });
});
