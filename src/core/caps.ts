// Bounds on what a proxy or a page can make us keep: text lengths, tracked requests, history rows per proxy.

/** Longest text kept from a challenge (realm, address, scheme name) before it reaches history, prompts or storage.session. */
export const LIMITS = { realm: 256, url: 2048, scheme: 32, offeredSchemes: 8, trackedRequests: 2_000, rowsPerProxyPerMinute: 600 } as const;

/** `s` cut to at most `max` UTF-16 units (never a lone surrogate half), with an ellipsis when cut. */
export function capText(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max - 1);
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

/**
 * New history rows per proxy per minute: a flood of challenges (a hostile page behind a lax proxy)
 * gets this many rows a minute, the rest are counted, so retention's row cap never pushes real rows out.
 */
export class RowBudget {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(private readonly perMinute: number = LIMITS.rowsPerProxyPerMinute) {}

  /** True when a new row for `proxy` may be written at `now` (ms). */
  take(proxy: string, now: number): boolean {
    let w = this.windows.get(proxy);
    if (!w || now - w.start >= 60_000 || now < w.start) {
      w = { start: now, used: 0 };
      this.windows.set(proxy, w);
      // an attacker cannot grow this map without bound either: old windows go
      if (this.windows.size > LIMITS.trackedRequests) for (const [k, v] of this.windows) if (now - v.start >= 60_000) this.windows.delete(k);
    }
    if (w.used >= this.perMinute) return false;
    w.used++;
    return true;
  }
}

/**
 * Drops the oldest tracked requests until fewer than `max` remain, so one more fits: first those that
 * carry no credential we wait on, then, only if every one does, the oldest of all. The worker's tracked
 * requests are saved in storage.session next to the vault key: a flood must not grow them without bound.
 * Returns the ids dropped.
 */
export function makeRoom<T extends { answeredWith: string | null }>(requests: Map<string, T>, max: number = LIMITS.trackedRequests): string[] {
  const dropped: string[] = [];
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
