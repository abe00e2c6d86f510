// A proxy that floods 407s without Proxy-Authenticate gets the same bounds as answered challenges: capped text, rows per minute.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LIMITS } from '../../../src/core/caps';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { settleWorkers, track } from '../../support/workers';

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
  vi.resetModules();
});

describe('407s the browser never offered us (no Proxy-Authenticate)', () => {
  it(`a flood of ${LIMITS.rowsPerProxyPerMinute + 100} from one proxy, each with a 5,000-character address: at most ${LIMITS.rowsPerProxyPerMinute} rows, none longer than ${LIMITS.url}`, async () => {
    await import('../../../src/background/index');
    const s = track(await (await import('../../../src/background/state')).ready());
    const history = await import('../../../src/storage/history');
    const long = `http://site.example/${'a'.repeat(5_000)}`;
    const n = LIMITS.rowsPerProxyPerMinute + 100;
    for (let i = 0; i < n; i++) {
      fakeBrowser.webRequest.onCompleted.fire({ requestId: `f${i}`, url: long, tabId: -1, statusCode: 407, responseHeaders: [], proxyInfo: { host: '127.0.0.1', port: 3128 } });
    }
    // each record awaits the private-window check before it writes: wait for the writes themselves
    await vi.waitFor(async () => {
      await s.history.drain();
      expect((await history.queryHistory()).length).toBe(LIMITS.rowsPerProxyPerMinute);
    });
    const rows = await history.queryHistory();
    expect(rows.every((r) => r.decision === 'no-challenge-header' && r.url.length <= LIMITS.url)).toBe(true);
    // another proxy still gets its rows
    fakeBrowser.webRequest.onCompleted.fire({ requestId: 'other', url: 'http://site.example/', tabId: -1, statusCode: 407, responseHeaders: [], proxyInfo: { host: '127.0.0.2', port: 3128 } });
    await vi.waitFor(async () => {
      await s.history.drain();
      expect((await history.queryHistory()).some((r) => r.challenger.host === '127.0.0.2')).toBe(true);
    });
  });
});
