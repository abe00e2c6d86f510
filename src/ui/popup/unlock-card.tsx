// The question asked when the vault is locked: one master password opens it for every waiting request.
import { problemsText } from '../components/codes-text';
import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { focusUnlessTyping } from '../components/focus';
import type { PendingPrompt } from '../../messaging/map';
import { send } from '../../messaging/send';
import { Field } from '../components/field';
import { t } from '../components/i18n';
import { PasswordInput } from '../components/password-input';
import { cancelPrompt, PromptButtons, runPromptAction } from './prompt-action';

interface UnlockCardProps {
  prompt: PendingPrompt;
  autoFocus: boolean;
  onDone: (how: 'answered' | 'cancelled') => void;
}

export function UnlockCard({ prompt, autoFocus, onDone }: UnlockCardProps) {
  const uid = useId();
  const [master, setMaster] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => {
    if (autoFocus) focusUnlessTyping(ref.current);
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!master) return setError(t('vaultMasterRequired'));
    await runPromptAction(setBusy, setError, async () => {
      const r = await send('vault/unlock', { masterPassword: master });
      if (r.ok) onDone('answered');
      else {
        setError(problemsText(r.problems));
        ref.current?.select();
      }
    });
  };

  const cancel = () => cancelPrompt(prompt.id, setBusy, setError, onDone);

  const headingId = `${uid}-heading`;
  return (
    <form class="prompt" aria-labelledby={headingId} noValidate onSubmit={submit}>
      <h2 id={headingId} class="prompt__title">
        {t('vaultUnlockTitle')}
      </h2>
      <p class="notice">{t('promptVaultLocked')}</p>
      <p class="prompt__waiting">
        {t('vaultUnlockFor', `${prompt.proxy.host}:${prompt.proxy.port}`)} {prompt.waiting === 1 ? t('waitingOne') : t('waitingMany', prompt.waiting)}
      </p>
      <Field id={`${uid}-master`} label={t('fieldMasterPassword')} error={error}>
        {(c) => <PasswordInput {...c} inputRef={ref} value={master} autoComplete="current-password" onInput={setMaster} />}
      </Field>
      <PromptButtons submitLabel={t('vaultUnlock')} busy={busy} onCancel={cancel} />
    </form>
  );
}
