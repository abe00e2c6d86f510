// Wildcard proxies: a pattern ending in a public suffix or in numbers is refused; a wildcard never covers an IP address.
import fc from 'fast-check';
import { parse } from 'tldts';
import { describe, expect, it } from 'vitest';
import { wildcardProblem } from '../../../src/core/host';
import { buildIndex, matchProfile } from '../../../src/core/match';
import { ProfileFieldsSchema, validate } from '../../../src/core/profile-schema';
import { aChallenge, aProfile } from '../../support/profiles';

const fields = (host: string) => ({ name: 'W', proxy: { host, port: 3128 }, realm: null, scheme: 'basic', username: 'u', password: 'p', isDefault: false });

describe('wildcard patterns', () => {
  it.each(['*.com', '*.co.uk', '*.github.io', '*.COM.', '*.uk'])('refuses %s: a public suffix', (host) => {
    expect(wildcardProblem(host.toLowerCase().replace(/\.$/, ''))).toBe('host-wildcard-public-suffix');
  });

  it.each(['*.1', '*.0.0.1', '*.10.0', '*.127.0.0.1'])('refuses %s: numbers are a piece of an address', (host) => {
    expect(wildcardProblem(host)).toBe('host-wildcard-numeric');
  });

  it.each(['*.corp.example.com', '*.example.co.uk', '*.corp', '*.internal', 'proxy.com', '10.0.0.1'])('allows %s', (host) => {
    expect(wildcardProblem(host)).toBeNull();
  });

  it('the profile schema reports the problem with its path, for a form and an import alike', () => {
    const r = validate(ProfileFieldsSchema, fields('*.Co.UK'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual([expect.objectContaining({ path: 'proxy.host', code: 'host-wildcard-public-suffix' })]);
    expect(validate(ProfileFieldsSchema, fields('*.corp.example.com')).ok).toBe(true);
  });

  it('property: "*." + the listed public suffix of any domain is refused; "*." + its registrable domain is allowed', () => {
    const domains = fc.oneof(fc.domain(), fc.constantFrom('a.b.co.uk', 'x.github.io', 'www.example.com', 'shop.amazon.co.jp', 'p.corp.gov.au'));
    fc.assert(
      fc.property(domains, (d) => {
        const p = parse(d, { allowPrivateDomains: true });
        if (p.publicSuffix && (p.isIcann || p.isPrivate)) expect(wildcardProblem(`*.${p.publicSuffix}`)).toBe('host-wildcard-public-suffix');
        if (p.domain) expect(wildcardProblem(`*.${p.domain}`)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('property: any numeric tail of an IPv4 address is refused as a wildcard', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 1, max: 4 }), (ip, n) => {
        expect(wildcardProblem(`*.${ip.split('.').slice(-n).join('.')}`)).toBe('host-wildcard-numeric');
      }),
    );
  });
});

describe('matching', () => {
  it('property: a wildcard profile never answers a proxy reached by IP address, whatever was stored', () => {
    // records written before the check (or edited in storage) may hold "*.0.1": the matcher refuses them too
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), fc.integer({ min: 1, max: 3 }), (ip, n) => {
        const tail = ip.includes(':') ? ip.split(':').slice(-n).join(':') : ip.split('.').slice(-n).join('.');
        const wild = aProfile({ proxy: { host: `*.${tail}`, port: 3128 }, realm: null, scheme: 'any' });
        const c = aChallenge({ challenger: { host: ip, port: 3128 }, realm: null });
        expect(matchProfile(buildIndex([wild]), c)).toBeNull();
      }),
    );
  });

  it('a wildcard still covers names below it', () => {
    const wild = aProfile({ proxy: { host: '*.corp.example.com', port: 3128 }, realm: null, scheme: 'any' });
    expect(matchProfile(buildIndex([wild]), aChallenge({ challenger: { host: 'proxy1.corp.example.com', port: 3128 }, realm: null }))).toBe(wild);
  });
});
