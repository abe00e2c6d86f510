// When the requests waiting for an unproven credential came in one delivery batch, the worker tries it on its own request.
import { DeliveryBatches } from '../core/delivery-batch';
import { type OwnEvent, type OwnLife, type Step, nextOwn } from '../core/request-life';
import type { Challenge } from '../core/model';
import { promptGroup } from '../core/prompt-queue';
import { BURST_WAIT_MS, inFlight } from './in-flight-tracker';
import { carryOut } from './life';
import type { State } from './state';

/**
 * Why: the breaker lets one request carry an unproven credential and holds the others until the
 * proxy's verdict. Firefox passes the answers of one delivery batch to the network together (see
 * core/delivery-batch.ts), so when the held requests share the probe's batch, the probe's answer
 * waits for theirs and theirs wait for its verdict: nothing moves. Then none of those requests can
 * be the probe. The worker sends its own request instead (HEAD to the origin of the first page that
 * asked, through the same proxy; Firefox calls onAuthRequired for it too) and answers only that
 * one with the credential. Its verdict releases or stops the page's requests as usual. Chrome never
 * batches, so it never gets here; if it did, its probe would end without a verdict and the breaker
 * would fall back to a page request as the probe.
 */

/** The webRequest events of one delivery batch (every listener call in one turn). */
export const batches = new DeliveryBatches();

const MAX_TRIES = 3;
const FETCH_TIMEOUT_MS = 10_000;

/** Its rules are core/request-life.ts nextOwn; this is what it needs to go out. */
interface OwnRequest extends OwnLife {
  /** The breaker's name for this probe: every request with this credential waits for its verdict. */
  breakerId: string;
  /** The credential key it tries. */
  key: string;
  /** Unproven in every session so far: its answer waits for the burst (core/in-flight.ts). */
  waitForBurst: boolean;
  url: string;
  username: string;
  password: string;
  /** Of the current try, once its challenge reached the listener. */
  requestId: string | null;
  /** Stops the current try's request. */
  stop: AbortController | null;
  tries: number;
}

/** One event of the own request: its pure step (core/request-life.ts), carried out. */
function stepOwn(s: State, probe: OwnRequest, e: OwnEvent): Step<OwnLife> {
  const done = nextOwn(probe, e);
  const { answered, passedProxy } = done.life ?? probe;
  Object.assign(probe, { answered, passedProxy });
  if (done.life?.done && !probe.done) finish(probe);
  carryOut(s, probe.breakerId, done.effects);
  if (done.effects.some((fx) => fx.type === 'retry')) {
    retire(probe.requestId);
    retry(s, probe);
  }
  return done;
}

const byUrl = new Map<string, OwnRequest>();
const byRequest = new Map<string, OwnRequest>();
/** Requests of earlier tries: whatever they still ask is cancelled. */
const retired = new Set<string>();

function extensionBase(): string {
  const runtime = (globalThis as { chrome?: { runtime?: { getURL?: (p: string) => string } } }).chrome?.runtime;
  return runtime?.getURL?.('') ?? '\0';
}

/** HEAD of the origin root: the same proxy and host as the page, without repeating the page's own request. */
function probeUrl(pageUrl: string): string | null {
  try {
    const u = new URL(pageUrl);
    return u.protocol === 'http:' || u.protocol === 'https:' ? `${u.origin}/` : null;
  } catch {
    return null;
  }
}

/**
 * Called before a request asks the breaker for `key`: when the credential is unproven, nobody carries
 * it yet, and other challenges for this proxy and realm came in the same batch, the worker probes first.
 */
