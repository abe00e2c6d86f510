// A password box with a "Show password" toggle beside it; the toggle never submits the form.
import { useState } from 'preact/hooks';
import type { ControlProps } from './field';
import { t } from './i18n';

interface PasswordInputProps extends ControlProps {
  value: string;
  onInput: (value: string) => void;
  autoComplete?: string;
  inputRef?: { current: HTMLInputElement | null };
}

export function PasswordInput({ value, onInput, autoComplete = 'off', inputRef, ...control }: PasswordInputProps) {
  const [visible, setVisible] = useState(false);
  return (
    <div class="password-input">
      <input
        {...control}
        ref={inputRef}
        type={visible ? 'text' : 'password'}
        value={value}
        autoComplete={autoComplete}
        spellcheck={false}
        autoCapitalize="off"
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      <button type="button" class="button button--quiet" aria-controls={control.id} onClick={() => setVisible(!visible)}>
        {visible ? t('hidePassword') : t('showPassword')}
      </button>
    </div>
  );
}
