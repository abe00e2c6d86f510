// Keeps the benchmark code from rotting: the in-process figures (matcher, bundle size) still run and return numbers. No speed assertions.
import { describe, expect, it } from 'vitest';
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
