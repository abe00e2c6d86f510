// One pending proxy sign-in: who asks, why, and the Username / Password / remember choice that answers it.
import { problemText, profileText } from '../components/codes-text';
import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { focusUnlessTyping } from '../components/focus';
import { type Problem, ProfileFieldsSchema, validate } from '../../core/profile-schema';
import type { PendingPrompt, PromptAnswer, Remember } from '../../messaging/map';
import { send } from '../../messaging/send';
import { Field } from '../components/field';
import { t } from '../components/i18n';
import { PasswordInput } from '../components/password-input';
import { schemeLabel } from '../components/profile-list';
import { cancelPrompt, PromptButtons, runPromptAction } from './prompt-action';

export interface PromptCardProps {
  prompt: PendingPrompt;
  now: number;
  /** No saved profile for this proxy yet: offer "Save as profile" by default. */
  suggestSave: boolean;
  /** Take the focus when shown (only the first prompt, only when nothing else has it). */
  autoFocus: boolean;
  /** The prompt was answered or cancelled. */
  onDone: (how: 'answered' | 'cancelled') => void;
}

type Errors = Partial<Record<'username' | 'password' | 'profileName', string>>;

const REMEMBER: { value: Remember; label: string }[] = [
  { value: 'once', label: 'rememberOnce' },
  { value: 'session', label: 'rememberSession' },
  { value: 'save', label: 'rememberSave' },
];

