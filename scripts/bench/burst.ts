// Figure 2: 200 parallel challenged requests, with a saved profile and with one prompt: prompts, rejections, lost rows, time.
import type { BrowserName } from '../../test/support/driver';
import type { OriginServer } from '../../test/support/origin-server';
import { type BenchBrowser, type BurstTiming, withBench } from './browser';
import { PASS, USER, benchProfile, type ProxyPair } from './proxies';
import { type Figure, figure, info, median, notAvailable, ratio, reason, round } from './stats';

const GROUP = 'burst';
export const BURST_SIZE = 200;

export interface BurstOptions {
  browser: BrowserName;
  pair: ProxyPair;
  origin: OriginServer;
  /** Rounds of (no auth, saved profile, prompt), each burst in a fresh browser. */
  rounds: number;
  /** A burst still unfinished after this long is aborted and reported as n/a (it would otherwise wait for the prompt timeout). */
  deadlineMs: number;
  log?: (line: string) => void;
}

/** What one authenticated burst left behind. */
export interface AuthBurst {
  ms: number;
  promptsShown: number;
  rejected: number;
  challengesSeen: number;
  historyRows: number;
  /** Last request settled → every history row stored (history/flush answered). */
  historyLagMs: number;
  /** Prompt case: the script's answer → the last request settled. */
  afterAnswerMs?: number;
  failed: number;
}

/** A burst whose requests did not all end before the deadline. */
export class BurstHung extends Error {}

export const burstUrls = (origin: OriginServer, tag: string): string[] =>
  Array.from({ length: BURST_SIZE }, (_, i) => origin.url(`/res/${i}?burst=${tag}-${Date.now()}`));

const nowEpoch = (): number => performance.timeOrigin + performance.now();
const count = (t: BurstTiming, r: BurstTiming['results'][number]) => t.results.filter((x) => x === r).length;

async function plainBurst(o: BurstOptions): Promise<number> {
  return withBench(o.browser, o.pair.plain.port, async (b) => {
    await b.send('engine/status');
    const t = await b.timedBurst(burstUrls(o.origin, 'plain'), o.deadlineMs);
    if (count(t, 'ok') !== BURST_SIZE) throw new Error(`without auth, ${count(t, 'error')} requests failed and ${count(t, 'timeout')} hung`);
    return t.ms;
  });
}

