// Shared benchmark helpers: medians and percentiles, figures with goals and verdicts, and the results table.

/** One number the bench reports, with the goal it is held against (if the issue set one). */
export interface Figure {
  /** Which benchmark: "page load", "burst", "cold start", "matcher", "history", "size". */
  group: string;
  /** What was measured, e.g. "warm load ratio [chromium, node]". */
  name: string;
  /** The figure; null when it could not be measured (see note). */
  value: number | null;
  unit: string;
  /** The goal as text ("≤ 1.05"); absent: reported for information. */
  goal?: string;
  verdict: Verdict;
  /** How it was measured, the raw medians behind a ratio, or why it is n/a. */
  note?: string;
  /** The raw samples behind the figure (ms), for anyone who doubts a median. */
  samples?: Record<string, number[]>;
  /** The issue #14 goal this figure is judged against (see goals.ts); such figures also go in the goals table. */
  issueGoal?: string;
}

export type Verdict = 'meets' | 'misses' | 'info' | 'n/a';

export const median = (xs: readonly number[]): number => percentile(xs, 50);

/** Nearest-rank percentile of an unsorted sample; NaN for an empty one. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export const ratio = (a: number, b: number): number => (b > 0 ? a / b : Number.NaN);

/** Rounds for display and JSON: 3 significant digits below 100, whole numbers above. */
export function round(x: number): number {
  if (!Number.isFinite(x)) return x;
  if (Math.abs(x) >= 100) return Math.round(x);
  return Number(x.toPrecision(3));
}

/** "+12.3" / "−4.5": a rounded difference with its sign. */
export const signed = (x: number): string => `${x < 0 ? '−' : '+'}${round(Math.abs(x))}`;

/** A figure held against "value ≤ limit". */
export function atMost(group: string, name: string, value: number | null, unit: string, limit: number, note?: string): Figure {
  const goal = `≤ ${limit}${unit && unit !== '×' ? ` ${unit}` : ''}`;
  return figure(group, name, value, unit, goal, value === null || !Number.isFinite(value) ? 'n/a' : value <= limit ? 'meets' : 'misses', note);
}

/** A figure held against "value < limit". */
export function lessThan(group: string, name: string, value: number | null, unit: string, limit: number, note?: string): Figure {
  return figure(group, name, value, unit, `< ${limit}${unit ? ` ${unit}` : ''}`, value === null || !Number.isFinite(value) ? 'n/a' : value < limit ? 'meets' : 'misses', note);
}

/** Marks a figure as the measurement of one of issue #14's goals. */
export function forGoal(f: Figure, issueGoal: string): Figure {
  f.issueGoal = issueGoal;
  return f;
}

/** A figure reported for information only (the issue set no goal for it). */
export const info = (group: string, name: string, value: number | null, unit: string, note?: string): Figure =>
  figure(group, name, value, unit, undefined, value === null || !Number.isFinite(value) ? 'n/a' : 'info', note);

/** A figure that could not be measured, with the reason. */
export const notAvailable = (group: string, name: string, reason: string, goal?: string): Figure =>
  figure(group, name, null, '', goal, 'n/a', reason);

export function figure(group: string, name: string, value: number | null, unit: string, goal: string | undefined, verdict: Verdict, note?: string): Figure {
  const f: Figure = { group, name, value: value === null || !Number.isFinite(value) ? null : round(value), unit, verdict };
  if (goal !== undefined) f.goal = goal;
  if (note !== undefined) f.note = note;
  return f;
}

const fmt = (f: Figure): string => (f.value === null ? 'n/a' : `${f.value}${f.unit === '×' ? '×' : f.unit ? ` ${f.unit}` : ''}`);

/** Renders figures as a fixed-width text table (notes on their own indented line, so the table stays narrow). */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [f.group, f.name, fmt(f), f.goal ?? '—', f.verdict]);
  const head = ['benchmark', 'figure', 'value', 'goal', 'verdict'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  ')];
  figures.forEach((f, i) => {
    out.push(line(rows[i] ?? []));
    if (f.note) out.push(`${' '.repeat((widths[0] ?? 0) + 2)}↳ ${f.note}`);
  });
  return out.join('\n');
}

/** Milliseconds since `start` (a performance.now() reading). */
export const since = (start: number): number => performance.now() - start;

/** Attaches raw samples (rounded) to a figure. */
export function withSamples(f: Figure, samples: Record<string, readonly number[]>): Figure {
  f.samples = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, xs.map(round)]));
  return f;
}

/** Turns a thrown value into one line for an "n/a (reason)" note. */
export const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 200) ?? 'unknown error';
