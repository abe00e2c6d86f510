// One challenge in full, with its diagnosis: what happened in plain words and the next step.
import { isManagedId } from '../../../core/managed-policy';
import { errorText, findingText, profileText } from '../../components/codes-text';
import { useEffect, useRef } from 'preact/hooks';
import type { Finding } from '../../../core/diagnose';
import type { HistoryEntry } from '../../../core/model';
import { t } from '../../components/i18n';
import { DECISION_LABELS, formatTime, OUTCOME_LABELS, proxyLabel } from './labels';

interface EntryDetailProps {
  entry: HistoryEntry;
  findings: Finding[];
  onClose: () => void;
}

export function EntryDetail({ entry: e, findings, onClose }: EntryDetailProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [e.id]);
  const facts: [string, string][] = [
    [t('historyFieldTime'), formatTime(e.at)],
    [t('historyFieldPage'), e.url || (e.private ? t('historyPrivateNotRecorded') : '—')],
    [t('historyFieldProxy'), proxyLabel(e)],
    [t('historyFieldRealm'), e.realm ?? '—'],
    [t('historyFieldScheme'), e.scheme || '—'],
    ...(e.offered?.length ? [[t('historyFieldOffered'), e.offered.join(', ')] as [string, string]] : []),
    [t('historyFieldProfile'), e.profileName === null ? '—' : e.profileId !== null && isManagedId(e.profileId) ? `${e.profileName} (${t('historyManagedTitle')})` : profileText(e)],
    [t('historyFieldDecision'), `${DECISION_LABELS[e.decision] ?? e.decision} · ${e.decision}`],
    [t('historyFieldOutcome'), OUTCOME_LABELS[e.outcome] ?? e.outcome],
    [t('historyFieldAttempts'), String(e.attempts)],
  ];
  if (e.error) facts.push([t('historyFieldError'), errorText(e.error)]);
  return (
    <aside class="detail" aria-labelledby="detail-heading">
      <div class="detail__head">
        <h3 id="detail-heading" ref={heading} tabIndex={-1}>
          {t('historyDetailTitle')}
        </h3>
        <button type="button" class="button button--small" onClick={onClose}>
          {t('historyDetailClose')}
        </button>
      </div>
      <dl class="detail__facts">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <section class="diagnosis" aria-labelledby="diagnosis-heading">
        <h4 id="diagnosis-heading">{t('historyDiagnosis')}</h4>
        {findings.length === 0 ? (
          <p class="muted">{e.outcome === 'pending' ? t('historyDiagnosisPending') : t('historyDiagnosisNone')}</p>
        ) : (
          <ol class="diagnosis__list">
            {findings.map((f, i) => {
              const { what, next } = findingText(f);
              return (
                <li key={`${i}:${f.code}`} class={`finding finding--${f.code}`} data-code={f.code}>
                  <p>{what}</p>
                  {next && (
                    <p class="finding__next">
                      <strong>{t('historyNextStep')}</strong> {next}
                    </p>
                  )}
                </li>
              );
            })}
          </ol>
        )}
      </section>
    </aside>
  );
}
