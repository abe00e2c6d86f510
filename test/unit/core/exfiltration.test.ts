// Anti-exfiltration: a saved password goes only to a proxy challenge whose challenger IS the profile's host and port.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { planChallenge } from '../../../src/core/plan';
import { buildIndex, matchProfile } from '../../../src/core/match';
import { type Challenge, DEFAULT_SETTINGS, type Profile } from '../../../src/core/model';
import { ProfileFieldsSchema, validate } from '../../../src/core/profile-schema';
import type { Answer } from '../../../src/background/answer';
import type { AuthDetails } from '../../../src/background/auth-listener';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import { aChallenge, aProfile } from '../../support/profiles';

type Case = [what: string, profileHost: string, profilePort: number, challengerHost: string, challengerPort: number];

/** The same host written another way: these must match. */
const SAME: Case[] = [
  ['identical address', '127.0.0.1', 3128, '127.0.0.1', 3128],
  ['host differing only by case', 'Proxy.Corp.Example', 3128, 'proxy.corp.example', 3128],
  ['challenger in upper case', 'proxy.corp.example', 3128, 'PROXY.CORP.EXAMPLE', 3128],
  ['challenger with a trailing dot', 'proxy.corp.example', 3128, 'proxy.corp.example.', 3128],
  ['profile with a trailing dot', 'proxy.corp.example.', 3128, 'proxy.corp.example', 3128],
  ['IPv4 with a trailing dot', '127.0.0.1', 3128, '127.0.0.1.', 3128],
  ['IPv6 bracketed challenger, bare profile', '::1', 3128, '[::1]', 3128],
  ['IPv6 bare challenger, bracketed profile', '[::1]', 3128, '::1', 3128],
  ['punycode in both', 'xn--bcher-kva.example', 3128, 'XN--BCHER-KVA.example', 3128],
  ['wildcard and a sub-domain', '*.corp.example', 3128, 'a.corp.example', 3128],
  ['wildcard and a deeper sub-domain, mixed case, trailing dot', '*.corp.example', 3128, 'A.B.Corp.Example.', 3128],
  // one address written two ways: normalised to the canonical form before matching
  ['IPv6 long form profile vs the canonical challenger', '0:0:0:0:0:0:0:1', 3128, '::1', 3128],
];

/** Another host, another port, or a look-alike: these must never get the password. */
const OTHER: Case[] = [
  ['a different port', '127.0.0.1', 3128, '127.0.0.1', 3129],
  ['a port that only shares digits', '127.0.0.1', 3128, '127.0.0.1', 31280],
  ['no port reported (0)', '127.0.0.1', 3128, '127.0.0.1', 0],
  ['the profile host as a prefix label: 127.0.0.1.evil.test', '127.0.0.1', 3128, '127.0.0.1.evil.test', 3128],
  ['the profile host as a prefix label: proxy.corp.example.evil.test', 'proxy.corp.example', 3128, 'proxy.corp.example.evil.test', 3128],
  ['another host on the profile port: evil.test:3128', '127.0.0.1', 3128, 'evil.test', 3128],
  ['a sub-domain of an exact (non-wildcard) host', 'corp.example', 3128, 'a.corp.example', 3128],
  ['a host that ends with the profile host', 'corp.example', 3128, 'evilcorp.example', 3128],
  ['userinfo trick 127.0.0.1@evil.test', '127.0.0.1', 3128, '127.0.0.1@evil.test', 3128],
  ['userinfo trick evil.test@127.0.0.1 (the browser never reports this; text must still differ)', '127.0.0.1', 3128, 'evil.test@127.0.0.1', 3128],
  ['host with the port glued on', '127.0.0.1', 3128, '127.0.0.1:3128', 3128],
  ['a NUL byte and a suffix', '127.0.0.1', 3128, '127.0.0.1\u0000.evil.test', 3128],
  ['IDN look-alike: Cyrillic "а" in punycode vs the Latin name', 'apple.example', 3128, 'xn--pple-43d.example', 3128],
  ['IDN look-alike: Latin profile, Cyrillic challenger in Unicode', 'apple.example', 3128, '\u0430pple.example', 3128],
  ['IDN: Unicode challenger vs punycode profile (browsers report punycode; no guessing)', 'xn--bcher-kva.example', 3128, 'bücher.example', 3128],
  ['IDN: punycode look-alike vs the plain ASCII name', 'xn--bcher-kva.example', 3128, 'bucher.example', 3128],
  ['full-width digits', '127.0.0.1', 3128, '１２７.０.０.１', 3128],
  ['IPv6 loopback vs another IPv6 address', '::1', 3128, '::2', 3128],
  ['IPv4-mapped IPv6 vs the IPv4 address', '127.0.0.1', 3128, '::ffff:127.0.0.1', 3128],
  ['wildcard never matches its bare domain', '*.corp.example', 3128, 'corp.example', 3128],
  ['wildcard never matches corp.example.evil.test', '*.corp.example', 3128, 'corp.example.evil.test', 3128],
  ['wildcard never matches a.corp.example.evil.test', '*.corp.example', 3128, 'a.corp.example.evil.test', 3128],
  ['wildcard never matches evilcorp.example', '*.corp.example', 3128, 'evilcorp.example', 3128],
  ['wildcard never matches xcorp.example', '*.corp.example', 3128, 'xcorp.example', 3128],
  ['wildcard on another port', '*.corp.example', 3128, 'a.corp.example', 8080],
  ['empty challenger host', '127.0.0.1', 3128, '', 3128],
];

