// "Profile deleted — Undo" for a few seconds; announced politely, reachable by keyboard.
import { useEffect } from 'preact/hooks';
import { t } from './i18n';

/** Give it a `key` per deleted item: the countdown starts when it mounts. */
export interface UndoToastProps {
  message: string;
  onUndo: () => void;
  /** Called when the time is up or the user dismisses the toast. */
  onDismiss: () => void;
  timeoutMs?: number;
}

export function UndoToast({ message, onUndo, onDismiss, timeoutMs = 6000 }: UndoToastProps) {
  useEffect(() => {
    const timer = setTimeout(onDismiss, timeoutMs);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div class="toast" role="status">
      <span class="toast__message">{message}</span>
      <button type="button" class="button button--small" onClick={onUndo}>
        {t('undo')}
      </button>
      <button type="button" class="button button--small button--quiet" onClick={onDismiss}>
        {t('dismiss')}
      </button>
    </div>
  );
}
