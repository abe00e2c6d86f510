import { describe, expect, it } from 'vitest';
import { credentialKey, planChallenge } from '../../../src/core/plan';
import { DEFAULT_SETTINGS } from '../../../src/core/model';
import { aChallenge, aProfile } from '../../support/profiles';

const base = { settings: DEFAULT_SETTINGS, statusOf: () => undefined };

describe('planChallenge', () => {
  it('answers with a matching profile whose credential is not known bad', () => {
    const profile = aProfile();
    const c = aChallenge();
    expect(planChallenge({ ...base, challenge: c, profile })).toEqual({ kind: 'answer', profile, credentialKey: credentialKey(c, profile) });
  });

  it('a known-bad credential goes to the prompt, never to the proxy again', () => {
    expect(planChallenge({ ...base, challenge: aChallenge(), profile: aProfile(), statusOf: () => 'bad' as const })).toEqual({ kind: 'prompt', reason: 'rejected' });
  });

  it('no match follows the setting: ask, browser, cancel', () => {
    const plan = (noMatch: 'ask' | 'browser' | 'cancel') =>
      planChallenge({ ...base, settings: { ...DEFAULT_SETTINGS, noMatch }, challenge: aChallenge(), profile: null });
    expect(plan('ask')).toEqual({ kind: 'prompt', reason: 'no-match' });
    expect(plan('browser')).toEqual({ kind: 'pass', decision: 'no-match-pass-through' });
    expect(plan('cancel')).toEqual({ kind: 'cancel', decision: 'no-match-cancelled' });
  });

  it('a policy profile that asks once per session prompts whatever noMatch says', () => {
    const askOnce = aProfile({ managed: 'locked', askOncePerSession: true, password: '' });
    for (const noMatch of ['ask', 'browser', 'cancel'] as const)
      expect(planChallenge({ ...base, settings: { ...DEFAULT_SETTINGS, noMatch }, challenge: aChallenge(), profile: null, askOnce }), noMatch).toEqual({ kind: 'prompt', reason: 'no-match' });
  });

  it('leaves Negotiate (Kerberos) to the browser even when a profile matches', () => {
    expect(planChallenge({ ...base, challenge: aChallenge({ scheme: 'negotiate' }), profile: aProfile({ scheme: 'any' }) })).toEqual({
      kind: 'pass',
      decision: 'unsupported-scheme',
    });
  });

  it('answers NTLM from a matching profile: the browser computes the handshake from it', () => {
    expect(planChallenge({ ...base, challenge: aChallenge({ scheme: 'ntlm', realm: null }), profile: aProfile({ scheme: 'ntlm', realm: null }) })).toMatchObject({ kind: 'answer' });
  });

  it('an edited profile is a new credential: the key changes with updatedAt', () => {
    const c = aChallenge();
    const p = aProfile();
    expect(credentialKey(c, p)).not.toBe(credentialKey(c, { ...p, updatedAt: p.updatedAt + 1 }));
  });
});
