// Knows which requests are on their way to the proxy, so an unproven credential goes out only once none is.

import { LIMITS } from './caps';

/**
 * Why: when the extension answers one 407 with a credential, both browsers cache it at once, before
 * the proxy has said whether it is right (observed, README "The breaker"). A request whose 407
 * arrives after that is retried with the cached credential without asking us, and a request that
 * reaches the network after that sends it up front. If the credential is wrong, each is one more
 * failed login. So the first answer of an unproven credential waits until every request the browser
 * has started has either reached our onAuthRequired listener (where the breaker holds it) or got its
 * reply. The browser guarantees the order: a request's onBeforeRequest reaches us before its
 * onAuthRequired or its response. No timer decides; `settled`'s maximum is a safety net against
 * events that never come (a request whose end the browser does not report).
 *
 * One exception the browser makes provable: Chromium opens at most `poolLimit` (6) connections per
 * connection pool (one destination, seen from one page). A request held at our listener keeps its
 * connection. When `poolLimit` requests of a pool are held, the pool's other requests wait for a
 * connection inside the browser: they are not on the wire and cannot be until we release one, which
 * the breaker does only after the proxy's verdict. Without this, 30 requests to one host would wait
 * for the safety net. Firefox sends all of them through the proxy at once (observed), so it needs none.
 */
export class InFlight {
  /** Started, not yet at our listener nor answered: requestId → its connection pool (poolOf). */
  private readonly pending = new Map<string, string | undefined>();
  /** At our listener, waiting for our reply: requestId → pool. */
  private readonly held = new Map<string, string | undefined>();
  private readonly heldPerPool = new Map<string, number>();
  /** Requests seen before: the browser fires onBeforeRequest again for a retry, which is no new request. */
  private readonly known = new Set<string>();
  private readonly waiters = new Set<() => void>();
  /** Credentials answered while unproven, whose verdict has not reached us yet. */
  private readonly probesOut = new Set<string>();
  /** Requests first seen while a probe was out (the browser may send the cached credential up front on them). */
  startedWhileProbing = 0;
  /** First answers the safety net released (an event never came); 0 when the ordering did its work. */
  safetyReleases = 0;
  /** First answers that had to wait for started requests at all (a lone request never does). */
  waits = 0;

  constructor(
    /** Chromium's connections per pool; null: no pool is inferred (Firefox). */
    private readonly poolLimit: number | null = null,
    /** At most this many requests tracked: a flood forgets its oldest (a wait is bounded by the safety net anyway). */
    private readonly maxTracked: number = LIMITS.trackedRequests,
  ) {}

  /** onBeforeRequest / onSendHeaders (and again after a redirect, with the new address's pool). */
  sent(requestId: string, pool?: string): void {
    if (!this.known.has(requestId)) {
      addBounded(this.known, requestId, this.maxTracked * 2);
      if (this.probesOut.size > 0) this.startedWhileProbing++;
    }
    if (this.held.has(requestId)) return;
    this.pending.delete(requestId);
    this.pending.set(requestId, pool);
    if (this.pending.size > this.maxTracked) this.pending.delete(this.pending.keys().next().value as string);
  }

  /** onAuthRequired: the request waits for our reply, on its connection. */
  challenged(requestId: string, pool?: string): void {
    this.pending.delete(requestId);
    if (!this.held.has(requestId)) {
      this.held.set(requestId, pool);
      if (pool !== undefined) this.heldPerPool.set(pool, (this.heldPerPool.get(pool) ?? 0) + 1);
      if (this.held.size > this.maxTracked) this.release(this.held.keys().next().value as string);
    }
    this.check();
  }

  /** We replied to its challenge: it goes on (and fires onBeforeRequest again if the browser retries it). */
  replied(requestId: string): void {
    this.release(requestId);
  }

  /**
   * onHeadersReceived. A 407 is on its way to our listener (or the browser answers it from its
   * cache: then the request is still out). A redirect goes on to its new address at once, with
   * onBeforeRequest again: it stays pending, with no moment between the two when it seems done.
   */
  responded(requestId: string, statusCode: number): void {
    if (statusCode === 407 || REDIRECTS.has(statusCode)) return;
    this.arrived(requestId);
  }

  /** A reply that is not a 407 nor a redirect, or the end of the request. */
  arrived(requestId: string): void {
    this.release(requestId);
    if (this.pending.delete(requestId)) this.check();
  }

  /** The first answer of an unproven credential goes out: requests started from now on are counted. */
  probeOut(key: string): void {
    this.probesOut.add(key);
  }

  /** The proxy's verdict on that credential has reached us (or nobody carries it any more). */
  verdict(key: string): void {
    this.probesOut.delete(key);
  }

  /** No started request can still receive or send a credential without passing our listener. */
  isSettled(): boolean {
    for (const pool of this.pending.values()) if (!this.poolFull(pool)) return false;
    return true;
  }

  /** Resolves once isSettled(), or after maxWaitMs (the safety net, counted in safetyReleases). */
  settled(maxWaitMs: number): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    this.waits++;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const check = () => {
        if (this.isSettled()) done();
      };
      const timer = setTimeout(() => {
        this.safetyReleases++;
        done();
      }, maxWaitMs);
      this.waiters.add(check);
    });
  }

  get size(): number {
    return this.pending.size;
  }

  private poolFull(pool: string | undefined): boolean {
    return this.poolLimit !== null && pool !== undefined && (this.heldPerPool.get(pool) ?? 0) >= this.poolLimit;
  }

  private release(requestId: string): void {
    if (!this.held.has(requestId)) return;
    const pool = this.held.get(requestId);
    this.held.delete(requestId);
    if (pool === undefined) return;
    const n = (this.heldPerPool.get(pool) ?? 1) - 1;
    if (n > 0) this.heldPerPool.set(pool, n);
    else this.heldPerPool.delete(pool);
  }

  private check(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Statuses the browser follows to a new address (the request goes on). */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function addBounded(set: Set<string>, id: string, max: number): void {
  set.add(id);
  if (set.size > max) set.delete(set.values().next().value as string);
}

/** The webRequest details poolOf reads (Chrome names the initiator; Firefox has originUrl instead). */
export interface PoolDetails {
  url: string;
  tabId?: number;
  type?: string;
  initiator?: string;
  originUrl?: string;
}

/**
 * A name for the connection pool a request waits in, at least as fine as Chromium's (destination
 * scheme, host and port; the page it is seen from). Finer is safe: a pool we split in two only
 * fills later. Navigations get their own (their page is the one they open); WebSockets have a
 * pool of their own in Chromium, with another limit, so they get none (never inferred full).
 */
export function poolOf(d: PoolDetails): string | undefined {
  if (d.type === 'websocket') return undefined;
  let u: URL;
  try {
    u = new URL(d.url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  const kind = d.type === 'main_frame' || d.type === 'sub_frame' ? 'navigation' : 'resource';
  return `${u.protocol}//${u.host}|${d.tabId ?? -1}|${d.initiator ?? d.originUrl ?? ''}|${kind}`;
}
