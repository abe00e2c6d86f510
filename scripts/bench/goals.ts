// Issue #14's goals: their names, the one-line verdict printed as each is measured, and the goals table at the end of the run.
import type { Figure } from './stats';

/** The goals of issue #14 ("Must show"), as the figures that measure them name them. */
export const GOALS = {
  firstLoad: 'first load: time the 407 adds ≤ 1 round trip + 5 ms',
  secondSession: "second browser session's first load: time the 407 adds ≤ 1 round trip + 5 ms",
  coldStart: 'cold start ÷ warm first answer ≤ 1.2',
  coldVsReference: 'cold start: ours stopped ÷ fixed-credential reference stopped ≤ 1.2 (the part code can influence)',
  firstPaint: 'options page, 100,000 rows: first screen < 300 ms',
  textFilter: 'options page, 100,000 rows: free-text filter < 100 ms',
} as const;

/** Extra ms the first-load goals allow beyond one round trip. */
export const ROUND_TRIP_SLACK_MS = 5;

export interface GoalRow {
  goal: string;
  /** Where it was measured: the figure's name, e.g. "first load, time the 407 adds [chromium, node]". */
  figure: string;
  value: number | null;
  unit: string;
  limit: string;
  verdict: Figure['verdict'];
  note?: string;
}

export const goalRows = (figures: readonly Figure[]): GoalRow[] =>
  Object.values(GOALS).flatMap((goal) =>
    figures
      .filter((f) => f.issueGoal === goal)
      .map((f) => ({ goal, figure: f.name, value: f.value, unit: f.unit, limit: f.goal ?? '—', verdict: f.verdict, ...(f.note ? { note: f.note } : {}) })),
  );

const show = (value: number | null, unit: string) => (value === null ? 'n/a' : `${value}${unit === '×' ? '×' : unit ? ` ${unit}` : ''}`);

/** "goal … [chromium, node]: misses (45.2 ms vs ≤ 8.8 ms)" */
export const verdictLine = (f: Figure): string => `  #14 ${f.name}: ${f.verdict === 'n/a' ? 'n/a' : f.verdict} (${show(f.value, f.unit)} vs ${f.goal ?? '—'})`;

/** The goals table: one row per measurement, grouped by goal, then how many meet and miss. */
export function formatGoals(rows: readonly GoalRow[]): string {
  const cells = rows.map((r) => [r.figure, show(r.value, r.unit), r.limit, r.verdict]);
  const head = ['measured', 'value', 'limit', 'verdict'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const out = ['Issue #14 goals', line(head), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const goal of Object.values(GOALS)) {
    out.push(`${goal}:`);
    const mine = rows.flatMap((r, i) => (r.goal === goal ? [cells[i] ?? []] : []));
    if (!mine.length) out.push('  not measured in this run (see the n/a rows above, or the --only/--browsers/--proxies chosen)');
    for (const c of mine) out.push(line(c));
  }
  const count = (v: Figure['verdict']) => rows.filter((r) => r.verdict === v).length;
  out.push('', `${count('meets')} meet, ${count('misses')} miss, ${count('n/a')} n/a (figures only: a missed goal never fails the bench)`);
  return out.join('\n');
}
