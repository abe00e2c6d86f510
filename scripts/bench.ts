// `npm run bench`: measures what users feel (page load, bursts, cold start, matcher, history, size), judges issue #14's goals, and writes bench/results.json.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserName } from '../test/support/driver';
import { type OriginServer, startOrigin } from '../test/support/origin-server';
import { useBuilds, useReference } from './bench/browser';
import { PASS, USER } from './bench/proxies';
import { writeReferenceExtension } from './bench/reference-extension';
import { benchBurst } from './bench/burst';
import { benchColdStart } from './bench/cold-start';
import { benchIdbUnderLoad, optionsPageFigures, historyLagFigure } from './bench/history';
import { formatGoals, goalRows, verdictLine } from './bench/goals';
import { benchMatcher } from './bench/matcher';
import { benchPageLoad } from './bench/page-load';
import { type BenchProxyKind, type ProxyPair, startPair } from './bench/proxies';
import { type Figure, formatTable, notAvailable, reason } from './bench/stats';
import { benchSize } from './bench/size';

const HELP = `npm run bench [-- options]
  --quick                 few runs, Node proxy only (CI smoke; under 3 minutes); writes bench/out/results-quick.json
  --browsers=a,b          chromium,firefox (default both)
  --only=x,y              matcher,size,page-load,burst,cold-start,history (default all)
  --proxies=x,y           node,squid,node-wan (default all; --quick: node); node-wan holds each request 50 ms
                          (page load only: what the 407 costs when the proxy is a network away)
  --out=FILE              where the JSON goes (default bench/results.json, or bench/out/results-quick.json with --quick)
  --dist=DIR              the built extension to measure (DIR/chrome, DIR/firefox; default dist, built if missing)`;

interface Args {
  quick: boolean;
  proxies: BenchProxyKind[];
  browsers: BrowserName[];
  only: Set<string>;
  out: string;
  dist: string;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  if (argv.includes('--help')) {
    console.log(HELP);
    process.exit(0);
  }
  const quick = argv.includes('--quick');
  const browsers = (get('browsers') ?? 'chromium,firefox').split(',').filter((b): b is BrowserName => b === 'chromium' || b === 'firefox');
  const only = new Set((get('only') ?? 'matcher,size,page-load,burst,cold-start,history').split(','));
  const kinds: BenchProxyKind[] = ['node', 'squid', 'node-wan'];
  const proxies = (get('proxies') ?? (quick ? 'node' : kinds.join(','))).split(',').filter((k): k is BenchProxyKind => (kinds as string[]).includes(k));
  return { quick, proxies, browsers, only, out: get('out') ?? (quick ? 'bench/out/results-quick.json' : 'bench/results.json'), dist: get('dist') ?? 'dist' };
}

/** How many runs each figure gets: the full run is as long as it needs to be (~15 min), --quick is a smoke test. */
const plan = (quick: boolean) => ({
  pageLoadRuns: quick ? 4 : 20,
  warmLoadsPerLaunch: 2,
  // a second browser session on the same profile (auth and no-auth sides): every other round, every round in --quick
  secondSessionEvery: quick ? 1 : 2,
  burstRounds: quick ? 1 : 3,
  burstDeadlineMs: quick ? 5_000 : 15_000,
  coldStartRuns: quick ? 1 : 8,
  matcherSamples: quick ? 5_000 : 50_000,
  idbRows: quick ? 2_000 : 20_000,
});

const log = (line: string) => process.stderr.write(`${line}\n`);

