// The circuit breaker: one request probes an unproven credential; the rest wait; a rejected one is never sent again.

/**
 * good: the proxy accepted it in this browser session; bad: the proxy rejected it (the breaker is open
 * for it); remembered: the proxy accepted this same credential version in an earlier session (kept in
 * storage.local, see storage/verdicts.ts). A remembered credential is answered at once, without the
 * burst wait, but it is still unproven in this session: one request carries it until the proxy's
 * first verdict, and a refusal of it counts (the password may have changed on the proxy since).
 */
export type CredentialStatus = 'good' | 'bad' | 'remembered';

/** The proxy has accepted it, in this session or an earlier one: answered at once, without the burst wait (core/in-flight.ts). */
export const acceptedBefore = (status: CredentialStatus | undefined): boolean => status === 'good' || status === 'remembered';
export type Admission = 'send' | 'blocked';

/** What a challenge says about itself: the realm and scheme in its Proxy-Authenticate. */
export interface ChallengeShape {
  realm: string | null;
  scheme: string;
}

/**
 * Whether a 407 for this URL can only have come from the proxy: an https:// or wss:// request goes
 * through a CONNECT tunnel, and the only 407 the browser reports for it is the proxy's answer to the
 * CONNECT (a 407 from inside the tunnel is an error, ERR_UNEXPECTED_PROXY_AUTH, never a challenge).
 */
export const onlyTheProxyCanChallenge = (url: string): boolean => /^(https|wss):/i.test(url);

/**
 * Whether a second challenge of a request we answered proves that the proxy refused the credential.
 * Why: over plain HTTP a site behind a lax proxy can answer 407 with any Proxy-Authenticate it likes,
 * and the browser reports it as the proxy's. Such a challenge proves nothing when its realm or scheme
 * differs from the proxy's own first challenge of that request, nor — over plain HTTP — when the
 * proxy has accepted this credential before (a site cannot take back what the proxy said). Then the
 * request ends and the credential keeps its standing. Through a tunnel (`tunnelled`, see
 * onlyTheProxyCanChallenge) no site can speak: the same realm and scheme again is the proxy's refusal,
 * even of a credential it accepted before (its password was changed on the proxy meanwhile).
 */
export function retryProvesRejection(first: ChallengeShape, retry: ChallengeShape, status: CredentialStatus | undefined, tunnelled = false): boolean {
  return first.realm === retry.realm && first.scheme.toLowerCase() === retry.scheme.toLowerCase() && (status !== 'good' || tunnelled);
}

interface Waiter {
  requestId: string;
  resolve: (a: Admission) => void;
}

interface Probe {
  requestId: string;
  since: number;
}

/**
 * Why: a page with 30 resources and a wrong saved password would otherwise send 30 wrong logins at
 * once (and the browser retries each up to ~32 times), enough to lock a corporate account.
 * Until a credential is proven, only one request carries it; the others wait for its verdict.
 */
export class Breaker {
  private readonly status = new Map<string, CredentialStatus>();
  private readonly probes = new Map<string, Probe>();
  private readonly waiters = new Map<string, Waiter[]>();
  /** requestId → credential key it was sent with. */
  private readonly sent = new Map<string, string>();

  constructor(
    private readonly now: () => number = Date.now,
    /** A probe with no verdict after this long hands over to the next waiter. */
    private readonly probeTimeoutMs = 15_000,
    /** Told each time the proxy's verdict changes a credential's status to good or bad, and 'none' when its probe ended without one and nobody carries it. */
    private readonly onVerdict: (key: string, status: 'good' | 'bad' | 'none') => void = () => {},
  ) {}

  /** Restores verdicts saved before a worker restart. */
  restore(statuses: Record<string, CredentialStatus>): void {
    for (const [k, v] of Object.entries(statuses)) if (!this.status.has(k)) this.status.set(k, v);
  }

