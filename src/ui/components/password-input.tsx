// A password box with a "Show password" toggle beside it; the toggle never submits the form.
import { useState } from 'preact/hooks';
import type { ControlProps } from './field';
import { t } from './i18n';

interface PasswordInputProps extends ControlProps {
  value: string;
  onInput: (value: string) => void;
  autoComplete?: string;
  inputRef?: { current: HTMLInputElement | null };
  /** Shown as text from the start (a saved password the user asked to see). */
  visible?: boolean;
}

export function PasswordInput({ value, onInput, autoComplete = 'off', inputRef, visible: shown = false, ...control }: PasswordInputProps) {
  const [visible, setVisible] = useState(shown);
  const input = {
    ...control,
    ref: inputRef,
    value,
    autoComplete,
    spellcheck: false,
    autoCapitalize: 'off' as const,
    onInput: (e: Event) => onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class="password-input">
      {/* Same position, same element: Preact keeps the one <input> (and its caret) when the type flips. */}
      {visible ? <input {...input} type="text" /> : <input {...input} type="password" />}
      <button type="button" class="button button--quiet" aria-controls={control.id} onClick={() => setVisible(!visible)}>
        {visible ? t('hidePassword') : t('showPassword')}
      </button>
    </div>
  );
}