const profileAt = (host: string, port: number): Profile => aProfile({ proxy: { host, port }, realm: 'Corp Proxy', password: 'Exfil-Secret-1' });
const challengeFrom = (host: string, port: number, over: Partial<Challenge> = {}): Challenge =>
  aChallenge({ challenger: { host, port }, realm: 'Corp Proxy', ...over });

/** What the pure core would do: the profile's credential is given only on an 'answer' plan for that profile. */
function wouldAnswer(p: Profile, c: Challenge): boolean {
  const match = matchProfile(buildIndex([p]), c);
  const plan = planChallenge({ challenge: c, profile: match, settings: DEFAULT_SETTINGS, statusOf: () => undefined });
  return plan.kind === 'answer' && plan.profile.id === p.id;
}

describe('anti-exfiltration: matchProfile and planChallenge', () => {
  it.each(SAME)('same host matches: %s (%s:%i ← %s:%i)', (_what, ph, pp, ch, cp) => {
    const p = profileAt(ph, pp);
    expect(matchProfile(buildIndex([p]), challengeFrom(ch, cp))).toBe(p);
    expect(wouldAnswer(p, challengeFrom(ch, cp))).toBe(true);
  });

  it.each(OTHER)('never matches: %s (%s:%i ← %s:%i)', (_what, ph, pp, ch, cp) => {
    const p = profileAt(ph, pp);
    expect(matchProfile(buildIndex([p]), challengeFrom(ch, cp))).toBeNull();
    expect(wouldAnswer(p, challengeFrom(ch, cp))).toBe(false);
  });

  it('among many profiles, a hostile challenger matches none of them', () => {
    const profiles = [...SAME, ...OTHER].map(([, ph, pp]) => profileAt(ph, pp));
    const idx = buildIndex(profiles);
    for (const host of ['evil.test', '127.0.0.1.evil.test', 'corp.example.evil.test', 'evilcorp.example', '127.0.0.1@evil.test', 'xn--pple-43d.example']) {
      expect(matchProfile(idx, challengeFrom(host, 3128)), host).toBeNull();
    }
  });

  it('the page address plays no part: only the challenger counts', () => {
    const p = profileAt('127.0.0.1', 3128);
    // a page that names the proxy's address, challenged by another host: no
    expect(wouldAnswer(p, challengeFrom('evil.test', 3128, { url: 'http://127.0.0.1:3128/' }))).toBe(false);
    expect(wouldAnswer(p, challengeFrom('evil.test', 3128, { url: 'http://user:pw@127.0.0.1:3128/' }))).toBe(false);
    // the proxy itself, for any page: yes
    expect(wouldAnswer(p, challengeFrom('127.0.0.1', 3128, { url: 'http://evil.test/' }))).toBe(true);
  });

  it('a realm named by the profile must be the challenge realm exactly', () => {
    const p = profileAt('127.0.0.1', 3128);
    expect(wouldAnswer(p, challengeFrom('127.0.0.1', 3128, { realm: 'corp proxy' }))).toBe(false);
    expect(wouldAnswer(p, challengeFrom('127.0.0.1', 3128, { realm: 'Corp Proxy ' }))).toBe(false);
    expect(wouldAnswer(p, challengeFrom('127.0.0.1', 3128, { realm: null }))).toBe(false);
  });

  it('Negotiate challenges from the right proxy are passed to the browser, never answered', () => {
    const p = aProfile({ scheme: 'any' });
    expect(wouldAnswer(p, challengeFrom('127.0.0.1', 3128, { scheme: 'negotiate' }))).toBe(false);
  });

  it('NTLM is answered only for its own proxy, by NTLM, Basic or any-scheme profiles, never by a Digest one', () => {
    const ntlm = (p: Parameters<typeof wouldAnswer>[0]) => wouldAnswer(p, challengeFrom('127.0.0.1', 3128, { scheme: 'ntlm', realm: null }));
    expect(ntlm(aProfile({ scheme: 'ntlm', realm: null }))).toBe(true);
    expect(ntlm(aProfile({ scheme: 'basic', realm: null }))).toBe(true);
    expect(ntlm(aProfile({ scheme: 'any', realm: null }))).toBe(true);
    expect(ntlm(aProfile({ scheme: 'digest', realm: null }))).toBe(false);
    expect(wouldAnswer(aProfile({ scheme: 'ntlm', realm: null }), challengeFrom('127.0.0.2', 3128, { scheme: 'ntlm', realm: null }))).toBe(false);
    expect(wouldAnswer(aProfile({ scheme: 'ntlm', realm: null }), challengeFrom('127.0.0.1', 3128, { scheme: 'basic', realm: null }))).toBe(false);
  });

  it('the profile form refuses hosts that carry userinfo, paths, ports or spaces', () => {
    const fields = { name: 'x', realm: null, scheme: 'basic', username: 'u', password: 'p', isDefault: false };
    for (const host of ['127.0.0.1@evil.test', 'evil.test/127.0.0.1', 'evil.test:3128', 'proxy corp.example', 'bücher.example', '*.', '*', '*.*.example', 'a*.corp.example', '']) {
      const r = validate(ProfileFieldsSchema, { ...fields, proxy: { host, port: 3128 } });
      expect(r.ok, host).toBe(false);
    }
  });

  it('"127.0.0.1:3128" typed as a host slips through the IPv6 branch of the form check, but fails closed', () => {
    // Reported: the form should refuse it. It can never leak: no browser reports a challenger host with a port.
    const p = profileAt('127.0.0.1:3128', 3128);
    expect(matchProfile(buildIndex([p]), challengeFrom('127.0.0.1', 3128))).toBeNull();
  });
});

