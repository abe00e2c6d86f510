// Each diagnosis rule on its own: when it speaks, what it says, and when it stays quiet.
import { describe, expect, it } from 'vitest';
import { checkAddress } from '../../../src/core/address-check';
import {
  basicInClear,
  credentialsRejected,
  diagnose,
  entriesNear,
  explain,
  missingChallengeHeader,
  networkFailure,
  promptUnanswered,
  proxyWideFailures,
  realmNotMatched,
  STORM_WINDOW_MS,
  unexpectedAddress,
  unsupportedScheme,
  ntlmRejected,
  ntlmHandshakeFailed,
  schemeChosen,
} from '../../../src/core/diagnose';
import { newEntry } from '../../../src/core/history-entry';
import { offeredSchemes } from '../../../src/core/offered-schemes';
import type { HistoryEntry } from '../../../src/core/model';
import type { Finding } from '../../../src/core/diagnose';
import { findingLine, findingText } from '../../../src/ui/components/codes-text';
import { catalog } from '../../support/locales';
import { aChallenge, aProfile } from '../../support/profiles';

const T0 = Date.UTC(2026, 5, 1, 12);
let n = 0;
function anEntry(over: Partial<HistoryEntry> = {}): HistoryEntry {
  n++;
  const e = newEntry(aChallenge({ url: 'https://www.example.com/page' }), 'answered-saved', aProfile({ name: 'Work' }), { stripQuery: true, id: `e${n}`, at: T0 });
  return { ...e, outcome: 'ok', ...over };
}
const none = { profiles: [] };
const en = catalog('en');
/** The finding as an English reader sees it (null when the rule is quiet). */
const words = (f: Finding | null) => (f ? findingText(f, en) : null);

