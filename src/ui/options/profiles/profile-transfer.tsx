// Export profiles (passwords only with "Include passwords") and import a profiles file, listing every problem with its path.
import { problemText, problemsText } from '../../components/codes-text';
import { useState } from 'preact/hooks';
import type { Problem } from '../../../core/profile-schema';
import { send } from '../../../messaging/send';
import type { PolicyRules } from '../../../core/managed-policy';
import { t } from '../../components/i18n';
import { downloadText, fileName } from '../download';

/** "Exported 3 profiles without passwords." */
function exportedText(count: number, withPasswords: boolean): string {
  if (withPasswords) return count === 1 ? t('profilesExportedOnePasswords') : t('profilesExportedManyPasswords', count);
  return count === 1 ? t('profilesExportedOne') : t('profilesExportedMany', count);
}

type Status = { kind: 'idle' } | { kind: 'ok'; text: string } | { kind: 'problems'; file: string; problems: Problem[] } | { kind: 'error'; text: string };

/** `rules`: the organisation's policy (no password export, no profiles of the user's own): those controls are disabled, saying why. */
export function ProfileTransfer({ onImported, rules }: { onImported: () => void; rules: PolicyRules | null }) {
  const noPasswords = rules?.allowPasswordExport === false;
  const noImport = rules?.allowUserProfiles === false;
  const [includePasswords, setIncludePasswords] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  const exportProfiles = async () => {
    try {
      const withPasswords = includePasswords && !noPasswords;
      const result = await send('profiles/export', { includePasswords: withPasswords });
      if (!result.ok) return setStatus({ kind: 'error', text: problemsText(result.problems) });
      const { text, count } = result.value;
      downloadText(fileName('profiles', 'json'), text, 'application/json');
      setStatus({ kind: 'ok', text: exportedText(count, withPasswords) });
    } catch (err) {
      setStatus({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    }
  };

  const importFile = async (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    try {
      const result = await send('profiles/import', { text: await file.text() });
      if (!result.ok) {
        setStatus({ kind: 'problems', file: file.name, problems: result.problems });
        return;
      }
      const { added, updated, unchanged } = result.value;
      setStatus({ kind: 'ok', text: t('profilesImported', file.name, added, updated, unchanged) });
      onImported();
    } catch (err) {
      setStatus({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    } finally {
      input.value = ''; // choosing the same file again imports it again
    }
  };

  return (
    <section class="card transfer" aria-labelledby="transfer-heading">
      <h3 id="transfer-heading">{t('profilesTransferTitle')}</h3>
      <div class="transfer__row">
        <div class="check">
          <input
            id="export-passwords"
            type="checkbox"
            checked={includePasswords && !noPasswords}
            disabled={noPasswords}
            title={noPasswords ? t('problemPolicyPasswordExportOff') : undefined}
            onChange={(e) => setIncludePasswords(e.currentTarget.checked)}
          />
          <label for="export-passwords">{t('profilesIncludePasswords')}</label>
        </div>
        <button type="button" class="button" onClick={exportProfiles}>
          {t('profilesExport')}
        </button>
      </div>
      {noPasswords && (
        <p class="field-hint" data-managed="allowPasswordExport">
          <span class="badge badge--managed">{t('managedBadge')}</span> {t('problemPolicyPasswordExportOff')}
        </p>
      )}
      <div class="field transfer__import">
        <label for="import-profiles">{t('profilesImport')}</label>
        <input id="import-profiles" type="file" accept=".json,application/json" aria-describedby="import-hint" disabled={noImport} title={noImport ? t('problemPolicyUserProfilesOff') : undefined} onChange={importFile} />
        <p id="import-hint" class="field-hint">
          {noImport ? t('problemPolicyUserProfilesOff') : t('profilesImportHint')}
        </p>
      </div>
      <div aria-live="polite">
        {status.kind === 'ok' && <p class="notice">{status.text}</p>}
        {status.kind === 'error' && <p class="notice notice--error">{status.text}</p>}
        {status.kind === 'problems' && (
          <div class="notice notice--error" role="alert">
            <p>
              {status.problems.length === 1 ? t('profilesImportRefusedOne', status.file) : t('profilesImportRefusedMany', status.file, status.problems.length)}
            </p>
            <ul class="problems">
              {status.problems.map((p) => (
                <li key={`${p.path}:${p.code}`}>
                  <code>{p.path}</code>: {problemText(p)}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
