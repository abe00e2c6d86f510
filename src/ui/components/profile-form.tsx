// Add or edit one profile: validated here with the same schema as the worker, problems shown beside their fields.
import { problemText } from './codes-text';
import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { focusUnlessTyping } from './focus';
import type { ProfileScheme, ProfileView } from '../../core/model';
import { type Problem, type ProfileFields, ProfileFieldsSchema, type ProfileSaveFields, validate } from '../../core/profile-schema';
import type { Result } from '../../messaging/map';
import { send } from '../../messaging/send';
import { Field } from './field';
import { t } from './i18n';
import { PasswordInput } from './password-input';

/** What profiles/save takes; without `password` an existing profile keeps its own. */
export type ProfileInput = ProfileSaveFields & { id?: string };

export interface ProfileFormProps {
  /** The profile to edit; absent or null to add a new one. */
  profile?: ProfileView | null;
  /** Pre-fills a new profile (e.g. the proxy of a prompt); ignored when editing. */
  defaults?: Partial<ProfileFields>;
  /** Persists the fields (the popup and options page pass `(f) => send('profiles/save', f)`). */
  onSave: (input: ProfileInput) => Promise<Result<ProfileView>>;
  onSaved: (profile: ProfileView) => void;
  /**
   * "Show saved password" while editing: the worker hands it over, with the vault on only for the
   * master password (it answers `master-required` first). Absent: no such button.
   */
  onReveal?: (masterPassword?: string) => Promise<Result<{ password: string }>>;
  onCancel: () => void;
}

/** The editable fields of a saved profile, with its id and without a password: the worker keeps the saved one. */
export function profileInput(p: ProfileView): ProfileInput {
  const { id, name, proxy, realm, scheme, username, isDefault } = p;
  return { id, name, proxy: { ...proxy }, realm, scheme, username, isDefault };
}

/** What the inputs hold: text as typed, turned into ProfileFields on submit. */
interface Draft {
  name: string;
  host: string;
  port: string;
  realm: string;
  scheme: ProfileScheme;
  username: string;
  password: string;
  isDefault: boolean;
}

type FieldKey = keyof Draft;

/** Problem paths (JSON paths into ProfileFields) → the input that shows them. */
const FIELD_OF_PATH: Record<string, FieldKey> = {
  name: 'name',
  'proxy.host': 'host',
  'proxy.port': 'port',
  proxy: 'host',
  realm: 'realm',
  scheme: 'scheme',
  username: 'username',
  password: 'password',
  isDefault: 'isDefault',
};
const FIELD_ORDER: FieldKey[] = ['name', 'host', 'port', 'realm', 'scheme', 'username', 'password', 'isDefault'];

function draftOf(profile: ProfileView | null | undefined, defaults: Partial<ProfileFields> = {}): Draft {
  const p: Partial<ProfileFields> = profile ?? defaults;
  return {
    name: p.name ?? '',
    host: p.proxy?.host ?? '',
    port: p.proxy?.port ? String(p.proxy.port) : '',
    realm: p.realm ?? '',
    scheme: p.scheme ?? 'any',
    username: p.username ?? '',
    password: p.password ?? '',
    isDefault: p.isDefault ?? false,
  };
}

/** The fields to validate and save; an empty name becomes user@host, an empty realm null (any realm). */
function fieldsOf(d: Draft): ProfileFields {
  const host = d.host.trim();
  const realm = d.realm.trim();
  return {
    name: d.name.trim() || (d.username && host ? `${d.username}@${host}` : ''),
    proxy: { host, port: d.port.trim() === '' ? Number.NaN : Number(d.port) },
    realm: realm === '' ? null : realm,
    scheme: d.scheme,
    username: d.username,
    password: d.password,
    isDefault: d.isDefault,
  };
}

/** One message per field (the first), plus those that belong to no field. */
function sortProblems(problems: Problem[], draft: Draft): { byField: Partial<Record<FieldKey, string>>; other: string[] } {
  const byField: Partial<Record<FieldKey, string>> = {};
  const other: string[] = [];
  for (const problem of problems) {
    const field = FIELD_OF_PATH[problem.path];
    if (!field) other.push(problem.path === '(root)' ? problemText(problem) : `${problem.path}: ${problemText(problem)}`);
    else if (field === 'port' && draft.port.trim() === '') byField.port ??= t('errorPortRequired');
    else byField[field] ??= problemText(problem);
  }
  return { byField, other };
}

