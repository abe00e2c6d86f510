import { describe, expect, it } from 'vitest';
import { buildIndex, matchProfile } from '../../../src/core/match';
import { aChallenge, aProfile } from '../../support/profiles';

describe('matchProfile', () => {
  it('matches host case-insensitively, with a trailing dot, and requires the port', () => {
    const p = aProfile({ proxy: { host: 'Proxy.Corp.Example', port: 8080 } });
    const idx = buildIndex([p]);
    expect(matchProfile(idx, aChallenge({ challenger: { host: 'proxy.corp.example.', port: 8080 } }))).toBe(p);
    expect(matchProfile(idx, aChallenge({ challenger: { host: 'proxy.corp.example', port: 8081 } }))).toBeNull();
  });

  it('never answers a realm another profile names, but any-realm profiles fit every realm', () => {
    const named = aProfile({ realm: 'Other' });
    const idx = buildIndex([named]);
    expect(matchProfile(idx, aChallenge({ realm: 'Corp Proxy' }))).toBeNull();
    const any = aProfile({ realm: null });
    expect(matchProfile(buildIndex([named, any]), aChallenge({ realm: 'Corp Proxy' }))).toBe(any);
  });

  it('prefers exact realm over any realm, and exact host over wildcard', () => {
    const anyRealm = aProfile({ realm: null, isDefault: true });
    const exactRealm = aProfile({ realm: 'Corp Proxy' });
    const wild = aProfile({ proxy: { host: '*.corp.example', port: 3128 }, realm: 'Corp Proxy' });
    const exactHost = aProfile({ proxy: { host: 'a.corp.example', port: 3128 }, realm: null });
    expect(matchProfile(buildIndex([anyRealm, exactRealm]), aChallenge())).toBe(exactRealm);
    const c = aChallenge({ challenger: { host: 'a.corp.example', port: 3128 } });
    expect(matchProfile(buildIndex([wild, exactHost]), c)).toBe(exactHost);
  });

  it('wildcards match sub-domains only, realm-exact wildcard beats any-realm wildcard', () => {
    const wildAny = aProfile({ proxy: { host: '*.b.example', port: 1 }, realm: null });
    const wildRealm = aProfile({ proxy: { host: '*.example', port: 1 }, realm: 'R' });
    const idx = buildIndex([wildAny, wildRealm]);
    expect(matchProfile(idx, aChallenge({ challenger: { host: 'a.b.example', port: 1 }, realm: 'R' }))).toBe(wildRealm);
    expect(matchProfile(idx, aChallenge({ challenger: { host: 'a.b.example', port: 1 }, realm: 'S' }))).toBe(wildAny);
    expect(matchProfile(idx, aChallenge({ challenger: { host: 'example', port: 1 }, realm: 'R' }))).toBeNull();
  });

  it('several accounts on one proxy: the default wins, then the most recently used', () => {
    const a = aProfile({ lastUsedAt: 10 });
    const b = aProfile({ lastUsedAt: 20 });
    const c = aProfile({ isDefault: true, lastUsedAt: 1 });
    expect(matchProfile(buildIndex([a, b]), aChallenge())).toBe(b);
    expect(matchProfile(buildIndex([a, b, c]), aChallenge())).toBe(c);
  });

  it('respects the scheme: a digest-only profile is found for basic only to be asked about (downgrade.test.ts), "any" wins', () => {
    const digest = aProfile({ scheme: 'digest' });
    expect(matchProfile(buildIndex([digest]), aChallenge({ scheme: 'basic' }))).toBe(digest);
    expect(matchProfile(buildIndex([aProfile({ scheme: 'ntlm' })]), aChallenge({ scheme: 'basic' }))).toBeNull();
    const any = aProfile({ scheme: 'any' });
    expect(matchProfile(buildIndex([digest, any]), aChallenge({ scheme: 'basic' }))).toBe(any);
    expect(matchProfile(buildIndex([digest, any]), aChallenge({ scheme: 'digest' }))).toBe(digest);
  });

  it('finds the right profile among 10,000 (indexed, not scanned)', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => aProfile({ proxy: { host: `proxy${i}.example`, port: 3128 + (i % 7) } }));
    const idx = buildIndex(many);
    const target = many[7777];
    expect(target).toBeDefined();
    expect(matchProfile(idx, aChallenge({ challenger: { ...target!.proxy } }))).toBe(target);
    expect(idx.exact.get(`proxy7777.example:${target!.proxy.port}`)).toHaveLength(1);
  });
});