function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function PromptCard({ prompt, now, suggestSave, autoFocus, onDone }: PromptCardProps) {
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const rejected = prompt.reason === 'rejected' ? prompt.rejectedProfile : undefined;
  const [username, setUsername] = useState(rejected?.username ?? '');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState<Remember>(suggestSave ? 'save' : 'once');
  const [profileName, setProfileName] = useState('');
  const [updateProfile, setUpdateProfile] = useState(true);
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useLayoutEffect(() => {
    if (autoFocus) focusUnlessTyping((username ? passwordRef : usernameRef).current);
  }, []);

  const showProblems = (problems: Problem[]) => {
    const next: Errors = {};
    const other: string[] = [];
    for (const p of problems) {
      if (p.path === 'username' || p.path === 'password' || p.path === 'profileName') next[p.path] ??= problemText(p);
      else other.push(problemText(p));
    }
    setErrors(next);
    setFailure(other.join(' '));
    (next.username ? usernameRef : passwordRef).current?.focus();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const problems = [
      validate(ProfileFieldsSchema.entries.username, username, 'username'),
      validate(ProfileFieldsSchema.entries.password, password, 'password'),
    ].flatMap((r) => (r.ok ? [] : r.problems));
    if (problems.length) return showProblems(problems);
    const answer: PromptAnswer = { id: prompt.id, username, password, remember };
    if (rejected && updateProfile) answer.updateProfileId = rejected.id;
    else if (remember === 'save' && profileName.trim()) answer.profileName = profileName.trim();
    await runPromptAction(setBusy, setFailure, async () => {
      const result = await send('prompts/answer', answer);
      if (result.ok) onDone('answered');
      else showProblems(result.problems);
    });
  };

  const cancel = () => cancelPrompt(prompt.id, setBusy, setFailure, onDone);

  const downgrade = prompt.reason === 'downgrade' ? prompt.downgradeProfile : undefined;
  // the user's yes: the Digest profile answers this Basic challenge, and Basic is remembered on it
  const allowBasic = () =>
    runPromptAction(setBusy, setFailure, async () => {
      const result = await send('prompts/answer', { id: prompt.id, username: '', password: '', remember: 'once', allowBasic: true });
      if (result.ok) onDone('answered');
      else showProblems(result.problems);
    });

  const updating = Boolean(rejected && updateProfile);
  const proxy = `${prompt.proxy.host}:${prompt.proxy.port}`;
  const headingId = id('heading');
  return (
    <form class="prompt" aria-labelledby={headingId} noValidate onSubmit={submit}>
      <h2 id={headingId} class="prompt__title">
        {t('promptTitle', proxy)}
      </h2>
      <dl class="prompt__facts">
        <div>
          <dt>{t('factRealm')}</dt>
          <dd>{prompt.realm === null ? t('noRealm') : t('realmQuoted', prompt.realm)}</dd>
        </div>
        <div>
          <dt>{t('factScheme')}</dt>
          <dd>{schemeLabel(prompt.scheme)}</dd>
        </div>
        <div class="prompt__page">
          <dt>{t('factPage')}</dt>
          <dd title={prompt.url}>{prompt.url || t('pageUnknown')}</dd>
        </div>
      </dl>
      <p class="prompt__waiting">
        {prompt.waiting === 1 ? t('waitingOne') : t('waitingMany', prompt.waiting)}{' '}
        <span class="prompt__timeout">{t('promptTimesOut', countdown(prompt.expiresAt - now))}</span>
      </p>
      {rejected && (
        <p class="notice notice--error">{t('promptRejected', rejected.name, rejected.username)}</p>
      )}
      {prompt.newRealm && <p class="notice notice--warning">{t('promptNewRealm')}</p>}
      {prompt.clearTextWarning && <p class="notice notice--warning">{t('clearTextWarning')}</p>}
      {downgrade && (
        <div class="notice notice--warning">
          <p>{t('promptDowngrade', profileText({ profileId: downgrade.id, profileName: downgrade.name }), downgrade.username)}</p>
          <button type="button" class="button" disabled={busy} onClick={allowBasic}>
            {t('promptAllowBasic')}
          </button>
        </div>
      )}
      {failure && (
        <p class="notice notice--error" role="alert">
          {failure}
        </p>
      )}
      <Field id={id('username')} label={t('fieldUsername')} hint={prompt.scheme === 'ntlm' ? t('promptNtlmUsernameHint') : undefined} error={errors.username}>
        {(c) => (
          <input
            {...c}
            ref={usernameRef}
            type="text"
            value={username}
            autoComplete="username"
            spellcheck={false}
            autoCapitalize="off"
            onInput={(e) => {
              setUsername(e.currentTarget.value);
              setErrors((x) => ({ ...x, username: undefined }));
            }}
          />
        )}
      </Field>
      <Field id={id('password')} label={t('fieldPassword')} error={errors.password}>
        {(c) => <PasswordInput {...c} inputRef={passwordRef} value={password} autoComplete="current-password" onInput={setPassword} />}
      </Field>
      {rejected && (
        <div class="check">
          <input id={id('update')} type="checkbox" checked={updateProfile} onChange={(e) => setUpdateProfile(e.currentTarget.checked)} />
          <label for={id('update')}>{t('promptUpdateProfile', rejected.name)}</label>
        </div>
      )}
      {/* Updating the profile already decides where the password goes: no other choice to make. */}
      {!updating && (
        <fieldset class="choices">
          <legend>{t('rememberLegend')}</legend>
          {REMEMBER.map((r) => (
            <div class="check" key={r.value}>
              <input
                id={id(`remember-${r.value}`)}
                type="radio"
                name={id('remember')}
                value={r.value}
                checked={remember === r.value}
                onChange={() => setRemember(r.value)}
              />
              <label for={id(`remember-${r.value}`)}>{t(r.label)}</label>
            </div>
          ))}
        </fieldset>
      )}
      {!updating && remember === 'save' && (
        <Field id={id('profileName')} label={t('fieldProfileName')} error={errors.profileName}>
          {(c) => (
            <input
              {...c}
              type="text"
              value={profileName}
              placeholder={username ? `${username}@${prompt.proxy.host}` : ''}
              onInput={(e) => setProfileName(e.currentTarget.value)}
            />
          )}
        </Field>
      )}
      <PromptButtons submitLabel={t('signIn')} busy={busy} onCancel={cancel} />
    </form>
  );
}
