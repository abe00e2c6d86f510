// Explains a settled 407 in plain words with the next step, after the usual 407 troubleshooting checklist.
import { checkAddress, hostOf } from './address-check';
import { normalizeHost } from './host';
import type { HistoryEntry, Profile } from './model';

export interface DiagnoseContext {
  profiles: readonly Profile[];
  /** Other history entries near this one in time (any order); rules that look for patterns need them. */
  recent?: readonly HistoryEntry[];
}

/** One explanation: what happened, and what to do about it. */
export interface Finding {
  rule: string;
  what: string;
  next: string;
}

type Rule = (e: HistoryEntry, ctx: DiagnoseContext) => Finding | null;

/** Failures on one proxy from this many sites within STORM_WINDOW_MS point at the proxy, not at a site. */
export const STORM_WINDOW_MS = 5 * 60_000;
export const STORM_MIN_FAILURES = 10;
export const STORM_MIN_SITES = 3;

const proxyOf = (e: HistoryEntry): string =>
  e.challenger.port ? `${e.challenger.host}:${e.challenger.port}` : e.challenger.host ? `at ${e.challenger.host}` : '(address unknown)';
const sameHost = (p: Profile, e: HistoryEntry): boolean => normalizeHost(p.proxy.host) === normalizeHost(e.challenger.host);
const sameProxy = (p: Profile, e: HistoryEntry): boolean => sameHost(p, e) && p.proxy.port === e.challenger.port;
const isFailure = (e: HistoryEntry): boolean => e.outcome !== 'ok' && e.outcome !== 'pending';
const realmText = (r: string | null): string => (r === null ? 'any realm' : `realm "${r}"`);

export const credentialsRejected: Rule = (e) =>
  e.outcome === 'rejected' || e.decision === 'breaker-open'
    ? {
        rule: 'credentials-rejected',
        what: `The proxy ${proxyOf(e)} refused the username and password${e.profileName ? ` of profile "${e.profileName}"` : ''}.`,
        next:
          'Check both for typos (passwords are case-sensitive), and ask the proxy administrator whether the account is locked or expired. ' +
          'Proxy Auth Keeper will not send this password again until you edit the profile or type a new one.',
      }
    : null;

/** NTLM checks the domain as well as the password; the domain, not Proxy Auth Keeper, locks accounts. */
export const ntlmRejected: Rule = (e, ctx) => {
  if (e.scheme !== 'ntlm' || (e.outcome !== 'rejected' && e.decision !== 'breaker-open')) return null;
  const username = ctx.profiles.find((p) => p.id === e.profileId)?.username;
  const domainHint =
    username === undefined
      ? 'Check that the user name carries the domain: alice@corp.example, or CORP\\alice in Chrome.'
      : !/[\\@]/.test(username)
        ? 'The user name has no domain, so the browser sent none: write it as alice@corp.example, or CORP\\alice in Chrome.'
        : username.includes('\\')
          ? 'The user name has the form DOMAIN\\user: check the domain name; in Firefox use user@domain instead (Firefox sends DOMAIN\\user whole, as the user name).'
          : 'The user name has the form user@domain: check the domain part; some proxies want the NetBIOS form CORP\\alice (Chrome) instead.';
  return {
    rule: 'ntlm-rejected',
    what: `The proxy ${proxyOf(e)} refused the Windows (NTLM) login. NTLM checks the user name, the domain and the password together, and the proxy does not say which was wrong.`,
    next:
      `${domainHint} Windows domains lock an account after a number of refused logins: that count is the domain's policy, ` +
      'kept by the domain controller behind the proxy; Proxy Auth Keeper sent this password once and will not send it again until you change it.',
  };
};

/** Chromium fails its own NTLM computation on a malformed type 2 (squid's ntlm_fake_auth sends one): not the password. */
export const ntlmHandshakeFailed: Rule = (e) =>
  e.scheme === 'ntlm' && e.outcome === 'failed' && /ERR_UNEXPECTED/.test(e.error ?? '')
    ? {
        rule: 'ntlm-handshake-failed',
        what: `The browser could not compute the NTLM answer to the challenge of ${proxyOf(e)}: the proxy's NTLM challenge message (type 2) is malformed. The password was never checked.`,
        next: "Tell the proxy administrator: the proxy's NTLM helper sends a broken challenge (squid's ntlm_fake_auth does). Until it is fixed, ask for Basic or Digest to be offered too.",
      }
    : null;

