// Decides and answers one proxy challenge: saved profile, breaker, pass-through or cancel, and records it.
import { planChallenge } from '../core/decide';
import { newEntry, settleOutcome } from '../core/history-entry';
import { matchProfile } from '../core/match';
import { type Challenge, type Decision, type Profile, proxyKey } from '../core/model';
import type { TrackedRequest } from '../storage/session';
import type { PromptReason } from '../core/prompt-queue';
import type { Admission } from '../core/credential-gate';
import { askUser } from './prompts';
import { BURST_WAIT_MS, inFlight } from './in-flight-tracker';
import { takeOffered } from './offered';
import { probeFirstIfBatched } from './own-probe';
import { type State, persistSoon } from './state';


/** A credential not yet proven goes out only when the requests already sent have reached us. */
async function beforeFirstUse(s: State, key: string): Promise<void> {
  if (s.gate.statusOf(key) !== 'good') await inFlight.settled(BURST_WAIT_MS);
}

/** Waits until the breaker lets this request carry `key` (in Firefox the worker may try it first: own-probe.ts). */
function admit(s: State, c: Challenge, key: string, credential: { username: string; password: string }): Promise<Admission> {
  probeFirstIfBatched(s, c, key, credential);
  return s.gate.admit(key, c.requestId);
}

export type Answer = { authCredentials: { username: string; password: string } } | { cancel: true } | Record<string, never>;

/** One row per request: created at its first challenge, updated by later ones. */
function track(s: State, c: Challenge, decision: Decision, profile: Profile | null): TrackedRequest {
  let t = s.requests.get(c.requestId);
  if (!t) {
    const entry = newEntry(c, decision, profile, { stripQuery: s.settings.stripQueryStrings, id: crypto.randomUUID(), at: Date.now() });
    const offered = takeOffered(c.requestId);
    if (offered) entry.offered = offered;
    t = { entry, answeredWith: null };
    if (!s.rowBudget.take(proxyKey(c.challenger), Date.now())) t.unrecorded = true;
    s.requests.set(c.requestId, t);
  } else if (decision.startsWith('answered') || t.entry.decision === 'prompt-pending') {
    // the first decision stays (e.g. breaker-open) unless a prompt settles or an answer follows
    Object.assign(t.entry, { decision, profileId: profile?.id ?? null, profileName: profile?.name ?? null });
  }
  if (!t.unrecorded) s.history.write(t.entry);
  persistSoon(s);
  return t;
}

/** A challenge for a request we already answered means the proxy refused that credential. */
function noteRetry(s: State, c: Challenge): boolean {
  const t = s.requests.get(c.requestId);
  if (!t) return false;
  t.entry.attempts++;
  if (!t.answeredWith) return false;
  s.gate.rejected(c.requestId);
  t.answeredWith = null;
  t.entry.outcome = 'rejected';
  return true;
}

function credentialsFor(s: State, c: Challenge, key: string, profile: Profile | null, decision: Decision, username: string, password: string): Answer {
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
async function viaPrompt(s: State, c: Challenge, reason: PromptReason, profile: Profile | null): Promise<Answer> {
  // a refused saved password is the breaker's doing; a missing profile is a plain prompt
  track(s, c, reason === 'vault-locked' ? 'vault-locked' : reason === 'rejected' && profile ? 'breaker-open' : 'prompt-pending', profile);
  if (s.prompts.isMuted(c, Date.now())) return cancel(s, c, 'prompt-cancelled', profile);
  const outcome = await askUser(s, c, reason, reason === 'rejected' ? profile : null);
  // the vault is open now: decide again, with the password known
  if (outcome.kind === 'unlocked') return decide(s, c, false);
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
  return decide(s, c, noteRetry(s, c));
}

async function decide(s: State, c: Challenge, wasRejected: boolean): Promise<Answer> {
  const profile = matchProfile(s.index, c);
  const plan = planChallenge({ challenge: c, profile, settings: s.settings, statusOf: (k) => s.gate.statusOf(k), canPrompt: true });
  switch (plan.kind) {
    case 'answer': {
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
      return viaPrompt(s, c, wasRejected ? 'rejected' : plan.reason, profile);
  }
}
