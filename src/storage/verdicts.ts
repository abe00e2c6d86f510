// Credential versions the proxy accepted, kept in storage.local across browser sessions: keys only, never a password.
import browser from 'webextension-polyfill';
import { setLocal } from './copied-areas';

/**
 * Why: the breaker's verdicts live in storage.session, so each browser session paid the burst wait
 * again for a password the proxy took yesterday. A key (core/plan.ts credentialKey: proxy, realm,
 * profile id and version) names one version of one saved credential; an edit makes a new key, which
 * starts unproven. The password stays in its profile record.
 */
export const VERDICTS_KEY = 'acceptedCredentials';

/** Credential key → when the proxy last accepted it (ms since epoch). */
export type Verdicts = Record<string, number>;

/** At most this many keys are kept (each write also drops keys of versions no longer saved). */
export const MAX_VERDICTS = 500;

/** The stored verdicts; anything malformed is ignored (they are only a shortcut, never needed). */
export function readVerdicts(items: Record<string, unknown>): Verdicts {
  const raw = items[VERDICTS_KEY];
  const out: Verdicts = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [key, at] of Object.entries(raw as Record<string, unknown>)) if (typeof at === 'number' && Number.isFinite(at)) out[key] = at;
  return out;
}

export const loadVerdicts = async (): Promise<Verdicts> => readVerdicts(await browser.storage.local.get(VERDICTS_KEY));

let queue: Promise<unknown> = Promise.resolve();

/** Read-modify-write, one at a time: two verdicts arriving together both stay. */
function update(change: (v: Verdicts) => Verdicts): Promise<void> {
  const run = queue.then(async () => {
    await setLocal({ [VERDICTS_KEY]: change(await loadVerdicts()) });
  });
  queue = run.catch(() => {});
  return run;
}

/** The proxy accepted `key`; `keep` says which other keys still name a saved credential version. */
export function saveVerdict(key: string, at: number, keep: (key: string) => boolean): Promise<void> {
  return update((v) => {
    const kept = Object.entries(v).filter(([k]) => k !== key && keep(k));
    kept.sort((a, b) => b[1] - a[1]);
    return Object.fromEntries([[key, at], ...kept.slice(0, MAX_VERDICTS - 1)]);
  });
}

/** The proxy refused `key`: the next session starts it unproven. */
export const dropVerdict = (key: string): Promise<void> =>
  update((v) => Object.fromEntries(Object.entries(v).filter(([k]) => k !== key)));

/** Writes queued or running have finished (tests). */
export const verdictWritesSettled = (): Promise<void> => queue.then(() => {});
