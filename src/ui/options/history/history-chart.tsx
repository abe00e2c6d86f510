// The chart of proxy challenges over time, stacked by outcome (uPlot bars; colours follow the light/dark theme).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HistoryEntry } from '../../../core/model';
import { t, uiLanguage } from '../../components/i18n';
import { bucketize, type ChartData, stack } from './chart-data';
import { timeAxisLabels } from './chart-time';
import { OUTCOME_LABELS, OUTCOMES } from './labels';

const HEIGHT = 190;

const cssVar = (name: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

function useColorScheme(): string {
  const query = useMemo(() => matchMedia('(prefers-color-scheme: dark)'), []);
  const [dark, setDark] = useState(query.matches);
  useEffect(() => {
    const onChange = () => setDark(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, [query]);
  return dark ? 'dark' : 'light';
}

const MIN_BUCKETS = 30;

function xRange(data: ChartData): [number, number] {
  const last = (data.starts[data.starts.length - 1] ?? Date.now()) + data.bucketMs;
  const first = Math.min(data.starts[0] ?? last, last - MIN_BUCKETS * data.bucketMs);
  return [first / 1000, last / 1000];
}

/** Series top of the stack first: drawn first, each lower one painted over it, so the bars look stacked. */
function options(data: ChartData, width: number): uPlot.Options {
  const order = [...OUTCOMES].reverse();
  const axis = { stroke: cssVar('--text-muted'), grid: { stroke: cssVar('--border'), width: 1 }, ticks: { stroke: cssVar('--border'), width: 1 } };
  const bars = uPlot.paths.bars?.({ size: [0.85, 48], align: 1, gap: 1 });
  return {
    width,
    height: HEIGHT,
    // room on the right for the last time label, which uPlot centres on its tick
    padding: [8, 28, 0, 0],
    // whole counts only, with a little headroom above the tallest bar
    // at least MIN_BUCKETS wide, ending with the newest bucket: a few challenges are not one bar across the whole chart
    // x ticks at least 90 px apart: a label such as "12:00 AM" never runs into the next one
    scales: { x: { time: true, range: () => xRange(data) }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] } },
    axes: [{ ...axis, space: 90, values: (_u, ticks, _axis, _space, step) => timeAxisLabels(ticks, step, uiLanguage()) }, { ...axis, size: 48, space: 24, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 50_000], values: (_u, ticks) => ticks.map((tick) => tick.toLocaleString(uiLanguage())) }],
    legend: { live: true },
    cursor: { points: { show: false } },
    series: [
      { label: t('historyFieldTime'), value: (_u, v) => (v == null ? '—' : new Date(v * 1000).toLocaleString(uiLanguage())) },
      ...order.map((o) => ({
        label: OUTCOME_LABELS[o],
        fill: cssVar(`--outcome-${o}`),
        stroke: cssVar(`--outcome-${o}`),
        width: 0,
        ...(bars ? { paths: bars } : {}),
        points: { show: false },
        value: (_u: uPlot, _v: number | null, _si: number, i: number | null) => (i == null ? '—' : (data.counts[o][i] ?? 0).toLocaleString(uiLanguage())),
      })),
    ],
  };
}

export function HistoryChart({ entries }: { entries: readonly HistoryEntry[] }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const scheme = useColorScheme();
  const [width, setWidth] = useState(0);
  const data = useMemo(() => bucketize(entries), [entries]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(Math.floor(el.clientWidth)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const el = host.current;
    if (!el || width < 50) return;
    const aligned: uPlot.AlignedData = [data.starts.map((t) => t / 1000), ...stack(data).reverse()];
    plot.current?.destroy();
    plot.current = new uPlot(options(data, width), aligned, el);
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [data, width, scheme]);

  const total = entries.length;
  const byOutcome = OUTCOMES.map((o) => t('historyChartOutcomeCount', data.counts[o].reduce((a, b) => a + b, 0), OUTCOME_LABELS[o].toLocaleLowerCase(uiLanguage()))).join(', ');
  return (
    <figure class="chart">
      <figcaption class="chart__caption">
        <span class="chart__title">{t('historyChartTitle')}</span>
        <span class="muted">{total ? t('historyChartShown', total.toLocaleString(uiLanguage()), byOutcome) : t('historyChartEmpty')}</span>
      </figcaption>
      <div class="chart__plot" ref={host} aria-hidden="true" />
    </figure>
  );
}
