// The vault switch: a master password that seals saved proxy passwords at rest (optional).
import { useEffect, useState } from 'preact/hooks';
import type { Result, VaultStatus } from '../../../messaging/map';
import { send } from '../../../messaging/send';
import { Field } from '../../components/field';
import { PasswordInput } from '../../components/password-input';

type Fields = Record<'master' | 'repeat' | 'current' | 'next', string>;
const EMPTY: Fields = { master: '', repeat: '', current: '', next: '' };

export function VaultPanel() {
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
    if (!r.ok) return setError(r.problems.map((p) => p.message).join(' '));
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
      <h2 id="vault-heading" class="section-title">Master password (vault)</h2>
      <p class="field-hint">
        {status.enabled
          ? `On: saved passwords are encrypted (AES-GCM, key from your master password by PBKDF2-SHA-256, ${status.iterations?.toLocaleString('en')} iterations). ${status.unlocked ? 'Unlocked until the browser closes.' : 'Locked: the next proxy login asks for the master password.'}`
          : 'Off: saved passwords are stored as the browser stores extension data, readable by anyone with access to your browser profile. Turn the vault on to encrypt them with a master password; it is asked once per browser session.'}
      </p>
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
            if (f.master !== f.repeat) return setError('The two master passwords differ.');
            void run(() => send('vault/enable', { masterPassword: f.master }), 'The vault is on: saved passwords are encrypted.');
          }}
        >
          {password('master', 'Master password')}
          {password('repeat', 'Repeat master password')}
          <button type="submit" class="button button--primary">Turn on the vault</button>
        </form>
      )}
      {status.enabled && !status.unlocked && (
        <form noValidate onSubmit={(e) => (e.preventDefault(), void run(() => send('vault/unlock', { masterPassword: f.master }), 'Unlocked.'))}>
          {password('master', 'Master password')}
          <button type="submit" class="button button--primary">Unlock</button>
        </form>
      )}
      {status.enabled && status.unlocked && (
        <>
          <button type="button" class="button" onClick={() => void send('vault/lock').then((s) => (setStatus(s), setNote('Locked.')))}>
            Lock now
          </button>
          <form
            noValidate
            onSubmit={(e) => (
              e.preventDefault(), void run(() => send('vault/change', { masterPassword: f.current, newMasterPassword: f.next }), 'The master password was changed.')
            )}
          >
            {password('current', 'Current master password')}
            {password('next', 'New master password')}
            <div class="actions">
              <button type="submit" class="button">Change master password</button>
              <button
                type="button"
                class="button button--danger"
                onClick={() => void run(() => send('vault/disable', { masterPassword: f.current }), 'The vault is off: passwords are stored unencrypted again.')}
              >
                Turn off the vault
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
