// Issue #12 item 2: a 407 relayed from a site behind a lax proxy must not poison a good credential, flood prompts, or take an "any realm" password to a new realm.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChallengeShape, type CredentialStatus, onlyTheProxyCanChallenge, retryProvesRejection } from '../../../src/core/breaker';
import { credentialKey, realmUnseen, realmsAccepted } from '../../../src/core/plan';
import { diagnose } from '../../../src/core/diagnose';
import { newEntry } from '../../../src/core/history-entry';
import type { HistoryEntry } from '../../../src/core/model';
import { MAX_NEW_PROMPTS_PER_WINDOW, PROMPT_RATE_WINDOW_MS, PromptQueue } from '../../../src/core/prompt-queue';
import { aChallenge, aProfile } from '../../support/profiles';

const P = 'Corp Proxy';
const basic = (realm: string | null): ChallengeShape => ({ realm, scheme: 'basic' });

describe('a second challenge proves a refusal only when it can', () => {
  // first challenge of the request, the second one, the credential's standing → counts as a refusal
  const table: [string, ChallengeShape, ChallengeShape, CredentialStatus | undefined, boolean][] = [
    ['unproven, same realm and scheme', basic(P), basic(P), undefined, true],
    ['unproven, another realm (a site naming its own)', basic(P), basic('Evil'), undefined, false],
    ['unproven, another scheme', basic(P), { realm: P, scheme: 'digest' }, undefined, false],
    ['scheme spelled in capitals is the same scheme', basic(P), { realm: P, scheme: 'Basic' }, undefined, true],
    ['no realm, then a realm', basic(null), basic(''), undefined, false],
    ['accepted before, same realm and scheme (relayed from a site)', basic(P), basic(P), 'good', false],
    ['accepted before, another realm', basic(P), basic('Evil'), 'good', false],
    ['already refused, same realm', basic(P), basic(P), 'bad', true],
  ];
  it.each(table)('%s', (_what, first, retry, status, proves) => {
    expect(retryProvesRejection(first, retry, status)).toBe(proves);
  });

  // through a CONNECT tunnel (https://, wss://) only the proxy can send a 407 the browser reports
  const tunnelled: [string, ChallengeShape, ChallengeShape, CredentialStatus | undefined, boolean][] = [
    ['accepted before, same realm and scheme: the password was changed on the proxy', basic(P), basic(P), 'good', true],
    ['accepted before, another realm: still not the same challenge', basic(P), basic('Other'), 'good', false],
    ['accepted before, another scheme', basic(P), { realm: P, scheme: 'digest' }, 'good', false],
    ['unproven, same realm and scheme', basic(P), basic(P), undefined, true],
  ];
  it.each(tunnelled)('through a tunnel: %s', (_what, first, retry, status, proves) => {
    expect(retryProvesRejection(first, retry, status, true)).toBe(proves);
  });

  it('only https:// and wss:// requests are tunnelled; a plain http:// URL naming https elsewhere is not', () => {
    expect(onlyTheProxyCanChallenge('https://intranet.example/')).toBe(true);
    expect(onlyTheProxyCanChallenge('HTTPS://intranet.example/')).toBe(true);
    expect(onlyTheProxyCanChallenge('wss://chat.example/socket')).toBe(true);
    expect(onlyTheProxyCanChallenge('http://evil.test/https://x')).toBe(false);
    expect(onlyTheProxyCanChallenge('ws://chat.example/')).toBe(false);
    expect(onlyTheProxyCanChallenge('')).toBe(false);
  });

  it('whatever realm and scheme a site sends over plain HTTP, a credential the proxy accepted is never turned bad', () => {
    const shape = fc.record({ realm: fc.option(fc.string({ maxLength: 40 }), { nil: null }), scheme: fc.constantFrom('basic', 'digest', 'ntlm', 'BASIC', 'x') });
    fc.assert(fc.property(shape, shape, (first, retry) => !retryProvesRejection(first, retry, 'good')));
  });
});

describe('realms the proxy has shown', () => {
  const proxy = { host: '127.0.0.1', port: 3128 };
  const p = aProfile({ realm: null });

  it('are the realms of accepted credentials of that proxy only', () => {
    const statuses: Record<string, CredentialStatus> = {
      [credentialKey({ challenger: proxy, realm: P }, p)]: 'good',
      [credentialKey({ challenger: proxy, realm: 'Refused' }, p)]: 'bad',
      [credentialKey({ challenger: { host: '127.0.0.1', port: 9999 }, realm: 'Other proxy' }, p)]: 'good',
      [`127.0.0.1:3128|Typed|once:abc`]: 'good',
    };
    expect(realmsAccepted(proxy, statuses)).toEqual(new Set([P, 'Typed']));
  });

  it('any realm text, "|" included, reads back as it was keyed', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ maxLength: 30 }), { nil: null }), (realm) => {
        const key = credentialKey({ challenger: proxy, realm }, p);
        expect(realmsAccepted(proxy, { [key]: 'good' })).toEqual(new Set([realm ?? '']));
      }),
    );
  });

  const cases: [string, string | null, string | null, string[], boolean][] = [
    ['nothing accepted yet: the first realm is answered', null, 'Evil', [], false],
    ['a known realm is answered', null, P, [P], false],
    ['an unseen realm on a proxy with a known one asks first', null, 'Evil', [P], true],
    ['a profile for one realm never matches another anyway', P, 'Evil', [P], false],
  ];
  it.each(cases)('%s', (_what, profileRealm, realm, accepted, unseen) => {
    expect(realmUnseen({ realm }, { realm: profileRealm }, new Set(accepted))).toBe(unseen);
  });
});

