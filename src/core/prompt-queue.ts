// Parks challenges that need the user: one pending prompt per (proxy, realm), however many requests wait on it.
import type { Challenge } from './model';
import { proxyKey } from './model';
import { onlyTheProxyCanChallenge } from './breaker';

/** One pending question to the user: every request waiting on the same proxy and realm shares it. */
export interface PendingPrompt {
  id: string;
  proxy: { host: string; port: number };
  realm: string | null;
  scheme: string;
  /** The first page that asked (query stripped). */
  url: string;
  /** How many requests wait on this answer. */
  waiting: number;
  reason: 'no-match' | 'rejected' | 'vault-locked' | 'downgrade';
  /** When reason is 'rejected' and a saved profile's password was refused. */
  rejectedProfile?: { id: string; name: string; username: string };
  /** When reason is 'downgrade': the Digest-proven profile that may answer this Basic challenge if the user says yes. */
  downgradeProfile?: { id: string; name: string; username: string };
  /** The proxy has accepted a credential for another realm but never shown this one (a page may have made it up). */
  newRealm?: boolean;
  /** Basic would travel readable on the network (the proxy is reached over plain HTTP). */
  clearTextWarning: boolean;
  createdAt: number;
  expiresAt: number;
}

export type PromptReason = PendingPrompt['reason'];

export type PromptOutcome =
  | { kind: 'credentials'; username: string; password: string; credentialKey: string; profileId: string | null }
  | { kind: 'unlocked' }
  | { kind: 'cancelled' }
  | { kind: 'timeout' };

interface Waiter {
  challenge: Challenge;
  resolve: (o: PromptOutcome) => void;
  /** Its request was not held (it ended at once): only the answer concerns it, not the request's own end. */
  notHeld?: boolean;
}

interface Entry {
  prompt: PendingPrompt;
  waiters: Waiter[];
}

export interface ParkOptions {
  reason: PromptReason;
  rejectedProfile?: PendingPrompt['rejectedProfile'];
  downgradeProfile?: PendingPrompt['downgradeProfile'];
  newRealm?: boolean;
  url: string;
  timeoutMs: number;
  now: number;
  id: string;
  /** False: the request is not held for the answer (it ended); its tab waits for the answer instead. */
  held?: boolean;
}

export const promptGroup = (c: Challenge): string => `${proxyKey(c.challenger)}|${c.realm ?? ''}`;

/** After the user cancels (or lets a prompt time out), the same page's next requests must not ask again at once. */
export const PROMPT_COOLDOWN_MS = 15_000;

/**
 * Why: a page can make the network answer 407 with a new realm on every request (a site behind a lax
 * proxy), and each (proxy, realm) would open its own prompt or window. Per proxy, at most this many
 * prompts wait at once, and at most MAX_NEW_PROMPTS_PER_WINDOW new ones open within
 * PROMPT_RATE_WINDOW_MS; a request beyond that is cancelled without asking (history: prompt-limited).
 * Requests joining a prompt that is already pending are never limited, nor are challenges only the
 * proxy can have sent (https/wss through a tunnel, see core/breaker.ts): a hostile page holding the
 * proxy's one waiting prompt must not keep the proxy's own new realm from being asked.
 */
export const MAX_PENDING_PROMPTS_PER_PROXY = 1;
export const MAX_NEW_PROMPTS_PER_WINDOW = 3;
export const PROMPT_RATE_WINDOW_MS = 60_000;

export class PromptQueue {
  private readonly byGroup = new Map<string, Entry>();
  /** proxy → when its recent new prompts opened (within PROMPT_RATE_WINDOW_MS). */
  private readonly opened = new Map<string, number[]>();
  /** group → until when a cancelled prompt keeps new requests of that group from asking again. */
  private readonly muted = new Map<string, number>();
  /** How many prompts were shown since the worker started (status and tests). */
  shown = 0;

  /** When the user just declined to answer for this proxy and realm, new requests are cancelled quietly. */
  isMuted(c: Challenge, now: number): boolean {
    const until = this.muted.get(promptGroup(c));
    return until !== undefined && until > now;
  }

