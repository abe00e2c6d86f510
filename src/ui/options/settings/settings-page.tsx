// The Settings section: what happens when no profile fits, prompt timeout, history retention and privacy; validated inline.
import { useEffect, useState } from 'preact/hooks';
import type { NoMatchAction, Settings } from '../../../core/model';
import type { Problem } from '../../../core/profile-schema';
import { MAX_PROMPT_TIMEOUT_SECONDS, validateSettings } from '../../../core/settings-schema';
import { send } from '../../../messaging/send';
import { VaultPanel } from './vault-panel';
import { Field } from '../../components/field';

/** What the inputs hold: numbers as typed. */
interface Draft {
  noMatch: NoMatchAction;
  promptTimeoutSeconds: string;
  historyRetentionDays: string;
  historyMaxRows: string;
  stripQueryStrings: boolean;
}

const NO_MATCH: [NoMatchAction, string, string][] = [
  ['ask', 'Ask me', 'Show a sign-in prompt; every waiting request shares it.'],
  ['browser', 'Let the browser ask', "Hand the challenge to the browser's own login dialog."],
  ['cancel', 'Cancel the request', 'The page fails to load; nothing is asked.'],
];

const draftOf = (s: Settings): Draft => ({
  noMatch: s.noMatch,
  promptTimeoutSeconds: String(s.promptTimeoutSeconds),
  historyRetentionDays: String(s.historyRetentionDays),
  historyMaxRows: String(s.historyMaxRows),
  stripQueryStrings: s.stripQueryStrings,
});

const num = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

export function SettingsPage() {
  const [saved, setSaved] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState('');

  useEffect(() => {
    send('settings/get').then(
      (s) => {
        setSaved(s);
        setDraft(draftOf(s));
      },
      (err: unknown) => setStatus(`Could not load the settings: ${err instanceof Error ? err.message : String(err)}`),
    );
  }, []);

  if (!saved || !draft) return <p class="muted">{status || 'Loading…'}</p>;

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft({ ...draft, [key]: value });
    setErrors((e) => ({ ...e, [key]: '' }));
    setStatus('');
  };
  const show = (problems: Problem[]) => {
    setErrors(Object.fromEntries(problems.map((p) => [p.path, p.message])));
    document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    // the vault switch is not on this page: it keeps its stored value
    const input = { ...saved, ...draft, promptTimeoutSeconds: num(draft.promptTimeoutSeconds), historyRetentionDays: num(draft.historyRetentionDays), historyMaxRows: num(draft.historyMaxRows) };
    const checked = validateSettings(input);
    if (!checked.ok) return show(checked.problems);
    const result = await send('settings/save', checked.settings);
    if (!result.ok) return show(result.problems);
    setSaved(result.value);
    setErrors({});
    setStatus('Settings saved.');
  };

  const number = (key: 'promptTimeoutSeconds' | 'historyRetentionDays' | 'historyMaxRows', label: string, hint: string) => (
    <Field id={`setting-${key}`} label={label} hint={hint} error={errors[key] || undefined}>
      {(c) => <input {...c} type="number" inputMode="numeric" value={draft[key]} onInput={(e) => set(key, e.currentTarget.value)} />}
    </Field>
  );

  return (
    <>
    <form class="settings" noValidate onSubmit={submit} aria-label="Settings">
      <fieldset class="choices card">
        <legend>When no profile matches a proxy</legend>
        {NO_MATCH.map(([value, label, hint]) => (
          <div class="check" key={value}>
            <input id={`no-match-${value}`} type="radio" name="noMatch" value={value} checked={draft.noMatch === value} onChange={() => set('noMatch', value)} aria-describedby={`no-match-${value}-hint`} />
            <label for={`no-match-${value}`}>
              {label}
              <span id={`no-match-${value}-hint`} class="field-hint choice-hint">
                {hint}
              </span>
            </label>
          </div>
        ))}
      </fieldset>
      <div class="card settings__group">
        {number('promptTimeoutSeconds', 'Prompt timeout (seconds)', `A prompt nobody answers cancels its requests after this long; under 5 minutes (at most ${MAX_PROMPT_TIMEOUT_SECONDS} s).`)}
      </div>
      <div class="card settings__group">
        {number('historyRetentionDays', 'Keep history for (days)', 'Older challenges are deleted automatically.')}
        {number('historyMaxRows', 'Keep at most (rows)', 'The oldest challenges beyond this are deleted automatically.')}
        <div class="check">
          <input id="setting-strip" type="checkbox" checked={draft.stripQueryStrings} onChange={(e) => set('stripQueryStrings', e.currentTarget.checked)} />
          <label for="setting-strip">Strip query strings from page addresses in history (they can hold tokens)</label>
        </div>
      </div>
      <div class="actions">
        <button type="submit" class="button button--primary">
          Save settings
        </button>
        <p role="status" class="settings__status">
          {status}
        </p>
      </div>
    </form>
    <VaultPanel />
    </>
  );
}