export function ProfileForm({ profile, defaults, onSave, onSaved, onCancel, onReveal }: ProfileFormProps) {
  const uid = useId();
  const id = (field: string) => `${uid}-${field}`;
  const [draft, setDraft] = useState<Draft>(() => draftOf(profile, defaults));
  const [errors, setErrors] = useState<Partial<Record<FieldKey, string>>>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  /** The saved password once the user asked to see it; null while it stays in the worker. */
  const [revealed, setRevealed] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const editing = Boolean(profile);
  /** A preset of the organisation: only username and password are the user's; the rest is shown, disabled, with why. */
  const managed = profile?.managed === 'preset';
  const lock = managed ? { disabled: true, title: t('managedFormHint') } : {};

  // a layout effect runs before the browser paints, so the first field has the focus before anyone can click
  useLayoutEffect(() => focusUnlessTyping(formRef.current?.querySelector<HTMLInputElement>('input')), []);

  const set = <K extends FieldKey>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setErrors((e) => (e[key] ? { ...e, [key]: undefined } : e));
  };

  const showProblems = (problems: Problem[]) => {
    const { byField, other } = sortProblems(problems, draft);
    setErrors(byField);
    setFormErrors(other);
    const first = FIELD_ORDER.find((f) => byField[f]);
    if (first) document.getElementById(id(first))?.focus();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (saving) return;
    const fields = fieldsOf(draft);
    const checked = validate(ProfileFieldsSchema, fields);
    if (!checked.ok) return showProblems(checked.problems);
    setSaving(true);
    try {
      // editing with the password left empty (or shown and unchanged): the saved one stays, and never travels back
      const { password, ...rest } = checked.value;
      const keep = profile && (password === '' || password === revealed);
      const result = await onSave(profile ? { ...rest, ...(keep ? {} : { password }), id: profile.id } : checked.value);
      if (result.ok) onSaved(result.value);
      else showProblems(result.problems);
    } catch (err) {
      setFormErrors([t('errorSaveFailed', err instanceof Error ? err.message : String(err))]);
    } finally {
      setSaving(false);
    }
  };

  const headingId = id('heading');
  const text = (key: 'name' | 'host' | 'realm' | 'username') => ({
    type: 'text' as const,
    value: draft[key],
    spellcheck: false,
    autoCapitalize: 'off' as const,
    autoComplete: 'off',
    onInput: (e: Event) => set(key, (e.currentTarget as HTMLInputElement).value),
  });

  return (
    <form ref={formRef} class="profile-form" aria-labelledby={headingId} noValidate onSubmit={submit}>
      <h2 id={headingId}>{editing ? t('profileFormEditTitle') : t('profileFormAddTitle')}</h2>
      {managed && (
        <p class="notice notice--managed">
          <span class="badge badge--managed">{t('managedBadge')}</span> {t('managedFormNote')}
        </p>
      )}
      {formErrors.length > 0 && (
        <div class="notice notice--error" role="alert">
          {formErrors.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      )}
      <Field id={id('name')} label={t('fieldName')} hint={t('fieldNameHint')} error={errors.name}>
        {(c) => <input {...c} {...lock} {...text('name')} placeholder={fieldsOf({ ...draft, name: '' }).name || t('fieldNamePlaceholder')} />}
      </Field>
      <div class="field-row">
        <Field id={id('host')} label={t('fieldHost')} error={errors.host} class="field--grow">
          {(c) => <input {...c} {...lock} {...text('host')} placeholder="proxy.example.com" />}
        </Field>
        <Field id={id('port')} label={t('fieldPort')} error={errors.port} class="field--port">
          {(c) => (
            <input
              {...c}
              {...lock}
              type="number"
              inputMode="numeric"
              min={1}
              max={65535}
              value={draft.port}
              placeholder="3128"
              onInput={(e) => set('port', e.currentTarget.value)}
            />
          )}
        </Field>
      </div>
      <div class="field-row">
        <Field id={id('realm')} label={t('fieldRealm')} hint={t('fieldRealmHint')} error={errors.realm} class="field--grow">
          {(c) => <input {...c} {...lock} {...text('realm')} placeholder={t('anyRealm')} />}
        </Field>
        <Field id={id('scheme')} label={t('fieldScheme')} error={errors.scheme} class="field--scheme">
          {(c) => (
            <select {...c} {...lock} value={draft.scheme} onChange={(e) => set('scheme', e.currentTarget.value as ProfileScheme)}>
              <option value="any">{t('schemeAny')}</option>
              <option value="basic">{t('schemeBasic')}</option>
              <option value="digest">{t('schemeDigest')}</option>
              <option value="ntlm">{t('schemeNtlm')}</option>
            </select>
          )}
        </Field>
      </div>
      <Field id={id('username')} label={t('fieldUsername')} hint={draft.scheme === 'ntlm' ? t('fieldUsernameNtlmHint') : undefined} error={errors.username}>
        {(c) => <input {...c} {...text('username')} />}
      </Field>
      <Field id={id('password')} label={t('fieldPassword')} hint={editing && revealed === null ? t('passwordKeepHint') : undefined} error={errors.password}>
        {(c) => (
          <PasswordInput key={revealed === null ? 'typed' : 'shown'} {...c} value={draft.password} visible={revealed !== null} autoComplete="new-password" onInput={(v) => set('password', v)} />
        )}
      </Field>
      {editing && onReveal && revealed === null && (
        <RevealSaved
          idPrefix={id('reveal')}
          onReveal={onReveal}
          onShown={(password) => {
            setRevealed(password);
            set('password', password);
          }}
        />
      )}
      <div class="check">
        <input
          id={id('isDefault')}
          {...lock}
          type="checkbox"
          checked={draft.isDefault}
          onChange={(e) => set('isDefault', e.currentTarget.checked)}
        />
        <label for={id('isDefault')}>{t('fieldIsDefault')}</label>
      </div>
      <div class="actions">
        <button type="submit" class="button button--primary" disabled={saving}>
          {t('save')}
        </button>
        <button type="button" class="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

/** "Show saved password": asks the worker; with the vault on it first asks here for the master password. */
function RevealSaved({ idPrefix, onReveal, onShown }: { idPrefix: string; onReveal: NonNullable<ProfileFormProps['onReveal']>; onShown: (password: string) => void }) {
  const [askMaster, setAskMaster] = useState(false);
  const [master, setMaster] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const reveal = async (masterPassword?: string) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await onReveal(masterPassword);
      if (result.ok) return onShown(result.value.password);
      if (!askMaster && result.problems.some((p) => p.code === 'master-required')) return setAskMaster(true);
      setError(result.problems.map((p) => problemText(p)).join(' '));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (!askMaster) {
    return (
      <p class="reveal">
        <button type="button" class="button button--quiet button--small" disabled={busy} onClick={() => void reveal()}>
          {t('showSavedPassword')}
        </button>
        {error && <span class="field-error" role="alert">{error}</span>}
      </p>
    );
  }
  return (
    <div class="reveal">
      <Field id={`${idPrefix}-master`} label={t('revealMasterLabel')} error={error}>
        {(c) => <PasswordInput {...c} value={master} autoComplete="current-password" onInput={setMaster} />}
      </Field>
      <button type="button" class="button button--small" disabled={busy} onClick={() => void reveal(master)}>
        {t('revealConfirm')}
      </button>
    </div>
  );
}

/** "Show saved password" through the worker: `profiles/open`, with the master password when the vault asks for it. */
const revealOf = (id: string) => (masterPassword?: string) => send('profiles/open', masterPassword === undefined ? { id } : { id, masterPassword });

/** The form as the popup and the options page open it: it saves and reveals through the worker. */
export function SavedProfileForm({ profile, onSaved, onCancel }: { profile: ProfileView | null; onSaved: () => void; onCancel: () => void }) {
  return (
    <ProfileForm
      profile={profile}
      onSave={(input) => send('profiles/save', input)}
      {...(profile ? { onReveal: revealOf(profile.id) } : {})}
      onSaved={onSaved}
      onCancel={onCancel}
    />
  );
}
