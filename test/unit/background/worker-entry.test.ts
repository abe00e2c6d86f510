// The worker entry registers every listener itself, synchronously, in an order that can be read.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser, fakeChrome, heardEvents, resetFakeBrowser } from '../../support/fake-browser';

beforeEach(async () => {
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
  vi.resetModules();
});

describe('worker entry (src/background/index.ts)', () => {
  it('registers, on import and before any await, exactly the events the worker hears', async () => {
    const storageBefore = heardEvents().find((e) => e.startsWith('storage.onChanged')) ?? 'storage.onChanged: 0';
    await import('../../../src/background/index');
    const storageAfter = heardEvents().find((e) => e.startsWith('storage.onChanged'))!;
    expect(Number(storageAfter.split(': ')[1]) - Number(storageBefore.split(': ')[1])).toBe(1);
    expect(heardEvents().filter((e) => !e.startsWith('storage.'))).toEqual([
      'webRequest.onAuthRequired: 1',
      'webRequest.onBeforeRequest: 1',
      'webRequest.onSendHeaders: 1',
      'webRequest.onHeadersReceived: 1',
      'webRequest.onCompleted: 2',
      'webRequest.onErrorOccurred: 2',
      'runtime.onMessage: 1',
      'runtime.onStartup: 1',
      'runtime.onInstalled: 1',
      'alarms.onAlarm: 1',
    ]);
    // onAuthRequired answers asynchronously through its callback, for every URL
    expect(fakeChrome.webRequest.onAuthRequired.listeners[0]!.rest).toEqual([{ urls: ['<all_urls>'] }, ['asyncBlocking']]);
  });

  it('records an unanswerable 407 before the entry stops tracking it: the no-challenge listeners come first', async () => {
    await import('../../../src/background/index');
    const completed = fakeBrowser.webRequest.onCompleted.listeners;
    // the first onCompleted listener asks for response headers (it looks for Proxy-Authenticate)
    expect(completed[0]!.rest).toEqual([{ urls: ['<all_urls>'] }, ['responseHeaders']]);
    expect(completed[1]!.rest).toEqual([{ urls: ['<all_urls>'] }]);
  });
});
