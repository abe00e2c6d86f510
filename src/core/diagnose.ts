// Explains a settled 407 as codes with parameters (what happened, and the next step); the pages put them into words.
/*
 * HOW TO ADD A DIAGNOSIS (one place here + its messages):
 * 1. Add its code to DIAGNOSES (src/core/diagnosis-codes.ts) with the parameters its messages use, in $1, $2… order, and a
 *    `next` code when it shares the next step of another one. Parameter names choose how the page
 *    writes them (src/ui/components/codes-text.ts): proxy, realm, scheme, profiles, candidates, numbers…
 * 2. Return `{ code, params }` from a rule (never a sentence) and list the rule in RULES.
 * 3. Add to public/_locales/en/messages.json `diag<Code>` (what happened) and, unless it borrows
 *    another's, `diag<Code>Next` (the next step) — messageKey('diag', code[, 'Next']) — with named
 *    placeholders whose content is $1… in the order of `params`; then the same keys in de, fr, es.
 *    test/unit/locales.test.ts fails while a locale lacks a key or a placeholder differs.
 * History rows store these findings; rows from before codes hold sentences (see `legacyFinding`).
 */
import { checkAddress, hostOf } from './address-check';
import type { Params, ProfileRef } from './codes';
import type { DiagnosisCode, Finding } from './diagnosis-codes';
import { normalizeHost, sameProxy } from './host';
import type { HistoryEntry, ProfileBase as Profile } from './model';
import { isSessionId } from './profile-label';

export { DIAGNOSES, type DiagnosisCode, type Finding, type LegacyFinding, legacyFinding, nextCodeOf } from './diagnosis-codes';

export interface DiagnoseContext {
  profiles: readonly Profile[];
  /** Other history entries near this one in time (any order); rules that look for patterns need them. */
  recent?: readonly HistoryEntry[];
}

type Rule = (e: HistoryEntry, ctx: DiagnoseContext) => Finding | null;

/** Failures on one proxy from this many sites within STORM_WINDOW_MS point at the proxy, not at a site. */
export const STORM_WINDOW_MS = 5 * 60_000;
export const STORM_MIN_FAILURES = 10;
export const STORM_MIN_SITES = 3;

const finding = (code: DiagnosisCode, params: Params = {}): Finding => ({ code, params });
/** host:port, the host alone when the port is unknown, '' when neither is (the page words that). */
const proxyOf = (e: HistoryEntry): string => (e.challenger.port ? `${e.challenger.host}:${e.challenger.port}` : e.challenger.host);
const sameHost = (p: Profile, e: HistoryEntry): boolean => normalizeHost(p.proxy.host) === normalizeHost(e.challenger.host);
const onProxyOf = (p: Profile, e: HistoryEntry): boolean => sameProxy(p.proxy, e.challenger);
const isFailure = (e: HistoryEntry): boolean => e.outcome !== 'ok' && e.outcome !== 'pending';
const nameOf = (p: Profile): string => p.name || p.username;
const refOf = (p: Profile): ProfileRef => ({ name: nameOf(p), proxy: `${p.proxy.host}:${p.proxy.port}`, realm: p.realm, scheme: p.scheme });

export const credentialsRejected: Rule = (e) => {
  if ((e.outcome !== 'rejected' || e.guard === 'not-proof') && e.decision !== 'breaker-open') return null;
  // a session login was typed in the prompt: its row holds a username, not a profile's name
  return e.profileName && !isSessionId(e.profileId) ? finding('credentials-rejected', { proxy: proxyOf(e), profile: e.profileName }) : finding('credentials-rejected-typed', { proxy: proxyOf(e) });
};

/** A second 407 after our answer that proved no refusal (core/breaker.ts retryProvesRejection). */
export const challengeNotProof: Rule = (e) => (e.guard === 'not-proof' ? finding('challenge-not-proof', { realm: e.realm, proxy: proxyOf(e) }) : null);

/** An "any realm" profile was not sent to a realm the proxy had never shown (core/plan.ts realmUnseen). */
export const realmUnseen: Rule = (e) => (e.guard === 'unseen-realm' ? finding('realm-unseen', { realm: e.realm, proxy: proxyOf(e) }) : null);

/** Too many new prompts for one proxy (core/prompt-queue.ts): cancelled without asking. */
export const promptLimited: Rule = (e) => (e.decision === 'prompt-limited' ? finding('prompt-limited', { proxy: proxyOf(e) }) : null);

/** Asked without holding the request (Firefox's delivery batch, core/delivery-batch.ts): it ended, its tab reloads on an answer. */
export const promptNotHeld: Rule = (e) => (e.decision === 'prompt-not-held' ? finding('prompt-not-held', { proxy: proxyOf(e) }) : null);

export const missingChallengeHeader: Rule = (e) =>
  e.decision === 'no-challenge-header' || e.noChallengeHeader ? finding('no-challenge-header', { proxy: proxyOf(e) }) : null;

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
  return finding('proxy-wide-failures', { failures, sites: sites.size, proxy: proxyOf(e) });
};

