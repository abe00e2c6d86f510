// Knows which requests are on the wire without a reply yet, so an unproven credential waits for the whole burst.

import { LIMITS } from './caps';

/**
 * Why: when the extension answers one 407, Chrome caches that credential at once, before the proxy
 * has said whether it is right, and replays it on every other request whose 407 it handles later,
 * and sends it up front on requests it starts later. If the credential is wrong, each of those is
 * one more failed login at the proxy. So the first answer waits until the burst is over: no request
 * sent lately, and every request sent has either reached our listener (where the breaker holds it)
 * or got its reply; bounded by a short maximum.
 */
export class InFlight {
  private readonly pending = new Set<string>();
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly now: () => number = () => performance.now(),
    /** No new request for this long means the page has sent its burst. */
    private readonly quietMs = 40,
    /** At most this many requests tracked: a flood forgets its oldest (a wait is bounded by maxWaitMs anyway). */
    private readonly maxTracked: number = LIMITS.trackedRequests,
  ) {}

  sent(requestId: string): void {
    this.pending.add(requestId);
    if (this.pending.size > this.maxTracked) {
      const oldest = this.pending.values().next().value;
      if (oldest !== undefined) this.pending.delete(oldest);
    }
    this.lastSentAt = this.now();
  }

  /** The request reached onAuthRequired, got a reply that is not a 407, or ended. */
  arrived(requestId: string): void {
    if (this.pending.delete(requestId)) for (const check of [...this.waiters]) check();
  }

  /** Resolves once the burst is over (see above), or after maxWaitMs. */
  settled(maxWaitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const started = this.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const check = () => {
        const now = this.now();
        const quietFor = now - this.lastSentAt;
        if ((this.pending.size === 0 && quietFor >= this.quietMs) || now - started >= maxWaitMs) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
          return;
        }
        clearTimeout(timer);
        const untilQuiet = this.pending.size === 0 ? this.quietMs - quietFor : maxWaitMs;
        timer = setTimeout(check, Math.max(1, Math.min(untilQuiet, maxWaitMs - (now - started))));
      };
      this.waiters.add(check);
      check();
    });
  }

  get size(): number {
    return this.pending.size;
  }
}
