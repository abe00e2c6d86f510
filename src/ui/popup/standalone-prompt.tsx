// The prompt window (popup.html?prompt=<id>): one sign-in, prominent; the window closes once it is answered.
import { useEffect } from 'preact/hooks';
import type { ProfileView } from '../../core/model';
import { sameProxy } from '../../core/model';
import type { PendingPrompt } from '../../messaging/map';
import { t } from '../components/i18n';
import { PromptCard } from './prompt-card';
import { UnlockCard } from './unlock-card';

interface StandalonePromptProps {
  promptId: string;
  /** null until the worker has answered for both prompts and profiles. */
  prompts: PendingPrompt[] | null;
  profiles: ProfileView[];
  now: number;
}

export function StandalonePrompt({ promptId, prompts, profiles, now }: StandalonePromptProps) {
  const prompt = prompts?.find((p) => p.id === promptId);
  const proxy = prompt ? `${prompt.proxy.host}:${prompt.proxy.port}` : '';
  // The window's title bar is all the user sees of it in the task switcher.
  useEffect(() => {
    document.title = proxy ? `${t('promptTitle', proxy)} — ${t('extName')}` : t('extName');
  }, [proxy]);
  return (
    <main class="popup popup--standalone">
      {prompts === null ? (
        <p class="muted">{t('loading')}</p>
      ) : prompt?.reason === 'vault-locked' ? (
        <UnlockCard prompt={prompt} autoFocus onDone={() => window.close()} />
      ) : prompt ? (
        <PromptCard
          prompt={prompt}
          now={now}
          suggestSave={!profiles.some((p) => sameProxy(p.proxy, prompt.proxy))}
          autoFocus
          onDone={() => window.close()}
        />
      ) : (
        <div class="empty">
          <p class="empty__title">{t('promptGoneTitle')}</p>
          <p>{t('promptGoneBody')}</p>
          <button type="button" class="button" onClick={() => window.close()}>
            {t('close')}
          </button>
        </div>
      )}
    </main>
  );
}
