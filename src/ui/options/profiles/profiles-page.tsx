// The Profiles section: the popup's list and form (shared components) with full CRUD, plus export and import.
import { problemsText } from '../../components/codes-text';
import { useEffect, useState } from 'preact/hooks';
import type { ProfileView as Profile } from '../../../core/model';
import { send } from '../../../messaging/send';
import { t } from '../../components/i18n';
import { SavedProfileForm, profileInput } from '../../components/profile-form';
import { ProfileList } from '../../components/profile-list';
import { UndoToast } from '../../components/undo-toast';
import { ProfileTransfer } from './profile-transfer';
import { usePolicyRules } from '../../components/use-policy-rules';

type View = { kind: 'list' } | { kind: 'form'; profile: Profile | null };

/** The form's "Show saved password" for profile `id`. */

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function ProfilesPage() {
  const [profiles, setProfiles] = useState<Profile[] | null>(null);
  const [view, setView] = useState<View>({ kind: 'list' });
  const [deleted, setDeleted] = useState<Profile | null>(null);
  const [error, setError] = useState('');
  const rules = usePolicyRules();
  const noOwn = rules?.allowUserProfiles === false;

  const load = async () => {
    try {
      setProfiles((await send('profiles/list')).profiles);
    } catch (err) {
      setProfiles((p) => p ?? []);
      setError(message(err));
    }
  };

  useEffect(() => {
    void load();
    // profiles saved elsewhere (the popup, a prompt) show up when the user comes back to this tab
    const onVisible = () => document.visibilityState === 'visible' && void load();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);

  const run = async (action: () => Promise<void>) => {
    setError('');
    try {
      await action();
    } catch (err) {
      setError(message(err));
    }
    await load();
  };
  const saveFields = async (p: Profile, over: Partial<Profile> = {}) => {
    const result = await send('profiles/save', { ...profileInput(p), ...over });
    if (!result.ok) throw new Error(problemsText(result.problems));
  };
  /** Undo: the worker puts back the record it removed, password included; the page never had it. */
  const restore = async (p: Profile) => {
    const result = await send('profiles/restore', { id: p.id });
    if (!result.ok) throw new Error(problemsText(result.problems));
  };

  if (view.kind === 'form') {
    return (
      <div class="profiles-page profiles-page--form">
        <SavedProfileForm
          profile={view.profile}
          onSaved={() => {
            setView({ kind: 'list' });
            void load();
          }}
          onCancel={() => setView({ kind: 'list' })}
        />
      </div>
    );
  }

  return (
    <div class="profiles-page">
      <div class="section-head">
        <p class="muted">{t('profilesIntro')}</p>
        <button type="button" class="button button--primary" disabled={noOwn} title={noOwn ? t('problemPolicyUserProfilesOff') : undefined} onClick={() => setView({ kind: 'form', profile: null })}>
          {t('addProfile')}
        </button>
      </div>
      {noOwn && (
        <p class="field-hint" data-managed="allowUserProfiles">
          <span class="badge badge--managed">{t('managedBadge')}</span> {t('problemPolicyUserProfilesOff')}
        </p>
      )}
      {error && (
        <p class="notice notice--error" role="alert">
          {error}
        </p>
      )}
      {profiles === null ? (
        <p class="muted">{t('loading')}</p>
      ) : profiles.length === 0 ? (
        <div class="empty">
          <p class="empty__title">{t('emptyTitle')}</p>
          <p>{t('emptyBody')}</p>
        </div>
      ) : (
        <ProfileList
          profiles={profiles}
          now={Date.now()}
          onEdit={(p) => setView({ kind: 'form', profile: p })}
          onDelete={(p) =>
            void run(async () => {
              await send('profiles/delete', { id: p.id });
              setDeleted(p);
            })
          }
          onSetDefault={(p) => void run(() => saveFields(p, { isDefault: true }))}
        />
      )}
      <ProfileTransfer rules={rules} onImported={() => void load()} />
      {deleted && (
        <UndoToast
          key={deleted.id}
          message={t('profileDeleted', deleted.name)}
          onUndo={() =>
            void run(async () => {
              setDeleted(null);
              await restore(deleted);
            })
          }
          onDismiss={() => setDeleted(null)}
        />
      )}
    </div>
  );
}
