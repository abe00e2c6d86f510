// Explains a settled 407 in plain words with the next step, after the usual 407 troubleshooting checklist.
import { normalizeHost } from './host';
import type { HistoryEntry, Profile } from './model';

export interface DiagnoseContext {
  profiles: readonly Profile[];
}

type Rule = (e: HistoryEntry, ctx: DiagnoseContext) => string | null;

const proxyOf = (e: HistoryEntry): string => `${e.challenger.host}:${e.challenger.port}`;

const sameProxy = (p: Profile, e: HistoryEntry): boolean =>
  normalizeHost(p.proxy.host) === normalizeHost(e.challenger.host) && p.proxy.port === e.challenger.port;

export const credentialsRejected: Rule = (e) =>
  e.outcome === 'rejected' || e.decision === 'breaker-open'
    ? `The proxy ${proxyOf(e)} refused the username and password${e.profileName ? ` of profile "${e.profileName}"` : ''}. ` +
      'Check both for typos (passwords are case-sensitive), and ask the proxy administrator whether the account is locked or expired. ' +
      'Proxy Auth Keeper will not send this password again until you edit the profile or type a new one.'
    : null;

export const realmNotMatched: Rule = (e, ctx) => {
  if (e.profileId !== null || !e.decision.startsWith('no-match')) return null;
  const close = ctx.profiles.filter((p) => sameProxy(p, e));
  const names = close.map((p) => `"${p.name || p.username}" (realm ${p.realm === null ? 'any' : `"${p.realm}"`}, ${p.scheme})`);
  return close.length
    ? `No profile fits realm "${e.realm ?? ''}" with scheme ${e.scheme} on ${proxyOf(e)}. Profiles for this proxy: ${names.join(', ')}. ` +
        'Set one of them to this realm (or to any realm), or add a profile for it.'
    : `No profile is saved for the proxy ${proxyOf(e)}. Add one with the account your administrator gave you.`;
};

export const unsupportedScheme: Rule = (e) =>
  e.decision === 'unsupported-scheme'
    ? `The proxy asked for ${e.scheme.toUpperCase()} authentication. NTLM and Negotiate (Kerberos) logins are done by the browser itself ` +
      'with your system account; Proxy Auth Keeper answers Basic and Digest only. If the browser fails here, check that you are signed in to the domain.'
    : null;

export const basicInClear: Rule = (e) =>
  e.scheme === 'basic' && e.profileId !== null && e.decision.startsWith('answered')
    ? 'Basic authentication sends the password merely base64-encoded: unless the proxy itself is reached over HTTPS, anyone on the network ' +
      'between you and the proxy can read it. Prefer Digest, or an HTTPS proxy, if your administrator offers one.'
    : null;

export const networkFailure: Rule = (e) =>
  e.outcome === 'failed'
    ? `The request failed after the login${e.error ? ` (${e.error})` : ''}: the proxy took part, but the page could not be reached through it. ` +
      'Check the address, and whether the proxy settings point at the right proxy.'
    : null;

export const RULES: readonly Rule[] = [credentialsRejected, realmNotMatched, unsupportedScheme, basicInClear, networkFailure];

export function diagnose(e: HistoryEntry, ctx: DiagnoseContext): string[] {
  const out: string[] = [];
  for (const rule of RULES) {
    const text = rule(e, ctx);
    if (text) out.push(text);
  }
  return out;
}
