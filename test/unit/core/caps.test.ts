// Item 6 (#12): attacker-shaped realms, addresses and scheme names are cut, and floods are bounded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS, RowBudget, capText, makeRoom } from '../../../src/core/caps';
import { InFlight } from '../../../src/core/in-flight';
import { offeredSchemes } from '../../../src/core/offered-schemes';
import { toChallenge } from '../../../src/background/auth-listener';

const hostile = fc.oneof(fc.string({ maxLength: 10_000, unit: 'binary' }), fc.string({ minLength: 2_000, maxLength: 70_000 }));
const endsInLoneHigh = (s: string) => {
  const c = s.charCodeAt(s.length - 2);
  return s.endsWith('…') && c >= 0xd800 && c <= 0xdbff;
};

describe('item 6: length caps before history, prompts, storage.session', () => {
  it('capText keeps short text, cuts long text to max with an ellipsis, never splits a surrogate pair', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5_000, unit: 'binary' }), fc.integer({ min: 2, max: 3_000 }), (s, max) => {
        const out = capText(s, max);
        expect(out.length).toBeLessThanOrEqual(Math.max(max, s.length <= max ? s.length : 0));
        if (s.length <= max) expect(out).toBe(s);
        else {
          expect(out.endsWith('…')).toBe(true);
          expect(s.startsWith(out.slice(0, -1))).toBe(true);
          expect(endsInLoneHigh(out)).toBe(false);
        }
      }),
    );
  });

  it('toChallenge caps realm, url and scheme whatever the proxy or page sends', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (realm, path, scheme) => {
        const c = toChallenge({ requestId: '1', url: `http://evil.test/${path}`, tabId: 1, isProxy: true, scheme, realm, challenger: { host: 'proxy', port: 3128 } });
        expect(c.realm!.length).toBeLessThanOrEqual(LIMITS.realm);
        expect(c.url.length).toBeLessThanOrEqual(LIMITS.url);
        expect(c.scheme.length).toBeLessThanOrEqual(LIMITS.scheme);
      }),
      { numRuns: 50 },
    );
  });
});

describe('item 6: floods are bounded', () => {
  it('the schemes a 407 offered: at most LIMITS.offeredSchemes names, none longer than LIMITS.scheme, whatever the headers say', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 300 }), { maxLength: 60 }), (values) => {
        const schemes = offeredSchemes(values.map((value) => ({ name: 'Proxy-Authenticate', value })));
        expect(schemes.length).toBeLessThanOrEqual(LIMITS.offeredSchemes);
        for (const s of schemes) expect(s.length).toBeLessThanOrEqual(LIMITS.scheme);
      }),
    );
    const flood = Array.from({ length: 500 }, (_, i) => ({ name: 'Proxy-Authenticate', value: `X${i} realm="r"` }));
    expect(offeredSchemes([{ name: 'Proxy-Authenticate', value: 'Basic realm="a"' }, ...flood])).toHaveLength(LIMITS.offeredSchemes);
    expect(offeredSchemes([{ name: 'Proxy-Authenticate', value: `${'a'.repeat(33)} realm="x", Basic realm="y"` }])).toEqual(['basic']);
  });

  it('a flood on one proxy gets at most the per-minute row budget; another proxy and the next minute are untouched', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 0, max: 59_999 }), (flood, spread) => {
        const b = new RowBudget();
        let written = 0;
        for (let i = 0; i < flood; i++) if (b.take('proxy:3128', Math.floor((i * spread) / flood))) written++;
        expect(written).toBe(Math.min(flood, LIMITS.rowsPerProxyPerMinute));
        expect(b.take('other:8080', spread)).toBe(true);
        expect(b.take('proxy:3128', 60_000)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('tracked in-flight requests stay capped under a flood of distinct ids', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2_001, max: 20_000 }), (n) => {
        const f = new InFlight(6);
        for (let i = 0; i < n; i++) f.sent(`r${i}`);
        expect(f.size).toBe(LIMITS.trackedRequests);
      }),
      { numRuns: 10 },
    );
  });
});

describe('makeRoom (the tracked requests saved in storage.session)', () => {
  it('property: leaves room for one more, drops those without a credential in flight first, keeps the order of the rest', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 300 }), fc.integer({ min: 1, max: 100 }), (answered, max) => {
        const m = new Map(answered.map((a, i) => [`r${i}`, { answeredWith: a ? `k${i}` : null }]));
        const before = [...m.keys()];
        const dropped = makeRoom(m, max);
        expect(m.size).toBeLessThan(max);
        expect(m.size + dropped.length).toBe(before.length);
        expect(dropped.length).toBe(Math.max(0, before.length - (max - 1)));
        // a request carrying a credential goes only when none without one is left
        if (dropped.some((id) => answered[Number(id.slice(1))])) expect([...m.values()].every((t) => t.answeredWith !== null)).toBe(true);
        expect([...m.keys()]).toEqual(before.filter((id) => m.has(id)));
      }),
      { numRuns: 300 },
    );
  });
});
