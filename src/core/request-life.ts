// The life of a proxy-challenged request, as one pure function: its history entry and every verdict the breaker hears.
import { type ChallengeShape, type CredentialStatus, onlyTheProxyCanChallenge, retryProvesRejection } from './breaker';
import { diagnose } from './diagnose';
import { type EntryOptions, newEntry, outcomeOfCompletion, outcomeOfError, settleOutcome } from './history-entry';
import { sameProxy } from './host';
import type { Challenge, Decision, HistoryEntry, Outcome, Profile } from './model';

/**
 * A request this worker answers or parks (kept in storage.session, see storage/session.ts): created
 * at its first challenge, ended by its completion or error.
 */
export interface Life {
  entry: HistoryEntry;
  /** The credential key we answered with, while we wait for the proxy's verdict. */
  answeredWith: string | null;
  /** Over its proxy's history-row budget (core/caps.ts RowBudget): tracked, never written to history. */
  unrecorded?: true;
  /** Realm and scheme of the request's first challenge: a later one proves a refusal only if it matches. */
  first?: ChallengeShape;
  /**
   * An https:/wss: request, tunnelled through the proxy (breaker.ts onlyTheProxyCanChallenge): its final 407
   * can only be the proxy's. Kept here because the entry's URL is blank for a private window.
   */
  tunnel?: true;
}

/**
 * The worker's own request in Firefox (background/own-request.ts): it carries an unproven credential
 * for the page's requests that came in one delivery batch, and its verdict is theirs.
 */
export interface OwnLife {
  /** The proxy, realm and scheme the credential is for: no other challenger ever gets it. */
  challenger: { host: string; port: number };
  realm: string | null;
  scheme: string;
  /** The current try carries the credential. */
  answered: boolean;
  /** An origin answered behind the proxy: the proxy let the credential through. */
  passedProxy: boolean;
  done: boolean;
}

type Who = Pick<Profile, 'id' | 'name'> | null;

export type LifeEvent =
  /** We decided about a challenge (core/plan.ts) and the request waits or passes: a prompt, the breaker, the vault. */
  | { type: 'decided'; decision: Decision; profile: Who; guard?: 'unseen-realm' }
  /** We answered a challenge with the credential `key`. */
  | { type: 'answered'; decision: Decision; profile: Who; key: string }
  /** We ended the request ourselves (the browser then shows the proxy's 407 page). */
  | { type: 'cancelled'; decision: Decision; profile: Who }
  /** Another challenge of a request we already track. */
  | { type: 'challenged-again'; challenge: ChallengeShape & { url: string } }
  /** Response headers arrived. */
  | { type: 'responded'; statusCode: number }
  /** The request completed (a status) or failed (the browser's error text). */
  | { type: 'ended'; statusCode: number }
  | { type: 'failed'; error: string }
  /** A worker that is gone parked it (its prompt, breaker or vault lived in that worker's memory). */
  | { type: 'orphaned' }
  /** Pushed out of the tracked requests by the cap (core/caps.ts makeRoom). */
  | { type: 'evicted' };

export type OwnEvent =
  /** The proxy (or an origin behind it) challenged the own request; `batchSize` is its delivery batch's. */
  | { type: 'own-challenged'; isProxy: boolean; challenger?: { host: string; port: number }; realm?: string; scheme?: string; batchSize: number }
  /** We gave the own request the credential. */
  | { type: 'own-answered' }
  /** Its fetch ended: the status, or null for a network error or abort. */
  | { type: 'own-ended'; status: number | null };

/** What the background does after a step, in this order. */
export type Effect =
  /** Tell the breaker the proxy's verdict on the credential this request carried. */
  | { type: 'verdict'; verdict: 'accepted' | 'rejected' | 'abandoned' }
  /** A request waiting in the breaker goes away: it never carries the credential. */
  | { type: 'unwait' }
  /** It no longer waits on a prompt. */
  | { type: 'unprompt' }
  /** The proxy took the profile's password under this scheme ("last used", proven schemes). */
  | { type: 'proven'; profileId: string | null; scheme: string }
  /** Write the history entry; save the session snapshot. */
  | { type: 'write' }
  | { type: 'save' }
  /** The own request's current try will never carry the credential: a new one goes out (or it ends). */
  | { type: 'retry' };

/** What the caller does with the challenge that caused the step. */
export type Then = 'plan' | 'plan-after-refusal' | 'cancel' | 'answer';

export interface Step<L> {
  /** null: a request we do not track. */
  life: L | null;
  effects: Effect[];
  /** The request is over: no longer tracked (its last entry is in `life`). */
  over?: true;
  then?: Then;
}

