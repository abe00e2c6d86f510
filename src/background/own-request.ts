// When the requests waiting for an unproven credential came in one delivery batch, the worker tries it on its own request.
import { DeliveryBatches } from '../core/delivery-batch';
import { sameProxy } from '../core/host';
import type { Challenge } from '../core/model';
import { promptGroup } from '../core/prompt-queue';
import { BURST_WAIT_MS, inFlight } from './in-flight-tracker';
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

interface OwnRequest {
  /** The breaker's name for this probe: every request with this credential waits for its verdict. */
  breakerId: string;
  /** The credential key it tries. */
  key: string;
  /** Unproven in every session so far: its answer waits for the burst (core/in-flight.ts). */
  waitForBurst: boolean;
  url: string;
  /** The proxy and realm the credential is for: no other challenger ever gets it. */
  challenger: { host: string; port: number };
  realm: string | null;
  /** The scheme of the challenge it answers: a challenge in another scheme proves nothing about it. */
  scheme: string;
  username: string;
  password: string;
  /** Of the current try, once its challenge reached the listener. */
  requestId: string | null;
  /** Stops the current try's request. */
  stop: AbortController | null;
  /** The current try carries the credential. */
  answered: boolean;
  /** An origin answered behind the proxy: the proxy let the credential through. */
  passedProxy: boolean;
  tries: number;
  done: boolean;
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

function ended(s: State, probe: OwnRequest, status: number | null): void {
  if (probe.done) return;
  // any answer but another 407 (an opaque redirect reads 0) means the proxy took the credential
  if (probe.answered && ((status !== null && status !== 407) || probe.passedProxy)) {
    finish(probe);
    s.breaker.accepted(probe.breakerId);
    return;
  }
  // no verdict: the breaker lets the next waiting request carry the credential instead
  finish(probe);
  s.breaker.abandoned(probe.breakerId);
}

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
  if (probe === 'retired' || probe.done) return { cancel: true };
  // e.g. a PAC fallback sent the probe through another proxy: that proxy never gets this password
  const sameChallenger =
    d.challenger !== undefined &&
    sameProxy(d.challenger, probe.challenger) &&
    (d.realm ?? null) === probe.realm &&
    (d.scheme === undefined || d.scheme.toLowerCase() === probe.scheme);
  // (after our answer, such a challenge proves no refusal: the probe ends without a verdict)
  if (d.isProxy && !sameChallenger) return { cancel: true };
  if (!d.isProxy) {
    // the origin itself asks for a login: the proxy has let the credential through
    if (probe.answered) probe.passedProxy = true;
    return { cancel: true };
  }
  if (probe.answered) {
    // challenged again after our answer, same proxy, realm and scheme, never accepted: the proxy refused it
    finish(probe);
    s.breaker.rejected(probe.breakerId);
    return { cancel: true };
  }
  if (batchSize > 1) {
    // requests waiting for this probe came in its batch: this answer would wait for theirs
    retire(probe.requestId);
    retry(s, probe);
    return { cancel: true };
  }
  const requestId = probe.requestId;
  if (probe.waitForBurst) await inFlight.settled(BURST_WAIT_MS);
  if (probe.done || probe.requestId !== requestId) return { cancel: true };
  probe.answered = true;
  inFlight.probeOut(probe.key);
  return { authCredentials: { username: probe.username, password: probe.password } };
}