// ---- the worker path: the real listener with storage faked ----

const PASSWORD = 'Exfil-Worker-Secret';

async function freshWorker(settings: Record<string, unknown> = { noMatch: 'cancel' }) {
  const p = aProfile({ proxy: { host: '127.0.0.1', port: 3128 }, realm: 'Corp Proxy', password: PASSWORD, isDefault: true });
  await fakeBrowser.storage.local.set({ schemaVersion: 1, [`profile:${p.id}`]: p });
  await fakeBrowser.storage.sync.set({ settings });
  vi.resetModules();
  const state = await import('../../../src/background/state');
  const { onAuthRequired } = await import('../../../src/background/auth-listener');
  const { answerPrompt } = await import('../../../src/background/prompt-answer');
  const history = await import('../../../src/storage/history');
  const s = await state.ready();
  /** Calls the real onAuthRequired edge and resolves with what it gave the browser. */
  const challenge = (d: Partial<AuthDetails> & Pick<AuthDetails, 'challenger'>): Promise<Answer> =>
    new Promise((resolve) => onAuthRequired({ requestId: `w${Math.random()}`, url: 'http://site.test/', tabId: 1, isProxy: true, scheme: 'basic', realm: 'Corp Proxy', ...d }, resolve));
  return { s, p, challenge, answerPrompt, history };
}

