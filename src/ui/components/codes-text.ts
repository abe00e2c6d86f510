// Puts the core's codes into words: diagnoses and validation problems through a catalogue (the UI language, or an export's).
import type { ParamValue, ProfileRef } from '../../core/codes';
import { messageKey } from '../../core/codes';
import { DIAGNOSES, type Finding, nextCodeOf } from '../../core/diagnose';
import { isOwnError } from '../../core/history-entry';
import { PROBLEMS, type Problem } from '../../core/problems';
import { type ProfileLabel, profileLabelOf } from '../../core/profile-label';
import type { HistoryEntry } from '../../core/model';
import { uiCatalog } from './i18n';
import type { Catalog } from './message-format';

const list = (c: Catalog, items: readonly string[]): string => new Intl.ListFormat(c.lang, { type: 'conjunction' }).format(items);
const realmText = (c: Catalog, r: string | null): string => (r === null ? c.message('anyRealm') : c.message('realmNamed', [r]));
const schemeText = (c: Catalog, s: string): string => (s === 'any' ? c.message('schemeAnyInList') : s || c.message('diagSchemeUnknown'));
const describe = (c: Catalog, p: ProfileRef): string => c.message('diagProfileDescribed', [c.message('quoted', [p.name]), p.proxy, realmText(c, p.realm), schemeText(c, p.scheme)]);

/** How a parameter is written depends on its name; everything else is shown as it is. */
export function paramText(c: Catalog, name: string, value: ParamValue): string {
  if (typeof value === 'number') return value.toLocaleString(c.lang);
  if (name === 'realm') return realmText(c, value as string | null);
  if (name === 'proxy') return (value as string) || c.message('historyProxyUnknown');
  if (name === 'scheme') return schemeText(c, value as string);
  if (name === 'profiles') return list(c, (value as string[]).map((n) => c.message('quoted', [n])));
  if (name === 'error') return errorText(value as string, c);
  if (name === 'candidates') return list(c, (value as ProfileRef[]).map((p) => describe(c, p)));
  return value === null ? '' : String(value);
}

const subsOf = (c: Catalog, names: readonly string[], params: Readonly<Record<string, ParamValue>>): string[] =>
  names.map((n) => paramText(c, n, params[n] ?? null));

/** A history entry's error: our own codes in words, the browser's (net::ERR_…) as they are. */
export const errorText = (error: string, c: Catalog = uiCatalog()): string => (isOwnError(error) ? c.message(messageKey('error', error)) : error);

/** One finding in words: what happened, and the next step. */
export function findingText(f: Finding, c: Catalog = uiCatalog()): { what: string; next: string } {
  if (f.code === 'legacy-text') return { what: f.params.what, next: f.params.next };
  const spec = DIAGNOSES[f.code];
  if (!spec) return { what: f.code, next: '' };
  const subs = subsOf(c, spec.params, f.params);
  return { what: c.message(messageKey('diag', f.code), subs), next: c.message(messageKey('diag', nextCodeOf(f.code), 'Next'), subs) };
}

/** A finding as one line of an export or a search: "what — Next step: next". */
export function findingLine(f: Finding, c: Catalog = uiCatalog()): string {
  const { what, next } = findingText(f, c);
  return next ? `${what} ${c.message('historyNextStep')} ${next}` : what;
}

/** One validation problem in words (its path is the caller's to show). */
export function problemText(p: Problem, c: Catalog = uiCatalog()): string {
  const spec = PROBLEMS[p.code];
  if (!spec) return p.code;
  return c.message(messageKey('problem', p.code), subsOf(c, spec.params, p.params ?? {}));
}

/** Several problems as one sentence group, for a single error line. */
export const problemsText = (problems: readonly Problem[], c: Catalog = uiCatalog()): string => problems.map((p) => problemText(p, c)).join(' ');

/** A row's profile in words: its name, or a session login as "<username> (this session)" in the catalogue's language. */
export function profileLabelText(l: ProfileLabel, c: Catalog = uiCatalog()): string {
  if (l.kind === 'none') return '';
  return l.kind === 'session' ? c.message('sessionLoginLabel', [l.username]) : l.name;
}

/** The same for a history row (or a prompt's `{ profileId, profileName }`); '' when no profile answered. */
export const profileText = (e: Pick<HistoryEntry, 'profileId' | 'profileName'>, c: Catalog = uiCatalog()): string => profileLabelText(profileLabelOf(e), c);
