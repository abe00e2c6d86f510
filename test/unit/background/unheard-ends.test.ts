// Firefox at browser start: a request held for the background before it listened never reports its end; its row settles anyway.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser, fakeChrome, resetFakeBrowser } from '../../support/fake-browser';
import { aProfile } from '../../support/profiles';
import { settleWorkers, track } from '../../support/workers';

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
  vi.resetModules();
});

const URL = 'http://intranet.example/';
const challenge = (requestId: string) => ({ requestId, url: URL, tabId: 1, isProxy: true, scheme: 'basic', realm: 'Corp Proxy', challenger: { host: '127.0.0.1', port: 3128 } });

/** The worker entry with one saved profile for the proxy; returns how to answer a challenge and read its row. */
async function entry() {
  fakeBrowser.tabs.all.set(1, { id: 1, active: true, discarded: false, url: URL, status: 'loading' });
  const mine = aProfile({ proxy: { host: '127.0.0.1', port: 3128 }, realm: 'Corp Proxy' });
  await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${mine.id}`]: mine });
  await import('../../../src/background/index');
  const s = track(await (await import('../../../src/background/state')).ready());
  const history = await import('../../../src/storage/history');
  const answer = (requestId: string) =>
    new Promise((resolve) => void fakeChrome.webRequest.onAuthRequired.listeners[0]!.fn(challenge(requestId), resolve));
  /** The one row's outcome (each test tracks one request). */
  const outcome = async () => {
    await s.history.drain();
    return (await history.queryHistory()).find((r) => r.url === URL)?.outcome;
  };
  return { s, answer, outcome, username: mine.username };
}

describe('request endings the background never hears (src/background/unheard-ends.ts)', () => {
  it('a challenge for a request never heard being sent (held at browser start) settles on its next response: the row is ok, not pending', async () => {
    const w = await entry();
    expect(await w.answer('7')).toMatchObject({ authCredentials: { username: w.username } });
    // the retry after our answer is heard, then the proxy's 200; Firefox sends no onCompleted for it
    fakeBrowser.webRequest.onSendHeaders.fire({ requestId: '7', tabId: 1, type: 'main_frame', url: URL });
    fakeBrowser.webRequest.onHeadersReceived.fire({ requestId: '7', statusCode: 200, responseHeaders: [] });
    await vi.waitFor(async () => expect(await w.outcome()).toBe('ok'));
    expect(w.s.requests.has('7')).toBe(false);
  });

  it('a request heard from its start still settles on its ending, not on its response headers', async () => {
    const w = await entry();
    fakeBrowser.webRequest.onSendHeaders.fire({ requestId: '8', tabId: 1, type: 'main_frame', url: URL });
    fakeBrowser.webRequest.onHeadersReceived.fire({ requestId: '8', statusCode: 407, responseHeaders: [] });
    expect(await w.answer('8')).toMatchObject({ authCredentials: { username: w.username } });
    fakeBrowser.webRequest.onHeadersReceived.fire({ requestId: '8', statusCode: 200, responseHeaders: [] });
    expect(await w.outcome()).toBe('pending');
    expect(w.s.requests.has('8')).toBe(true);
    // the body failed after the headers: the ending, heard, is what the row says
    fakeBrowser.webRequest.onErrorOccurred.fire({ requestId: '8', error: 'NS_ERROR_NET_RESET', url: URL, tabId: 1 });
    await vi.waitFor(async () => expect(await w.outcome()).toBe('failed'));
  });
});
