// The Settings section: what happens when no profile fits, prompt timeout, history retention and privacy; validated inline.
import { problemText } from '../../components/codes-text';
import { useEffect, useState } from 'preact/hooks';
import type { NoMatchAction, Settings } from '../../../core/model';
import type { Problem } from '../../../core/profile-schema';
import { MAX_PROMPT_TIMEOUT_SECONDS, validateSettings } from '../../../core/settings-schema';
import { send } from '../../../messaging/send';
import type { SettingsState } from '../../../messaging/map';
import type { ForcedSetting } from '../../../core/managed-policy';
import { VaultPanel } from './vault-panel';
import { Field } from '../../components/field';
import { t } from '../../components/i18n';

/** What the inputs hold: numbers as typed. */
interface Draft {
  noMatch: NoMatchAction;
  promptTimeoutSeconds: string;
  historyRetentionDays: string;
  historyMaxRows: string;
  stripQueryStrings: boolean;
  vaultAutoLockMinutes: string;
}

/** Each choice with the message keys of its label and hint. */
const NO_MATCH: [NoMatchAction, string, string][] = [
  ['ask', 'settingsNoMatchAsk', 'settingsNoMatchAskHint'],
  ['browser', 'settingsNoMatchBrowser', 'settingsNoMatchBrowserHint'],
  ['cancel', 'settingsNoMatchCancel', 'settingsNoMatchCancelHint'],
];

const draftOf = (s: Settings): Draft => ({
  noMatch: s.noMatch,
  promptTimeoutSeconds: String(s.promptTimeoutSeconds),
  historyRetentionDays: String(s.historyRetentionDays),
  historyMaxRows: String(s.historyMaxRows),
  stripQueryStrings: s.stripQueryStrings,
  vaultAutoLockMinutes: String(s.vaultAutoLockMinutes),
});

const num = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

export function SettingsPage() {
  const [saved, setSaved] = useState<Settings | null>(null);
  /** What the organisation's policy forces: shown as managed, disabled, and why. */
  const [policy, setPolicy] = useState<Pick<SettingsState, 'forced' | 'rules'> | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState('');

  useEffect(() => {
    send('settings/get').then(
      ({ settings, forced, rules }) => {
        setSaved(settings);
        setDraft(draftOf(settings));
        setPolicy({ forced, rules });
      },
      (err: unknown) => setStatus(t('settingsLoadFailed', err instanceof Error ? err.message : String(err))),
    );
  }, []);

  if (!saved || !draft || !policy) return <p class="muted">{status || t('loading')}</p>;

  const isForced = (key: ForcedSetting) => policy.forced.includes(key);
  /** A forced control: disabled, with the reason as its tooltip and, beside it, the managed mark. */
  const forcedProps = (key: ForcedSetting) => (isForced(key) ? { disabled: true, title: t('managedSettingHint') } : {});
  const ManagedNote = ({ k }: { k: ForcedSetting }) =>
    isForced(k) ? (
      <p class="field-hint setting-managed" data-managed={k}>
        <span class="badge badge--managed">{t('managedBadge')}</span> {t('managedSettingNote')}
      </p>
    ) : null;

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft({ ...draft, [key]: value });
    setErrors((e) => ({ ...e, [key]: '' }));
    setStatus('');
  };
  const show = (problems: Problem[]) => {
    setErrors(Object.fromEntries(problems.map((p) => [p.path, problemText(p)])));
    document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    // the vault switch is not on this page: it keeps its stored value
    const input = { ...saved, ...draft, promptTimeoutSeconds: num(draft.promptTimeoutSeconds), historyRetentionDays: num(draft.historyRetentionDays), historyMaxRows: num(draft.historyMaxRows), vaultAutoLockMinutes: num(draft.vaultAutoLockMinutes) };
    const checked = validateSettings(input);
    if (!checked.ok) return show(checked.problems);
    const result = await send('settings/save', checked.settings);
    if (!result.ok) return show(result.problems);
    setSaved(result.value);
    setErrors({});
    setStatus(t('settingsSaved'));
  };

  const number = (key: 'promptTimeoutSeconds' | 'historyRetentionDays' | 'historyMaxRows' | 'vaultAutoLockMinutes', label: string, hint: string) => (
    <Field id={`setting-${key}`} label={label} hint={hint} error={errors[key] || undefined}>
      {(c) => <input {...c} {...(key === 'promptTimeoutSeconds' || key === 'historyRetentionDays' ? forcedProps(key) : {})} type="number" inputMode="numeric" value={draft[key]} onInput={(e) => set(key, e.currentTarget.value)} />}
    </Field>
  );

  return (
    <>
    <form class="settings" noValidate onSubmit={submit} aria-label={t('settingsFormLabel')}>
      <fieldset class="choices card" {...forcedProps('noMatch')}>
        <legend>{t('settingsNoMatchLegend')}</legend>
        <ManagedNote k="noMatch" />
        {NO_MATCH.map(([value, label, hint]) => (
          <div class="check" key={value}>
            <input id={`no-match-${value}`} type="radio" name="noMatch" value={value} checked={draft.noMatch === value} onChange={() => set('noMatch', value)} aria-describedby={`no-match-${value}-hint`} />
            <label for={`no-match-${value}`}>
              {t(label)}
              <span id={`no-match-${value}-hint`} class="field-hint choice-hint">
                {t(hint)}
              </span>
            </label>
          </div>
        ))}
      </fieldset>
      <div class="card settings__group">
        {number('promptTimeoutSeconds', t('settingsPromptTimeout'), t('settingsPromptTimeoutHint', MAX_PROMPT_TIMEOUT_SECONDS))}
        <ManagedNote k="promptTimeoutSeconds" />
      </div>
      <div class="card settings__group">
        {number('historyRetentionDays', t('settingsRetentionDays'), t('settingsRetentionDaysHint'))}
        <ManagedNote k="historyRetentionDays" />
        {number('historyMaxRows', t('settingsMaxRows'), t('settingsMaxRowsHint'))}
        <div class="check">
          <input id="setting-strip" {...forcedProps('stripQueryStrings')} type="checkbox" checked={draft.stripQueryStrings} onChange={(e) => set('stripQueryStrings', e.currentTarget.checked)} />
          <label for="setting-strip">{t('settingsStripQuery')}</label>
        </div>
        <ManagedNote k="stripQueryStrings" />
      </div>
      <div class="card settings__group">
        {number('vaultAutoLockMinutes', t('settingsAutoLock'), t('settingsAutoLockHint'))}
      </div>
      <div class="actions">
        <button type="submit" class="button button--primary">
          {t('settingsSave')}
        </button>
        <p role="status" class="settings__status">
          {status}
        </p>
      </div>
    </form>
    <VaultPanel vaultRequired={policy.rules.vaultRequired} />
    </>
  );
}
