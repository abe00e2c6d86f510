// All history rows for the page: the newest first for a fast first paint, then the rest, then live updates from the worker.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { HistoryEntry } from '../../../core/model';
import { onBroadcast } from '../../../messaging/broadcast';
import { send } from '../../../messaging/send';

const FIRST_PAGE = 200;

export interface HistoryState {
  /** Newest first; a new array whenever anything changed. */
  entries: readonly HistoryEntry[];
  /** False until every stored row has arrived (filters and exports then cover everything). */
  complete: boolean;
  error: string;
  reload: () => void;
}

/** Merges written rows into a newest-first list: replaced in place when known, else inserted by time. */
export function mergeWritten(list: readonly HistoryEntry[], written: readonly HistoryEntry[]): HistoryEntry[] {
  const next = [...list];
  const position = new Map<string, number>();
  for (const e of written) {
    const i = position.get(e.id) ?? next.findIndex((x) => x.id === e.id);
    if (i >= 0 && next[i]?.at === e.at) {
      next[i] = e;
      continue;
    }
    if (i >= 0) next.splice(i, 1);
    let at = 0;
    while (at < next.length && (next[at]?.at ?? 0) > e.at) at++;
    next.splice(at, 0, e);
    position.clear(); // indexes moved
  }
  return next;
}

export function useHistory(): HistoryState {
  const [entries, setEntries] = useState<readonly HistoryEntry[]>([]);
  const [complete, setComplete] = useState(false);
  const [error, setError] = useState('');
  const [generation, setGeneration] = useState(0);
  /** Rows written while the full load was under way, applied on top of it. */
  const early = useRef<HistoryEntry[] | null>(null);

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
        if (all) setEntries([]);
        else {
          const gone = new Set(ids);
          setEntries((list) => list.filter((e) => !gone.has(e.id)));
        }
      },
    });
    (async () => {
      try {
        const first = await send('history/query', { limit: FIRST_PAGE });
        if (!live) return;
        setEntries((list) => mergeWritten(first, list));
        if (first.length < FIRST_PAGE) {
          early.current = null;
          setComplete(true);
          return;
        }
        const all = await send('history/query', {});
        if (!live) return;
        setEntries(mergeWritten(all, early.current ?? []));
        early.current = null;
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
