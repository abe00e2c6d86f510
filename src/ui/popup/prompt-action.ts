// One prompt action (sign in, unlock, cancel): busy while it runs, a failure shown as text, never thrown.
import { t } from '../components/i18n';

export async function runPromptAction(setBusy: (busy: boolean) => void, showFailure: (message: string) => void, action: () => Promise<void>): Promise<void> {
  setBusy(true);
  try {
    await action();
  } catch (err) {
    showFailure(t('errorAnswerFailed', err instanceof Error ? err.message : String(err)));
  } finally {
    setBusy(false);
  }
}
