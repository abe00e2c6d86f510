// "Clear history…": asks first (a modal dialog naming how many rows go), then deletes every row.
import { useRef, useState } from 'preact/hooks';

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
        Clear history…
      </button>
      <dialog ref={dialog} class="dialog" aria-labelledby="clear-title" aria-describedby="clear-body">
        <h3 id="clear-title">Clear all history?</h3>
        <p id="clear-body">
          This deletes all {count.toLocaleString()} recorded proxy challenges. Saved profiles and settings stay. This cannot be undone.
        </p>
        <div class="actions">
          <button type="button" class="button button--danger-solid" disabled={busy} onClick={confirm}>
            Delete all history
          </button>
          <button type="button" class="button" onClick={() => dialog.current?.close()} autoFocus>
            Keep history
          </button>
        </div>
      </dialog>
    </>
  );
}
