// The vault switch: a master password that seals saved proxy passwords at rest (optional).
import { problemsText } from '../../components/codes-text';
import { useEffect, useState } from 'preact/hooks';
import type { Result, VaultStatus } from '../../../messaging/map';
import { send } from '../../../messaging/send';
import { Field } from '../../components/field';
import { t, uiLanguage } from '../../components/i18n';
import { PasswordInput } from '../../components/password-input';

type Fields = Record<'master' | 'repeat' | 'current' | 'next', string>;
const EMPTY: Fields = { master: '', repeat: '', current: '', next: '' };

/** `vaultRequired`: the organisation's policy requires the vault; it cannot be turned off (the worker refuses it too). */
export function VaultPanel({ vaultRequired = false }: { vaultRequired?: boolean }) {
  const [status, setStatus] = useState<VaultStatus | null>(null);
  const [f, setF] = useState<Fields>(EMPTY);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  useEffect(() => {
    void send('vault/status').then(setStatus);
  }, []);

  const set = (k: keyof Fields) => (value: string) => setF((x) => ({ ...x, [k]: value }));
  const run = async (action: () => Promise<Result<VaultStatus>>, done: string) => {
    setError('');
    setNote('');
    const r = await action();
    if (!r.ok) return setError(problemsText(r.problems));
    setStatus(r.value);
    setF(EMPTY);
    setNote(done);
  };
  const password = (k: keyof Fields, label: string) => (
    <Field id={`vault-${k}`} label={label}>
      {(c) => <PasswordInput {...c} value={f[k]} autoComplete={k === 'current' || k === 'master' ? 'current-password' : 'new-password'} onInput={set(k)} />}
    </Field>
  );
  if (!status) return null;

  return (
    <section class="card settings__group vault" aria-labelledby="vault-heading">
      <h2 id="vault-heading" class="section-title">{t('vaultTitle')}</h2>
      {status.damaged && (
        <p class="notice notice--error" role="alert" data-vault="damaged">
          {t('problemVaultDamaged')}
        </p>
      )}
      <p class="field-hint" hidden={status.damaged === true}>
        {status.enabled
          ? t('vaultOnHint', String(status.iterations?.toLocaleString(uiLanguage())), status.unlocked ? t('vaultStateUnlocked') : t('vaultStateLocked'))
          : t('vaultOffHint')}
      </p>
      {vaultRequired && (
        <p class={`notice notice--managed${status.enabled ? '' : ' notice--warning'}`} data-managed="vaultRequired">
          <span class="badge badge--managed">{t('managedBadge')}</span> {t('problemPolicyVaultRequired')}
        </p>
      )}
      {error && (
        <p class="notice notice--error" role="alert">
          {error}
        </p>
      )}
      {!status.enabled && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (f.master !== f.repeat) return setError(t('vaultMismatch'));
            void run(() => send('vault/enable', { masterPassword: f.master }), t('vaultEnabled'));
          }}
        >
          {password('master', t('fieldMasterPassword'))}
          {password('repeat', t('fieldRepeatMasterPassword'))}
          <button type="submit" class="button button--primary">{t('vaultEnable')}</button>
        </form>
      )}
      {status.enabled && !status.unlocked && !status.damaged && (
        <form noValidate onSubmit={(e) => (e.preventDefault(), void run(() => send('vault/unlock', { masterPassword: f.master }), t('vaultUnlocked')))}>
          {password('master', t('fieldMasterPassword'))}
          <button type="submit" class="button button--primary">{t('vaultUnlock')}</button>
        </form>
      )}
      {status.enabled && status.unlocked && (
        <>
          <button type="button" class="button" onClick={() => void send('vault/lock').then((s) => (setStatus(s), setNote(t('vaultLocked'))))}>
            {t('vaultLock')}
          </button>
          <form
            noValidate
            onSubmit={(e) => (
              e.preventDefault(), void run(() => send('vault/change', { masterPassword: f.current, newMasterPassword: f.next }), t('vaultChanged'))
            )}
          >
            {password('current', t('fieldCurrentMasterPassword'))}
            {password('next', t('fieldNewMasterPassword'))}
            <div class="actions">
              <button type="submit" class="button">{t('vaultChange')}</button>
              <button
                type="button"
                class="button button--danger"
                disabled={vaultRequired}
                title={vaultRequired ? t('problemPolicyVaultRequired') : undefined}
                onClick={() => void run(() => send('vault/disable', { masterPassword: f.current }), t('vaultDisabled'))}
              >
                {t('vaultDisable')}
              </button>
            </div>
          </form>
        </>
      )}
      <p role="status" class="settings__status">
        {note}
      </p>
    </section>
  );
}