export interface LifeContext {
  /** The breaker's standing of a credential key. */
  statusOf: (key: string) => CredentialStatus | undefined;
  /** For the diagnosis of an ended request. */
  profiles: Profile[];
}

/** Decisions of a request that waits on something that lives only in the worker's memory: a prompt, the breaker, the vault. */
const WAITING: ReadonlySet<Decision> = new Set(['prompt-pending', 'breaker-open', 'vault-locked']);
export const waitsInMemory = (decision: Decision): boolean => WAITING.has(decision);

/** A request a dead worker parked: answered by nobody, ended by nobody (background/orphans.ts frees its tab). */
export const isOrphan = (life: Life): boolean => !life.answeredWith && life.entry.outcome === 'pending' && waitsInMemory(life.entry.decision);

/** A history row still pending that no request in flight owns: its worker is gone, and the request ended unseen. */
export function forgotten(row: HistoryEntry): HistoryEntry {
  return { ...row, decision: row.decision === 'prompt-pending' ? 'prompt-cancelled' : row.decision, outcome: 'cancelled', error: 'restarted-before-end' };
}

/** A request's first challenge. */
export function begin(c: Challenge, decision: Decision, profile: Who, o: EntryOptions & { offered?: string[] | undefined; unrecorded: boolean }): Life {
  const entry = newEntry(c, decision, profile, o);
  if (o.offered) entry.offered = o.offered;
  const life: Life = { entry, answeredWith: null, first: { realm: c.realm, scheme: c.scheme } };
  if (o.unrecorded) life.unrecorded = true;
  if (onlyTheProxyCanChallenge(c.url)) life.tunnel = true;
  return life;
}

const noted = (life: Life, effects: Effect[] = []): Effect[] => [...effects, ...(life.unrecorded ? [] : [{ type: 'write' } as const]), { type: 'save' }];

/** The first decision stays (e.g. breaker-open) unless a prompt settles or an answer follows. */
function decide(entry: HistoryEntry, decision: Decision, profile: Who): HistoryEntry {
  if (!decision.startsWith('answered') && entry.decision !== 'prompt-pending') return entry;
  return { ...entry, decision, profileId: profile?.id ?? null, profileName: profile?.name ?? null };
}

/** The only place a request's entry and the breaker's verdicts change. `life` is null for a request not tracked. */
export function next(life: Life | null, e: LifeEvent, ctx: LifeContext): Step<Life> {
  if (e.type === 'ended' || e.type === 'failed') return end(life, e.type === 'ended' ? outcomeOfCompletion(e.statusCode) : outcomeOfError(e.error), e.type === 'failed' ? e.error : undefined, ctx);
  // (the cap drops the request from the tracked ones before telling us)
  if (e.type === 'evicted') return { life, effects: [{ type: 'verdict', verdict: 'abandoned' }, { type: 'unwait' }], over: true };
  if (!life) return { life, effects: [], then: 'plan' };
  const entry = life.entry;
  switch (e.type) {
    case 'decided': {
      const after = { ...life, entry: { ...decide(entry, e.decision, e.profile), ...(e.guard ? { guard: e.guard } : {}) } };
      return { life: after, effects: noted(after) };
    }
    case 'answered': {
      const after = { ...life, entry: decide(entry, e.decision, e.profile), answeredWith: e.key };
      return { life: after, effects: noted(after) };
    }
    case 'cancelled': {
      const decided = decide(entry, e.decision, e.profile);
      const after = { ...life, entry: { ...decided, outcome: settleOutcome(decided.outcome, 'cancelled') } };
      return { life: after, effects: noted(after) };
    }
    case 'challenged-again':
      return challengedAgain(life, e.challenge, ctx);
    case 'responded':
      // anything but another 407 means the proxy took our credential
      if (!life.answeredWith || e.statusCode === 407) return { life, effects: [] };
      return {
        life: { ...life, answeredWith: null },
        effects: [{ type: 'verdict', verdict: 'accepted' }, { type: 'save' }, { type: 'proven', profileId: entry.profileId, scheme: entry.scheme }],
      };
    case 'orphaned': {
      const error = entry.tabId >= 0 ? 'restarted-tab-reloaded' : 'restarted-while-waiting';
      const decision = entry.decision === 'prompt-pending' ? 'prompt-cancelled' : entry.decision;
      return { life: { ...life, entry: { ...entry, decision, outcome: 'cancelled', error } }, effects: noted(life), over: true };
    }
  }
}

