// A worker killed while requests waited: the next one settles their history and frees their tabs.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser, fakeChrome, resetFakeBrowser, resetListeners } from '../../support/fake-browser';
import { aChallenge, aProfile } from '../../support/profiles';
import { settleWorkers, track } from '../../support/workers';

async function freshWorker() {
  vi.resetModules();
  await resetListeners();
  await import('../../../src/background/index'); // the entry starts orphan recovery once the state loads
  const state = await import('../../../src/background/state');
  const { answerChallenge } = await import('../../../src/background/answer');
  const { freeTab } = await import('../../../src/background/orphans');
  const history = await import('../../../src/storage/history');
  const s = await state.ready();
  track(s, (await import('../../../src/storage/profiles')).profileWritesSettled, (await import('../../../src/background/vault-lock')).vaultUseSettled);
  return { s, answerChallenge, freeTab, history };
}

const PAGE = 'http://intranet.example/report';

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
});

/** The rows the second worker settled, as decision/outcome. */
async function settled(w: Awaited<ReturnType<typeof freshWorker>>, n: number): Promise<string[]> {
  let rows: Awaited<ReturnType<typeof w.history.queryHistory>> = [];
  await vi.waitFor(async () => {
    await w.s.history.drain();
    rows = (await w.history.queryHistory()).filter((r) => r.outcome !== 'pending');
    expect(rows).toHaveLength(n);
  });
  expect(rows.filter((r) => r.outcome === 'cancelled').every((r) => /restarted/.test(r.error ?? ''))).toBe(true);
  return rows.map((r) => `${r.decision}/${r.outcome}`);
}

