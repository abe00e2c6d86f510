// Figure 3: the first answered request after the worker was stopped ÷ the same with it running, ours and the fixed-credential reference's.
import type { BrowserName } from '../../test/support/driver';
import type { OriginServer } from '../../test/support/origin-server';
import { type BenchExtension, type StopResult, withBench } from './browser';
import { GOALS } from './goals';
import { benchProfile, type ProxyPair } from './proxies';
import { type Figure, atMost, forGoal, info, median, ratio, round, signed, withSamples } from './stats';

const GROUP = 'cold start';

export interface ColdStartOptions {
  browser: BrowserName;
  pair: ProxyPair;
  origin: OriginServer;
  /** Rounds; each launches four fresh browsers (ours and the reference, worker running and stopped). */
  runs: number;
  log?: (line: string) => void;
}

/**
 * Every side: a fresh browser, the extension's state loaded (ours: the profile saved; the reference: an
 * extension page opened), then ONE page whose document is challenged. "Warm": the worker is still
 * running. "Cold": it was stopped first (Chromium: its service-worker target closed and nothing sent
 * to it, so the request's events start it; Firefox: the add-on reloaded, so its background starts at
 * once but has loaded nothing). Latency: navigation start → the document's last byte. The same is done
 * with the fixed-credential reference extension, so Chromium's own worker start shows apart from ours.
 */
async function firstRequest(o: ColdStartOptions, which: BenchExtension, stopWorker: boolean, stops: StopResult[]): Promise<number> {
  return withBench(
    o.browser,
    o.pair.auth.port,
    async (b) => {
      if (which === 'ours') await b.send('profiles/save', benchProfile(o.pair.auth));
      else await b.evalInExtension(() => document.readyState, undefined);
      if (stopWorker) stops.push(await b.stopWorker());
      const t = await b.timedLoad(o.origin.url(`/?v=${Date.now()}`));
      return t.documentMs;
    },
    which,
  );
}

/** "worker stopped 7×, restarted at once by the browser 1×" */
function describeStops(stops: readonly StopResult[]): string {
  const label: Record<StopResult, string> = { stopped: 'worker stopped', restarted: 'restarted at once by the browser (state not loaded)', reloaded: 'add-on reloaded' };
  return (Object.keys(label) as StopResult[])
    .map((k) => [label[k], stops.filter((x) => x === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${what} ${n}×`)
    .join(', ');
}

type Side = { which: BenchExtension; stop: boolean };
/** Four sides per round, the order rotated so drift in the machine's load hits each alike. */
const SIDES: Side[] = [
  { which: 'ours', stop: false },
  { which: 'ours', stop: true },
  { which: 'reference', stop: true },
  { which: 'reference', stop: false },
];

export async function benchColdStart(o: ColdStartOptions): Promise<Figure[]> {
  const ms = { ours: { warm: [] as number[], cold: [] as number[] }, reference: { warm: [] as number[], cold: [] as number[] } };
  const stops: StopResult[] = [];
  const refStops: StopResult[] = [];
  for (let i = 0; i < o.runs; i++) {
    const order = [...SIDES.slice(i % SIDES.length), ...SIDES.slice(0, i % SIDES.length)];
    for (const s of order) ms[s.which][s.stop ? 'cold' : 'warm'].push(await firstRequest(o, s.which, s.stop, s.which === 'ours' ? stops : refStops));
    o.log?.(`  cold start [${o.browser}] ${i + 1}/${o.runs}`);
  }
  const c = median(ms.ours.cold);
  const w = median(ms.ours.warm);
  const rc = median(ms.reference.cold);
  const rw = median(ms.reference.warm);
  const where = `[${o.browser}, ${o.pair.kind}]`;
  const n = `fresh browser each, median of ${ms.ours.cold.length}+${ms.ours.warm.length}`;
  return [
    withSamples(
      forGoal(
        atMost(GROUP, `first answered request, worker stopped ÷ running ${where}`, ratio(c, w), '×', 1.2, `${round(c)} ms vs ${round(w)} ms (${signed(c - w)} ms); ${n}; ${describeStops(stops)}`),
        GOALS.coldStart,
      ),
      { stopped: ms.ours.cold, running: ms.ours.warm },
    ),
    withSamples(
      info(
        GROUP,
        `fixed-credential reference, worker stopped ÷ running ${where}`,
        ratio(rc, rw),
        '×',
        `${round(rc)} ms vs ${round(rw)} ms (${signed(rc - rw)} ms): the browser's own cost of starting a few-line extension; ${describeStops(refStops)}`,
      ),
      { stopped: ms.reference.cold, running: ms.reference.warm },
    ),
    withSamples(
      forGoal(
        atMost(
          GROUP,
          `worker stopped, ours ÷ fixed-credential reference ${where}`,
          ratio(c, rc),
          '×',
          1.2,
          `${round(c)} ms vs ${round(rc)} ms (${signed(c - rc)} ms): what our code adds to a cold start beyond the browser's own (running: ${round(w)} vs ${round(rw)} ms)`,
        ),
        GOALS.coldVsReference,
      ),
      { ours: ms.ours.cold, reference: ms.reference.cold },
    ),
  ];
}
