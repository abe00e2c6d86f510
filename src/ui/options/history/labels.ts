// Plain words for decisions and outcomes as the history page shows them (exports keep the codes).
import type { Decision, HistoryEntry, Outcome } from '../../../core/model';
import { t, uiLanguage } from '../../components/i18n';

// Read once when the page loads: the free-text filter looks them up for each of 100,000 rows.
export const DECISION_LABELS: Record<Decision, string> = {
  'answered-saved': t('decisionAnsweredSaved'),
  'answered-prompt': t('decisionAnsweredPrompt'),
  'prompt-pending': t('decisionPromptPending'),
  'prompt-cancelled': t('decisionPromptCancelled'),
  'prompt-timeout': t('decisionPromptTimeout'),
  'breaker-open': t('decisionBreakerOpen'),
  'no-match-pass-through': t('decisionNoMatchPassThrough'),
  'no-match-cancelled': t('decisionNoMatchCancelled'),
  'unsupported-scheme': t('decisionUnsupportedScheme'),
  'vault-locked': t('decisionVaultLocked'),
  'prompt-limited': t('decisionPromptLimited'),
  'prompt-not-held': t('decisionPromptNotHeld'),
  'no-challenge-header': t('decisionNoChallengeHeader'),
};

export const OUTCOME_LABELS: Record<Outcome, string> = {
  ok: t('outcomeOk'),
  rejected: t('outcomeRejected'),
  failed: t('outcomeFailed'),
  cancelled: t('outcomeCancelled'),
  pending: t('outcomePending'),
};

/** Stacking order of the chart, bottom to top; also the order of the outcome filter. */
export const OUTCOMES: Outcome[] = ['ok', 'rejected', 'failed', 'cancelled', 'pending'];

export const proxyLabel = (e: HistoryEntry): string =>
  e.challenger.port ? `${e.challenger.host}:${e.challenger.port}` : e.challenger.host ? t('historyProxyPortUnknown', e.challenger.host) : t('historyProxyUnknown');

const fullFormat = new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'medium', timeStyle: 'medium' });
const shortFormat = new Intl.DateTimeFormat(uiLanguage(), { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
/** With the year: the detail view. */
export const formatTime = (at: number): string => fullFormat.format(at);
/** Compact, for the table's time column. */
export const formatShortTime = (at: number): string => shortFormat.format(at);
