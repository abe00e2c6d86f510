// The popup: pending sign-ins on top, then the profiles; with ?prompt=<id> only that one sign-in (a prompt window).
import { problemsText } from '../components/codes-text';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ProfileView as Profile } from '../../core/model';
import { sameProxy } from '../../core/model';
import type { PendingPrompt } from '../../messaging/map';
import { send } from '../../messaging/send';
import { t } from '../components/i18n';
import { SavedProfileForm, profileInput } from '../components/profile-form';
import { ProfileList } from '../components/profile-list';
import { UndoToast } from '../components/undo-toast';
import { openOptions } from './open-options';
import { usePolicyRules } from '../components/use-policy-rules';
import { PromptCard } from './prompt-card';
import { UnlockCard } from './unlock-card';
import { StandalonePrompt } from './standalone-prompt';

type View = { kind: 'list' } | { kind: 'form'; profile: Profile | null };

const POLL_MS = 1000;
/** The form's "Show saved password" for profile `id`. */
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function App({ promptId }: { promptId: string | null }) {
  const [profiles, setProfiles] = useState<Profile[] | null>(null);
  const [unreadable, setUnreadable] = useState(0);
  const [prompts, setPrompts] = useState<PendingPrompt[] | null>(null);
  const [view, setView] = useState<View>({ kind: 'list' });
  const [deleted, setDeleted] = useState<Profile | null>(null);
  const [error, setError] = useState('');
  const [now, setNow] = useState(Date.now());
  const promptIds = useRef('');
  const polling = useRef(false);
  const rules = usePolicyRules();
  const noOwn = rules?.allowUserProfiles === false;

  const loadProfiles = async () => {
    try {
      const list = await send('profiles/list');
      setProfiles(list.profiles);
      setUnreadable(list.problems.length);
    } catch (err) {
      setProfiles((p) => p ?? []);
      setError(t('errorWorker', message(err)));
    }
  };

  const loadPrompts = async () => {
    if (polling.current) return; // a slow worker: never stack requests every second
    polling.current = true;
    let list: PendingPrompt[];
    try {
      list = await send('prompts/list');
    } catch {
      list = []; // a worker without prompts (or restarting) has nothing waiting
    } finally {
      polling.current = false;
    }
    setPrompts(list);
    setNow(Date.now());
    // A prompt answered with "Save as profile" (here or elsewhere) changes the profiles.
    const ids = list.map((p) => p.id).join(',');
    if (ids !== promptIds.current) {
      if (promptIds.current) void loadProfiles();
      promptIds.current = ids;
    }
  };

  useEffect(() => {
    void loadProfiles();
    void loadPrompts();
    const timer = setInterval(loadPrompts, POLL_MS);
    return () => clearInterval(timer);
  }, []);

  if (promptId !== null) {
    return <StandalonePrompt promptId={promptId} prompts={profiles === null ? null : prompts} profiles={profiles ?? []} now={now} />;
  }

  const hasProfileFor = (prompt: PendingPrompt) => (profiles ?? []).some((p) => sameProxy(p.proxy, prompt.proxy));

  const run = async (action: () => Promise<unknown>) => {
    setError('');
    try {
      await action();
    } catch (err) {
      setError(t('errorWorker', message(err)));
    }
    await loadProfiles();
  };

  const remove = (p: Profile) =>
    run(async () => {
      await send('profiles/delete', { id: p.id });
      setDeleted(p);
    });
  const undoDelete = (p: Profile) =>
    run(async () => {
      setDeleted(null);
      // the worker puts back the record it removed, password included: the popup never had it
      const result = await send('profiles/restore', { id: p.id });
      if (!result.ok) throw new Error(problemsText(result.problems));
    });
  const setDefault = (p: Profile) =>
    run(async () => {
      const result = await send('profiles/save', { ...profileInput(p), isDefault: true });
      if (!result.ok) throw new Error(problemsText(result.problems));
    });

  const editing = view.kind === 'form';
  const empty = profiles !== null && profiles.length === 0;

  return (
    <main class="popup">
      <header class="popup__header">
        <h1>{t('extName')}</h1>
        <a
          href="options.html"
          class="link"
          onClick={(e) => {
            e.preventDefault();
            void openOptions();
          }}
        >
          {t('openOptions')}
        </a>
      </header>

      {profiles !== null && prompts && prompts.length > 0 && (
        <section class="prompts" aria-labelledby="prompts-heading">
          <h2 id="prompts-heading" class="section-title">
            {prompts.length === 1 ? t('promptsHeadingOne') : t('promptsHeadingMany', prompts.length)}
          </h2>
          {prompts.map((prompt, i) =>
            prompt.reason === 'vault-locked' ? (
              <UnlockCard key={prompt.id} prompt={prompt} autoFocus={i === 0 && !editing} onDone={() => void loadPrompts()} />
            ) : (
            <PromptCard
              key={prompt.id}
              prompt={prompt}
              now={now}
              suggestSave={!hasProfileFor(prompt)}
              autoFocus={i === 0 && !editing}
              onDone={() => void loadPrompts()}
            />
            ),
          )}
        </section>
      )}

      {error && (
        <p class="notice notice--error" role="alert">
          {error}
        </p>
      )}
      {unreadable > 0 && <p class="notice notice--warning">{t('profilesUnreadable', unreadable)}</p>}

      <section class="profiles" aria-labelledby="profiles-heading">
        {view.kind === 'form' ? (
          <SavedProfileForm
            profile={view.profile}
            onSaved={() => {
              setView({ kind: 'list' });
              void loadProfiles();
            }}
            onCancel={() => setView({ kind: 'list' })}
          />
        ) : (
          <>
            <div class="section-head">
              <h2 id="profiles-heading" class="section-title">
                {t('profilesHeading')}
              </h2>
              {!empty && profiles !== null && (
                <button type="button" class="button button--primary button--small" disabled={noOwn} title={noOwn ? t('problemPolicyUserProfilesOff') : undefined} onClick={() => setView({ kind: 'form', profile: null })}>
                  {t('addProfile')}
                </button>
              )}
            </div>
            {profiles?.some((p) => p.managed) && (
              <p class="notice notice--managed popup__managed">
                <span class="badge badge--managed">{t('managedBadge')}</span> {noOwn ? t('problemPolicyUserProfilesOff') : t('policyActive')}
              </p>
            )}
            {profiles === null ? (
              <p class="muted">{t('loading')}</p>
            ) : empty ? (
              <div class="empty">
                <p class="empty__title">{t('emptyTitle')}</p>
                <p>{t('emptyBody')}</p>
                <button type="button" class="button button--primary" disabled={noOwn} title={noOwn ? t('problemPolicyUserProfilesOff') : undefined} onClick={() => setView({ kind: 'form', profile: null })}>
                  {t('addProfile')}
                </button>
              </div>
            ) : (
              <ProfileList
                profiles={profiles}
                now={now}
                onEdit={(p) => setView({ kind: 'form', profile: p })}
                onDelete={(p) => void remove(p)}
                onSetDefault={(p) => void setDefault(p)}
              />
            )}
          </>
        )}
      </section>

      {deleted && (
        <UndoToast key={deleted.id} message={t('profileDeleted', deleted.name)} onUndo={() => void undoDelete(deleted)} onDismiss={() => setDeleted(null)} />
      )}
    </main>
  );
}
