// Carries out a request's life (core/request-life.ts): runs its pure step and does what the step says, the only caller of the breaker's verdicts.
import { type Effect, type Life, type LifeEvent, type Step, next } from '../core/request-life';
import { isScheme } from '../core/downgrade';
import { touchProfile } from '../storage/profiles';
import { dropWaiting } from './prompts';
import { rememberProven } from './proven';
import type { State } from './state';

/** One event of a tracked request (or of one we do not track: a completion, an error). */
export function step(s: State, requestId: string, e: LifeEvent): Step<Life> {
  const done = next(s.requests.get(requestId) ?? null, e, { statusOf: (k) => s.breaker.statusOf(k), profiles: s.profiles });
  if (done.over) s.requests.delete(requestId);
  else if (done.life) s.requests.set(requestId, done.life);
  carryOut(s, requestId, done.effects, done.life);
  return done;
}

/** `id`: the breaker's name of the request (a page request's id, or the worker's own request's). */
export function carryOut(s: State, id: string, effects: Effect[], life?: Life | null): void {
  for (const fx of effects) {
    switch (fx.type) {
      case 'verdict':
        if (fx.verdict === 'accepted') s.breaker.accepted(id);
        else if (fx.verdict === 'rejected') s.breaker.rejected(id);
        else s.breaker.abandoned(id);
        break;
      case 'unwait':
        s.breaker.forget(id);
        break;
      case 'unprompt':
        dropWaiting(s, id);
        break;
      case 'proven':
        markUsed(s, fx.profileId);
        markProven(s, fx.profileId, fx.scheme);
        break;
      case 'write':
        if (life) s.history.write(life.entry);
        break;
      case 'save':
        s.snapshot.saveSoon();
        break;
      case 'retry':
        break; // the worker's own request: own-request.ts sends its next try
    }
  }
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
