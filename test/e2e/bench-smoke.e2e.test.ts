// Keeps the benchmark code from rotting: the in-process figures (matcher, bundle size) still run and return numbers, and issue #14's goals are judged and tabled. No speed assertions.
import { describe, expect, it } from 'vitest';
import { formatGoals, GOALS, goalRows } from '../../scripts/bench/goals';
import { parseOptionsBench } from '../../scripts/bench/history';
import { benchMatcher } from '../../scripts/bench/matcher';
import { benchSize } from '../../scripts/bench/size';
import { formatTable } from '../../scripts/bench/stats';

describe('npm run bench, in-process figures', () => {
  it('the matcher figure times matches for each profile count and reports how it grows', () => {
    const { figures, sizes } = benchMatcher({ sizes: [10, 1_000, 10_000], samples: 300 });
    expect(sizes.map((s) => s.profiles)).toEqual([10, 1_000, 10_000]);
    for (const s of sizes) {
      expect(Number.isFinite(s.p50us) && s.p50us >= 0).toBe(true);
      expect(s.p99us).toBeGreaterThanOrEqual(s.p50us);
      expect(s.hitRate).toBeGreaterThan(0); // the generated challenges mix hits and misses
      expect(s.hitRate).toBeLessThan(1);
    }
    expect(figures).toHaveLength(4);
    for (const f of figures) expect(typeof f.value).toBe('number');
    expect(figures.find((f) => f.name.includes('10,000'))?.goal).toBeDefined();
    expect(formatTable(figures)).toContain('matcher');
  });

  it('the size figure finds the worker, popup and options bundles in the build and gzips them', () => {
    const { figures, sizes } = benchSize('dist/chrome');
    expect(sizes.map((s) => s.entry)).toEqual(['worker', 'popup', 'options']);
    for (const s of sizes) {
      expect(s.files.length).toBeGreaterThan(0);
      expect(s.gzipBytes).toBeGreaterThan(0);
      expect(s.gzipBytes).toBeLessThan(s.rawBytes);
    }
    expect(sizes[0]?.files.some((f) => f.endsWith('.js'))).toBe(true);
    expect(sizes[1]?.files).toContain('popup.html');
    for (const f of figures) expect(typeof f.value).toBe('number');
  });
});

describe('npm run bench, issue #14 goals', () => {
  it('the options-page lines with a goal become verdict rows, and the goals table names every goal, measured or not', () => {
    const out = [
      'first screen, browser just started: 715 ms (goal < 300 ms; new tab to rows painted)',
      'first screen, opened again: 240 ms (goal < 300 ms; median of 4)',
      'filter by outcome:        22 ms → 1,057 rows',
      'filter by free text:      49 ms (goal < 100 ms; keystroke to the new count painted) → 120 rows',
    ].join('\n');
    const figures = parseOptionsBench(out, 100_000);
    expect(figures.map((f) => f.verdict)).toEqual(['misses', 'meets', 'info', 'meets']);
    expect(figures.map((f) => f.issueGoal)).toEqual([GOALS.firstPaint, GOALS.firstPaint, undefined, GOALS.textFilter]);
    const rows = goalRows(figures);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ value: 715, limit: '< 300 ms', verdict: 'misses' });
    const table = formatGoals(rows);
    for (const goal of Object.values(GOALS)) expect(table).toContain(goal);
    expect(table).toContain('not measured in this run');
    expect(table).toContain('2 meet, 1 miss');
  });
});
