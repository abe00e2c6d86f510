// Settles a request's history entry when it completes or fails, and tells the breaker what the proxy said.
import { outcomeOfCompletion, outcomeOfError, settleOutcome } from '../core/history-entry';
import type { Outcome } from '../core/model';
import { diagnose } from '../core/diagnose';
import { touchProfile } from '../storage/profiles';
import { dropWaiting } from './prompts';
import { isScheme } from '../core/downgrade';
import { onlyTheProxyCanChallenge } from '../core/breaker';
import { rememberProven } from './proven';
import type { State } from './state';

/** Response headers arrived: anything but another 407 means the proxy took our credential. */
export function noteResponse(s: State, requestId: string, statusCode: number): void {
  const t = s.requests.get(requestId);
  if (!t?.answeredWith || statusCode === 407) return;
  s.breaker.accepted(requestId);
  t.answeredWith = null;
  s.snapshot.saveSoon();
  markUsed(s, t.entry.profileId);
  markProven(s, t.entry.profileId, t.entry.scheme);
}

/** The proxy accepted the profile's password under this scheme: an "any" profile proven only with Digest keeps asking before Basic. */
function markProven(s: State, profileId: string | null, scheme: string): void {
  const profile = [...s.profiles, ...s.sessionProfiles].find((p) => p.id === profileId);
  if (profile && isScheme(scheme)) rememberProven(s, profile, scheme).catch(() => {});
}

const TOUCH_INTERVAL_MS = 60_000;

/** "Last used" means the proxy accepted the profile's password, not merely that we sent it. */
function markUsed(s: State, profileId: string | null): void {
  const profile = s.profiles.find((p) => p.id === profileId);
  const now = Date.now();
  if (!profile || now - (profile.lastUsedAt ?? 0) < TOUCH_INTERVAL_MS) return;
  profile.lastUsedAt = now;
  touchProfile(profile.id, now).catch(() => {});
}

function settle(s: State, requestId: string, outcome: Outcome, error?: string): void {
  dropWaiting(s, requestId);
  const t = s.requests.get(requestId);
  if (!t) return;
  s.requests.delete(requestId);
  if (outcome === 'ok') s.breaker.accepted(requestId);
  else if (t.answeredWith && outcome === 'rejected' && (s.breaker.statusOf(t.answeredWith) !== 'good' || onlyTheProxyCanChallenge(t.entry.url))) s.breaker.rejected(requestId);
  else {
    // a 407 after our answer for a credential the proxy accepted before proves no refusal (breaker.ts)
    if (t.answeredWith && outcome === 'rejected') t.entry.guard = 'not-proof';
    s.breaker.abandoned(requestId);
  }
  s.breaker.forget(requestId);
  t.entry.outcome = settleOutcome(t.entry.outcome, outcome);
  if (error && t.entry.outcome === 'failed') t.entry.error = error;
  t.entry.diagnosis = diagnose(t.entry, { profiles: s.profiles });
  if (!t.unrecorded) s.history.write(t.entry);
  s.snapshot.saveSoon();
}

export const settleCompleted = (s: State, requestId: string, statusCode: number): void =>
  settle(s, requestId, outcomeOfCompletion(statusCode));

export const settleError = (s: State, requestId: string, error: string): void => settle(s, requestId, outcomeOfError(error), error);