/** Answers every prompt that appears (with the UI's default "use once") until the burst has ended. */
async function answerPrompts(b: BenchBrowser, ended: () => boolean): Promise<number | undefined> {
  const answered = new Set<string>();
  let firstAnswerAt: number | undefined;
  while (!ended()) {
    for (const p of await b.send('prompts/list')) {
      if (answered.has(p.id)) continue;
      answered.add(p.id);
      firstAnswerAt ??= nowEpoch();
      await b.send('prompts/answer', { id: p.id, username: USER, password: PASS, remember: 'once' });
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return firstAnswerAt;
}

export async function authBurst(o: BurstOptions, withProfile: boolean): Promise<AuthBurst> {
  const rejectedBefore = await o.pair.auth.rejected();
  const acceptedBefore = await o.pair.auth.accepted();
  return withBench(o.browser, o.pair.auth.port, async (b) => {
    if (withProfile) await b.send('profiles/save', benchProfile(o.pair.auth));
    else await b.send('engine/status');
    let t: BurstTiming | undefined;
    const burst = b.timedBurst(burstUrls(o.origin, withProfile ? 'saved' : 'prompt'), o.deadlineMs).then((r) => (t = r));
    const firstAnswerAt = withProfile ? undefined : await answerPrompts(b, () => t !== undefined);
    await burst;
    if (!t) throw new Error('burst did not finish');
    const status = await b.send('engine/status');
    if (count(t, 'timeout')) {
      throw new BurstHung(
        `${count(t, 'timeout')} of ${BURST_SIZE} requests still unfinished after ${o.deadlineMs / 1000} s; the worker saw ${status.challengesSeen} challenges, ` +
          `showed ${status.promptsShown} prompts; the proxy accepted ${(await o.pair.auth.accepted()) - acceptedBefore} and rejected ${(await o.pair.auth.rejected()) - rejectedBefore} credentials`,
      );
    }
    const flushStart = performance.now();
    await b.send('history/flush');
    const historyLagMs = performance.now() - flushStart;
    const rows = await b.send('history/query', {});
    const result: AuthBurst = {
      ms: t.ms,
      promptsShown: status.promptsShown,
      rejected: (await o.pair.auth.rejected()) - rejectedBefore,
      challengesSeen: status.challengesSeen,
      historyRows: rows.length,
      historyLagMs,
      failed: count(t, 'error'),
    };
    if (firstAnswerAt !== undefined) result.afterAnswerMs = t.endedAt - firstAnswerAt;
    return result;
  });
}

export interface BurstResult {
  figures: Figure[];
  /** The saved-profile bursts, for the history figure. */
  saved: AuthBurst[];
}

type Variant = 'saved profile' | 'no profile';

function variantFigures(where: string, what: Variant, runs: AuthBurst[], plainMs: number): Figure[] {
  const promptGoal = what === 'saved profile' ? 0 : 1;
  // the burst farthest from the goal speaks for all
  let worstPrompts: number = promptGoal;
  for (const r of runs) if (Math.abs(r.promptsShown - promptGoal) > Math.abs(worstPrompts - promptGoal)) worstPrompts = r.promptsShown;
  const rejected = runs.reduce((s, r) => s + r.rejected, 0);
  const lost = runs.reduce((s, r) => s + Math.max(0, r.challengesSeen - r.historyRows), 0);
  const failed = runs.reduce((s, r) => s + r.failed, 0);
  const per = (f: (r: AuthBurst) => number) => runs.map(f).join(', ');
  const authMs = median(runs.map((r) => (what === 'saved profile' ? r.ms : (r.afterAnswerMs ?? Number.NaN))));
  return [
    figure(GROUP, `prompts shown ${where}`, worstPrompts, '', `= ${promptGoal}`, worstPrompts === promptGoal ? 'meets' : 'misses', `per burst: ${per((r) => r.promptsShown)}`),
    figure(GROUP, `rejected attempts at the proxy ${where}`, rejected, '', '= 0', rejected === 0 ? 'meets' : 'misses', `sum over ${runs.length} bursts`),
    figure(
      GROUP,
      `history rows lost ${where}`,
      lost,
      '',
      '= 0',
      lost === 0 ? 'meets' : 'misses',
      `challenges the worker saw: ${per((r) => r.challengesSeen)}; rows: ${per((r) => r.historyRows)}${failed ? `; ${failed} requests failed` : ''}`,
    ),
    info(
      GROUP,
      `time to all complete ÷ no auth ${where}`,
      ratio(authMs, plainMs),
      '×',
      `${round(authMs)} ms vs ${round(plainMs)} ms without auth${what === 'no profile' ? ', counted from the script’s answer (the user’s reading time left out)' : ''}; median of ${runs.length}`,
    ),
  ];
}

export async function benchBurst(o: BurstOptions): Promise<BurstResult> {
  const plain: number[] = [];
  const runs: Record<Variant, AuthBurst[]> = { 'saved profile': [], 'no profile': [] };
  const hung: Partial<Record<Variant, string>> = {};
  const variant = async (what: Variant) => {
    if (hung[what]) return; // one hung burst is the finding; more rounds would only repeat the wait
    try {
      runs[what].push(await authBurst(o, what === 'saved profile'));
    } catch (err) {
      if (!(err instanceof BurstHung)) throw err;
      hung[what] = reason(err);
    }
  };
  for (let i = 0; i < o.rounds; i++) {
    // Rotate the order of the three bursts from round to round.
    const steps = [async () => void plain.push(await plainBurst(o)), () => variant('saved profile'), () => variant('no profile')];
    for (let k = 0; k < steps.length; k++) await steps[(k + i) % steps.length]?.();
    o.log?.(`  burst [${o.browser}, ${o.pair.kind}] ${i + 1}/${o.rounds}`);
  }
  const plainMs = median(plain);
  const figures: Figure[] = [];
  for (const what of ['saved profile', 'no profile'] as const) {
    const where = `[${o.browser}, ${o.pair.kind}, ${what}]`;
    const why = hung[what];
    const goal = `prompts ${what === 'saved profile' ? 0 : 1} / rejected 0 / rows lost 0`;
    if (why) figures.push(notAvailable(GROUP, `burst ${where}`, `burst hung: ${why}`, goal));
    else figures.push(...variantFigures(where, what, runs[what], plainMs));
  }
  return { figures, saved: runs['saved profile'] };
}
