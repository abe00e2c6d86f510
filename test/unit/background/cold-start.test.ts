// A stopped worker woken by a 407: one storage read before it answers; recovery, retention and history writes after.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Answer } from '../../../src/background/answer';
import type { AuthDetails } from '../../../src/background/auth-listener';
import { fakeBrowser, fakeChrome, resetFakeBrowser, resetListeners } from '../../support/fake-browser';
import { aProfile } from '../../support/profiles';
import { settleWorkers, track } from '../../support/workers';

const AREAS = ['local', 'sync', 'session', 'managed'] as const;

/** Every storage call from now on, as "area.method(keys)", and the worker's other milestones, in order. */
function recordCalls(log: string[]): () => void {
  const spies = AREAS.flatMap((name) => {
    const area = fakeBrowser.storage[name] as unknown as Record<'get' | 'set' | 'remove', (...a: unknown[]) => Promise<unknown>>;
    return (['get', 'set', 'remove'] as const).map((method) => {
      const real = area[method].bind(area);
      return vi.spyOn(area, method).mockImplementation((...args: unknown[]) => {
        log.push(`${name}.${method}(${method === 'set' ? Object.keys(args[0] as object).join(',') : JSON.stringify(args[0] ?? null)})`);
        return real(...args);
      });
    });
  });
  return () => spies.forEach((s) => s.mockRestore());
}

/** A worker started by the browser: its entry imported (every listener), with retention noted in `log`. */
async function startEntry(log: string[]) {
  vi.resetModules();
  await resetListeners();
  vi.doMock('../../../src/background/retention', async (real) => {
    const mod = await real<typeof import('../../../src/background/retention')>();
    return { ...mod, scheduleRetention: (...a: Parameters<typeof mod.scheduleRetention>) => (log.push('retention scheduled'), mod.scheduleRetention(...a)) };
  });
  await import('../../../src/background/index');
  return {
    state: await import('../../../src/background/state'),
    image: await import('../../../src/storage/start-image'),
    history: await import('../../../src/storage/history'),
  };
}

/** Fires the registered onAuthRequired listener as Chrome does and resolves with the callback's answer. */
function challenge(details: AuthDetails, log: string[]): Promise<Answer> {
  return new Promise((resolve) => {
    const listener = fakeChrome.webRequest.onAuthRequired.listeners[0]!.fn as (d: AuthDetails, cb: (a: Answer) => void) => void;
    listener(details, (a) => {
      log.push('answered');
      resolve(a);
    });
  });
}

const DETAILS: AuthDetails = { requestId: 'cold-1', url: 'http://intranet.example/', tabId: 1, isProxy: true, scheme: 'basic', realm: 'Corp Proxy', challenger: { host: '127.0.0.1', port: 3128 } };

beforeEach(async () => {
  await settleWorkers();
  vi.doUnmock('../../../src/background/retention');
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
});

describe('cold start (a stopped worker woken by a 407)', () => {
  it('reads storage once before it answers; orphan recovery, retention and the history write start after the answer', async () => {
    // the first worker of the browser session: reads every area, and leaves the start copy in storage.session
    const first = await startEntry([]);
    const profile = aProfile({ username: 'alice', password: 'pw', isDefault: true });
    await fakeBrowser.storage.local.set({ [`profile:${profile.id}`]: profile });
    await first.image.refreshStartImage();
    track(await first.state.ready());
    await first.image.refreshStartImage();
    expect(fakeBrowser.storage.session.dump()).toHaveProperty('startImage');

    // the browser stopped it; a 407 starts the next one
    const log: string[] = [];
    const stop = recordCalls(log);
    try {
      const next = await startEntry(log);
      const answer = await challenge(DETAILS, log);
      expect(answer).toEqual({ authCredentials: { username: 'alice', password: 'pw' } });
      const s = track(await next.state.ready());
      await s.history.drain();
      const beforeAnswer = log.slice(0, log.indexOf('answered'));
      expect(beforeAnswer).toEqual(['session.get(null)']);
      const after = log.slice(log.indexOf('answered') + 1);
      // recovery asks when this browser session began; retention is scheduled; the row is written
      expect(after).toContain('session.get("sessionSince")');
      expect(after).toContain('retention scheduled');
      expect((await next.history.queryHistory()).map((r) => r.requestId)).toEqual(['cold-1']);
    } finally {
      stop();
    }
  });

  it('at browser start (no copy yet) reads the areas themselves, answers the same, and leaves the copy for the next start', async () => {
    const profile = aProfile({ username: 'bob', password: 'pw2', isDefault: true });
    await fakeBrowser.storage.local.set({ [`profile:${profile.id}`]: profile });
    const log: string[] = [];
    const stop = recordCalls(log);
    try {
      const w = await startEntry(log);
      expect(await challenge(DETAILS, log)).toEqual({ authCredentials: { username: 'bob', password: 'pw2' } });
      track(await w.state.ready());
      await w.image.refreshStartImage();
      expect(log.slice(0, log.indexOf('answered'))).toEqual(expect.arrayContaining(['session.get(null)', 'local.get(null)', 'sync.get("settings")', 'managed.get(null)']));
      expect(fakeBrowser.storage.session.dump()).toHaveProperty('startImage');
    } finally {
      stop();
    }
  });

  it('keeps the copy in step: a profile changed while the worker ran is what the next stopped-and-woken worker answers with', async () => {
    const first = await startEntry([]);
    const profile = aProfile({ username: 'carol', password: 'old', isDefault: true });
    await fakeBrowser.storage.local.set({ [`profile:${profile.id}`]: profile });
    track(await first.state.ready());
    await fakeBrowser.storage.local.set({ [`profile:${profile.id}`]: { ...profile, password: 'new', updatedAt: profile.updatedAt + 1 } });
    // the entry's storage.onChanged listener made the copy again from storage.local
    await first.image.refreshStartImage();
    const copy = fakeBrowser.storage.session.dump().startImage as { local: Record<string, { password?: string }> };
    expect(copy.local[`profile:${profile.id}`]?.password).toBe('new');
    const next = await startEntry([]);
    expect(await challenge(DETAILS, [])).toEqual({ authCredentials: { username: 'carol', password: 'new' } });
    track(await next.state.ready());
  });
});
