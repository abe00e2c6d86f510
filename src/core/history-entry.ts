// Turns challenges and request endings into history entries and their outcomes.
import { type Finding, legacyFinding } from './diagnose';
import { capText, LIMITS } from './caps';
import type { Challenge, Decision, HistoryEntry, Outcome, Profile } from './model';

export interface EntryOptions {
  stripQuery: boolean;
  id: string;
  at: number;
}

/**
 * The page address as history keeps it: never userinfo, no query or fragment by default; nothing for
 * private windows; never longer than LIMITS.url (parsing may percent-encode a capped address longer).
 */
export function urlForHistory(url: string, stripQuery: boolean, incognito: boolean): string {
  return incognito ? '' : capText(cleanUrl(url, stripQuery), LIMITS.url);
}

function cleanUrl(url: string, stripQuery: boolean): string {
  try {
    const u = new URL(url);
    // user:password@ in an address is a credential too: never kept
    u.username = '';
    u.password = '';
    if (stripQuery) {
      u.search = '';
      u.hash = '';
    }
    return u.toString();
  } catch {
    const bare = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
    return stripQuery ? (bare.split(/[?#]/)[0] ?? '') : bare;
  }
}

export function newEntry(c: Challenge, decision: Decision, profile: Pick<Profile, 'id' | 'name'> | null, o: EntryOptions): HistoryEntry {
  const entry: HistoryEntry = {
    id: o.id,
    at: o.at,
    requestId: c.requestId,
    url: urlForHistory(c.url, o.stripQuery, c.incognito === true),
    tabId: c.tabId,
    challenger: { host: c.challenger.host, port: c.challenger.port },
    realm: c.realm,
    scheme: c.scheme,
    profileId: profile?.id ?? null,
    profileName: profile?.name ?? null,
    decision,
    outcome: 'pending',
    attempts: 1,
    diagnosis: [],
  };
  if (c.incognito) entry.private = true;
  if (c.cookieStoreId) entry.cookieStoreId = c.cookieStoreId;
  return entry;
}

/**
 * Errors this extension records itself (HistoryEntry.error holds the code; the page words it with
 * messageKey('error', code)). Anything else in `error` is the browser's own (net::ERR_…), shown as it is.
 */
export const OWN_ERRORS = ['restarted-while-waiting', 'restarted-tab-reloaded', 'restarted-before-end', 'no-proxy-authenticate'] as const;
export type OwnError = (typeof OWN_ERRORS)[number];
export const isOwnError = (s: string): s is OwnError => (OWN_ERRORS as readonly string[]).includes(s);

/** A request finished: a final 407 means the proxy still refused. */
export const outcomeOfCompletion = (statusCode: number): Outcome => (statusCode === 407 ? 'rejected' : 'ok');

/** A request failed: a cancel (ours or the user's) is not a network failure. */
export function outcomeOfError(error: string): Outcome {
  if (/ERR_BLOCKED_BY_CLIENT|NS_ERROR_ABORT|ERR_ABORTED|canceled|cancelled/i.test(error)) return 'cancelled';
  if (/TOO_MANY_RETRIES|PROXY_AUTH/i.test(error)) return 'rejected';
  return 'failed';
}

/**
 * 'rejected' is the verdict that matters most: a later cancel or failure must not hide it. A request
 * we cancelled stays cancelled: the browser then "completes" it with the proxy's 407 page.
 */
export function settleOutcome(current: Outcome, next: Outcome): Outcome {
  if (current === 'rejected') return current;
  if (current === 'cancelled') return current;
  return next;
}

/**
 * A row as read back from IndexedDB. Rows written before codes (≤ 0.1.0) hold their diagnosis as English
 * sentences: they become legacy-text findings, so every reader sees one shape. Current rows pass untouched.
 */
export function entryFromStored(row: HistoryEntry): HistoryEntry {
  const stored: unknown = row.diagnosis;
  if (Array.isArray(stored) && stored.every((f) => typeof f === 'object' && f !== null)) return row;
  const diagnosis = Array.isArray(stored) ? stored.map(legacyFinding).filter((f): f is Finding => f !== null) : [];
  return { ...row, diagnosis };
}
