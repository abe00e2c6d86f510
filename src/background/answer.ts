// Decides and answers one proxy challenge: saved profile, breaker, pass-through or cancel, and records it.
import { makeRoom } from '../core/caps';
import { planChallenge, realmUnseen, realmsAccepted } from '../core/plan';
import { matchProfile } from '../core/match';
import { type Challenge, type Decision, type Profile, isSessionProfile, proxyKey } from '../core/model';
import { type LifeEvent, begin } from '../core/request-life';
import type { PromptReason } from '../core/prompt-queue';
import { acceptedBefore } from '../core/breaker';
import { askUser } from './prompts';
import { BURST_WAIT_MS, inFlight } from './in-flight-tracker';
import { takeOffered } from './offered';
import { batches, ownRequestFirstIfBatched } from './own-request';
import { promptGroup } from '../core/prompt-queue';
import { type State, askOnceIndexOf } from './state';
import { noteVaultUseSoon } from './vault-lock';
import { step } from './life';

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

export type Answer = { authCredentials: { username: string; password: string } } | { cancel: true } | Record<string, never>;

/** A request's first challenge starts its life (one row per request); every later change is a step of it (core/request-life.ts). */
function track(s: State, c: Challenge, e: Extract<LifeEvent, { decision: Decision }>): void {
  if (!s.requests.has(c.requestId)) {
    const unrecorded = !s.rowBudget.take(proxyKey(c.challenger), Date.now());
    const life = begin(c, e.decision, e.profile, { stripQuery: s.settings.stripQueryStrings, id: crypto.randomUUID(), at: Date.now(), offered: takeOffered(c.requestId), unrecorded });
    // s.requests is saved in storage.session (where the vault key lives): a flood cannot grow it without bound
    for (const id of makeRoom(s.requests)) step(s, id, { type: 'evicted' });
    s.requests.set(c.requestId, life);
  }
  step(s, c.requestId, e);
}

function credentialsFor(s: State, c: Challenge, key: string, profile: Profile | null, decision: Decision, username: string, password: string): Answer {
  // a sealed password in use keeps the vault from locking itself for idleness
  if (profile && !isSessionProfile(profile) && s.vault.key) noteVaultUseSoon(s);
  track(s, c, { type: 'answered', decision, profile, key });
  return { authCredentials: { username, password } };
}

/** We end the request: the browser then shows the proxy's 407 page, which is our cancel, not a rejection. */
function cancel(s: State, c: Challenge, decision: Decision, profile: Profile | null): Answer {
  track(s, c, { type: 'cancelled', decision, profile });
  return { cancel: true };
}

/** Parks the request on the shared prompt; a typed credential then goes through the breaker like a saved one. */
async function viaPrompt(s: State, c: Challenge, reason: PromptReason, profile: Profile | null, guard?: 'unseen-realm'): Promise<Answer> {
  // a refused saved password is the breaker's doing; a missing profile is a plain prompt
  const decision = reason === 'vault-locked' ? 'vault-locked' : reason === 'rejected' && profile ? 'breaker-open' : 'prompt-pending';
  track(s, c, guard ? { type: 'decided', decision, profile, guard } : { type: 'decided', decision, profile });
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
  ownRequestFirstIfBatched(s, c, outcome.credentialKey, outcome);
  const admission = await s.breaker.admit(outcome.credentialKey, c.requestId);
  // the typed credential was refused while this request waited: ask again, saying so
  if (admission === 'blocked') return viaPrompt(s, c, 'rejected', profile);
  await beforeFirstUse(s, outcome.credentialKey);
  const used = [...s.profiles, ...s.sessionProfiles].find((p) => p.id === outcome.profileId) ?? null;
  return credentialsFor(s, c, outcome.credentialKey, used, 'answered-prompt', outcome.username, outcome.password);
}

export async function answerChallenge(s: State, c: Challenge): Promise<Answer> {
  if (!s.requests.has(c.requestId)) s.challengesSeen++;
  // a challenge of a request we answered: a refusal, or one that proves nothing and ends it
  const again = step(s, c.requestId, { type: 'challenged-again', challenge: c });
  if (again.then === 'cancel') return { cancel: true };
  return answerByPlan(s, c, again.then === 'plan-after-refusal');
}

async function answerByPlan(s: State, c: Challenge, wasRejected: boolean): Promise<Answer> {
  const profile = matchProfile(s.index, c);
  const askOnce = profile ? null : matchProfile(askOnceIndexOf(s.profiles), c);
  const plan = planChallenge({ challenge: c, profile, askOnce, settings: s.settings, statusOf: (k) => s.breaker.statusOf(k) });
  switch (plan.kind) {
    case 'answer': {
      // an "any realm" profile and a realm this proxy never showed: the user says yes first
      if (realmUnseen(c, plan.profile, realmsAccepted(c.challenger, s.breaker.snapshot()))) return viaPrompt(s, c, 'no-match', null, 'unseen-realm');
      // in Firefox the worker may carry it first on its own request (own-request.ts)
      ownRequestFirstIfBatched(s, c, plan.credentialKey, plan.profile);
      const admission = await s.breaker.admit(plan.credentialKey, c.requestId);
      if (admission === 'blocked') {
        // the breaker is open: this request never carries the refused password; the user is asked instead
        return viaPrompt(s, c, 'rejected', plan.profile);
      }
      await beforeFirstUse(s, plan.credentialKey);
      const { username, password } = plan.profile;
      return credentialsFor(s, c, plan.credentialKey, plan.profile, 'answered-saved', username, password);
    }
    case 'pass':
      track(s, c, { type: 'decided', decision: plan.decision, profile });
      return {};
    case 'cancel':
      return cancel(s, c, plan.decision, profile);
    case 'prompt':
      return viaPrompt(s, c, wasRejected && plan.reason !== 'downgrade' ? 'rejected' : plan.reason, profile);
  }
}
