// Chrome does not say whether a request is private: the tab does, and unknown counts as private while a private window is open.
import { beforeEach, describe, expect, it } from 'vitest';
import { isPrivate } from '../../../src/background/privacy';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';

beforeEach(resetFakeBrowser);

describe('isPrivate', () => {
  it("takes Firefox's answer as it is", async () => {
    fakeBrowser.windows.all.push({ id: 2, incognito: true });
    expect(await isPrivate({ tabId: 3, incognito: false })).toBe(false);
    expect(await isPrivate({ tabId: -1, incognito: true })).toBe(true);
  });

  it("Chrome: reads the request's tab", async () => {
    fakeBrowser.tabs.all.set(3, { id: 3, active: true, discarded: false, incognito: true });
    fakeBrowser.tabs.all.set(4, { id: 4, active: true, discarded: false, incognito: false });
    fakeBrowser.windows.all.push({ id: 2, incognito: true });
    expect(await isPrivate({ tabId: 3 })).toBe(true);
    expect(await isPrivate({ tabId: 4 })).toBe(false);
  });

  it('Chrome: no tab, or a tab gone before it could be read, is private while a private window is open', async () => {
    expect(await isPrivate({ tabId: -1 })).toBe(false);
    expect(await isPrivate({ tabId: 99 })).toBe(false);
    fakeBrowser.windows.all.push({ id: 2, incognito: true });
    expect(await isPrivate({ tabId: -1 })).toBe(true);
    expect(await isPrivate({ tabId: 99 })).toBe(true);
  });

  it('Chrome: when even the windows cannot be read, the request is private', async () => {
    const getAll = fakeBrowser.windows.getAll;
    fakeBrowser.windows.getAll = async () => {
      throw new Error('no windows API here');
    };
    try {
      expect(await isPrivate({ tabId: -1 })).toBe(true);
    } finally {
      fakeBrowser.windows.getAll = getAll;
    }
  });
});
