// Bounds on what the network controls: realms, URLs and schemes are cut short; history rows and tracked requests are capped.

/** Longest realm, page address and scheme name kept (history, prompts, storage.session). */
export const MAX_REALM = 256;
export const MAX_URL = 2048;
export const MAX_SCHEME = 32;
/** Marks a cut value: what follows it was dropped. */
export const ELLIPSIS = '…';

/** `s` as it is when short enough, else its first characters and the ellipsis, `max` characters (code units) in all. */
export function capText(s: string, max: number): string {
  if (s.length <= max) return s;
  let head = s.slice(0, max - ELLIPSIS.length);
  // never leave half a surrogate pair behind
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return head + ELLIPSIS;
}

/** History rows kept per proxy per minute: a flood beyond it is counted, not stored, so it cannot push real rows out. */
export const ROWS_PER_PROXY_MINUTE = 600;

/** Counts rows per proxy in the current minute; `take` says whether one more may be written. */
export class RowBudget {
  private minute = -1;
  private readonly used = new Map<string, number>();
  /** Rows refused since the worker started (engine status, tests). */
  refused = 0;

  constructor(private readonly perMinute = ROWS_PER_PROXY_MINUTE) {}

  take(proxy: string, now: number): boolean {
    const minute = Math.floor(now / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.used.clear();
    }
    const n = this.used.get(proxy) ?? 0;
    if (n >= this.perMinute) {
      this.refused++;
      return false;
    }
    this.used.set(proxy, n + 1);
    return true;
  }
}

/** Requests tracked at once (s.requests, saved in storage.session next to the vault key). */
export const MAX_TRACKED_REQUESTS = 5_000;

/**
 * Drops the oldest tracked requests until `max - 1` remain, so one more fits: first those that carry no
 * credential we wait on (their row is already written), then, only if every one does, the oldest of all.
 * Returns the ids dropped.
 */
export function makeRoom<T extends { answeredWith: string | null }>(requests: Map<string, T>, max = MAX_TRACKED_REQUESTS): string[] {
  const dropped: string[] = [];
  if (requests.size < max) return dropped;
  for (const [id, t] of requests) {
    if (requests.size < max) break;
    if (t.answeredWith === null) {
      requests.delete(id);
      dropped.push(id);
    }
  }
  for (const id of requests.keys()) {
    if (requests.size < max) break;
    requests.delete(id);
    dropped.push(id);
  }
  return dropped;
}
