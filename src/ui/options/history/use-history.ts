// All history rows for the page, read from IndexedDB in the page itself: the newest first for a fast first
// paint, then the rest; then live updates from the worker.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { HistoryEntry } from '../../../core/model';
import { onBroadcast } from '../../../messaging/broadcast';
import { openHistory, queryHistory } from '../../../storage/history';
import { prepareRows } from './filter';

const FIRST_PAGE = 200;
const CHUNK = 20_000;

// The database is opened as soon as the page's script runs, while the page renders its first frame: on
// a browser that has just started, opening it from disk takes longer than that render. (Only opened:
// the rows are read once the page listens for new ones, so none written in between is missed.)
openHistory().catch(() => {});

export interface HistoryState {
  /** Newest first; a new array whenever anything changed. */
  entries: readonly HistoryEntry[];
  /** False until every stored row has arrived (filters and exports then cover everything). */
  complete: boolean;
  error: string;
  reload: () => void;
}

/** First index whose time is not after `at`, in a newest-first list. */
function firstAtOrBefore(list: readonly HistoryEntry[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid]?.at ?? 0) > at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Merges written rows into a newest-first list: replaced when known (a row keeps its time), else inserted by time. */
export function mergeWritten(list: readonly HistoryEntry[], written: readonly HistoryEntry[]): HistoryEntry[] {
  const next = [...list];
  for (const e of written) {
    let i = firstAtOrBefore(next, e.at);
    while (i < next.length && next[i]?.at === e.at && next[i]?.id !== e.id) i++;
    if (next[i]?.id === e.id) next[i] = e;
    else next.splice(firstAtOrBefore(next, e.at), 0, e);
  }
  return next;
}

/** Appends a later chunk (oldest-first lists), skipping the rows at the boundary time that the list already holds. */
export function mergeChunk(list: readonly HistoryEntry[], later: readonly HistoryEntry[]): HistoryEntry[] {
  const boundary = list[list.length - 1]?.at;
  const seen = new Set(list.filter((e) => e.at === boundary).map((e) => e.id));
  return [...list, ...later.filter((e) => !seen.has(e.id))];
}

export function useHistory(): HistoryState {
  const [entries, setEntries] = useState<readonly HistoryEntry[]>([]);
  const [complete, setComplete] = useState(false);
  const [error, setError] = useState('');
  const [generation, setGeneration] = useState(0);
  /** Rows written while the full load was under way, applied on top of it. */
  const early = useRef<HistoryEntry[] | null>(null);
  /** Rows removed while the load was under way: a chunk read before the removal must not bring them back. */
  const removed = useRef(new Set<string>());

  useEffect(() => {
    let live = true;
    early.current = [];
    setComplete(false);
    const stop = onBroadcast({
      'history/written': ({ entries: written }) => {
        if (early.current) early.current.push(...written);
        setEntries((list) => mergeWritten(list, written));
      },
      'history/removed': ({ ids, all }) => {
        if (early.current) for (const id of ids) removed.current.add(id);
        if (all) setEntries([]);
        else {
          const gone = new Set(ids);
          setEntries((list) => list.filter((e) => !gone.has(e.id)));
        }
      },
    });
    // Read here, not through the worker: a stopped worker need not start (and load its state) before
    // the first screen, and 100,000 rows do not cross the message channel. Rows the worker has not
    // stored yet arrive as 'history/written' like any later ones.
    (async () => {
      try {
        const first = await queryHistory({ limit: FIRST_PAGE });
        if (!live) return;
        setEntries((list) => mergeWritten(first, list));
        if (first.length < FIRST_PAGE) {
          early.current = null;
          setComplete(true);
          return;
        }
        // then everything, oldest first in chunks (fast reads; each message far below the browser's size limit)
        let ascending: HistoryEntry[] = [];
        for (let since = 0; ; ) {
          const chunk = await queryHistory({ since, limit: CHUNK, order: 'oldest' });
          if (!live) return;
          // the search text of these rows as they arrive: the first search after the load need not make it
          prepareRows(chunk);
          const known = ascending.length;
          ascending = mergeChunk(ascending, chunk);
          if (chunk.length < CHUNK || ascending.length === known) break;
          // `since` is inclusive: rows sharing the last time are read again and skipped, never lost
          since = chunk[chunk.length - 1]?.at ?? since;
        }
        const all = mergeWritten(ascending.reverse(), first);
        const gone = removed.current;
        setEntries(mergeWritten(gone.size ? all.filter((e) => !gone.has(e.id)) : all, early.current ?? []));
        early.current = null;
        gone.clear();
        setComplete(true);
      } catch (err) {
        if (live) setError(err instanceof Error ? err.message : String(err));
      }
    })();
    return () => {
      live = false;
      stop();
    };
  }, [generation]);

  return { entries, complete, error, reload: () => setGeneration((g) => g + 1) };
}