/**
 * A challenge for a request we already answered: a refusal of that credential only when it proves one
 * (core/breaker.ts retryProvesRejection); else a site behind the proxy may have sent it, and the request
 * ends with nothing marked refused (never answered twice).
 */
function challengedAgain(life: Life, c: ChallengeShape & { url: string }, ctx: LifeContext): Step<Life> {
  const entry = { ...life.entry, attempts: life.entry.attempts + 1 };
  const key = life.answeredWith;
  if (!key) return { life: { ...life, entry }, effects: [], then: 'plan' };
  const first = life.first ?? { realm: entry.realm, scheme: entry.scheme };
  if (!retryProvesRejection(first, c, ctx.statusOf(key), onlyTheProxyCanChallenge(c.url))) {
    // no verdict from this request: the credential keeps its standing, a waiting request may carry it
    const after = { ...life, answeredWith: null, entry: { ...entry, guard: 'not-proof' as const, outcome: settleOutcome(entry.outcome, 'cancelled') } };
    return { life: after, effects: noted(after, [{ type: 'verdict', verdict: 'abandoned' }]), then: 'cancel' };
  }
  return { life: { ...life, answeredWith: null, entry: { ...entry, outcome: 'rejected' } }, effects: [{ type: 'verdict', verdict: 'rejected' }], then: 'plan-after-refusal' };
}

/** The request completed or failed: its outcome settles, and what the proxy said reaches the breaker. */
function end(life: Life | null, outcome: Outcome, error: string | undefined, ctx: LifeContext): Step<Life> {
  if (!life) return { life: null, effects: [{ type: 'unprompt' }] };
  let entry = life.entry;
  const key = life.answeredWith;
  let verdict: 'accepted' | 'rejected' | 'abandoned';
  if (outcome === 'ok') verdict = 'accepted';
  else if (key && outcome === 'rejected' && (ctx.statusOf(key) !== 'good' || life.tunnel === true)) verdict = 'rejected';
  else {
    // a 407 after our answer for a credential the proxy accepted before proves no refusal (breaker.ts)
    if (key && outcome === 'rejected') entry = { ...entry, guard: 'not-proof' };
    verdict = 'abandoned';
  }
  entry = { ...entry, outcome: settleOutcome(entry.outcome, outcome) };
  if (error && entry.outcome === 'failed') entry.error = error;
  entry.diagnosis = diagnose(entry, { profiles: ctx.profiles });
  return { life: { ...life, entry }, effects: noted(life, [{ type: 'unprompt' }, { type: 'verdict', verdict }, { type: 'unwait' }]), over: true };
}

/** The rules of the worker's own request (background/own-request.ts): when it carries the credential, and what its end proves. */
export function nextOwn(own: OwnLife, e: OwnEvent): Step<OwnLife> {
  if (own.done) return { life: own, effects: [], then: 'cancel' };
  switch (e.type) {
    case 'own-challenged': {
      // e.g. a PAC fallback sent it through another proxy: that proxy never gets this password
      const sameChallenger =
        e.challenger !== undefined && sameProxy(e.challenger, own.challenger) && (e.realm ?? null) === own.realm && (e.scheme === undefined || e.scheme.toLowerCase() === own.scheme);
      // (after our answer, such a challenge proves no refusal: the own request ends without a verdict)
      if (e.isProxy && !sameChallenger) return { life: own, effects: [], then: 'cancel' };
      // the origin itself asks for a login: the proxy has let the credential through
      if (!e.isProxy) return { life: own.answered ? { ...own, passedProxy: true } : own, effects: [], then: 'cancel' };
      // challenged again after our answer, same proxy, realm and scheme, never accepted: the proxy refused it
      if (own.answered) return { life: { ...own, done: true }, effects: [{ type: 'verdict', verdict: 'rejected' }], then: 'cancel' };
      // requests waiting for it came in its batch: its answer would wait for theirs
      if (e.batchSize > 1) return { life: own, effects: [{ type: 'retry' }], then: 'cancel' };
      return { life: own, effects: [], then: 'answer' };
    }
    case 'own-answered':
      return { life: { ...own, answered: true }, effects: [] };
    case 'own-ended': {
      // any answer but another 407 (an opaque redirect reads 0) means the proxy took the credential
      const took = own.answered && ((e.status !== null && e.status !== 407) || own.passedProxy);
      // no verdict: the breaker lets the next waiting request carry the credential instead
      return { life: { ...own, done: true }, effects: [{ type: 'verdict', verdict: took ? 'accepted' : 'abandoned' }] };
    }
  }
}
