// Digest → Basic downgrade: a password proven under a scheme that never shows it is not sent readable without a yes.
import type { ProfileBase, Scheme } from './model';

type Proven = Pick<ProfileBase, 'scheme' | 'provenSchemes'>;

/**
 * True when `scheme` is Basic and the profile was made for Digest (its scheme) or has only ever been
 * proven with Digest: Basic would hand the proxy, and anyone on the way, the password itself. Once the
 * user allowed Basic (or the proxy accepted it under Basic) the profile answers Basic as before.
 */
export function needsBasicYes(p: Proven, scheme: string): boolean {
  if (scheme !== 'basic' || p.scheme === 'basic') return false;
  const proven = p.provenSchemes ?? [];
  if (proven.includes('basic')) return false;
  return p.scheme === 'digest' || proven.includes('digest');
}

/** The profile's proven schemes with `scheme` added (the same array when it is already there, or not a scheme we know). */
export function withProven(p: Pick<ProfileBase, 'provenSchemes'>, scheme: string): Scheme[] | undefined {
  const proven = p.provenSchemes ?? [];
  if (!isScheme(scheme) || proven.includes(scheme)) return p.provenSchemes;
  return [...proven, scheme];
}

export const isScheme = (s: string): s is Scheme => s === 'basic' || s === 'digest' || s === 'ntlm';