export const realmNotMatched: Rule = (e, ctx) => {
  const unmatched = ['no-match-pass-through', 'no-match-cancelled', 'prompt-cancelled', 'prompt-timeout'];
  if (e.guard === 'unseen-realm' || e.profileId !== null || !unmatched.includes(e.decision) || !e.challenger.port) return null;
  const fits = ctx.profiles.filter((p) => onProxyOf(p, e) && (p.realm === null || p.realm === e.realm) && (p.scheme === 'any' || p.scheme === e.scheme));
  if (fits.length) return finding('realm-fits-now', { realm: e.realm, proxy: proxyOf(e), profiles: fits.map(nameOf) });
  const same = ctx.profiles.filter((p) => onProxyOf(p, e));
  const near = ctx.profiles.filter((p) => !onProxyOf(p, e) && (sameHost(p, e) || (e.realm !== null && p.realm === e.realm)));
  const base = { realm: e.realm, scheme: e.scheme, proxy: proxyOf(e) };
  if (same.length) return finding('realm-unmatched-same-proxy', { ...base, candidates: same.map(refOf), wanted: e.realm ?? '' });
  if (near.length) return finding('realm-unmatched-near', { ...base, candidates: near.map(refOf) });
  return finding('realm-unmatched-none', base);
};

export const promptUnanswered: Rule = (e) =>
  e.decision === 'prompt-cancelled' || e.decision === 'prompt-timeout' ? finding(e.decision) : null;

export const unsupportedScheme: Rule = (e) => (e.decision === 'unsupported-scheme' ? finding('unsupported-scheme', { scheme: e.scheme.toUpperCase() }) : null);

/** NTLM checks the domain with the password; the refusal says which user name form was used (never the name itself). */
export const ntlmRejected: Rule = (e, ctx) => {
  if (e.scheme !== 'ntlm' || (e.outcome !== 'rejected' && e.decision !== 'breaker-open')) return null;
  const username = ctx.profiles.find((p) => p.id === e.profileId)?.username;
  const proxy = proxyOf(e);
  if (username === undefined) return finding('ntlm-rejected', { proxy });
  if (username.includes('\\')) return finding('ntlm-rejected-netbios', { proxy });
  return finding(username.includes('@') ? 'ntlm-rejected-upn' : 'ntlm-rejected-no-domain', { proxy });
};

/** Chromium fails its own NTLM computation on a malformed type 2 (squid's ntlm_fake_auth sends one): not the password. */
export const ntlmHandshakeFailed: Rule = (e) =>
  e.scheme === 'ntlm' && e.outcome === 'failed' && /ERR_UNEXPECTED/.test(e.error ?? '') ? finding('ntlm-handshake-failed', { proxy: proxyOf(e) }) : null;

/** Which scheme the browser picked among the proxy's offers (browsers take the strongest they can do). */
export const schemeChosen: Rule = (e) => {
  if (!e.offered || e.offered.length < 2 || !e.scheme) return null;
  const params = { offered: e.offered.map((s) => s.toUpperCase()).join(', '), scheme: e.scheme.toUpperCase() };
  return finding(e.offered.includes('negotiate') && e.scheme !== 'negotiate' ? 'scheme-chosen-negotiate-skipped' : 'scheme-chosen', params);
};

export const basicInClear: Rule = (e) => (e.scheme === 'basic' && e.profileId !== null && e.decision.startsWith('answered') ? finding('basic-in-clear') : null);

export const networkFailure: Rule = (e) => {
  if (e.outcome !== 'failed' || e.decision === 'no-challenge-header') return null;
  return e.error ? finding('network-failure', { error: e.error }) : finding('network-failure-unexplained');
};

export const unexpectedAddress: Rule = (e) => {
  const issue = checkAddress(e.url);
  if (!issue) return null;
  const host = issue.host;
  if (issue.kind !== 'typo') return finding(issue.kind === 'loopback' ? 'bypass-loopback' : issue.kind === 'private-ip' ? 'bypass-private-ip' : 'bypass-intranet-name', { host });
  const t = issue.typo;
  if (t.kind === 'tld') return finding('mistyped-tld', { host, found: t.found, meant: t.meant });
  if (t.kind === 'www') return finding('mistyped-www', { host, found: t.found });
  return finding(t.kind === 'www-dot' ? 'mistyped-www-dot' : 'mistyped-address-word', { host });
};

export const RULES: readonly Rule[] = [
  challengeNotProof,
  realmUnseen,
  promptLimited,
  promptNotHeld,
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

/** The findings as stored in history (codes: the page words them in its reader's language). */
export const diagnose = (e: HistoryEntry, ctx: DiagnoseContext): Finding[] => explain(e, ctx);

/**
 * What a page shows and exports for an entry: the findings worked out now (with today's profiles and
 * neighbours), or, when the rules find nothing, what the row stored (a legacy row's sentences).
 */
export function findingsOf(e: HistoryEntry, ctx: DiagnoseContext): Finding[] {
  const now = explain(e, ctx);
  return now.length ? now : e.diagnosis;
}

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