/** Which scheme the browser picked among the proxy's offers (browsers take the strongest they can do). */
export const schemeChosen: Rule = (e) => {
  if (!e.offered || e.offered.length < 2 || !e.scheme) return null;
  const list = e.offered.map((s) => s.toUpperCase()).join(', ');
  const basicAnswersNtlm = e.scheme === 'ntlm' && e.profileId !== null && e.decision.startsWith('answered');
  return {
    rule: 'scheme-chosen',
    what:
      `The proxy offered ${list}; the browser chose ${e.scheme.toUpperCase()}` +
      (e.offered.includes('negotiate') && e.scheme !== 'negotiate' ? ' (Negotiate needs a Kerberos ticket this computer did not have, so the browser skipped it)' : '') +
      (basicAnswersNtlm ? ', and computed the NTLM answer from the saved account: the password itself did not travel.' : '.'),
    next: 'Nothing to do. To force one scheme, the administrator can offer only that one, or set the browser\'s AuthSchemes policy.',
  };
};

export const missingChallengeHeader: Rule = (e) =>
  e.decision === 'no-challenge-header' || e.noChallengeHeader
    ? {
        rule: 'no-challenge-header',
        what:
          `The proxy ${proxyOf(e)} answered 407 (log in first) without a usable Proxy-Authenticate header, so it never said how to log in ` +
          'and neither the browser nor Proxy Auth Keeper could answer. This is a fault in the proxy setup, not in your password.',
        next: "Tell the proxy administrator: they should check the proxy's authentication directives (the scheme and realm it announces) and its logs for this request.",
      }
    : null;

export const proxyWideFailures: Rule = (e, ctx) => {
  if (!ctx.recent || !isFailure(e)) return null;
  const sites = new Set<string>();
  let failures = 0;
  for (const r of ctx.recent) {
    if (Math.abs(r.at - e.at) > STORM_WINDOW_MS || r.challenger.host !== e.challenger.host || r.challenger.port !== e.challenger.port || !isFailure(r)) continue;
    failures++;
    const host = hostOf(r.url);
    if (host) sites.add(host);
  }
  if (failures < STORM_MIN_FAILURES || sites.size < STORM_MIN_SITES) return null;
  return {
    rule: 'proxy-wide-failures',
    what: `${failures} proxy logins on ${sites.size} different sites failed through ${proxyOf(e)} within a few minutes. When many unrelated sites fail at once, the cause is usually the proxy itself: its login service may be down, or the account was locked after too many attempts.`,
    next: 'Wait a few minutes and try one page again; ask colleagues on the same proxy whether it works for them, and ask the administrator to check the proxy logs and whether your account is locked.',
  };
};

export const realmNotMatched: Rule = (e, ctx) => {
  const unmatched = ['no-match-pass-through', 'no-match-cancelled', 'prompt-cancelled', 'prompt-timeout'];
  if (e.profileId !== null || !unmatched.includes(e.decision) || !e.challenger.port) return null;
  const fits = ctx.profiles.filter((p) => sameProxy(p, e) && (p.realm === null || p.realm === e.realm) && (p.scheme === 'any' || p.scheme === e.scheme));
  if (fits.length)
    return { rule: 'realm-not-matched', what: `No saved profile fitted ${realmText(e.realm)} on ${proxyOf(e)} at the time; ${fits.map((p) => `"${p.name || p.username}"`).join(', ')} fits it now.`, next: 'Reload the page: it will be answered with that profile.' };
  const same = ctx.profiles.filter((p) => sameProxy(p, e));
  const near = ctx.profiles.filter((p) => !sameProxy(p, e) && (sameHost(p, e) || (e.realm !== null && p.realm === e.realm)));
  const describe = (p: Profile) => `"${p.name || p.username}" (${p.proxy.host}:${p.proxy.port}, ${realmText(p.realm)}, ${p.scheme})`;
  const what = `No saved profile fits ${realmText(e.realm)} with scheme ${e.scheme || 'unknown'} on ${proxyOf(e)}.`;
  if (same.length)
    return { rule: 'realm-not-matched', what: `${what} Profiles for this proxy: ${same.map(describe).join(', ')}.`, next: `Set one of them to realm "${e.realm ?? ''}" (or to any realm), or add a profile for it.` };
  if (near.length)
    return { rule: 'realm-not-matched', what: `${what} Close ones: ${near.map(describe).join(', ')}.`, next: 'If one of them is the same account, fix its host, port or realm; otherwise add a profile for this proxy.' };
  return { rule: 'realm-not-matched', what: `${what} No profile is saved for this proxy.`, next: 'Add a profile with the account your administrator gave you.' };
};