  /** Credentials the proxy accepted in an earlier browser session (what this session knows comes first). */
  remember(keys: Iterable<string>): void {
    for (const k of keys) if (!this.status.has(k)) this.status.set(k, 'remembered');
  }

  /** Restores, after a worker restart, which credential a request in flight carries. */
  restoreSent(requestId: string, key: string): void {
    this.sent.set(requestId, key);
  }

  snapshot(): Record<string, CredentialStatus> {
    return Object.fromEntries(this.status);
  }

  statusOf(key: string): CredentialStatus | undefined {
    return this.status.get(key);
  }

  /** Whether a request is carrying this unproven credential now (the others wait for its verdict). */
  probing(key: string): boolean {
    return this.probes.has(key);
  }

  /** Resolves 'send' when this request may carry the credential, 'blocked' when it must not. */
  admit(key: string, requestId: string): Promise<Admission> {
    const st = this.status.get(key);
    if (st === 'bad') return Promise.resolve('blocked');
    const probe = this.probes.get(key);
    if (st === 'good' || !probe || probe.requestId === requestId || this.now() - probe.since > this.probeTimeoutMs) {
      if (st !== 'good') this.probes.set(key, { requestId, since: this.now() });
      this.sent.set(requestId, key);
      return Promise.resolve('send');
    }
    return new Promise((resolve) => {
      const list = this.waiters.get(key) ?? [];
      if (list.length === 0) this.watchProbe(key, probe.requestId);
      list.push({ requestId, resolve });
      this.waiters.set(key, list);
    });
  }

  /** The proxy let a request through that carried a credential from us. */
  accepted(requestId: string): void {
    const key = this.sent.get(requestId);
    if (!key) return;
    this.sent.delete(requestId);
    const before = this.status.get(key);
    if (before === 'bad') return;
    this.status.set(key, 'good');
    this.probes.delete(key);
    this.release(key, () => 'send');
    if (before !== 'good') this.onVerdict(key, 'good');
  }

  /** The proxy challenged again a request we had answered, and that proves the credential wrong (see retryProvesRejection). */
  rejected(requestId: string): string | undefined {
    const key = this.sent.get(requestId);
    if (!key) return undefined;
    this.sent.delete(requestId);
    const before = this.status.get(key);
    this.status.set(key, 'bad');
    this.probes.delete(key);
    this.release(key, () => 'blocked');
    if (before !== 'bad') this.onVerdict(key, 'bad');
    return key;
  }

  /** The request ended with no verdict (network error, tab closed): let the next waiter probe. */
  abandoned(requestId: string): void {
    const key = this.sent.get(requestId);
    if (!key) return;
    this.sent.delete(requestId);
    const probe = this.probes.get(key);
    if (probe?.requestId !== requestId) return;
    this.probes.delete(key);
    const next = this.waiters.get(key)?.shift();
    if (next) {
      this.probes.set(key, { requestId: next.requestId, since: this.now() });
      this.sent.set(next.requestId, key);
      next.resolve('send');
    } else this.onVerdict(key, 'none');
  }

  /** A waiting request went away (cancelled elsewhere) before the verdict. */
  forget(requestId: string): void {
    for (const list of this.waiters.values()) {
      const i = list.findIndex((w) => w.requestId === requestId);
      if (i >= 0) list.splice(i, 1)[0]?.resolve('blocked');
    }
  }

  /** The profile changed or the user typed a new password: forget what was known of this key. */
  clear(key: string): void {
    this.status.delete(key);
  }

  /** A probe that never gets a verdict must not hold its waiters forever. */
  private watchProbe(key: string, probeId: string): void {
    setTimeout(() => {
      if (this.probes.get(key)?.requestId === probeId) this.abandoned(probeId);
    }, this.probeTimeoutMs);
  }

  private release(key: string, verdict: () => Admission): void {
    const list = this.waiters.get(key) ?? [];
    this.waiters.delete(key);
    for (const w of list) {
      const v = verdict();
      if (v === 'send') this.sent.set(w.requestId, key);
      w.resolve(v);
    }
  }
}
