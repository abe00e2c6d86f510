// Finds the saved profile that answers a proxy challenge; indexed so 10,000 profiles match in microseconds.
import { isNumericHost, isWildcard, normalizeHost, proxyKey } from './host';
import { needsBasicYes } from './downgrade';
import { type Challenge, type Profile, isSessionProfile } from './model';

export interface ProfileIndex {
  /** "host:port" → profiles for exactly that proxy. */
  exact: Map<string, Profile[]>;
  /** ".suffix:port" → profiles whose host is "*.suffix". */
  wildcard: Map<string, Profile[]>;
  size: number;
}

export function buildIndex(profiles: readonly Profile[]): ProfileIndex {
  const exact = new Map<string, Profile[]>();
  const wildcard = new Map<string, Profile[]>();
  for (const p of profiles) {
    const host = normalizeHost(p.proxy.host);
    const [map, key] = isWildcard(host) ? [wildcard, `${host.slice(1)}:${p.proxy.port}`] : [exact, proxyKey(p.proxy)];
    const list = map.get(key);
    if (list) list.push(p);
    else map.set(key, [p]);
  }
  return { exact, wildcard, size: profiles.length };
}

/**
 * A Basic profile also answers NTLM: the browser picks NTLM over Basic when a proxy offers both, and
 * an NTLM answer shows the proxy less than Basic would (a challenge response, never the password).
 * A Digest profile fits a Basic challenge of its proxy only to be asked about (planChallenge: the
 * user says yes first), and ranks below every profile that answers without asking.
 */
const schemeFits = (p: Profile, scheme: string): boolean =>
  p.scheme === 'any' || p.scheme === scheme || (scheme === 'ntlm' && p.scheme === 'basic') || (scheme === 'basic' && p.scheme === 'digest');

/** Lower is better: exact realm beats "any realm"; profiles for another realm never match. */
function realmRank(p: Profile, realm: string | null): number {
  if (p.realm === null) return 1;
  return p.realm === realm ? 0 : -1;
}

function best(candidates: readonly Profile[], c: Challenge): Profile | null {
  let chosen: Profile | null = null;
  let chosenKey: number[] = [];
  for (const p of candidates) {
    const realm = realmRank(p, c.realm);
    if (realm < 0 || !schemeFits(p, c.scheme)) continue;
    // realm tier, then one that needs no yes, then what the user typed for this session, then the default, then a scheme named exactly, then the most recently used
    const key = [realm, needsBasicYes(p, c.scheme) ? 1 : 0, isSessionProfile(p) ? 0 : 1, p.isDefault ? 0 : 1, p.scheme === c.scheme ? 0 : 1, -(p.lastUsedAt ?? 0)];
    if (!chosen || compare(key, chosenKey) < 0) {
      chosen = p;
      chosenKey = key;
    }
  }
  return chosen;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/**
 * Precedence: exact host:port + realm > exact host:port + any realm > wildcard host + realm >
 * wildcard + any realm; the most specific wildcard suffix wins among wildcards.
 */
export function matchProfile(index: ProfileIndex, c: Challenge): Profile | null {
  const host = normalizeHost(c.challenger.host);
  const port = c.challenger.port;
  const exact = index.exact.get(proxyKey(c.challenger));
  const fromExact = exact ? best(exact, c) : null;
  if (fromExact) return fromExact;
  if (index.wildcard.size === 0 || isNumericHost(host)) return null;
  let wildcardAnyRealm: Profile | null = null;
  for (let dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
    const list = index.wildcard.get(`${host.slice(dot)}:${port}`);
    const found = list ? best(list, c) : null;
    if (found?.realm !== null && found) return found;
    wildcardAnyRealm ??= found;
  }
  return wildcardAnyRealm;
}
