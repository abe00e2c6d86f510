// Decides and answers one proxy challenge: saved profile, breaker, pass-through or cancel, and records it.
import { makeRoom } from '../core/caps';
import { planChallenge, realmUnseen, realmsAccepted } from '../core/plan';
import { newEntry, settleOutcome } from '../core/history-entry';
import { matchProfile } from '../core/match';
import { type Challenge, type Decision, type Profile, isSessionProfile, proxyKey } from '../core/model';
import type { TrackedRequest } from '../storage/session';
import type { PromptReason } from '../core/prompt-queue';
import { type Admission, acceptedBefore, onlyTheProxyCanChallenge, retryProvesRejection } from '../core/breaker';
import { askUser } from './prompts';
import { BURST_WAIT_MS, inFlight } from './in-flight-tracker';
import { takeOffered } from './offered';
import { batches, ownRequestFirstIfBatched } from './own-request';
import { promptGroup } from '../core/prompt-queue';
import { type State, askOnceIndexOf } from './state';
import { noteVaultUseSoon } from './vault-lock';


/**
 * A credential not yet proven goes out only when no request the browser started can still pick it up
 * without passing our listener (core/in-flight.ts); one the proxy took in an earlier session goes at once.
 */
async function beforeFirstUse(s: State, key: string): Promise<void> {
  const status = s.breaker.statusOf(key);
  if (status === 'good') return;
  if (!acceptedBefore(status)) await inFlight.settled(BURST_WAIT_MS);
  // until its verdict reaches us, a request the browser starts may carry the cached credential up front
  if (s.breaker.statusOf(key) !== 'good') inFlight.probeOut(key);
}

/** Waits until the breaker lets this request carry `key` (in Firefox the worker may try it first: own-request.ts). */
function admit(s: State, c: Challenge, key: string, credential: { username: string; password: string }): Promise<Admission> {
  ownRequestFirstIfBatched(s, c, key, credential);
  return s.breaker.admit(key, c.requestId);
}

export type Answer = { authCredentials: { username: string; password: string } } | { cancel: true } | Record<string, never>;

/** One row per request: created at its first challenge, updated by later ones. */
function track(s: State, c: Challenge, decision: Decision, profile: Profile | null): TrackedRequest {
  let t = s.requests.get(c.requestId);
  if (!t) {
    const entry = newEntry(c, decision, profile, { stripQuery: s.settings.stripQueryStrings, id: crypto.randomUUID(), at: Date.now() });
    const offered = takeOffered(c.requestId);
    if (offered) entry.offered = offered;
    t = { entry, answeredWith: null, first: { realm: c.realm, scheme: c.scheme } };
    if (!s.rowBudget.take(proxyKey(c.challenger), Date.now())) t.unrecorded = true;
    // s.requests is saved in storage.session (where the vault key lives): a flood cannot grow it without bound
    for (const id of makeRoom(s.requests)) {
      s.breaker.abandoned(id);
      s.breaker.forget(id);
    }
    s.requests.set(c.requestId, t);
  } else if (decision.startsWith('answered') || t.entry.decision === 'prompt-pending') {
    // the first decision stays (e.g. breaker-open) unless a prompt settles or an answer follows
    Object.assign(t.entry, { decision, profileId: profile?.id ?? null, profileName: profile?.name ?? null });
  }
  if (!t.unrecorded) s.history.write(t.entry);
  s.snapshot.saveSoon();
  return t;
}

type Retry = 'first' | 'again' | 'rejected' | 'not-proof';

/**
 * A challenge for a request we already answered: a refusal of that credential only when it proves one
 * (core/breaker.ts retryProvesRejection); else a site behind the proxy may have sent it.
 */
function noteRetry(s: State, c: Challenge): Retry {
  const t = s.requests.get(c.requestId);
  if (!t) return 'first';
  t.entry.attempts++;
  const key = t.answeredWith;
  if (!key) return 'again';
  t.answeredWith = null;
  const first = t.first ?? { realm: t.entry.realm, scheme: t.entry.scheme };
  if (!retryProvesRejection(first, c, s.breaker.statusOf(key), onlyTheProxyCanChallenge(c.url))) {
    // no verdict from this request: the credential keeps its standing, a waiting request may carry it
    s.breaker.abandoned(c.requestId);
    t.entry.guard = 'not-proof';
    return 'not-proof';
  }
  s.breaker.rejected(c.requestId);
  t.entry.outcome = 'rejected';
  return 'rejected';
}

/** Ends a request whose second challenge proved nothing: never answered twice, nothing marked refused. */
function endUnproven(s: State, c: Challenge): Answer {
  const t = s.requests.get(c.requestId);
  if (t) {
    t.entry.outcome = settleOutcome(t.entry.outcome, 'cancelled');
    s.history.write(t.entry);
    s.snapshot.saveSoon();
  }
  return { cancel: true };
}

