// Browser start, install, update: only tabs whose top-level load began before the worker listened are loaded again.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeTab, fakeBrowser, fakeChrome, resetFakeBrowser } from '../../support/fake-browser';
import { settleWorkers } from '../../support/workers';

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
  vi.resetModules();
});

const tab = (id: number, over: Partial<FakeTab>): FakeTab => ({ id, active: false, discarded: false, status: 'complete', ...over });

/** The tabs a person's browser shows at start: one held by the native login dialog, and every kind that must be left alone. */
function startUpTabs(): void {
  for (const t of [
    // seen in Chromium: a navigation held by its native login dialog is 'complete', with no url and the page as pendingUrl
    tab(1, { active: true, pendingUrl: 'http://intranet.example/' }),
    tab(2, { status: 'loading', url: 'https://wiki.example/start' }),
    tab(3, { url: 'http://loaded.example/' }),
    tab(4, { discarded: true, status: 'unloaded', url: 'http://sleeping.example/' }),
    tab(5, { status: 'loading', pendingUrl: 'chrome://settings/' }),
    tab(6, { status: 'loading', url: 'http://watched.example/' }),
    // seen in Chromium too: the native dialog over a committed error page, 'complete' with the page's URL
    tab(7, { url: 'http://held.example/' }),
  ]) fakeBrowser.tabs.all.set(t.id, t);
  fakeBrowser.scripting.errorPages.add(7);
}

describe('start-up tabs (src/background/startup-tabs.ts)', () => {
  for (const event of ['onStartup', 'onInstalled'] as const) {
    it(`runtime.${event}: the tabs whose top-level load began before the worker listened are navigated again; loaded, sleeping, non-web and watched tabs are not touched`, async () => {
      startUpTabs();
      await import('../../../src/background/index');
      // the worker heard tab 6's top-level request itself: its 407, if any, reaches our listener
      fakeBrowser.webRequest.onSendHeaders.fire({ requestId: '9', tabId: 6, type: 'main_frame', url: 'http://watched.example/' });
      // a sub-resource of tab 2 proves nothing about its top-level load
      fakeBrowser.webRequest.onSendHeaders.fire({ requestId: '10', tabId: 2, type: 'image', url: 'https://wiki.example/logo.png' });
      fakeBrowser.runtime[event].fire({ reason: 'install' });
      await vi.waitFor(() => expect(fakeBrowser.tabs.calls).toHaveLength(2));
      expect(fakeBrowser.tabs.calls.sort()).toEqual(['update 1 http://intranet.example/', 'update 7 http://held.example/']);
      // tab 2 was still loading: it is watched until its load ends, and its native dialog over an error page then shows
      fakeBrowser.scripting.errorPages.add(2);
      fakeBrowser.tabs.finishLoad(2, { status: 'complete' });
      await vi.waitFor(() => expect(fakeBrowser.tabs.calls).toHaveLength(3));
      expect(fakeBrowser.tabs.calls[2]).toBe('update 2 https://wiki.example/start');
      expect(fakeBrowser.tabs.onUpdated.listeners).toHaveLength(0);
    });
  }

  it('a tab still loading at the check that then loads fine is not touched; one still loading after the wait is loaded again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      for (const t of [tab(1, { status: 'loading', url: 'http://slow.example/' }), tab(2, { status: 'loading', pendingUrl: 'http://held.example/' })]) fakeBrowser.tabs.all.set(t.id, t);
      const { reloadStartupTabs, LOADING_WAIT_MS } = await import('../../../src/background/startup-tabs');
      const done = reloadStartupTabs();
      await vi.waitFor(() => expect(fakeBrowser.tabs.onUpdated.listeners).toHaveLength(2));
      // the slow page loads fine: no error page, nothing to do
      fakeBrowser.tabs.finishLoad(1, { status: 'complete' });
      await vi.advanceTimersByTimeAsync(LOADING_WAIT_MS);
      expect(await done).toEqual([2]);
      expect(fakeBrowser.tabs.calls).toEqual(['update 2 http://held.example/']);
      expect(fakeBrowser.tabs.onUpdated.listeners).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a browser start with every tab loaded fine reloads nothing', async () => {
    for (const t of [tab(1, { url: 'http://a.example/' }), tab(2, { url: 'https://b.example/' })]) fakeBrowser.tabs.all.set(t.id, t);
    const { reloadStartupTabs } = await import('../../../src/background/startup-tabs');
    expect(await reloadStartupTabs()).toEqual([]);
    expect(fakeBrowser.tabs.calls).toEqual([]);
  });

  it('Firefox: a loading tab whose held top-level request reaches onAuthRequired (its send unheard) is never loaded again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      fakeBrowser.tabs.all.set(3, tab(3, { status: 'loading', url: 'http://held.example/' }));
      await import('../../../src/background/index');
      const { LOADING_WAIT_MS } = await import('../../../src/background/startup-tabs');
      fakeBrowser.runtime.onStartup.fire();
      await vi.waitFor(() => expect(fakeBrowser.tabs.onUpdated.listeners).toHaveLength(1));
      // the request Firefox held for the background: it waits on our prompt, its tab keeps loading
      fakeChrome.webRequest.onAuthRequired.listeners[0]!.fn(
        { requestId: '5', url: 'http://held.example/', tabId: 3, type: 'main_frame', isProxy: true, scheme: 'basic', realm: 'Corp Proxy', challenger: { host: '127.0.0.1', port: 3128 } },
        () => {},
      );
      await vi.advanceTimersByTimeAsync(LOADING_WAIT_MS);
      await vi.waitFor(() => expect(fakeBrowser.tabs.onUpdated.listeners).toHaveLength(0));
      expect(fakeBrowser.tabs.calls).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
