// Plain words for decisions and outcomes as the history page shows them (exports keep the codes).
import type { Decision, HistoryEntry, Outcome } from '../../../core/model';

export const DECISION_LABELS: Record<Decision, string> = {
  'answered-saved': 'Answered (saved)',
  'answered-prompt': 'Answered (typed)',
  'prompt-pending': 'Waiting for prompt',
  'prompt-cancelled': 'Prompt cancelled',
  'prompt-timeout': 'Prompt timed out',
  'breaker-open': 'Held back (refused before)',
  'no-match-pass-through': 'No profile: browser asked',
  'no-match-cancelled': 'No profile: cancelled',
  'unsupported-scheme': 'Scheme left to browser',
  'vault-locked': 'Vault locked',
  'no-challenge-header': 'No usable challenge',
};

export const OUTCOME_LABELS: Record<Outcome, string> = {
  ok: 'OK',
  rejected: 'Rejected',
  failed: 'Failed',
  cancelled: 'Cancelled',
  pending: 'Pending',
};

/** Stacking order of the chart, bottom to top; also the order of the outcome filter. */
export const OUTCOMES: Outcome[] = ['ok', 'rejected', 'failed', 'cancelled', 'pending'];

export const proxyLabel = (e: HistoryEntry): string =>
  e.challenger.port ? `${e.challenger.host}:${e.challenger.port}` : e.challenger.host ? `${e.challenger.host} (port unknown)` : 'unknown proxy';

const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const shortFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
/** With the year: the detail view. */
export const formatTime = (at: number): string => fullFormat.format(at);
/** Compact, for the table's time column. */
export const formatShortTime = (at: number): string => shortFormat.format(at);
