// Buckets challenges over time by outcome for the chart: a readable bucket size, stacked totals per bucket.
import type { HistoryEntry, Outcome } from '../../../core/model';
import { OUTCOMES } from './labels';

const MIN = 60_000;
/** Candidate bucket sizes; the smallest that keeps the chart at most MAX_BUCKETS wide wins. */
export const BUCKET_SIZES = [MIN, 5 * MIN, 15 * MIN, 60 * MIN, 3 * 60 * MIN, 6 * 60 * MIN, 24 * 60 * MIN, 7 * 24 * 60 * MIN];
export const MAX_BUCKETS = 72;

export interface ChartData {
  bucketMs: number;
  /** Bucket starts, in ms. */
  starts: number[];
  counts: Record<Outcome, number[]>;
}

export function bucketSizeFor(spanMs: number): number {
  return BUCKET_SIZES.find((size) => spanMs / size <= MAX_BUCKETS) ?? (BUCKET_SIZES[BUCKET_SIZES.length - 1] as number);
}

/** Counts per bucket and outcome; entries may come in any order. Empty input gives no buckets. */
export function bucketize(entries: readonly HistoryEntry[]): ChartData {
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, [] as number[]])) as Record<Outcome, number[]>;
  if (entries.length === 0) return { bucketMs: MIN, starts: [], counts };
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const e of entries) {
    if (e.at < lo) lo = e.at;
    if (e.at > hi) hi = e.at;
  }
  const bucketMs = bucketSizeFor(hi - lo);
  // buckets aligned to local midnight-friendly boundaries: floor to the bucket size in local time
  const offset = new Date(lo).getTimezoneOffset() * MIN;
  const first = Math.floor((lo - offset) / bucketMs) * bucketMs + offset;
  const n = Math.floor((hi - first) / bucketMs) + 1;
  const starts = Array.from({ length: n }, (_, i) => first + i * bucketMs);
  for (const o of OUTCOMES) counts[o] = new Array<number>(n).fill(0);
  for (const e of entries) {
    const row = counts[e.outcome];
    const i = Math.floor((e.at - first) / bucketMs);
    if (row) row[i] = (row[i] ?? 0) + 1;
  }
  return { bucketMs, starts, counts };
}

/** Running totals bottom to top: stacked[k][i] = sum of OUTCOMES[0..k] in bucket i. */
export function stack(data: ChartData): number[][] {
  const out: number[][] = [];
  let below = new Array<number>(data.starts.length).fill(0);
  for (const o of OUTCOMES) {
    below = below.map((v, i) => v + (data.counts[o][i] ?? 0));
    out.push(below);
  }
  return out;
}
