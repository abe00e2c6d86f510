// The history page's filters as data, and the one fast pass that applies them to 100,000 rows.
import type { HistoryEntry } from '../../../core/model';
import { errorText, findingLine } from '../../components/codes-text';
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

/** What free text is matched against, lower-cased once per entry object (entries are replaced, never mutated). */
const haystacks = new WeakMap<HistoryEntry, string>();
function haystackOf(e: HistoryEntry): string {
  let h = haystacks.get(e);
  if (h === undefined) {
    h = [e.url, proxyLabel(e), e.realm ?? '', e.scheme, e.profileName ?? '', e.decision, DECISION_LABELS[e.decision] ?? '', e.outcome, OUTCOME_LABELS[e.outcome] ?? '', e.error ? errorText(e.error) : '', ...e.diagnosis.map((f) => `${f.code}\n${findingLine(f)}`)]
      .join('\n')
      .toLowerCase();
    haystacks.set(e, h);
  }
  return h;
}

/** Entries (kept newest first) that pass every filter; every word of the free text must appear. */
export function filterHistory(entries: readonly HistoryEntry[], f: HistoryFilter, now: number): readonly HistoryEntry[] {
  if (!isFiltered(f)) return entries;
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  const from = now - TIME_RANGES[f.range].ms;
  const realm = f.realm === NO_REALM ? null : f.realm;
  return entries.filter(
    (e) =>
      e.at >= from &&
      (!f.proxy || proxyLabel(e) === f.proxy) &&
      (!f.realm || e.realm === realm) &&
      (!f.outcome || e.outcome === f.outcome) &&
      (!f.decision || e.decision === f.decision) &&
      (words.length === 0 || words.every((w) => haystackOf(e).includes(w))),
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