const gavePassword = (a: Answer, password = PASSWORD): boolean => 'authCredentials' in a && a.authCredentials.password === password;

describe('anti-exfiltration: the worker edge (onAuthRequired with a fake browser)', () => {
  beforeEach(async () => {
    await resetFakeBrowser();
    globalThis.indexedDB = new IDBFactory();
  });

  it('an origin 401 (isProxy false) from the EXACT host, port and realm of the profile gets {} and leaves no trace', async () => {
    const w = await freshWorker({ noMatch: 'ask' });
    const answer = await w.challenge({ isProxy: false, challenger: { host: '127.0.0.1', port: 3128 } });
    expect(answer).toEqual({});
    expect(w.s.prompts.size).toBe(0);
    expect(w.s.challengesSeen).toBe(0);
    await w.s.history.drain();
    expect(await w.history.queryHistory()).toEqual([]);
  });

  it('a proxy challenge without a challenger gets {}', async () => {
    const w = await freshWorker();
    const { onAuthRequired } = await import('../../../src/background/auth-listener');
    const answer = await new Promise<Answer>((resolve) =>
      onAuthRequired({ requestId: 'x', url: 'http://site.test/', tabId: 1, isProxy: true, scheme: 'basic', realm: 'Corp Proxy' }, resolve),
    );
    expect(answer).toEqual({});
    expect(w.s.challengesSeen).toBe(0);
  });

  it.each(OTHER.filter(([, ph, pp]) => ph === '127.0.0.1' && pp === 3128))('a proxy challenge from another challenger gets no password: %s', async (_what, _ph, _pp, ch, cp) => {
    const w = await freshWorker();
    const answer = await w.challenge({ challenger: { host: ch, port: cp } });
    expect(gavePassword(answer)).toBe(false);
    expect(answer).toEqual({ cancel: true }); // noMatch: cancel
  });

  it.each([
    ['127.0.0.1', 3128],
    ['127.0.0.1.', 3128],
    ['[127.0.0.1]', 3128],
  ] as const)('the configured proxy itself (%s:%i) is answered', async (host, port) => {
    const w = await freshWorker();
    expect(gavePassword(await w.challenge({ challenger: { host, port } }))).toBe(true);
  });

  it('with "ask", a hostile challenger gets a prompt that names IT, never the saved password', async () => {
    const w = await freshWorker({ noMatch: 'ask' });
    const pending = w.challenge({ challenger: { host: 'evil.test', port: 3128 } });
    await vi.waitFor(() => expect(w.s.prompts.list()).toMatchObject([{ proxy: { host: 'evil.test', port: 3128 }, reason: 'no-match' }]));
    expect(w.s.prompts.list()[0]).not.toHaveProperty('rejectedProfile');
    const { finishPrompt } = await import('../../../src/background/prompts');
    finishPrompt(w.s, w.s.prompts.list()[0]!.id, { kind: 'cancelled' });
    expect(await pending).toEqual({ cancel: true });
  });

  it('a credential remembered for the session from a prompt is bound to that proxy: another challenger never gets it', async () => {
    const w = await freshWorker({ noMatch: 'ask' });
    const first = w.challenge({ challenger: { host: '127.0.0.1', port: 8080 }, realm: 'Other' });
    await vi.waitFor(() => expect(w.s.prompts.size).toBe(1));
    const id = w.s.prompts.list()[0]!.id;
    expect(await w.answerPrompt(w.s, { id, username: 'dave', password: 'Session-Secret-9', remember: 'session' })).toMatchObject({ ok: true });
    expect(gavePassword(await first, 'Session-Secret-9')).toBe(true);
    w.s.settings.noMatch = 'cancel';
    for (const [host, port] of [['evil.test', 8080], ['127.0.0.1', 8081], ['127.0.0.1.evil.test', 8080]] as const) {
      const a = await w.challenge({ challenger: { host, port }, realm: 'Other' });
      expect(gavePassword(a, 'Session-Secret-9'), `${host}:${port}`).toBe(false);
    }
  });
});