  /** Whether this challenge may wait for the user: it joins a pending prompt, or a new one is within its proxy's limits. */
  mayAsk(c: Challenge, now: number): boolean {
    if (this.byGroup.has(promptGroup(c)) || onlyTheProxyCanChallenge(c.url)) return true;
    const proxy = proxyKey(c.challenger);
    let pending = 0;
    for (const e of this.byGroup.values()) if (proxyKey(e.prompt.proxy) === proxy) pending++;
    if (pending >= MAX_PENDING_PROMPTS_PER_PROXY) return false;
    return this.recentlyOpened(proxy, now).length < MAX_NEW_PROMPTS_PER_WINDOW;
  }

  private recentlyOpened(proxy: string, now: number): number[] {
    const recent = (this.opened.get(proxy) ?? []).filter((t) => now - t < PROMPT_RATE_WINDOW_MS && t <= now);
    if (recent.length) this.opened.set(proxy, recent);
    else this.opened.delete(proxy);
    return recent;
  }

  /** Adds a waiting request; `isNew` tells whether a prompt must be shown (only the first of a group). */
  park(c: Challenge, o: ParkOptions): { prompt: PendingPrompt; isNew: boolean; outcome: Promise<PromptOutcome> } {
    const group = promptGroup(c);
    let entry = this.byGroup.get(group);
    const isNew = !entry;
    if (!entry) {
      this.shown++;
      const proxy = proxyKey(c.challenger);
      this.opened.set(proxy, [...this.recentlyOpened(proxy, o.now), o.now]);
      const prompt: PendingPrompt = {
        id: o.id,
        proxy: { ...c.challenger },
        realm: c.realm,
        scheme: c.scheme,
        url: o.url,
        waiting: 0,
        reason: o.reason,
        clearTextWarning: c.scheme === 'basic',
        createdAt: o.now,
        expiresAt: o.now + o.timeoutMs,
      };
      if (o.rejectedProfile) prompt.rejectedProfile = o.rejectedProfile;
      if (o.downgradeProfile) prompt.downgradeProfile = o.downgradeProfile;
      if (o.newRealm) prompt.newRealm = true;
      entry = { prompt, waiters: [] };
      this.byGroup.set(group, entry);
    } else if (o.reason === 'rejected' && entry.prompt.reason !== 'rejected') {
      // a rejection is the more important thing to tell
      entry.prompt.reason = 'rejected';
      if (o.rejectedProfile) entry.prompt.rejectedProfile = o.rejectedProfile;
    }
    const target = entry;
    const notHeld = o.held === false;
    const outcome = new Promise<PromptOutcome>((resolve) => target.waiters.push({ challenge: c, resolve, ...(notHeld ? { notHeld } : {}) }));
    target.prompt.waiting = target.waiters.length;
    return { prompt: target.prompt, isNew, outcome };
  }

  list(): PendingPrompt[] {
    return [...this.byGroup.values()].map((e) => ({ ...e.prompt }));
  }

  get(id: string): PendingPrompt | undefined {
    return this.find(id)?.[1].prompt;
  }

  /** Resolves every request waiting on the prompt; returns how many were released. */
  resolve(id: string, outcome: PromptOutcome): number {
    const found = this.find(id);
    if (!found) return 0;
    const [group, entry] = found;
    this.byGroup.delete(group);
    if (outcome.kind === 'credentials') this.muted.delete(group);
    else this.muted.set(group, Date.now() + PROMPT_COOLDOWN_MS);
    for (const w of entry.waiters) w.resolve(outcome);
    return entry.waiters.length;
  }

  /** A waiting request ended on its own (tab closed): it no longer counts. One not held ended by design and stays. */
  drop(requestId: string): void {
    for (const [group, entry] of this.byGroup) {
      const i = entry.waiters.findIndex((w) => w.challenge.requestId === requestId && !w.notHeld);
      if (i < 0) continue;
      entry.waiters.splice(i, 1)[0]?.resolve({ kind: 'cancelled' });
      entry.prompt.waiting = entry.waiters.length;
      if (entry.waiters.length === 0) this.byGroup.delete(group);
    }
  }

  get size(): number {
    return this.byGroup.size;
  }

  private find(id: string): [string, Entry] | undefined {
    for (const pair of this.byGroup) if (pair[1].prompt.id === id) return pair;
    return undefined;
  }
}
