// The browser edge of prompts: parks a challenge, shows the prompt once, keeps the badge, times it out.
import browser from 'webextension-polyfill';
import type { PromptOutcome, PromptReason } from '../core/prompt-queue';
import { type Challenge, type Profile, isSessionProfile } from '../core/model';
import { urlForHistory } from '../core/history-entry';
import { watchWhileWaiting } from './watchdog';
import type { State } from './state';

const promptWindows = new Map<string, number>();

async function updateBadge(s: State): Promise<void> {
  const n = s.prompts.size;
  watchWhileWaiting(n > 0);
  await browser.action.setBadgeText({ text: n ? String(n) : '' });
  if (n) await browser.action.setBadgeBackgroundColor({ color: '#c2410c' });
}

/** Opens the toolbar popup where the browser allows it, else a small prompt window. */
async function showPrompt(id: string, isPending: (id: string) => boolean): Promise<void> {
  try {
    const action = browser.action as typeof browser.action & { openPopup?: () => Promise<void> };
    if (action.openPopup) {
      await action.openPopup();
      return;
    }
  } catch {
    // no focused window, no user gesture, or not supported: fall back to a window
  }
  const win = await browser.windows.create({ url: browser.runtime.getURL(`popup.html?prompt=${encodeURIComponent(id)}`), type: 'popup', width: 420, height: 620 });
  if (win.id === undefined) return;
  promptWindows.set(id, win.id);
  // answered, cancelled or timed out while the window was opening: it has nothing left to ask
  if (!isPending(id)) closePromptWindow(id);
}

function closePromptWindow(id: string): void {
  const win = promptWindows.get(id);
  promptWindows.delete(id);
  if (win !== undefined) browser.windows.remove(win).catch(() => {});
}

/** Tabs already reloading after an answer: several requests of one tab reload it once. */
const reloading = new Set<number>();

/** After an answer, loads again a tab whose request was not held for it, so its 407 meets the answer. */
function reloadAfterAnswer(tabId: number): void {
  if (tabId < 0 || reloading.has(tabId)) return;
  reloading.add(tabId);
  browser.tabs
    .reload(tabId)
    .catch(() => {}) // closed meanwhile: nothing to load
    .finally(() => reloading.delete(tabId));
}

/**
 * Waits for the user's answer to the one prompt shared by every request on this proxy and realm.
 * `profile`: the saved profile the prompt is about (refused, or Digest-proven for a Basic challenge).
 * `held` false: the request is not held for the answer (the caller ends it now); once the user
 * answers with a login (or opens the vault), its tab is loaded again.
 */
export function askUser(s: State, c: Challenge, reason: PromptReason, profile: Profile | null, newRealm = false, held = true): Promise<PromptOutcome> {
  const timeoutMs = s.settings.promptTimeoutSeconds * 1000;
  const about = profile ? { id: profile.id, name: profile.name, username: profile.username } : null;
  const parked = s.prompts.park(c, {
    reason,
    url: urlForHistory(c.url, true, c.incognito === true),
    timeoutMs,
    now: Date.now(),
    id: crypto.randomUUID(),
    ...(newRealm ? { newRealm } : {}),
    ...(held ? {} : { held }),
    ...(about && reason === 'rejected' && profile && !isSessionProfile(profile) ? { rejectedProfile: about } : {}),
    ...(about && reason === 'downgrade' ? { downgradeProfile: about } : {}),
  });
  if (parked.isNew) {
    const { id } = parked.prompt;
    setTimeout(() => finishPrompt(s, id, { kind: 'timeout' }), timeoutMs);
    showPrompt(id, (p) => s.prompts.get(p) !== undefined).catch((err) => console.warn('Proxy Auth Keeper: could not show the prompt:', err instanceof Error ? err.message : String(err)));
  }
  void updateBadge(s).catch(() => {});
  if (!held) void parked.outcome.then((o) => (o.kind === 'credentials' || o.kind === 'unlocked') && reloadAfterAnswer(c.tabId));
  return parked.outcome;
}

/** Answers or ends a prompt: every waiting request gets the same outcome. */
export function finishPrompt(s: State, id: string, outcome: PromptOutcome): number {
  const released = s.prompts.resolve(id, outcome);
  if (released) {
    closePromptWindow(id);
    void updateBadge(s).catch(() => {});
  }
  return released;
}

/** A waiting request ended by itself (tab closed, navigation). */
export function dropWaiting(s: State, requestId: string): void {
  if (!s.prompts.size) return;
  s.prompts.drop(requestId);
  void updateBadge(s).catch(() => {});
}
