// The diagnoses the core can give, as codes with their parameters: the vocabulary history rows store.
// How to add one: see src/core/diagnose.ts.
import type { CodeSpec, Params } from './codes';

interface DiagnosisSpec extends CodeSpec {
  /** The code whose next step this one shares. */
  readonly next?: string;
}

export const DIAGNOSES = {
  'credentials-rejected': { params: ['proxy', 'profile'] },
  'credentials-rejected-typed': { params: ['proxy'], next: 'credentials-rejected' },
  'no-challenge-header': { params: ['proxy'] },
  'proxy-wide-failures': { params: ['failures', 'sites', 'proxy'] },
  'realm-fits-now': { params: ['realm', 'proxy', 'profiles'] },
  'realm-unmatched-same-proxy': { params: ['realm', 'scheme', 'proxy', 'candidates', 'wanted'] },
  'realm-unmatched-near': { params: ['realm', 'scheme', 'proxy', 'candidates'] },
  'realm-unmatched-none': { params: ['realm', 'scheme', 'proxy'] },
  'challenge-not-proof': { params: ['realm', 'proxy'] },
  'realm-unseen': { params: ['realm', 'proxy'] },
  'prompt-limited': { params: ['proxy'] },
  'prompt-not-held': { params: ['proxy'] },
  'prompt-timeout': { params: [], next: 'prompt-unanswered' },
  'prompt-cancelled': { params: [], next: 'prompt-unanswered' },
  'unsupported-scheme': { params: ['scheme'] },
  'ntlm-rejected': { params: ['proxy'] },
  'ntlm-rejected-no-domain': { params: ['proxy'], next: 'ntlm-rejected' },
  'ntlm-rejected-netbios': { params: ['proxy'], next: 'ntlm-rejected' },
  'ntlm-rejected-upn': { params: ['proxy'], next: 'ntlm-rejected' },
  'ntlm-handshake-failed': { params: ['proxy'] },
  'scheme-chosen': { params: ['offered', 'scheme'] },
  'scheme-chosen-negotiate-skipped': { params: ['offered', 'scheme'], next: 'scheme-chosen' },
  'network-failure': { params: ['error'] },
  'network-failure-unexplained': { params: [], next: 'network-failure' },
  'basic-in-clear': { params: [] },
  'mistyped-tld': { params: ['host', 'found', 'meant'], next: 'mistyped-address' },
  'mistyped-www': { params: ['host', 'found'], next: 'mistyped-address' },
  'mistyped-www-dot': { params: ['host'], next: 'mistyped-address' },
  'mistyped-address-word': { params: ['host'], next: 'mistyped-address' },
  'bypass-loopback': { params: ['host'], next: 'bypass-host' },
  'bypass-private-ip': { params: ['host'], next: 'bypass-host' },
  'bypass-intranet-name': { params: ['host'], next: 'bypass-host' },
} as const satisfies Record<string, DiagnosisSpec>;

export type DiagnosisCode = keyof typeof DIAGNOSES;

/** One explanation: what happened and what to do about it, as a code the page puts into words. */
export type Finding = { code: DiagnosisCode; params: Params } | LegacyFinding;

/** A sentence stored by a version before codes (English), shown and exported as it was written. */
export interface LegacyFinding {
  code: 'legacy-text';
  params: { what: string; next: string };
}

/** The code whose `Next` message holds this code's next step. */
export const nextCodeOf = (code: DiagnosisCode): string => (DIAGNOSES[code] as DiagnosisSpec).next ?? code;

/** An old row's sentence group ("… Next step: …") as a finding; already-coded findings pass through. */
export function legacyFinding(stored: unknown): Finding | null {
  if (typeof stored === 'string') {
    const [what = '', ...rest] = stored.split(' Next step: ');
    return { code: 'legacy-text', params: { what, next: rest.join(' Next step: ') } };
  }
  if (stored && typeof stored === 'object' && typeof (stored as { code?: unknown }).code === 'string') return stored as Finding;
  return null;
}