export const promptUnanswered: Rule = (e) =>
  e.decision === 'prompt-cancelled' || e.decision === 'prompt-timeout'
    ? {
        rule: 'prompt-unanswered',
        what: e.decision === 'prompt-timeout' ? 'Nobody answered the sign-in prompt in time, so the request was cancelled.' : 'The sign-in prompt was cancelled, so the request was cancelled too.',
        next: 'Reload the page to be asked again, or save a profile for this proxy so it is answered without asking.',
      }
    : null;

export const unsupportedScheme: Rule = (e) =>
  e.decision === 'unsupported-scheme'
    ? {
        rule: 'unsupported-scheme',
        what: `The proxy asked for ${e.scheme.toUpperCase()} authentication. Negotiate (Kerberos) logins are done by the browser itself with your system's Kerberos ticket, never with a typed password; Proxy Auth Keeper answers Basic, Digest and NTLM.`,
        next: 'If the browser fails here, check that you are signed in to the domain (klist shows a ticket), or ask the administrator to also offer NTLM or Basic.',
      }
    : null;

export const basicInClear: Rule = (e) =>
  e.scheme === 'basic' && e.profileId !== null && e.decision.startsWith('answered')
    ? {
        rule: 'basic-in-clear',
        what: 'Basic authentication sends the password merely base64-encoded: unless the proxy itself is reached over HTTPS, anyone on the network between you and the proxy can read it.',
        next: 'Prefer Digest, or an HTTPS proxy, if your administrator offers one.',
      }
    : null;

export const networkFailure: Rule = (e) =>
  e.outcome === 'failed' && e.decision !== 'no-challenge-header'
    ? {
        rule: 'network-failure',
        what: `The request failed after the login${e.error ? ` (${e.error})` : ''}: the proxy took part, but the page could not be reached through it.`,
        next: 'Check the address, and whether the proxy settings point at the right proxy.',
      }
    : null;

export const unexpectedAddress: Rule = (e) => {
  const issue = checkAddress(e.url);
  if (!issue) return null;
  if (issue.kind === 'typo')
    return {
      rule: 'mistyped-address',
      what: `The address ${issue.host} looks mistyped: ${issue.hint}. A wrong address can be routed to a proxy that asks for a login the real site never needed.`,
      next: 'Check the exact address of the page and load the intended one.',
    };
  const kind = issue.kind === 'loopback' ? 'is this computer itself' : issue.kind === 'private-ip' ? 'is a private network address' : 'looks like an intranet name';
  return {
    rule: 'bypass-host',
    what: `${issue.host} ${kind}; such hosts are normally reached directly, not through a proxy.`,
    next: 'If this page should not use the proxy, add the host to the proxy bypass list (browser, system or PAC file); if it should, nothing is wrong here.',
  };
};

export const RULES: readonly Rule[] = [
  credentialsRejected,
  ntlmRejected,
  missingChallengeHeader,
  proxyWideFailures,
  realmNotMatched,
  promptUnanswered,
  unsupportedScheme,
  schemeChosen,
  ntlmHandshakeFailed,
  networkFailure,
  basicInClear,
  unexpectedAddress,
];

/** Every finding for one entry, most important first. */
export function explain(e: HistoryEntry, ctx: DiagnoseContext): Finding[] {
  const out: Finding[] = [];
  for (const rule of RULES) {
    const finding = rule(e, ctx);
    if (finding) out.push(finding);
  }
  return out;
}

/** The findings as stored in history and exported: one sentence group per finding. */
export const diagnose = (e: HistoryEntry, ctx: DiagnoseContext): string[] => explain(e, ctx).map((f) => `${f.what} Next step: ${f.next}`);

/** Entries within the storm window of `at`, from a list sorted newest first (binary search, then a short scan). */
export function entriesNear(sortedDesc: readonly HistoryEntry[], at: number, windowMs = STORM_WINDOW_MS): HistoryEntry[] {
  let lo = 0;
  let hi = sortedDesc.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sortedDesc[mid]?.at ?? 0) > at + windowMs) lo = mid + 1;
    else hi = mid;
  }
  const out: HistoryEntry[] = [];
  for (let i = lo; i < sortedDesc.length && (sortedDesc[i]?.at ?? 0) >= at - windowMs; i++) out.push(sortedDesc[i] as HistoryEntry);
  return out;
}
