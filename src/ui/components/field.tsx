// One labelled form control with its hint and error message, wired for screen readers.
import type { ComponentChildren } from 'preact';

/** Attributes the control inside a Field must carry. */
export interface ControlProps {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

interface FieldProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  class?: string;
  children: (control: ControlProps) => ComponentChildren;
}

export function Field({ id, label, hint, error, class: extra, children }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ');
  const control: ControlProps = { id };
  if (error) control['aria-invalid'] = true;
  if (describedBy) control['aria-describedby'] = describedBy;
  return (
    <div class={['field', error ? 'field--invalid' : '', extra ?? ''].filter(Boolean).join(' ')}>
      <label for={id}>{label}</label>
      {children(control)}
      {error && (
        <p id={errorId} class="field-error">
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} class="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}
