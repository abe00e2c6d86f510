// The history page's filters as data, and the one fast pass that applies them to 100,000 rows.
import type { HistoryEntry } from '../../../core/model';
import { errorText, findingLine, profileText } from '../../components/codes-text';
import { DECISION_LABELS, OUTCOME_LABELS, proxyLabel } from './labels';

export type TimeRange = 'all' | '1h' | '24h' | '7d' | '30d';

/** Each label is a message key. */
export const TIME_RANGES: Record<TimeRange, { label: string; ms: number }> = {
  all: { label: 'historyRangeAll', ms: Number.POSITIVE_INFINITY },
  '1h': { label: 'historyRange1h', ms: 3_600_000 },
  '24h': { label: 'historyRange24h', ms: 86_400_000 },
  '7d': { label: 'historyRange7d', ms: 7 * 86_400_000 },
  '30d': { label: 'historyRange30d', ms: 30 * 86_400_000 },
};

/** The realm filter's value for challenges that named no realm (the filter bar shows it in words). */
export const NO_REALM = '(none)';

export interface HistoryFilter {
  text: string;
  /** '' means any. */
  proxy: string;
  realm: string;
  outcome: string;
  decision: string;
  range: TimeRange;
}

export const NO_FILTER: HistoryFilter = { text: '', proxy: '', realm: '', outcome: '', decision: '', range: 'all' };

export const isFiltered = (f: HistoryFilter): boolean => JSON.stringify(f) !== JSON.stringify(NO_FILTER);

/**
 * What free text is matched against, per entry object (entries are replaced, never mutated): its
 * address, lower-cased, and the words of its other columns. Those repeat across rows (a few proxies,
 * realms, decisions), so each distinct set is kept once, by number, and a search word is looked up in
 * it once per set, not once per row.
 */
interface Searchable {
  url: string;
  others: number;
}


class SearchText {
  #rows = new WeakMap<HistoryEntry, Searchable>();
  #ids = new Map<string, number>();
  #others: string[] = [];

  of(e: HistoryEntry): Searchable {
    let row = this.#rows.get(e);
    if (row) return row;
    const label = proxyLabel(e);
    const realm = e.realm ?? '';
    const name = profileText(e);
    const error = e.error ?? '';
    // the free-form values behind their lengths: a realm holding the separator cannot pass for two fields
    const key = `${label.length}:${label}${realm.length}:${realm}${name.length}:${name}${error.length}:${error}|${e.scheme}|${e.decision}|${e.outcome}|${e.diagnosis.length ? JSON.stringify(e.diagnosis) : ''}`;
    let others = this.#ids.get(key);
    if (others === undefined) {
      others = this.#others.length;
      this.#others.push(
        [label, e.realm ?? '', e.scheme, name, e.decision, DECISION_LABELS[e.decision] ?? '', e.outcome, OUTCOME_LABELS[e.outcome] ?? '', e.error ? errorText(e.error) : '', ...e.diagnosis.map((f) => `${f.code}\n${findingLine(f)}`)]
          .join('\n')
          .toLowerCase(),
      );
      this.#ids.set(key, others);
    }
    row = { url: e.url.toLowerCase(), others };
    this.#rows.set(e, row);
    return row;
  }

  /** How many distinct sets of other columns there are so far. */
  get sets(): number {
    return this.#others.length;
  }

  /** Whether the set `id` holds `word` (the caller keeps the answer). */
  setHas(id: number, word: string): boolean {
    return (this.#others[id] as string).includes(word);
  }
}

const searchText = new SearchText();

/**
 * The search text of one list, in arrays beside it that a search reads by position (looking each row
 * up in the per-entry map costs more than the search itself). Built up to `next`, in slices while idle.
 */
interface ListIndex {
  next: number;
  urls: string[];
  others: Int32Array;
}
const lists = new WeakMap<readonly HistoryEntry[], ListIndex>();

function indexList(entries: readonly HistoryEntry[], upTo: number): ListIndex {
  let ix = lists.get(entries);
  if (!ix) {
    ix = { next: 0, urls: new Array<string>(entries.length), others: new Int32Array(entries.length) };
    lists.set(entries, ix);
  }
  for (let i = ix.next; i < upTo; i++) {
    const row = searchText.of(entries[i] as HistoryEntry);
    ix.urls[i] = row.url;
    ix.others[i] = row.others;
  }
  ix.next = Math.max(ix.next, upTo);
  return ix;
}

/** Prepares the search text of each row as rows are read (no list index: the list they end up in is not made yet). */
export function prepareRows(rows: readonly HistoryEntry[]): void {
  for (const e of rows) searchText.of(e);
}

/** Prepares the free-text search of `entries` up to position `upTo`, ahead of the first search (the page does it while idle). */
export function prepareSearch(entries: readonly HistoryEntry[], upTo = entries.length): void {
  indexList(entries, Math.min(upTo, entries.length));
}

/** Whether entries[i] holds every word: the shared columns answered once per word and set, the address per row. */
function wordMatcher(entries: readonly HistoryEntry[], words: readonly string[]): (i: number) => boolean {
  const ix = indexList(entries, entries.length);
  // per word and set: 0 not looked up yet, 1 absent, 2 present
  const known = words.map(() => new Uint8Array(searchText.sets));
  return (i) => {
    const set = ix.others[i] as number;
    const url = ix.urls[i] as string;
    for (let w = 0; w < words.length; w++) {
      const seen = known[w] as Uint8Array;
      if (seen[set] === 0) seen[set] = searchText.setHas(set, words[w] as string) ? 2 : 1;
      if (seen[set] === 1 && !url.includes(words[w] as string)) return false;
    }
    return true;
  };
}

/** Entries (kept newest first) that pass every filter; every word of the free text must appear. */
export function filterHistory(entries: readonly HistoryEntry[], f: HistoryFilter, now: number): readonly HistoryEntry[] {
  if (!isFiltered(f)) return entries;
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  const from = now - TIME_RANGES[f.range].ms;
  const realm = f.realm === NO_REALM ? null : f.realm;
  const hasWords = words.length ? wordMatcher(entries, words) : () => true;
  return entries.filter(
    (e, i) =>
      e.at >= from &&
      (!f.proxy || proxyLabel(e) === f.proxy) &&
      (!f.realm || e.realm === realm) &&
      (!f.outcome || e.outcome === f.outcome) &&
      (!f.decision || e.decision === f.decision) &&
      hasWords(i),
  );
}

/** The values the proxy and realm filters offer: what the history actually holds, sorted. */
export function filterChoices(entries: readonly HistoryEntry[]): { proxies: string[]; realms: string[] } {
  const proxies = new Set<string>();
  const realms = new Set<string>();
  for (const e of entries) {
    proxies.add(proxyLabel(e));
    realms.add(e.realm ?? NO_REALM);
  }
  return { proxies: [...proxies].sort(), realms: [...realms].sort() };
}