function credentialsFor(s: State, c: Challenge, key: string, profile: Profile | null, decision: Decision, username: string, password: string): Answer {
  // a sealed password in use keeps the vault from locking itself for idleness
  if (profile && !isSessionProfile(profile) && s.vault.key) noteVaultUseSoon(s);
  const t = track(s, c, decision, profile);
  t.answeredWith = key;
  return { authCredentials: { username, password } };
}

/** We end the request: the browser then shows the proxy's 407 page, which is our cancel, not a rejection. */
function cancel(s: State, c: Challenge, decision: Decision, profile: Profile | null): Answer {
  const t = track(s, c, decision, profile);
  t.entry.outcome = settleOutcome(t.entry.outcome, 'cancelled');
  return { cancel: true };
}

/** Parks the request on the shared prompt; a typed credential then goes through the breaker like a saved one. */
async function viaPrompt(s: State, c: Challenge, reason: PromptReason, profile: Profile | null, guard?: 'unseen-realm'): Promise<Answer> {
  // a refused saved password is the breaker's doing; a missing profile is a plain prompt
  const t = track(s, c, reason === 'vault-locked' ? 'vault-locked' : reason === 'rejected' && profile ? 'breaker-open' : 'prompt-pending', profile);
  if (guard) t.entry.guard = guard;
  if (s.prompts.isMuted(c, Date.now())) return cancel(s, c, 'prompt-cancelled', profile);
  // a page naming a new realm on every request must not open a prompt for each (core/prompt-queue.ts)
  if (!s.prompts.mayAsk(c, Date.now())) return cancel(s, c, 'prompt-limited', profile);
  // Firefox passes on the answers of one delivery batch together (core/delivery-batch.ts): held for the
  // user, this request would hold every other request's answer of its batch (a hostile page's burst
  // would stall the whole proxy). Then it ends now and its tab loads again once the user answers.
  const held = batches.othersThan(c.requestId, promptGroup(c)) === 0;
  const asked = askUser(s, c, reason, reason === 'rejected' || reason === 'downgrade' ? profile : null, guard === 'unseen-realm', held);
  if (!held) return cancel(s, c, 'prompt-not-held', profile);
  const outcome = await asked;
  // the vault is open now: plan again, with the password known
  if (outcome.kind === 'unlocked') return answerByPlan(s, c, false);
  if (outcome.kind !== 'credentials') return cancel(s, c, outcome.kind === 'timeout' ? 'prompt-timeout' : 'prompt-cancelled', profile);
  const admission = await admit(s, c, outcome.credentialKey, outcome);
  // the typed credential was refused while this request waited: ask again, saying so
  if (admission === 'blocked') return viaPrompt(s, c, 'rejected', profile);
  await beforeFirstUse(s, outcome.credentialKey);
  const used = [...s.profiles, ...s.sessionProfiles].find((p) => p.id === outcome.profileId) ?? null;
  return credentialsFor(s, c, outcome.credentialKey, used, 'answered-prompt', outcome.username, outcome.password);
}

export async function answerChallenge(s: State, c: Challenge): Promise<Answer> {
  if (!s.requests.has(c.requestId)) s.challengesSeen++;
  const retry = noteRetry(s, c);
  if (retry === 'not-proof') return endUnproven(s, c);
  return answerByPlan(s, c, retry === 'rejected');
}

async function answerByPlan(s: State, c: Challenge, wasRejected: boolean): Promise<Answer> {
  const profile = matchProfile(s.index, c);
  const askOnce = profile ? null : matchProfile(askOnceIndexOf(s.profiles), c);
  const plan = planChallenge({ challenge: c, profile, askOnce, settings: s.settings, statusOf: (k) => s.breaker.statusOf(k) });
  switch (plan.kind) {
    case 'answer': {
      // an "any realm" profile and a realm this proxy never showed: the user says yes first
      if (realmUnseen(c, plan.profile, realmsAccepted(c.challenger, s.breaker.snapshot()))) return viaPrompt(s, c, 'no-match', null, 'unseen-realm');
      const admission = await admit(s, c, plan.credentialKey, plan.profile);
      if (admission === 'blocked') {
        // the breaker is open: this request never carries the refused password; the user is asked instead
        return viaPrompt(s, c, 'rejected', plan.profile);
      }
      await beforeFirstUse(s, plan.credentialKey);
      const { username, password } = plan.profile;
      return credentialsFor(s, c, plan.credentialKey, plan.profile, 'answered-saved', username, password);
    }
    case 'pass':
      track(s, c, plan.decision, profile);
      return {};
    case 'cancel':
      return cancel(s, c, plan.decision, profile);
    case 'prompt':
      return viaPrompt(s, c, wasRejected && plan.reason !== 'downgrade' ? 'rejected' : plan.reason, profile);
  }
}
