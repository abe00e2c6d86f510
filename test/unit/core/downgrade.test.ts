// Digest → Basic downgrade (issue #12 item 3): which profiles need the user's yes before a Basic answer.
import { describe, expect, it } from 'vitest';
import { credentialKey, planChallenge } from '../../../src/core/plan';
import { needsBasicYes } from '../../../src/core/downgrade';
import { buildIndex, matchProfile } from '../../../src/core/match';
import { DEFAULT_SETTINGS, type ProfileScheme, type Scheme } from '../../../src/core/model';
import { aChallenge, aProfile } from '../../support/profiles';

const base = { settings: DEFAULT_SETTINGS, statusOf: () => undefined };

describe('needsBasicYes', () => {
  const rows: [ProfileScheme, Scheme[] | undefined, string, boolean][] = [
    // profile scheme, proven with, challenge scheme, needs a yes
    ['digest', undefined, 'basic', true],
    ['digest', ['digest'], 'basic', true],
    ['digest', ['digest', 'basic'], 'basic', false],
    ['digest', undefined, 'digest', false],
    ['any', ['digest'], 'basic', true],
    ['any', ['digest', 'basic'], 'basic', false],
    ['any', ['basic'], 'basic', false],
    ['any', undefined, 'basic', false],
    ['any', ['digest'], 'digest', false],
    ['any', ['digest'], 'ntlm', false],
    ['basic', ['digest'], 'basic', false],
    ['basic', undefined, 'basic', false],
    ['ntlm', ['ntlm'], 'basic', false],
  ];
  it.each(rows)('a %s profile proven with %j, %s challenge → needs a yes: %s', (scheme, provenSchemes, challenge, expected) => {
    expect(needsBasicYes({ scheme, ...(provenSchemes ? { provenSchemes } : {}) }, challenge)).toBe(expected);
  });
});

describe('planChallenge and matchProfile with a Digest profile', () => {
  it('a Digest profile meets a Basic challenge of its proxy: ask (downgrade), never answer', () => {
    const profile = aProfile({ scheme: 'digest' });
    const c = aChallenge({ scheme: 'basic' });
    expect(matchProfile(buildIndex([profile]), c)).toBe(profile);
    expect(planChallenge({ ...base, challenge: c, profile })).toEqual({ kind: 'prompt', reason: 'downgrade' });
  });

  it('a session login typed for Digest (scheme any, proven digest) asks too; once Basic is allowed it answers', () => {
    const session = aProfile({ id: 'session:x', scheme: 'any', sessionOnly: true, provenSchemes: ['digest'] });
    const c = aChallenge({ scheme: 'basic' });
    expect(planChallenge({ ...base, challenge: c, profile: session })).toEqual({ kind: 'prompt', reason: 'downgrade' });
    const allowed = { ...session, provenSchemes: ['digest', 'basic'] as Scheme[] };
    expect(planChallenge({ ...base, challenge: c, profile: allowed })).toEqual({ kind: 'answer', profile: allowed, credentialKey: credentialKey(c, allowed) });
  });

  it('a Basic profile of the same proxy wins over a Digest one, even when the Digest one is the default', () => {
    const digest = aProfile({ scheme: 'digest', isDefault: true });
    const basic = aProfile({ scheme: 'basic' });
    expect(matchProfile(buildIndex([digest, basic]), aChallenge({ scheme: 'basic' }))).toBe(basic);
    expect(matchProfile(buildIndex([digest, basic]), aChallenge({ scheme: 'digest' }))).toBe(digest);
  });

  it('a Digest profile of another proxy or realm is no match at all', () => {
    const digest = aProfile({ scheme: 'digest' });
    expect(matchProfile(buildIndex([digest]), aChallenge({ scheme: 'basic', challenger: { host: '127.0.0.1', port: 3129 } }))).toBeNull();
    expect(matchProfile(buildIndex([digest]), aChallenge({ scheme: 'basic', realm: 'Other' }))).toBeNull();
  });
});
