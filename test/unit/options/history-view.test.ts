// The history page's pure parts: filters over many rows, chart buckets and stacking, merging live rows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newEntry } from '../../../src/core/history-entry';
import type { HistoryEntry } from '../../../src/core/model';
import { bucketize, bucketSizeFor, MAX_BUCKETS, stack } from '../../../src/ui/options/history/chart-data';
import { errorText, findingLine } from '../../../src/ui/components/codes-text';
import { filterChoices, filterHistory, NO_FILTER, prepareSearch } from '../../../src/ui/options/history/filter';
import { DECISION_LABELS, OUTCOME_LABELS, proxyLabel } from '../../../src/ui/options/history/labels';
import { mergeChunk, mergeWritten } from '../../../src/ui/options/history/use-history';
import { aChallenge, aProfile } from '../../support/profiles';

const NOW = Date.UTC(2026, 10, 26, 12);
let n = 0;
function anEntry(over: Partial<HistoryEntry> = {}): HistoryEntry {
  n++;
  const e = newEntry(aChallenge({ url: `https://site${n % 5}.example/p${n}` }), 'answered-saved', aProfile({ name: 'Work' }), { stripQuery: true, id: `e${n}`, at: NOW - n * 60_000 });
  return { ...e, outcome: 'ok', ...over };
}

describe('history filters', () => {
  const rows = [
    anEntry({ outcome: 'rejected', diagnosis: [{ code: 'credentials-rejected', params: { proxy: '127.0.0.1:3128', profile: 'Work' } }] }),
    anEntry({ realm: 'Lab', challenger: { host: 'lab.example', port: 8080 }, decision: 'prompt-cancelled', outcome: 'cancelled', profileName: null }),
    anEntry({ at: NOW - 3 * 86_400_000 }),
  ];

  it('no filter returns the same list; each filter narrows', () => {
    expect(filterHistory(rows, NO_FILTER, NOW)).toBe(rows);
    expect(filterHistory(rows, { ...NO_FILTER, outcome: 'rejected' }, NOW)).toEqual([rows[0]]);
    expect(filterHistory(rows, { ...NO_FILTER, decision: 'prompt-cancelled' }, NOW)).toEqual([rows[1]]);
    expect(filterHistory(rows, { ...NO_FILTER, proxy: 'lab.example:8080' }, NOW)).toEqual([rows[1]]);
    expect(filterHistory(rows, { ...NO_FILTER, realm: 'Lab' }, NOW)).toEqual([rows[1]]);
    expect(filterHistory(rows, { ...NO_FILTER, range: '24h' }, NOW)).toEqual([rows[0], rows[1]]);
  });

  it('free text: every word, any column, case-insensitive, diagnosis and plain-word labels included', () => {
    expect(filterHistory(rows, { ...NO_FILTER, text: 'REFUSED username' }, NOW)).toEqual([rows[0]]);
    expect(filterHistory(rows, { ...NO_FILTER, text: 'prompt cancelled' }, NOW)).toEqual([rows[1]]);
    expect(filterHistory(rows, { ...NO_FILTER, text: rows[2]!.url.slice(8) }, NOW)).toEqual([rows[2]]);
    expect(filterHistory(rows, { ...NO_FILTER, text: 'nothing-like-this' }, NOW)).toEqual([]);
  });

  it('offers the proxies and realms the history holds', () => {
    expect(filterChoices(rows)).toEqual({ proxies: ['127.0.0.1:3128', 'lab.example:8080'], realms: ['Corp Proxy', 'Lab'] });
  });

  it('filters 100,000 rows in one pass: a bounded number of field reads per row, the right rows out', () => {
    // counted, not timed: a clock-based bound fails on a busy machine and passes a slow algorithm on a fast one
    let reads = 0;
    const plain = Array.from({ length: 100_000 }, () => anEntry());
    const many = plain.map((e) => new Proxy(e, { get: (t, k, r) => (reads++, Reflect.get(t, k, r)) }));
    const hit = filterHistory(many, { ...NO_FILTER, text: 'site3.example/p1234' }, NOW);
    expect(reads / many.length).toBeLessThan(50);
    expect(hit.length).toBeGreaterThan(0);
    expect(hit.every((e) => JSON.stringify(e).includes('site3.example/p1234'))).toBe(true);
    expect(hit.length).toBe(plain.filter((e) => e.url.includes('site3.example/p1234')).length);
  });
});

