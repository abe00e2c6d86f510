// One challenge in full, with its diagnosis: what happened in plain words and the next step.
import { useEffect, useRef } from 'preact/hooks';
import type { Finding } from '../../../core/diagnose';
import type { HistoryEntry } from '../../../core/model';
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
    ['Time', formatTime(e.at)],
    ['Page', e.url || (e.private ? '(private window: not recorded)' : '—')],
    ['Proxy', proxyLabel(e)],
    ['Realm', e.realm ?? '—'],
    ['Scheme', e.scheme || '—'],
    ['Profile', e.profileName ?? '—'],
    ['Decision', `${DECISION_LABELS[e.decision] ?? e.decision} · ${e.decision}`],
    ['Outcome', OUTCOME_LABELS[e.outcome] ?? e.outcome],
    ['Attempts', String(e.attempts)],
  ];
  if (e.error) facts.push(['Error', e.error]);
  return (
    <aside class="detail" aria-labelledby="detail-heading">
      <div class="detail__head">
        <h3 id="detail-heading" ref={heading} tabIndex={-1}>
          Challenge details
        </h3>
        <button type="button" class="button button--small" onClick={onClose}>
          Close details
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
        <h4 id="diagnosis-heading">Diagnosis</h4>
        {findings.length === 0 ? (
          <p class="muted">{e.outcome === 'pending' ? 'Still in progress: the request has not ended yet.' : 'Nothing to fix: the proxy accepted the login.'}</p>
        ) : (
          <ol class="diagnosis__list">
            {findings.map((f) => (
              <li key={f.rule} class={`finding finding--${f.rule}`}>
                <p>{f.what}</p>
                <p class="finding__next">
                  <strong>Next step:</strong> {f.next}
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </aside>
  );
}
