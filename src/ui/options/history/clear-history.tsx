// "Clear history…": asks first (a modal dialog naming how many rows go), then deletes every row.
import { useRef, useState } from 'preact/hooks';
import { t, uiLanguage } from '../../components/i18n';

interface ClearHistoryProps {
  count: number;
  onClear: () => Promise<void>;
}

export function ClearHistory({ count, onClear }: ClearHistoryProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await onClear();
    } finally {
      setBusy(false);
      dialog.current?.close();
    }
  };
  return (
    <>
      <button type="button" class="button button--danger" disabled={count === 0} onClick={() => dialog.current?.showModal()}>
        {t('historyClear')}
      </button>
      <dialog ref={dialog} class="dialog" aria-labelledby="clear-title" aria-describedby="clear-body">
        <h3 id="clear-title">{t('historyClearTitle')}</h3>
        <p id="clear-body">{t('historyClearBody', count.toLocaleString(uiLanguage()))}</p>
        <div class="actions">
          <button type="button" class="button button--danger-solid" disabled={busy} onClick={confirm}>
            {t('historyClearConfirm')}
          </button>
          <button type="button" class="button" onClick={() => dialog.current?.close()} autoFocus>
            {t('historyClearKeep')}
          </button>
        </div>
      </dialog>
    </>
  );
}
