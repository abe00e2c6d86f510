// Firefox's batched delivery: when the waiting requests share one batch, the worker's own request carries the credential.
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthDetails } from '../../../src/background/auth-listener';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { aProfile } from '../../support/profiles';

const BASE = 'moz-extension://0000/';
const PROXY = { host: '127.0.0.1', port: 3128 };

async function freshWorker() {
  vi.resetModules();
  const state = await import('../../../src/background/state');
  const { onAuthRequired } = await import('../../../src/background/auth-listener');
  return { s: await state.ready(), onAuthRequired };
}

type Reply = Parameters<Parameters<Awaited<ReturnType<typeof freshWorker>>['onAuthRequired']>[1] & {}>[0];

/** Calls the listener like the browser does and resolves with its answer. */
function ask(w: Awaited<ReturnType<typeof freshWorker>>, d: Partial<AuthDetails> & { requestId: string }): Promise<Reply> {
  return new Promise((resolve) =>
    w.onAuthRequired({ url: `http://h${d.requestId}.test:8080/x`, tabId: 1, isProxy: true, scheme: 'basic', realm: 'Corp Proxy', challenger: PROXY, ...d }, resolve),
  );
}

/** The worker's own request as the proxy challenges it: from the background page, for the first page's host. */
const OWN = { requestId: '99', url: 'http://h1.test:8080/', tabId: -1, originUrl: `${BASE}_generated_background_page.html` };

/** A saved profile, then three page requests in one batch: the worker sends its own request first. */
async function ownRequestUnderWay(over: Parameters<typeof aProfile>[0] = {}) {
  const p = aProfile({ proxy: PROXY, ...over });
  await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
  const w = await freshWorker();
  const answers = ['1', '2', '3'].map((id) => ask(w, { requestId: id }));
  await vi.waitFor(() => expect(fetches).toHaveLength(1));
  return { p, w, answers };
}

let fetches: Array<{ url: string; init: RequestInit; settle: (status: number | null) => void }>;

beforeEach(async () => {
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
  fetches = [];
  vi.stubGlobal('chrome', { runtime: { getURL: (p: string) => `${BASE}${p}` } });
  vi.stubGlobal(
    'fetch',
    vi.fn(
      (url: string, init: RequestInit) =>
        new Promise((resolve, reject) => {
          fetches.push({ url, init, settle: (status) => (status === null ? reject(new TypeError('NetworkError')) : resolve({ status })) });
        }),
    ),
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('own request (Firefox batches)', () => {
  it('challenges of one batch wait for the worker\'s own request; its success releases them all', async () => {
    const p = aProfile({ proxy: PROXY });
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
    const w = await freshWorker();
    const answers = ['1', '2', '3', '4', '5'].map((id) => ask(w, { requestId: id })); // one synchronous turn
    await vi.waitFor(() => expect(fetches).toHaveLength(1));
    expect(fetches[0]).toMatchObject({ url: 'http://h1.test:8080/', init: { method: 'HEAD', credentials: 'omit' } });
    // the worker's own request is challenged in a batch of its own and carries the credential
    const own = await ask(w, { requestId: '99', url: 'http://h1.test:8080/', tabId: -1, originUrl: `${BASE}_generated_background_page.html` });
    expect(own).toEqual({ authCredentials: { username: p.username, password: p.password } });
    fetches[0]!.settle(200);
    for (const a of await Promise.all(answers)) expect(a).toEqual({ authCredentials: { username: p.username, password: p.password } });
    expect(w.s.challengesSeen).toBe(5);
  });

  it('the own request never gives the password to another proxy or realm (e.g. a PAC fallback)', async () => {
    const p = aProfile({ proxy: PROXY });
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
    const w = await freshWorker();
    void ['1', '2'].map((id) => ask(w, { requestId: id }));
    await vi.waitFor(() => expect(fetches).toHaveLength(1));
    const own = { url: 'http://h1.test:8080/', tabId: -1, originUrl: `${BASE}_generated_background_page.html` };
    expect(await ask(w, { ...own, requestId: '98', challenger: { host: '127.0.0.1', port: 9999 } })).toEqual({ cancel: true });
    expect(await ask(w, { ...own, requestId: '98', challenger: { host: 'evil.test', port: 3128 } })).toEqual({ cancel: true });
    expect(await ask(w, { ...own, requestId: '98', realm: 'Other Realm' })).toEqual({ cancel: true });
  });

  it('a refused own request opens the breaker: no page request carries the password, all wait on one prompt', async () => {
    const { w, answers } = await ownRequestUnderWay({ password: 'wrong' });
    expect(await ask(w, OWN)).toHaveProperty('authCredentials');
    expect(await ask(w, OWN)).toEqual({ cancel: true }); // challenged again: refused
    fetches[0]!.settle(null);
    await vi.waitFor(() => expect(w.s.prompts.list()[0]).toMatchObject({ reason: 'rejected', waiting: 3 }));
    w.s.prompts.resolve(w.s.prompts.list()[0]!.id, { kind: 'cancelled' });
    for (const a of await Promise.all(answers)) expect(a).toEqual({ cancel: true });
  });

  it.each([
    ['another realm', { realm: 'Named by the site' }],
    ['another scheme', { scheme: 'digest' }],
  ])('an own request challenged again in %s proves no refusal: nothing is marked bad, a page request carries the credential next', async (_what, over) => {
    const { p, w, answers } = await ownRequestUnderWay();
    expect(await ask(w, OWN)).toHaveProperty('authCredentials');
    expect(await ask(w, { ...OWN, ...over })).toEqual({ cancel: true });
    fetches[0]!.settle(407);
    // no verdict: one waiting page request becomes the probe (its answer is the credential)
    const first = await Promise.race(answers);
    expect(first).toEqual({ authCredentials: { username: p.username, password: p.password } });
    expect(Object.values(w.s.breaker.snapshot())).not.toContain('bad');
    expect(w.s.prompts.size).toBe(0);
  });

  it('an own request challenged in a batch with requests waiting for it starts again', async () => {
    const p = aProfile({ proxy: PROXY });
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
    const w = await freshWorker();
    const answers = ['1', '2'].map((id) => ask(w, { requestId: id }));
    await vi.waitFor(() => expect(fetches).toHaveLength(1));
    const mine = { url: 'http://h1.test:8080/', tabId: -1, originUrl: `${BASE}_generated_background_page.html` };
    // the probe's challenge and a new page request's challenge in one turn
    const first = ask(w, { requestId: '98', ...mine });
    const late = ask(w, { requestId: '3' });
    expect(await first).toEqual({ cancel: true });
    expect(fetches).toHaveLength(2);
    expect(await ask(w, { requestId: '99', ...mine })).toHaveProperty('authCredentials');
    fetches[1]!.settle(200);
    fetches[0]!.settle(null); // the dropped try ends late: no effect
    for (const a of await Promise.all([...answers, late])) expect(a).toHaveProperty('authCredentials');
  });

  it('a single challenge is its own request, as in Chrome: no extra request', async () => {
    const p = aProfile({ proxy: PROXY });
    await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
    const w = await freshWorker();
    expect(await ask(w, { requestId: '1' })).toHaveProperty('authCredentials');
    expect(fetches).toHaveLength(0);
  });
});