describe('worker death', () => {
  it('requests waiting on a prompt: history says cancelled, the tab is discarded and the one in view shown again (Chrome)', async () => {
    fakeBrowser.tabs.all.set(7, { id: 7, active: true, discarded: false, url: PAGE });
    const w1 = await freshWorker();
    for (let i = 0; i < 3; i++) void w1.answerChallenge(w1.s, aChallenge({ tabId: 7 }));
    await vi.waitFor(() => expect(w1.s.prompts.list()[0]?.waiting).toBe(3));
    await w1.s.snapshot.saved(); // the session snapshot is written behind
    const w2 = await freshWorker();
    expect(await settled(w2, 3)).toEqual(Array(3).fill('prompt-cancelled/cancelled'));
    // Chrome gives the discarded active tab a new id: that one is reloaded
    expect(fakeBrowser.tabs.calls).toEqual(['discard 7', 'reload 1007']);
    expect(w2.s.requests.size).toBe(0);
  });

  it('requests parked behind a refused password: settled as breaker-open/cancelled; Firefox keeps the active tab, so it is navigated again', async () => {
    fakeBrowser.tabs.refusesActiveDiscard = true;
    fakeBrowser.tabs.all.set(4, { id: 4, active: true, discarded: false, url: PAGE });
    const p = aProfile({ password: 'wrong' });
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
    const w1 = await freshWorker();
    const first = aChallenge({ tabId: 4 });
    expect(await w1.answerChallenge(w1.s, first)).toHaveProperty('authCredentials');
    for (let i = 0; i < 4; i++) void w1.answerChallenge(w1.s, aChallenge({ tabId: 4 }));
    void w1.answerChallenge(w1.s, first); // the proxy refused it: everything now waits on one prompt
    await vi.waitFor(() => expect(w1.s.prompts.list()[0]?.waiting).toBe(5));
    await w1.s.snapshot.saved();
    const w2 = await freshWorker();
    // the refused probe was already settled by the first worker; the four parked behind it by the second
    expect((await settled(w2, 5)).sort()).toEqual(['answered-saved/rejected', ...Array(4).fill('breaker-open/cancelled')]);
    expect(fakeBrowser.tabs.calls).toEqual(['discard 4', `update 4 ${PAGE}`]);
  });

  it('a worker woken by a challenge that waits on a prompt keeps it: orphan recovery, run after the first answers, frees only what a dead worker left (Firefox S19b)', async () => {
    fakeBrowser.tabs.all.set(3, { id: 3, active: true, discarded: false, url: PAGE });
    vi.resetModules();
    await resetListeners();
    await import('../../../src/background/index');
    const firstAnswers = await import('../../../src/background/first-answers');
    const state = await import('../../../src/background/state');
    // the challenge wakes the worker before its state has loaded (Firefox's primed listener at browser start)
    const challenge = { requestId: '41', url: PAGE, tabId: 3, type: 'main_frame', isProxy: true, scheme: 'basic', realm: 'Corp Proxy', challenger: { host: '127.0.0.1', port: 3128 } };
    void fakeChrome.webRequest.onAuthRequired.listeners[0]!.fn(challenge, () => {});
    const s = track(await state.ready());
    await vi.waitFor(() => expect(s.prompts.list()[0]?.waiting).toBe(1));
    // the prompt holds the first answer back no longer than first-answers.ts allows; then recovery runs
    await new Promise<void>((resolve) => firstAnswers.afterFirstAnswers(resolve));
    expect(s.prompts.list()[0]?.waiting).toBe(1);
    expect(s.requests.get('41')?.entry.decision).toBe('prompt-pending');
    expect(fakeBrowser.tabs.calls).toEqual([]);
  });

  it('freeTab: a background tab is only discarded; a stuck navigation restarts at its pending address; an unreadable page is reloaded', async () => {
    const { freeTab } = await freshWorker();
    fakeBrowser.tabs.all.set(1, { id: 1, active: false, discarded: false, url: PAGE });
    expect(await freeTab(1)).toBe('discarded');
    expect(fakeBrowser.tabs.calls).toEqual(['discard 1']);

    fakeBrowser.tabs.refusesActiveDiscard = true;
    fakeBrowser.tabs.calls.length = 0;
    fakeBrowser.tabs.all.set(2, { id: 2, active: true, discarded: false, url: PAGE, pendingUrl: `${PAGE}?next=1` });
    expect(await freeTab(2)).toBe('navigated');
    expect(fakeBrowser.tabs.calls).toEqual(['discard 2', `update 2 ${PAGE}?next=1`]);

    fakeBrowser.tabs.calls.length = 0;
    fakeBrowser.tabs.all.set(3, { id: 3, active: true, discarded: false });
    expect(await freeTab(3)).toBe('reloaded');
    expect(fakeBrowser.tabs.calls).toEqual(['discard 3', 'reload 3']);
  });

  it('requests that were answered are not touched: their outcome still comes from the browser', async () => {
    fakeBrowser.tabs.all.set(9, { id: 9, active: true, discarded: false, url: PAGE });
    const p = aProfile();
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
    const w1 = await freshWorker();
    expect(await w1.answerChallenge(w1.s, aChallenge({ tabId: 9 }))).toHaveProperty('authCredentials');
    await w1.s.snapshot.saved();
    const w2 = await freshWorker();
    await w1.s.snapshot.saved();
    expect(w2.s.requests.size).toBe(1);
    expect(fakeBrowser.tabs.calls).toEqual([]);
  });

  it('a row left pending by an earlier browser session is settled, but its tab id (another tab now) is left alone', async () => {
    vi.resetModules(); // a history module whose database is this test's
    const { newEntry } = await import('../../../src/core/history-entry');
    const { HistoryWriter } = await import('../../../src/storage/history');
    const pendingRow = (tabId: number, at: number) => ({ ...newEntry(aChallenge({ tabId }), 'prompt-pending', null, { stripQuery: true, id: `row-${tabId}`, at }), outcome: 'pending' as const });
    const writer = new HistoryWriter();
    const now = Date.now();
    writer.write(pendingRow(5, now - 60_000)); // before this session began
    writer.write(pendingRow(6, now - 5_000)); // in this session, its worker gone before it saved its snapshot
    await writer.drain();
    await fakeBrowser.storage.session.set({ sessionSince: now - 30_000 });
    for (const id of [5, 6]) fakeBrowser.tabs.all.set(id, { id, active: false, discarded: false, url: PAGE });
    const w = await freshWorker();
    expect(await settled(w, 2)).toEqual(['prompt-cancelled/cancelled', 'prompt-cancelled/cancelled']);
    await vi.waitFor(() => expect(fakeBrowser.tabs.calls).toEqual(['discard 6']));
  });

  it('a pending row this worker wrote itself (its request just ended, the final write still queued) is left to that write', async () => {
    const w = await freshWorker();
    const { newEntry } = await import('../../../src/core/history-entry');
    const { HistoryWriter } = await import('../../../src/storage/history');
    const { recoverOrphans } = await import('../../../src/background/orphans');
    const writer = new HistoryWriter();
    writer.write({ ...newEntry(aChallenge({ tabId: 4 }), 'answered-saved', null, { stripQuery: true, id: 'row-own', at: Math.max(Date.now(), w.s.startedAt) }), outcome: 'pending' as const });
    await writer.drain();
    await recoverOrphans(w.s);
    await w.s.history.drain();
    expect((await w.history.queryHistory()).map((r) => `${r.id} ${r.outcome}`)).toEqual(['row-own pending']);
  });
});
