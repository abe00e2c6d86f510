// Figure 1: a page through an authenticating proxy with the extension answering ÷ the same page through the same proxy without auth.
import type { BrowserName } from '../../test/support/driver';
import type { OriginServer } from '../../test/support/origin-server';
import { type BenchBrowser, type PageTiming, withBench } from './browser';
import { benchProfile, type ProxyPair } from './proxies';
import { type Figure, atMost, figure, info, median, percentile, ratio, round, withSamples } from './stats';

const GROUP = 'page load';
/** An HTML page whose script fetches 30 resources through the proxy: complete when all have arrived. */
export const PAGE = '/page?n=30';
const DONE_TITLE = 'done:';

export interface PageLoadOptions {
  browser: BrowserName;
  pair: ProxyPair;
  origin: OriginServer;
  /** Fresh browser launches per side (auth and no-auth alternate). */
  runs: number;
  /** Further loads in each launched browser once auth is cached. */
  warmLoadsPerLaunch: number;
  log?: (line: string) => void;
}

interface Side {
  first: PageTiming[];
  warm: PageTiming[];
}

/**
 * The three sides of one run: our extension through the authenticating proxy, through the same kind of
 * proxy without auth, and the fixed-credential reference extension through the authenticating proxy.
 */
type SideName = 'auth' | 'plain' | 'reference';

/** One fresh browser (cold HTTP cache, new connections): the first load, then the warm ones. */
async function oneLaunch(o: PageLoadOptions, side: SideName, into: Side): Promise<void> {
  const port = side === 'plain' ? o.pair.plain.port : o.pair.auth.port;
  await withBench(
    o.browser,
    port,
    async (b: BenchBrowser) => {
      // Every side opens an extension page before loading, so what differs is the 407 and who answers it.
      if (side === 'auth') await b.send('profiles/save', benchProfile(o.pair.auth));
      else if (side === 'plain') await b.send('engine/status');
      else await b.evalInExtension(() => document.readyState, undefined);
      const url = o.origin.url(`${PAGE}&v=${Date.now()}`);
      into.first.push(await b.timedLoad(url, DONE_TITLE));
      for (let i = 0; i < o.warmLoadsPerLaunch; i++) into.warm.push(await b.timedLoad(url, DONE_TITLE));
    },
    side === 'reference' ? 'reference' : 'ours',
  );
}

/** Rotates which side goes first, so drift in the machine's load hits every side alike. */
const ORDERS: SideName[][] = [
  ['auth', 'plain', 'reference'],
  ['plain', 'reference', 'auth'],
  ['reference', 'auth', 'plain'],
];

export async function benchPageLoad(o: PageLoadOptions): Promise<Figure[]> {
  const auth: Side = { first: [], warm: [] };
  const plain: Side = { first: [], warm: [] };
  const reference: Side = { first: [], warm: [] };
  const sides = { auth, plain, reference };
  const rejectedBefore = await o.pair.auth.rejected();
  for (let i = 0; i < o.runs; i++) {
    for (const side of ORDERS[i % ORDERS.length]!) await oneLaunch(o, side, sides[side]);
    o.log?.(`  page load [${o.browser}, ${o.pair.kind}] ${i + 1}/${o.runs}`);
  }
  const rejected = (await o.pair.auth.rejected()) - rejectedBefore;
  const where = `[${o.browser}, ${o.pair.kind}]`;
  const med = (xs: PageTiming[], f: (t: PageTiming) => number) => median(xs.map(f));
  const complete = (t: PageTiming) => t.completeMs;
  const documentMs = (t: PageTiming) => t.documentMs;
  const samples = (xs: PageTiming[], f: (t: PageTiming) => number) => xs.map(f);
  const n = (a: unknown[], b: unknown[]) => `n=${a.length}+${b.length}${rejected ? `; ${rejected} credentials rejected!` : ''}`;

  const firstAuth = med(auth.first, complete);
  const firstPlain = med(plain.first, complete);
  // What the 407 adds shows on the document itself; the 30 resources after it add noise, not auth.
  const docAuth = med(auth.first, documentMs);
  const docPlain = med(plain.first, documentMs);
  const extra = docAuth - docPlain;
  const firstRef = med(reference.first, complete);
  const docRef = med(reference.first, documentMs);
  // One round trip: what the no-auth browser's warm document request took (request sent → last byte).
  const roundTrip = med(plain.warm, (t) => t.requestMs);
  const warmAuth = med(auth.warm, complete);
  const warmPlain = med(plain.warm, complete);
  // The lower quartile shrugs off the slow tail other processes on the machine cause; a hint when the median is noisy.
  const q1 = (xs: PageTiming[]) => percentile(xs.map(complete), 25);
  const quiet = `lower-quartile ratio ${round(ratio(q1(auth.warm), q1(plain.warm)))}`;

  return [
    withSamples(
      info(GROUP, `first load ratio ${where}`, ratio(firstAuth, firstPlain), '×', `page complete: auth ${round(firstAuth)} ms vs no auth ${round(firstPlain)} ms; ${n(auth.first, plain.first)}`),
      { auth: samples(auth.first, complete), noAuth: samples(plain.first, complete) },
    ),
    withSamples(
      figure(
        GROUP,
        `first load, time the 407 adds ${where}`,
        extra,
        'ms',
        `≤ 1 round trip (${round(roundTrip)} ms)`,
        !Number.isFinite(extra) ? 'n/a' : extra <= roundTrip ? 'meets' : 'misses',
        `document's last byte: auth ${round(docAuth)} ms vs no auth ${round(docPlain)} ms; round trip = no-auth warm document request→last byte`,
      ),
      { auth: samples(auth.first, documentMs), noAuth: samples(plain.first, documentMs) },
    ),
    withSamples(
      info(GROUP, `first load ÷ fixed-credential reference ${where}`, ratio(firstAuth, firstRef), '×', `page complete: ours ${round(firstAuth)} ms vs an extension that answers every 407 at once with a fixed credential ${round(firstRef)} ms; document: ours ${round(docAuth)} ms vs ${round(docRef)} ms (${round(docAuth - docRef)} ms for our safety); ${n(auth.first, reference.first)}`),
      { auth: samples(auth.first, complete), reference: samples(reference.first, complete) },
    ),
    withSamples(
      atMost(GROUP, `warm load ratio ${where}`, ratio(warmAuth, warmPlain), '×', 1.05, `page complete: auth ${round(warmAuth)} ms vs no auth ${round(warmPlain)} ms (${quiet}); ${n(auth.warm, plain.warm)}`),
      { auth: samples(auth.warm, complete), noAuth: samples(plain.warm, complete) },
    ),
  ];
}
