// The IndexedDB history: newest-first queries (all, paged, since) and retention that reports what it removed.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HistoryEntry } from '../../../src/core/model';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 26);

async function freshHistory(rows: number, spacingMs: number) {
  vi.resetModules();
  globalThis.indexedDB = new IDBFactory();
  const history = await import('../../../src/storage/history');
  const db = await history.openHistory();
  const tx = db.transaction('entries', 'readwrite');
  for (let i = 0; i < rows; i++) void tx.store.put({ id: `e${i}`, at: NOW - i * spacingMs } as HistoryEntry);
  await tx.done;
  return history;
}

beforeEach(() => vi.useRealTimers());

describe('history queries', () => {
  it('returns everything newest first, a page with limit/before, and rows since a time', async () => {
    const h = await freshHistory(50, 1000);
    const all = await h.queryHistory();
    expect(all.map((e) => e.id).slice(0, 3)).toEqual(['e0', 'e1', 'e2']);
    expect(all).toHaveLength(50);
    expect((await h.queryHistory({ limit: 5 })).map((e) => e.id)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect((await h.queryHistory({ limit: 2, before: NOW - 10_000 })).map((e) => e.id)).toEqual(['e11', 'e12']);
    expect((await h.queryHistory({ since: NOW - 2000 })).map((e) => e.id)).toEqual(['e0', 'e1', 'e2']);
    expect((await h.queryHistory({ since: NOW - 2000, limit: 2, order: 'oldest' })).map((e) => e.id)).toEqual(['e2', 'e1']);
    expect((await h.queryHistory({ order: 'oldest', limit: 3 })).map((e) => e.id)).toEqual(['e49', 'e48', 'e47']);
  });
  it('pages newest first through rows that share a time: none lost, none twice, a limit beyond the rows returns them all', async () => {
    vi.resetModules();
    globalThis.indexedDB = new IDBFactory();
    const h = await import('../../../src/storage/history');
    const db = await h.openHistory();
    const tx = db.transaction('entries', 'readwrite');
    // three rows per time: e00, e01, e02 at NOW; e10, e11, e12 a second earlier; …
    for (let t = 0; t < 5; t++) for (let k = 0; k < 3; k++) void tx.store.put({ id: `e${t}${k}`, at: NOW - t * 1000 } as HistoryEntry);
    await tx.done;
    const all = (await h.queryHistory()).map((e) => e.id);
    expect(all.slice(0, 4)).toEqual(['e02', 'e01', 'e00', 'e12']);
    for (const limit of [1, 2, 4, 7, 15]) expect((await h.queryHistory({ limit })).map((e) => e.id)).toEqual(all.slice(0, limit));
    expect((await h.queryHistory({ limit: 100 })).map((e) => e.id)).toEqual(all);
    expect(await h.queryHistory({ limit: 0 })).toEqual([]);
    expect((await h.queryHistory({ limit: 4, before: NOW - 1000 })).map((e) => e.id)).toEqual(['e22', 'e21', 'e20', 'e32']);
    expect((await h.queryHistory({ limit: 4, since: NOW - 1000 })).map((e) => e.id)).toEqual(all.slice(0, 4));
    expect(await h.queryHistory({ limit: 4, before: NOW - 10_000 })).toEqual([]);
  });
});

describe('history retention', () => {
  it('drops rows older than the window, then the oldest beyond max rows, and returns their ids', async () => {
    const h = await freshHistory(40, DAY / 2); // 20 days of rows, two a day
    const removed = await h.applyRetention(10, 15, NOW);
    // e21…e39 are older than 10 days; of the 21 left, the 6 oldest (e15…e20) exceed 15 rows
    expect([...removed].sort()).toEqual(Array.from({ length: 25 }, (_, i) => `e${i + 15}`).sort());
    const left = await h.queryHistory();
    expect(left).toHaveLength(15);
    expect(left.every((e) => e.at >= NOW - 10 * DAY)).toBe(true);
    expect(left[0]?.id).toBe('e0');
    expect(await h.applyRetention(10, 15, NOW)).toEqual([]);
  });
});

describe('history schema', () => {
  it('a version 1 database (by time only) is upgraded in place: every row kept, pending rows found by outcome', async () => {
    vi.resetModules();
    globalThis.indexedDB = new IDBFactory();
    // the database as version 1 left it: one store, one index on time
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('proxy-auth-keeper-history', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('entries', { keyPath: 'id' }).createIndex('at', 'at');
      open.onsuccess = () => {
        const tx = open.result.transaction('entries', 'readwrite');
        for (let i = 0; i < 30; i++) tx.objectStore('entries').put({ id: `v1-${i}`, at: NOW - i, outcome: i % 10 === 0 ? 'pending' : 'ok' });
        tx.oncomplete = () => (open.result.close(), resolve());
        tx.onerror = () => reject(tx.error);
      };
      open.onerror = () => reject(open.error);
    });
    const h = await import('../../../src/storage/history');
    expect(await h.countHistory()).toBe(30);
    expect((await h.pendingHistory()).map((e) => e.id).sort()).toEqual(['v1-0', 'v1-10', 'v1-20']);
    expect((await h.queryHistory({ limit: 2 })).map((e) => e.id)).toEqual(['v1-0', 'v1-1']);
  });
});
