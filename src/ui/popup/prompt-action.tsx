// What the prompt cards share: an action that is busy while it runs and shows (never throws) a failure; Cancel; the buttons.
import { t } from '../components/i18n';
import { send } from '../../messaging/send';

type Busy = (busy: boolean) => void;
type ShowFailure = (message: string) => void;

export async function runPromptAction(setBusy: Busy, showFailure: ShowFailure, action: () => Promise<void>): Promise<void> {
  setBusy(true);
  try {
    await action();
  } catch (err) {
    showFailure(t('errorAnswerFailed', err instanceof Error ? err.message : String(err)));
  } finally {
    setBusy(false);
  }
}

/** Cancels the prompt (its waiting requests are cancelled by the worker), then tells the card. */
export const cancelPrompt = (id: string, setBusy: Busy, showFailure: ShowFailure, onDone: (how: 'cancelled') => void): Promise<void> =>
  runPromptAction(setBusy, showFailure, async () => {
    await send('prompts/cancel', { id });
    onDone('cancelled');
  });

/** The card's submit button (named `submitLabel`) and Cancel, both off while an action runs. */
export function PromptButtons({ submitLabel, busy, onCancel }: { submitLabel: string; busy: boolean; onCancel: () => void }) {
  return (
    <div class="actions">
      <button type="submit" class="button button--primary" disabled={busy}>
        {submitLabel}
      </button>
      <button type="button" class="button" disabled={busy} onClick={onCancel}>
        {t('cancel')}
      </button>
    </div>
  );
}