describe('new prompts per proxy are capped and rate-limited', () => {
  const park = (q: PromptQueue, realm: string, now: number, port = 3128) =>
    q.park(aChallenge({ realm, challenger: { host: '127.0.0.1', port } }), { reason: 'no-match', url: 'http://x/', timeoutMs: 1000, now, id: `${port}-${realm}` });

  it('one prompt waits per proxy; more requests of its realm join it; another proxy has its own', () => {
    const q = new PromptQueue();
    expect(q.mayAsk(aChallenge({ realm: 'R0' }), 0)).toBe(true);
    park(q, 'R0', 0);
    expect(q.mayAsk(aChallenge({ realm: 'R0' }), 1)).toBe(true);
    expect(q.mayAsk(aChallenge({ realm: 'R1' }), 1)).toBe(false);
    expect(q.mayAsk(aChallenge({ realm: 'R1', challenger: { host: '127.0.0.1', port: 8080 } }), 1)).toBe(true);
  });

  it('a prompt a hostile page holds does not keep the proxy\'s own challenge over a tunnel (https, wss) from being asked', () => {
    const q = new PromptQueue();
    let now = 1000;
    for (let i = 0; i < MAX_NEW_PROMPTS_PER_WINDOW; i++) q.resolve(park(q, `Hostile ${i}`, (now += 10)).prompt.id, { kind: 'cancelled' });
    park(q, 'Hostile held', (now += 10));
    expect(q.mayAsk(aChallenge({ realm: 'Corp', url: 'http://evil.test/' }), now)).toBe(false);
    expect(q.mayAsk(aChallenge({ realm: 'Corp', url: 'https://intranet.test/' }), now)).toBe(true);
    expect(q.mayAsk(aChallenge({ realm: 'Corp', url: 'wss://chat.test/' }), now)).toBe(true);
  });

  it(`at most ${MAX_NEW_PROMPTS_PER_WINDOW} new prompts per proxy per window, then again after it`, () => {
    const q = new PromptQueue();
    let now = 1000;
    for (let i = 0; i < MAX_NEW_PROMPTS_PER_WINDOW; i++) {
      expect(q.mayAsk(aChallenge({ realm: `R${i}` }), now)).toBe(true);
      q.resolve(park(q, `R${i}`, now).prompt.id, { kind: 'cancelled' });
      now += 10;
    }
    expect(q.mayAsk(aChallenge({ realm: 'Rx' }), now)).toBe(false);
    expect(q.mayAsk(aChallenge({ realm: 'Rx' }), 1000 + PROMPT_RATE_WINDOW_MS)).toBe(true);
  });

  it('a flood of realms (attacker-shaped) never has more than one prompt of a proxy on screen, nor more than the window allows', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 12 }), fc.nat(5000), fc.boolean()), { maxLength: 80 }), (events) => {
        const q = new PromptQueue();
        let now = 0;
        let opened = 0;
        for (const [realm, step, answer] of events) {
          now += step;
          const c = aChallenge({ realm });
          if (q.mayAsk(c, now)) {
            const parked = q.park(c, { reason: 'no-match', url: 'http://x/', timeoutMs: 1000, now, id: `${now}-${realm}` });
            if (parked.isNew) opened++;
            if (answer) q.resolve(parked.prompt.id, { kind: 'cancelled' });
          }
          expect(q.size).toBeLessThanOrEqual(1);
        }
        expect(opened).toBeLessThanOrEqual(MAX_NEW_PROMPTS_PER_WINDOW * (Math.floor(now / PROMPT_RATE_WINDOW_MS) + 1));
      }),
    );
  });
});

describe('history says why', () => {
  const entry = (over: Partial<HistoryEntry>): HistoryEntry => ({ ...newEntry(aChallenge(), 'answered-saved', aProfile(), { stripQuery: true, id: 'e', at: 0 }), ...over });
  const codes = (e: HistoryEntry) => diagnose(e, { profiles: [] }).map((f) => f.code);

  it('a challenge that proved nothing is not called a refusal', () => {
    const c = codes(entry({ guard: 'not-proof', outcome: 'rejected' }));
    expect(c).toContain('challenge-not-proof');
    expect(c).not.toContain('credentials-rejected');
  });

  it('an unseen realm and a limited prompt have their own codes', () => {
    expect(codes(entry({ guard: 'unseen-realm', profileId: null, decision: 'prompt-cancelled', outcome: 'cancelled' }))).toContain('realm-unseen');
    expect(codes(entry({ profileId: null, decision: 'prompt-limited', outcome: 'cancelled' }))).toContain('prompt-limited');
  });
});