describe('free-text search', () => {
  /** The plain definition: every word somewhere in the row's shown text (what the search must answer, however it is kept). */
  const plainMatch = (e: HistoryEntry, words: string[]) => {
    const text = [e.url, proxyLabel(e), e.realm ?? '', e.scheme, e.profileName ?? '', e.decision, DECISION_LABELS[e.decision], e.outcome, OUTCOME_LABELS[e.outcome], e.error ? errorText(e.error) : '', ...e.diagnosis.map((f) => `${f.code}\n${findingLine(f)}`)].join('\n').toLowerCase();
    return words.every((w) => text.includes(w));
  };
  const piece = fc.constantFrom('a', 'b', 'ab', ':', '1:', '|', 'Corp', 'corp proxy', '2:ab', 'x\ny');

  it('answers as the plain definition for rows whose shared columns differ by a separator or a length', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ realm: fc.option(fc.array(piece, { maxLength: 3 }).map((p) => p.join(''))), profileName: fc.option(fc.array(piece, { maxLength: 3 }).map((p) => p.join(''))), url: fc.array(fc.constantFrom('q', 'r', 'ab', '1:'), { maxLength: 2 }).map((p) => p.join('')), error: fc.option(fc.constantFrom('net::ERR_FAILED', 'a|b', '1:a')) }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.constantFrom('a', 'b', 'ab', ':', '1:', '|', 'corp', 'proxy', 'err', 'ok', 'x'), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (shapes, words, prepared) => {
          const list = shapes.map(({ error, ...x }) => anEntry({ ...x, url: `https://${x.url}`, ...(error === null ? {} : { error }) }));
          if (prepared) prepareSearch(list, Math.floor(list.length / 2));
          const shown = filterHistory(list, { ...NO_FILTER, text: words.join(' ') }, NOW);
          expect(shown).toEqual(list.filter((e) => plainMatch(e, words)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tells rows apart whose shared columns run together the same way (realm "a" + profile "b" is not realm "ab")', () => {
    const one = anEntry({ url: 'https://q/', realm: 'a', profileName: 'b' });
    const two = anEntry({ url: 'https://q/', realm: 'ab', profileName: '' });
    expect(filterHistory([one, two], { ...NO_FILTER, text: 'ab' }, NOW)).toEqual([two]);
    expect(filterHistory([two, one], { ...NO_FILTER, text: 'ab' }, NOW)).toEqual([two]);
  });

  it('finds a row live-added to a list searched before (each list keeps its own index)', () => {
    const before = [anEntry({ url: 'https://old.example/' }), anEntry({ url: 'https://other.example/' })];
    expect(filterHistory(before, { ...NO_FILTER, text: 'fresh' }, NOW)).toEqual([]);
    const fresh = anEntry({ url: 'https://fresh.example/' });
    const after = [fresh, ...before];
    expect(filterHistory(after, { ...NO_FILTER, text: 'fresh' }, NOW)).toEqual([fresh]);
    expect(filterHistory(after, { ...NO_FILTER, text: 'example' }, NOW)).toEqual(after);
  });
});

describe('history chart data', () => {
  it('picks a bucket size that keeps the chart readable', () => {
    expect(bucketSizeFor(30 * 60_000)).toBe(60_000);
    expect(bucketSizeFor(6 * 86_400_000) / 3_600_000).toBe(3);
    expect(bucketSizeFor(10 * 365 * 86_400_000)).toBe(7 * 86_400_000);
  });

  it('counts per bucket and outcome, and stacks them bottom to top', () => {
    const rows = [anEntry({ at: NOW }), anEntry({ at: NOW + 1000, outcome: 'rejected' }), anEntry({ at: NOW + 10 * 60_000, outcome: 'cancelled' })];
    const data = bucketize(rows);
    expect(data.bucketMs).toBe(60_000);
    expect(data.starts.length).toBeLessThanOrEqual(MAX_BUCKETS);
    expect(data.counts.ok.reduce((a, b) => a + b)).toBe(1);
    expect(data.counts.rejected[0]).toBe(1);
    expect(data.counts.cancelled[data.starts.length - 1]).toBe(1);
    const stacked = stack(data);
    expect(stacked[stacked.length - 1]?.[0]).toBe(2); // the top of the first bucket holds both
    expect(bucketize([]).starts).toEqual([]);
  });
});

describe('live history rows', () => {
  it('replaces a settled row in place and inserts new ones by time, newest first', () => {
    const list = [anEntry({ at: NOW }), anEntry({ at: NOW - 10 }), anEntry({ at: NOW - 20 })];
    const settled = { ...list[1]!, outcome: 'rejected' as const };
    const newest = anEntry({ at: NOW + 5 });
    const middle = anEntry({ at: NOW - 15 });
    const merged = mergeWritten(list, [settled, newest, middle]);
    expect(merged.map((e) => e.id)).toEqual([newest.id, list[0]!.id, list[1]!.id, middle.id, list[2]!.id]);
    expect(merged[2]?.outcome).toBe('rejected');
    expect(list[1]?.outcome).toBe('ok'); // the old array is untouched
  });

  it('appends a later chunk without doubling the rows at the boundary time', () => {
    const a = anEntry({ at: NOW - 20 });
    const b = anEntry({ at: NOW - 10 });
    const c = anEntry({ at: NOW - 10 });
    const d = anEntry({ at: NOW });
    expect(mergeChunk([a, b], [b, c, d]).map((e) => e.id)).toEqual([a.id, b.id, c.id, d.id]);
  });
});
