// Host names as the matcher compares them: case-folded, without a trailing dot, IPv6 unbracketed.
import { parseSuffix } from './public-suffix.cjs';

export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  while (h.endsWith('.')) h = h.slice(0, -1);
  if (h.includes(':')) h = canonicalIpv6(h);
  return h;
}

/** 0:0:0:0:0:0:0:1 and ::1 are one address: let the URL parser write it the one canonical way. */
function canonicalIpv6(h: string): string {
  try {
    return new URL(`http://[${h}]/`).hostname.slice(1, -1);
  } catch {
    return h;
  }
}

export const isWildcard = (pattern: string): boolean => pattern.startsWith('*.');

/** An IP address (v4, or v6 once unbracketed), or a name made only of numbers: a wildcard never covers these. */
export const isNumericHost = (host: string): boolean => host.includes(':') || /^[0-9.]+$/.test(host);

/**
 * Why a `*.suffix` pattern may not be saved: a suffix that is itself public (com, co.uk, github.io —
 * from the Public Suffix List that tldts keeps, never a hand list) would send the password to any
 * proxy someone registers under it; a numeric one ("*.1", "*.0.0.1") is a piece of an address.
 * Names the list does not know (corp, internal) stay allowed: intranets use them.
 */
export function wildcardProblem(pattern: string): 'host-wildcard-public-suffix' | 'host-wildcard-numeric' | null {
  if (!isWildcard(pattern)) return null;
  const suffix = pattern.slice(2);
  if (isNumericHost(suffix)) return 'host-wildcard-numeric';
  const p = parseSuffix(suffix);
  if (p.isIp) return 'host-wildcard-numeric';
  if (p.publicSuffix === suffix && (p.isIcann || p.isPrivate)) return 'host-wildcard-public-suffix';
  return null;
}

/** A proxy's address as every comparison in the product spells it: "host:port", host normalized. */
export const proxyKey = (p: { host: string; port: number }): string => `${normalizeHost(p.host)}:${p.port}`;

/** Whether two addresses name the same proxy (the one rule: normalized host, same port). */
export const sameProxy = (a: { host: string; port: number }, b: { host: string; port: number }): boolean => proxyKey(a) === proxyKey(b);
