// Above every section: whether the organisation's browser policy manages anything, and each problem of a
// malformed policy with its path (the same codes and words as a refused import file).
import { useEffect, useState } from 'preact/hooks';
import type { PolicyStatus } from '../../messaging/map';
import { send } from '../../messaging/send';
import { problemText } from '../components/codes-text';
import { t } from '../components/i18n';

export function PolicyBanner() {
  const [status, setStatus] = useState<PolicyStatus | null>(null);
  useEffect(() => {
    const load = () => send('policy/status').then(setStatus, () => {});
    void load();
    // a policy changed while the page was in the background shows when the user comes back
    const onVisible = () => document.visibilityState === 'visible' && void load();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);
  if (!status?.active) return null;
  const { problems } = status;
  return (
    <section class="policy-banner" aria-label={t('managedBadge')}>
      <p class="notice notice--managed">
        <span class="badge badge--managed">{t('managedBadge')}</span> {t('policyActive')}
      </p>
      {problems.length > 0 && (
        <div class="notice notice--warning policy-problems" role="alert">
          <p>{problems.length === 1 ? t('policyProblemsOne') : t('policyProblemsMany', problems.length)}</p>
          <ul class="problems">
            {problems.map((p) => (
              <li key={`${p.path}:${p.code}`} data-path={p.path}>
                <code>{p.path}</code>: {problemText(p)}
              </li>
            ))}
          </ul>
          <p>{t('policyProblemsAdmin')}</p>
        </div>
      )}
    </section>
  );
}
