// What to do with one proxy challenge, before the circuit breaker has its say.
import { type CredentialStatus, acceptedBefore } from './breaker';
import { needsBasicYes } from './downgrade';
import type { Challenge, Decision, Profile, Settings } from './model';
import { proxyKey } from './model';

/** Negotiate (Kerberos/SPNEGO) is not here: it needs the system's ticket, never a typed password. */
export const SUPPORTED_SCHEMES: readonly string[] = ['basic', 'digest', 'ntlm'];

export type Plan =
  | { kind: 'answer'; profile: Profile; credentialKey: string }
  | { kind: 'prompt'; reason: 'no-match' | 'rejected' | 'vault-locked' | 'downgrade' }
  | { kind: 'pass'; decision: Extract<Decision, 'no-match-pass-through' | 'unsupported-scheme'> }
  | { kind: 'cancel'; decision: Extract<Decision, 'no-match-cancelled' | 'breaker-open' | 'vault-locked'> };

type Target = Pick<Challenge, 'challenger' | 'realm'>;
const keyOf = (c: Target, version: string): string => `${proxyKey(c.challenger)}|${c.realm ?? ''}|${version}`;

/** Identifies one version of one credential for one proxy and realm; an edit makes a new key. */
export function credentialKey(c: Target, profile: Pick<Profile, 'id' | 'updatedAt'>): string {
  return keyOf(c, `${profile.id}@${profile.updatedAt}`);
}

/** A credential typed into a prompt and used once: a key of its own, never one of a profile's. */
export function onceCredentialKey(c: Target, nonce: string): string {
  return keyOf(c, `once:${nonce}`);
}

/**
 * The realms of `proxy` for which the proxy has accepted some credential (from the breaker's verdicts,
 * keyed as credentialKey makes them: "host:port|realm|…"; a realm may itself hold '|').
 */
export function realmsAccepted(proxy: Challenge['challenger'], statuses: Record<string, CredentialStatus>): Set<string> {
  const prefix = `${proxyKey(proxy)}|`;
  const out = new Set<string>();
  for (const [key, status] of Object.entries(statuses)) {
    if (!acceptedBefore(status) || !key.startsWith(prefix)) continue;
    const last = key.lastIndexOf('|');
    if (last >= prefix.length - 1) out.add(key.slice(prefix.length, last));
  }
  return out;
}

/**
 * Why: an "any realm" profile would hand its password to whatever realm a 407 names, and over plain
 * HTTP a site behind the proxy can name any. Once the proxy has accepted a credential for some realm,
 * a realm it never showed is answered only after the user says yes (the prompt).
 */
export const realmUnseen = (c: Pick<Challenge, 'realm'>, profile: Pick<Profile, 'realm'>, accepted: ReadonlySet<string>): boolean =>
  profile.realm === null && accepted.size > 0 && !accepted.has(c.realm ?? '');

export interface PlanInput {
  challenge: Challenge;
  profile: Profile | null;
  /** A policy profile for this challenge that holds no password ("ask once per session"): the user is asked, whatever noMatch says. */
  askOnce?: Profile | null;
  settings: Settings;
  statusOf: (credentialKey: string) => CredentialStatus | undefined;
}

export function planChallenge({ challenge, profile, askOnce, settings, statusOf }: PlanInput): Plan {
  if (!SUPPORTED_SCHEMES.includes(challenge.scheme)) {
    // Negotiate and anything unknown: the browser does these itself with the system's identity.
    return { kind: 'pass', decision: 'unsupported-scheme' };
  }
  if (profile?.locked) return { kind: 'prompt', reason: 'vault-locked' };
  // a Digest-proven password is not sent readable to a Basic challenge without the user's yes
  if (profile && needsBasicYes(profile, challenge.scheme)) return { kind: 'prompt', reason: 'downgrade' };
  if (profile) {
    const key = credentialKey(challenge, profile);
    if (statusOf(key) !== 'bad') return { kind: 'answer', profile, credentialKey: key };
    return { kind: 'prompt', reason: 'rejected' };
  }
  // the organisation named this proxy's account and wants its password typed: not a challenge "nothing matches"
  if (askOnce) return { kind: 'prompt', reason: 'no-match' };
  switch (settings.noMatch) {
    case 'cancel':
      return { kind: 'cancel', decision: 'no-match-cancelled' };
    case 'ask':
      return { kind: 'prompt', reason: 'no-match' };
    default:
      return { kind: 'pass', decision: 'no-match-pass-through' };
  }
}
