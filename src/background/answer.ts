// Decides and answers one proxy challenge: saved profile, breaker, pass-through or cancel, and records it.
import { planChallenge } from '../core/decide';
import { newEntry } from '../core/history-entry';
import { matchProfile } from '../core/match';
import type { Challenge, Decision, Profile } from '../core/model';
import { touchProfile } from '../storage/profiles';
import type { TrackedRequest } from '../storage/session';
import { type State, persistSoon } from './state';

export type Answer = { authCredentials: { username: string; password: string } } | { cancel: true } | Record<string, never>;

const TOUCH_INTERVAL_MS = 60_000;

/** One row per request: created at its first challenge, updated by later ones. */
function track(s: State, c: Challenge, decision: Decision, profile: Profile | null): TrackedRequest {
  let t = s.requests.get(c.requestId);
  if (!t) {
    const entry = newEntry(c, decision, profile, { stripQuery: s.settings.stripQueryStrings, id: crypto.randomUUID(), at: Date.now() });
    t = { entry, answeredWith: null };
    s.requests.set(c.requestId, t);
  } else if (decision.startsWith('answered')) {
    Object.assign(t.entry, { decision, profileId: profile?.id ?? null, profileName: profile?.name ?? null });
  }
  s.history.write(t.entry);
  persistSoon(s);
  return t;
}

/** A challenge for a request we already answered means the proxy refused that credential. */
function noteRetry(s: State, c: Challenge): void {
  const t = s.requests.get(c.requestId);
  if (!t) return;
  t.entry.attempts++;
  if (t.answeredWith) {
    s.gate.rejected(c.requestId);
    t.answeredWith = null;
    t.entry.outcome = 'rejected';
  }
}

export async function answerChallenge(s: State, c: Challenge): Promise<Answer> {
  noteRetry(s, c);
  const profile = matchProfile(s.index, c);
  const plan = planChallenge({ challenge: c, profile, settings: s.settings, statusOf: (k) => s.gate.statusOf(k), canPrompt: false });
  switch (plan.kind) {
    case 'answer': {
      const admission = await s.gate.admit(plan.credentialKey, c.requestId);
      if (admission === 'blocked') {
        track(s, c, 'breaker-open', plan.profile);
        return { cancel: true };
      }
      const t = track(s, c, 'answered-saved', plan.profile);
      t.answeredWith = plan.credentialKey;
      if (Date.now() - (plan.profile.lastUsedAt ?? 0) > TOUCH_INTERVAL_MS) {
        plan.profile.lastUsedAt = Date.now();
        touchProfile(plan.profile.id, plan.profile.lastUsedAt).catch(() => {});
      }
      return { authCredentials: { username: plan.profile.username, password: plan.profile.password } };
    }
    case 'pass':
      track(s, c, plan.decision, profile);
      return {};
    case 'cancel':
      track(s, c, plan.decision, profile);
      return { cancel: true };
    case 'prompt':
      // The prompt arrives with the popup; until then a prompt-worthy challenge goes to the browser.
      track(s, c, 'no-match-pass-through', profile);
      return {};
  }
}
