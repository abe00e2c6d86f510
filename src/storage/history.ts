// The 407 history in IndexedDB: batched writes that never delay an answer, queries newest first.
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { entryFromStored } from '../core/history-entry';
import type { HistoryEntry } from '../core/model';

interface HistoryDb extends DBSchema {
  entries: { key: string; value: HistoryEntry; indexes: { at: number; outcome: string } };
}

const DB_NAME = 'proxy-auth-keeper-history';
/** 1: entries by time; 2: + by outcome, so a starting worker finds rows left pending without a scan. */
const DB_VERSION = 2;

let dbPromise: Promise<IDBPDatabase<HistoryDb>> | undefined;

export function openHistory(): Promise<IDBPDatabase<HistoryDb>> {
  dbPromise ??= openDB<HistoryDb>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      const store = oldVersion < 1 ? db.createObjectStore('entries', { keyPath: 'id' }) : tx.objectStore('entries');
      if (oldVersion < 1) store.createIndex('at', 'at');
      if (oldVersion < 2) store.createIndex('outcome', 'outcome');
    },
    // a newer version opened elsewhere (an extension update while a page is open): let it upgrade
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
      dbPromise = undefined;
    },
  }).catch((err) => {
    dbPromise = undefined;
    throw err;
  });
  return dbPromise;
}

/**
 * Collects entry writes for one tick and puts them in one transaction: 200 simultaneous
 * challenges become one write, and each entry is its own row (no read-modify-write of a list).
 */
export class HistoryWriter {
  private queue = new Map<string, HistoryEntry>();
  private flushing: Promise<void> | null = null;

  /** `later`: resolves when a write may start (the worker holds them behind its first answers); default the next microtask. */
  constructor(
    private readonly onWritten: (entries: HistoryEntry[]) => void = () => {},
    private readonly later: () => Promise<void> = () => Promise.resolve(),
  ) {}

  write(entry: HistoryEntry): void {
    this.queue.set(entry.id, { ...entry, diagnosis: [...entry.diagnosis] });
    this.flushing ??= this.later().then(() => this.flush());
  }

  /** Resolves when everything written so far is stored. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    const batch = [...this.queue.values()];
    this.queue.clear();
    try {
      const db = await openHistory();
      const tx = db.transaction('entries', 'readwrite');
      await Promise.all([...batch.map((e) => tx.store.put(e)), tx.done]);
      this.onWritten(batch);
    } catch (err) {
      console.warn('Proxy Auth Keeper: history write failed:', err instanceof Error ? err.message : String(err));
    } finally {
      this.flushing = this.queue.size ? Promise.resolve().then(() => this.flush()) : null;
    }
  }
}

export interface HistoryQuery {
  limit?: number;
  /** Only entries strictly older than this (for paging). */
  before?: number;
  since?: number;
  /** 'oldest': oldest first, so `limit` pages forward fast (one getAll); default newest first. */
  order?: 'newest' | 'oldest';
}

export async function queryHistory(q: HistoryQuery = {}): Promise<HistoryEntry[]> {
  const db = await openHistory();
  const upper = q.before;
  const range = (since: number | undefined) =>
    since !== undefined || upper !== undefined ? IDBKeyRange.bound(since ?? 0, upper ?? Number.MAX_SAFE_INTEGER, false, upper !== undefined) : undefined;
  const index = db.transaction('entries').store.index('at');
  // getAll is far faster than a cursor over 100,000 rows, but reads oldest first
  if (q.order === 'oldest') return (await index.getAll(range(q.since), q.limit)).map(entryFromStored);
  if (q.limit === undefined) return (await index.getAll(range(q.since))).reverse().map(entryFromStored);
  if (q.limit <= 0) return [];
  // the newest `limit`: one cursor jump finds the time of the limit-th newest row, one getAll reads from
  // there (a cursor stepping row by row costs a round trip per row, the first screen's 200 of them too)
  const newest = await index.openKeyCursor(range(q.since), 'prev');
  if (!newest) return [];
  const boundary = q.limit > 1 ? await newest.advance(q.limit - 1) : newest;
  const rows = await index.getAll(range(boundary ? boundary.key : q.since));
  // reversed, rows sharing a time come in the order a 'prev' cursor gives them; extra ones at the boundary time are cut
  return rows.reverse().slice(0, q.limit).map(entryFromStored);
}

/** Every row whose request has not ended yet (normally a handful), in no particular order. */
export async function pendingHistory(): Promise<HistoryEntry[]> {
  return (await openHistory()).getAllFromIndex('entries', 'outcome', 'pending').then((rows) => rows.map(entryFromStored));
}

export async function countHistory(): Promise<number> {
  return (await openHistory()).count('entries');
}

export async function clearHistory(): Promise<void> {
  await (await openHistory()).clear('entries');
}

/** Drops entries older than the retention window, then the oldest beyond maxRows; returns the ids removed. */
export async function applyRetention(days: number, maxRows: number, now = Date.now()): Promise<string[]> {
  const db = await openHistory();
  const tx = db.transaction('entries', 'readwrite');
  const index = tx.store.index('at');
  const removed: string[] = [];
  let cursor = await index.openCursor(IDBKeyRange.upperBound(now - days * 86_400_000, true));
  while (cursor) {
    removed.push(cursor.primaryKey);
    await cursor.delete();
    cursor = await cursor.continue();
  }
  let excess = (await tx.store.count()) - maxRows;
  cursor = excess > 0 ? await index.openCursor() : null;
  while (cursor && excess > 0) {
    removed.push(cursor.primaryKey);
    await cursor.delete();
    excess--;
    cursor = await cursor.continue();
  }
  await tx.done;
  return removed;
}
