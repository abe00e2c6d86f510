// Figure 3: the first answered request after the worker was stopped ÷ the same first request with the worker running.
import type { BrowserName } from '../../test/support/driver';
import type { OriginServer } from '../../test/support/origin-server';
import { type StopResult, withBench } from './browser';
import { benchProfile, type ProxyPair } from './proxies';
import { type Figure, info, median, ratio, round, signed, withSamples } from './stats';

const GROUP = 'cold start';

export interface ColdStartOptions {
  browser: BrowserName;
  pair: ProxyPair;
  origin: OriginServer;
  /** Fresh launches per side (worker running, worker stopped), alternating. */
  runs: number;
  log?: (line: string) => void;
}

/**
 * Both sides: a fresh browser, the profile saved (so the worker has loaded its state), then ONE page whose
 * document is challenged. "Warm": the worker is still running. "Cold": it was stopped first (Chromium:
 * its service-worker target closed and nothing sent to it, so the request's events start it; Firefox:
 * the add-on reloaded, so its background starts at once but has loaded nothing). Latency: navigation start → the document's last byte.
 */
async function firstRequest(o: ColdStartOptions, stopWorker: boolean, stops: StopResult[]): Promise<number> {
  return withBench(o.browser, o.pair.auth.port, async (b) => {
    await b.send('profiles/save', benchProfile(o.pair.auth));
    if (stopWorker) stops.push(await b.stopWorker());
    const t = await b.timedLoad(o.origin.url(`/?v=${Date.now()}`));
    return t.documentMs;
  });
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

export async function benchColdStart(o: ColdStartOptions): Promise<Figure[]> {
  const warm: number[] = [];
  const cold: number[] = [];
  const stops: StopResult[] = [];
  for (let i = 0; i < o.runs; i++) {
    const order = i % 2 === 0 ? [false, true] : [true, false];
    for (const stop of order) (stop ? cold : warm).push(await firstRequest(o, stop, stops));
    o.log?.(`  cold start [${o.browser}] ${i + 1}/${o.runs}`);
  }
  const c = median(cold);
  const w = median(warm);
  const figure = info(
    GROUP,
    `first answered request, worker stopped ÷ running [${o.browser}, ${o.pair.kind}]`,
    ratio(c, w),
    '×',
    `${round(c)} ms vs ${round(w)} ms (${signed(c - w)} ms); fresh browser each, median of ${cold.length}+${warm.length}; ${describeStops(stops)}`,
  );
  return [withSamples(figure, { stopped: cold, running: warm })];
}