describe('diagnosis rules', () => {
  it('credentials rejected: check username and password, account locked?', () => {
    const f = words(credentialsRejected(anEntry({ outcome: 'rejected' }), none));
    expect(f?.what).toMatch(/refused the username and password of profile “Work”/);
    expect(f?.next).toMatch(/typos.*locked/);
    expect(credentialsRejected(anEntry({ decision: 'breaker-open', outcome: 'cancelled' }), none)).not.toBeNull();
    expect(credentialsRejected(anEntry(), none)).toBeNull();
  });

  it('realm not matched: names the profiles that are close', () => {
    const e = anEntry({ decision: 'prompt-cancelled', outcome: 'cancelled', profileId: null, profileName: null, realm: 'Lab Proxy' });
    const sameProxy = aProfile({ name: 'Corp', realm: 'Corp Proxy' });
    expect(words(realmNotMatched(e, { profiles: [sameProxy] }))?.what).toMatch(/Profiles for this proxy: “Corp” \(127\.0\.0\.1:3128, realm “Corp Proxy”/);
    const otherPort = aProfile({ name: 'Lab', proxy: { host: '127.0.0.1', port: 8080 }, realm: 'Lab Proxy' });
    const close = words(realmNotMatched(e, { profiles: [otherPort] }));
    expect(close?.what).toMatch(/Close ones: “Lab” \(127\.0\.0\.1:8080/);
    expect(close?.next).toMatch(/fix its host, port or realm/);
    const fitsNow = aProfile({ name: 'Lab now', realm: null, scheme: 'any' });
    expect(words(realmNotMatched(e, { profiles: [fitsNow] }))).toMatchObject({ what: expect.stringMatching(/“Lab now” fits it now/), next: expect.stringMatching(/Reload/) });
    const far = aProfile({ proxy: { host: 'elsewhere.example', port: 1 }, realm: 'X' });
    expect(words(realmNotMatched(e, { profiles: [far] }))?.next).toMatch(/Add a profile/);
    expect(realmNotMatched(anEntry(), { profiles: [] })).toBeNull();
  });

  it('unsupported scheme: Negotiate belongs to the browser', () => {
    expect(words(unsupportedScheme(anEntry({ decision: 'unsupported-scheme', scheme: 'negotiate' }), none))?.what).toMatch(/NEGOTIATE authentication.*Kerberos.*Basic, Digest and NTLM/);
    expect(unsupportedScheme(anEntry(), none)).toBeNull();
  });

  it('Basic over clear HTTP: warns when a Basic password was sent', () => {
    expect(words(basicInClear(anEntry(), none))?.what).toMatch(/base64/);
    expect(basicInClear(anEntry({ scheme: 'digest' }), none)).toBeNull();
  });

  it('407 without Proxy-Authenticate: a proxy misconfiguration for the administrator', () => {
    const e = anEntry({ decision: 'no-challenge-header', outcome: 'failed', profileId: null, realm: null, scheme: '', challenger: { host: '127.0.0.1', port: 0 } });
    const f = words(missingChallengeHeader(e, none));
    expect(f?.what).toMatch(/without a usable Proxy-Authenticate header/);
    expect(f?.next).toMatch(/authentication directives.*logs/);
    expect(networkFailure(e, none)).toBeNull();
    expect(missingChallengeHeader(anEntry(), none)).toBeNull();
  });

  it('many failures across many sites in a short time point at the proxy', () => {
    const fails = Array.from({ length: 12 }, (_, i) => anEntry({ outcome: 'rejected', at: T0 - i * 10_000, url: `https://site${i % 4}.example/` }));
    const f = words(proxyWideFailures(fails[0]!, { profiles: [], recent: fails }));
    expect(f?.what).toMatch(/12 proxy logins on 4 different sites failed/);
    expect(f?.next).toMatch(/locked/);
    // one site only: a site problem, not a proxy outage
    const oneSite = fails.map((e) => ({ ...e, url: 'https://one.example/' }));
    expect(proxyWideFailures(oneSite[0]!, { profiles: [], recent: oneSite })).toBeNull();
    // spread over hours: not a burst
    const spread = fails.map((e, i) => ({ ...e, at: T0 - i * STORM_WINDOW_MS * 2 }));
    expect(proxyWideFailures(spread[0]!, { profiles: [], recent: spread })).toBeNull();
    // no context, or a successful entry: quiet
    expect(proxyWideFailures(fails[0]!, none)).toBeNull();
    expect(proxyWideFailures(anEntry(), { profiles: [], recent: fails })).toBeNull();
  });

  it('a URL that usually bypasses the proxy, or looks mistyped', () => {
    expect(words(unexpectedAddress(anEntry({ url: 'http://localhost:8080/' }), none))?.what).toMatch(/localhost is this computer itself/);
    expect(words(unexpectedAddress(anEntry({ url: 'http://192.168.1.20/' }), none))?.what).toMatch(/private network address/);
    expect(words(unexpectedAddress(anEntry({ url: 'http://wiki/start' }), none))?.what).toMatch(/intranet name/);
    expect(unexpectedAddress(anEntry({ url: 'https://www.example.cmo/' }), none)).toMatchObject({ code: 'mistyped-tld', params: { host: 'www.example.cmo', found: '.cmo', meant: '.com' } });
    expect(unexpectedAddress(anEntry(), none)).toBeNull();
    expect(checkAddress('http://10.1.2.3/')?.kind).toBe('private-ip');
    expect(checkAddress('http://172.20.0.1/')?.kind).toBe('private-ip');
    expect(checkAddress('http://172.32.0.1/')).toBeNull();
    expect(checkAddress('http://[::1]:80/')?.kind).toBe('loopback');
    expect(checkAddress('http://[fd00::1]/')?.kind).toBe('private-ip');
    expect(checkAddress('http://printer.local/')?.kind).toBe('intranet-name');
    expect(checkAddress('http://wwww.example.com/')).toMatchObject({ kind: 'typo' });
    expect(checkAddress('http://8.8.8.8/')).toBeNull();
    expect(checkAddress('not a url')).toBeNull();
  });

  it('prompt cancelled or timed out, and network failures, say what to do next', () => {
    expect(words(promptUnanswered(anEntry({ decision: 'prompt-timeout' }), none))?.what).toMatch(/in time/);
    expect(words(promptUnanswered(anEntry({ decision: 'prompt-cancelled' }), none))?.next).toMatch(/Reload the page/);
    expect(words(networkFailure(anEntry({ outcome: 'failed', error: 'net::ERR_CONNECTION_RESET' }), none))?.what).toMatch(/ERR_CONNECTION_RESET/);
  });

  it('diagnose() lists the findings most important first, each with its next step', () => {
    const e = anEntry({ outcome: 'rejected', url: 'http://localhost/' });
    expect(explain(e, none).map((f) => f.code)).toEqual(['credentials-rejected', 'basic-in-clear', 'bypass-loopback']);
    const texts = diagnose(e, none).map((f) => findingLine(f, en));
    expect(texts[0]).toMatch(/refused the username and password.*Next step: Check both/);
    expect(diagnose(anEntry({ scheme: 'digest' }), none)).toEqual([]);
  });

  it('entriesNear finds the neighbours of a time in a newest-first list', () => {
    const list = Array.from({ length: 100 }, (_, i) => anEntry({ at: T0 - i * 60_000 }));
    const near = entriesNear(list, T0 - 50 * 60_000);
    expect(near.map((e) => (T0 - e.at) / 60_000)).toEqual([45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55]);
    expect(entriesNear([], T0)).toEqual([]);
  });
});

describe('NTLM diagnoses', () => {
  const withUser = (username: string) => {
    const p = aProfile({ scheme: 'ntlm', realm: null, username });
    return { entry: anEntry({ scheme: 'ntlm', realm: null, outcome: 'rejected', profileId: p.id }), ctx: { profiles: [p] } };
  };

  it('a refused NTLM login names the user name form to check, and says lockout is the domain policy', () => {
    const bare = withUser('alice');
    expect(ntlmRejected(bare.entry, bare.ctx)?.code).toBe('ntlm-rejected-no-domain');
    expect(words(ntlmRejected(bare.entry, bare.ctx))?.what).toMatch(/no domain.*alice@corp\.example/);
    expect(words(ntlmRejected(bare.entry, bare.ctx))?.next).toMatch(/domain's policy.*sent this password once/);
    const netbios = withUser('CORP\\alice');
    expect(words(ntlmRejected(netbios.entry, netbios.ctx))?.what).toMatch(/DOMAIN\\user: check the domain name\. In Firefox use user@domain/);
    const upn = withUser('alice@corp.example');
    expect(words(ntlmRejected(upn.entry, upn.ctx))?.what).toMatch(/user@domain: check the domain part/);
    expect(ntlmRejected(anEntry({ scheme: 'ntlm', outcome: 'rejected' }), none)?.code).toBe('ntlm-rejected');
    expect(ntlmRejected(anEntry({ outcome: 'rejected' }), none)).toBeNull();
  });

  it('a malformed NTLM challenge (ERR_UNEXPECTED) is the proxy helper, not the password', () => {
    const e = anEntry({ scheme: 'ntlm', outcome: 'failed', error: 'net::ERR_UNEXPECTED' });
    expect(words(ntlmHandshakeFailed(e, none))?.what).toMatch(/challenge message \(type 2\) is malformed/);
    expect(ntlmHandshakeFailed(anEntry({ outcome: 'failed', error: 'net::ERR_UNEXPECTED' }), none)).toBeNull();
  });

  it('says which scheme the browser chose among those offered', () => {
    const e = anEntry({ scheme: 'ntlm', offered: ['negotiate', 'ntlm', 'basic'] });
    expect(schemeChosen(e, none)).toEqual({ code: 'scheme-chosen-negotiate-skipped', params: { offered: 'NEGOTIATE, NTLM, BASIC', scheme: 'NTLM' } });
    expect(words(schemeChosen(e, none))?.what).toMatch(/offered NEGOTIATE, NTLM, BASIC; the browser chose NTLM: Negotiate needs a Kerberos ticket/);
    expect(schemeChosen(anEntry({ scheme: 'ntlm', offered: ['ntlm', 'basic'] }), none)?.code).toBe('scheme-chosen');
    expect(schemeChosen(anEntry({ offered: ['basic'] }), none)).toBeNull();
  });
});

describe('offered schemes', () => {
  it('reads each Proxy-Authenticate header and comma-joined challenges, quoted commas included', () => {
    expect(
      offeredSchemes([
        { name: 'Proxy-Authenticate', value: 'Negotiate' },
        { name: 'proxy-authenticate', value: 'NTLM, Basic realm="a, b", Digest realm="x", nonce="n", qop="auth"' },
        { name: 'Content-Type', value: 'text/plain' },
        { name: 'Proxy-Authenticate', value: 'ntlm' },
      ]),
    ).toEqual(['negotiate', 'ntlm', 'basic', 'digest']);
    expect(offeredSchemes(undefined)).toEqual([]);
    // Firefox hands repeated headers over as one value joined by newlines
    expect(offeredSchemes([{ name: 'Proxy-Authenticate', value: 'Negotiate\nNTLM\nBasic realm="Corp Proxy"' }])).toEqual(['negotiate', 'ntlm', 'basic']);
  });
});
