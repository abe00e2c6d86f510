// Which profile answered, as a history row or a prompt names it: a saved profile by its name, a session login by its username (the words are the page's).
import type { HistoryEntry } from './model';

/** The id prefix of a login remembered for this browser session only (background/prompt-answer.ts). */
export const SESSION_ID_PREFIX = 'session:';
export const isSessionId = (id: string | null): boolean => id !== null && id.startsWith(SESSION_ID_PREFIX);

/** Rows and session logins from before this module named a session login in English: "<username> (this session)". */
const LEGACY_SESSION_SUFFIX = ' (this session)';

export type ProfileLabel = { kind: 'none' } | { kind: 'profile'; name: string } | { kind: 'session'; username: string };

/** What a row (or a prompt's `{ id, name }`) says about its profile; the page puts a session login into words. */
export function profileLabelOf(e: Pick<HistoryEntry, 'profileId' | 'profileName'>): ProfileLabel {
  if (e.profileName === null) return { kind: 'none' };
  if (!isSessionId(e.profileId)) return { kind: 'profile', name: e.profileName };
  const name = e.profileName;
  return { kind: 'session', username: name.endsWith(LEGACY_SESSION_SUFFIX) ? name.slice(0, -LEGACY_SESSION_SUFFIX.length) : name };
}