function firstLine(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? (r.stdout.trim().split('\n')[0] ?? '') : 'not found';
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    chromium: firstLine('/usr/lib/chromium/chromium', ['--version']),
    firefox: firstLine('/usr/bin/firefox-esr', ['--version']),
    squid: firstLine('/usr/sbin/squid', ['-v']),
    commit: firstLine('git', ['rev-parse', '--short', 'HEAD']),
    uncommittedChanges: firstLine('git', ['status', '--porcelain']) !== '',
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

const built = (dist: string) => existsSync(path.join(dist, 'chrome/manifest.json')) && existsSync(path.join(dist, 'firefox/manifest.json'));

/**
 * Builds dist/ if it is missing, then copies it aside: every browser in the run loads the same build,
 * even if someone rebuilds dist/ meanwhile. Returns the copy (removed at the end).
 */
function snapshotBuild(dist: string): string {
  if (!built(dist)) {
    if (dist !== 'dist') throw new Error(`${dist} holds no chrome/ and firefox/ build`);
    log('dist/ is missing: npm run build');
    const r = spawnSync('npm', ['run', 'build'], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error('npm run build failed');
  }
  const copy = mkdtempSync(path.join(os.tmpdir(), 'pak-bench-dist-'));
  for (const b of ['chrome', 'firefox']) cpSync(path.join(dist, b), path.join(copy, b), { recursive: true });
  useBuilds({ chrome: path.join(copy, 'chrome'), firefox: path.join(copy, 'firefox') });
  return copy;
}

/** Runs one part; a failure becomes an "n/a (reason)" row instead of ending the bench. Returns the failure, if any. */
async function part(figures: Figure[], timings: Record<string, number>, label: string, group: string, fn: () => Promise<Figure[]> | Figure[]): Promise<string | null> {
  const start = performance.now();
  log(`${label} …`);
  let failure: string | null = null;
  try {
    const got = await fn();
    figures.push(...got);
    for (const f of got) if (f.issueGoal) log(verdictLine(f));
  } catch (err) {
    failure = reason(err);
    log(`${label}: n/a (${failure})`);
    figures.push(notAvailable(group, label, failure));
  }
  timings[label] = Math.round((performance.now() - start) / 100) / 10;
  return failure;
}

interface BrowserPart {
  label: string;
  group: string;
  run: () => Promise<Figure[]>;
}

/** The browser figures for one browser, in the order they run. */
function partsFor(a: Args, browser: BrowserName, pairs: Map<BenchProxyKind, ProxyPair | Error>, origin: OriginServer): BrowserPart[] {
  const p = plan(a.quick);
  const parts: BrowserPart[] = [];
  const pairOf = (kind: BenchProxyKind): ProxyPair => {
    const pair = pairs.get(kind);
    if (!pair || pair instanceof Error) throw new Error(`the ${kind} proxies did not start: ${pair?.message ?? 'not planned'}`);
    return pair;
  };
  for (const kind of a.proxies) {
    const where = `[${browser}, ${kind}]`;
    const o = () => ({ browser, pair: pairOf(kind), origin, log });
    if (a.only.has('page-load')) parts.push({ label: `page load ${where}`, group: 'page load', run: () => benchPageLoad({ ...o(), runs: p.pageLoadRuns, warmLoadsPerLaunch: p.warmLoadsPerLaunch, secondSessionEvery: p.secondSessionEvery }) });
    // a burst on loopback already shows what the engine does; the far proxy is for the first page's cost
    if ((a.only.has('burst') || a.only.has('history')) && kind !== 'node-wan') {
      parts.push({
        label: `burst ${where}`,
        group: 'burst',
        run: async () => {
          const r = await benchBurst({ ...o(), rounds: p.burstRounds, deadlineMs: p.burstDeadlineMs });
          return [...(a.only.has('burst') ? r.figures : []), ...(a.only.has('history') ? [historyLagFigure(browser, kind, r.saved)] : [])];
        },
      });
    }
  }
  const onNode = () => ({ browser, pair: pairOf('node'), origin, log });
  if (a.only.has('cold-start')) parts.push({ label: `cold start [${browser}]`, group: 'cold start', run: () => benchColdStart({ ...onNode(), runs: p.coldStartRuns }) });
  if (a.only.has('history')) {
    parts.push({ label: `IndexedDB writes [${browser}]`, group: 'history', run: async () => [await benchIdbUnderLoad({ ...onNode(), rows: p.idbRows, deadlineMs: p.burstDeadlineMs })] });
  }
  return parts;
}

async function browserParts(a: Args, figures: Figure[], timings: Record<string, number>, origin: OriginServer): Promise<void> {
  const pairs = new Map<BenchProxyKind, ProxyPair | Error>();
  // cold start and IndexedDB figures run on the Node proxy whatever --proxies says
  for (const kind of new Set<BenchProxyKind>([...a.proxies, 'node'])) pairs.set(kind, await startPair(kind).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))));
  try {
    for (const browser of a.browsers) {
      // A browser that never ran a part (it cannot launch, or the extension does not answer) is not retried
      // for every figure: the rest of its rows say n/a with the first reason.
      let worked = false;
      let broken: string | null = null;
      for (const bp of partsFor(a, browser, pairs, origin)) {
        if (broken) {
          figures.push(notAvailable(bp.group, bp.label, `skipped: ${browser} did not run (${broken})`));
          continue;
        }
        const failure = await part(figures, timings, bp.label, bp.group, bp.run);
        if (!failure) worked = true;
        else if (!worked) broken = failure;
      }
    }
  } finally {
    for (const pair of pairs.values()) if (!(pair instanceof Error)) await pair.close().catch(() => {});
  }
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const p = plan(a.quick);
  const started = performance.now();
  const date = new Date().toISOString();
  const figures: Figure[] = [];
  const timings: Record<string, number> = {};
  const info = machine();
  log(`bench (${a.quick ? 'quick' : 'full'}) on ${info.cores}× ${info.cpu}, load ${info.loadAverageAtStart.join(' ')}`);

  if (a.only.has('matcher')) await part(figures, timings, 'matcher', 'matcher', () => benchMatcher({ samples: p.matcherSamples }).figures);
  const needsBrowser = ['page-load', 'burst', 'cold-start', 'history'].some((x) => a.only.has(x));
  let snapshot: string | undefined;
  if (a.only.has('size') || needsBrowser) {
    await part(figures, timings, 'build', 'size', () => {
      snapshot = snapshotBuild(a.dist);
      return [];
    });
  }
  try {
    if (a.only.has('size') && snapshot) await part(figures, timings, 'size', 'size', () => benchSize(path.join(snapshot as string, 'chrome')).figures);
    if (needsBrowser && a.browsers.length && snapshot) {
      const origin = await startOrigin();
      try {
        useReference(await writeReferenceExtension(path.join(snapshot, 'reference'), USER, PASS));
        await browserParts(a, figures, timings, origin);
      } finally {
        await origin.close();
      }
    }
  } finally {
    if (snapshot) rmSync(snapshot, { recursive: true, force: true });
  }
  if (a.only.has('history')) await part(figures, timings, 'options page history', 'history', () => optionsPageFigures(a.quick));

  const durationSeconds = Math.round((performance.now() - started) / 1000);
  const results = {
    format: 'proxy-auth-keeper/bench',
    version: 1,
    date,
    mode: a.quick ? 'quick' : 'full',
    durationSeconds,
    machine: { ...info, loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    build: path.resolve(a.dist),
    plan: p,
    secondsPerPart: timings,
    verdicts: Object.fromEntries(['meets', 'misses', 'info', 'n/a'].map((v) => [v, figures.filter((f) => f.verdict === v).length])),
    // issue #14's goals, one row per measurement (the same figures, with their notes, are in `figures`)
    goals: goalRows(figures),
    figures,
  };
  mkdirSync(path.dirname(a.out), { recursive: true });
  writeFileSync(a.out, `${JSON.stringify(results, null, 2)}\n`);

  console.log(`\nProxy Auth Keeper benchmarks — ${results.mode} run, ${date}, ${durationSeconds} s`);
  console.log(`${info.cores}× ${info.cpu}, ${info.memoryGiB} GiB, ${info.os}, Node ${info.node}; ${info.chromium}; ${info.firefox}`);
  console.log(`load average ${info.loadAverageAtStart.join(' ')} at start, ${results.machine.loadAverageAtEnd.join(' ')} at end (browser figures are ratios of interleaved runs, so shared load hits both sides)\n`);
  console.log(formatTable(figures));
  console.log(`\n${formatGoals(results.goals)}`);
  console.log(`\n${Object.entries(results.verdicts).map(([k, v]) => `${v} ${k}`).join(', ')}; written to ${a.out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