export function ownRequestFirstIfBatched(s: State, c: Challenge, key: string, credential: { username: string; password: string }): void {
  const status = s.breaker.statusOf(key);
  if ((status !== undefined && status !== 'remembered') || s.breaker.probing(key)) return;
  if (batches.size(c.requestId, promptGroup(c)) < 2) return;
  const url = probeUrl(c.url);
  if (!url || byUrl.has(url)) return;
  const probe: OwnRequest = {
    breakerId: `own-request:${crypto.randomUUID()}`,
    key,
    waitForBurst: status === undefined,
    url,
    challenger: { ...c.challenger },
    realm: c.realm,
    scheme: c.scheme.toLowerCase(),
    username: credential.username,
    password: credential.password,
    requestId: null,
    stop: null,
    answered: false,
    passedProxy: false,
    tries: 0,
    done: false,
  };
  byUrl.set(url, probe);
  void s.breaker.admit(key, probe.breakerId); // no probe yet: this one becomes it at once
  send(s, probe);
}

function send(s: State, probe: OwnRequest): void {
  if (probe.requestId) byRequest.delete(probe.requestId);
  Object.assign(probe, { requestId: null, answered: false, passedProxy: false });
  const attempt = ++probe.tries;
  const stop = new AbortController();
  probe.stop = stop;
  const timer = setTimeout(() => stop.abort(), FETCH_TIMEOUT_MS);
  fetch(probe.url, { method: 'HEAD', cache: 'no-store', credentials: 'omit', redirect: 'manual', signal: stop.signal })
    .then(
      (r) => r.status,
      () => null,
    )
    .then((status) => {
      clearTimeout(timer);
      if (attempt === probe.tries) ended(s, probe, status);
    });
}

/** The current try shared a batch with requests that wait for it: drop it and send a new one at once. */
function retry(s: State, probe: OwnRequest): void {
  const old = probe.stop;
  if (probe.tries < MAX_TRIES) send(s, probe);
  else ended(s, probe, null);
  old?.abort();
}

const ended = (s: State, probe: OwnRequest, status: number | null): void => void stepOwn(s, probe, { type: 'own-ended', status });

function finish(probe: OwnRequest): void {
  probe.done = true;
  byUrl.delete(probe.url);
  if (probe.requestId) byRequest.delete(probe.requestId);
}

/** A try that will never be answered with the credential: its requestId is remembered for a while. */
function retire(requestId: string | null): void {
  if (!requestId) return;
  byRequest.delete(requestId);
  retired.add(requestId);
  setTimeout(() => retired.delete(requestId), 60_000);
}

/** The probe this challenge belongs to, when the worker's own request is what the proxy challenged. */
export function ownRequestOf(d: { requestId: string; url: string; originUrl?: string; documentUrl?: string }): OwnRequest | 'retired' | undefined {
  const id = String(d.requestId);
  if (retired.has(id)) return 'retired';
  const known = byRequest.get(id);
  if (known) return known;
  if (!(d.originUrl ?? d.documentUrl ?? '').startsWith(extensionBase())) return undefined;
  const probe = byUrl.get(d.url);
  if (!probe || probe.done || probe.requestId !== null) return undefined;
  probe.requestId = id;
  byRequest.set(id, probe);
  return probe;
}

type ProbeAnswer = { authCredentials: { username: string; password: string } } | { cancel: true };

/** Answers a challenge of the worker's own request. */
export async function answerOwnRequest(
  s: State,
  probe: OwnRequest | 'retired',
  d: { isProxy: boolean; challenger?: { host: string; port: number }; realm?: string; scheme?: string },
  batchSize: number,
): Promise<ProbeAnswer> {
  if (probe === 'retired') return { cancel: true };
  const challenged = stepOwn(s, probe, { type: 'own-challenged', isProxy: d.isProxy, challenger: d.challenger, realm: d.realm, scheme: d.scheme, batchSize });
  if (challenged.then !== 'answer') return { cancel: true };
  const requestId = probe.requestId;
  if (probe.waitForBurst) await inFlight.settled(BURST_WAIT_MS);
  if (probe.done || probe.requestId !== requestId) return { cancel: true };
  stepOwn(s, probe, { type: 'own-answered' });
  inFlight.probeOut(probe.key);
  return { authCredentials: { username: probe.username, password: probe.password } };
}
