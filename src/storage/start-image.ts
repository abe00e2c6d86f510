// What a stopped worker needs before it can answer, in ONE storage call: storage.session holds its own
// keys (breaker verdicts, requests in flight, session logins, the vault key) and a copy of the other
// areas' items (profiles as stored — sealed when the vault is on —, vault parameters, settings, policy).
import browser from 'webextension-polyfill';
import { START_COPY_KEY, copyOrderSettled, inCopyOrder } from './copied-areas';
import { loadManagedItems } from './managed';
import { ensureMigrated } from './profiles';
import { SETTINGS_KEY } from './settings';

/** The items of storage.local, .sync and .managed the worker's state is made of, as stored. */
export interface StartSources {
  local: Record<string, unknown>;
  sync: Record<string, unknown>;
  managed: Record<string, unknown>;
}

const VERSION = 1;

interface StoredImage extends StartSources {
  version: typeof VERSION;
}

const isItems = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * One read of storage.session: its items, and the copy of the other areas if this browser session has
 * one (none at browser start, nor after an extension update: storage.session is emptied then).
 */
export async function readStart(): Promise<{ session: Record<string, unknown>; sources: StartSources | null }> {
  await copyOrderSettled();
  const session = await browser.storage.session.get(null);
  const image = session[START_COPY_KEY] as Partial<StoredImage> | undefined;
  const sources = image?.version === VERSION && isItems(image.local) && isItems(image.sync) && isItems(image.managed) ? { local: image.local, sync: image.sync, managed: image.managed } : null;
  return { session, sources };
}

/** The other areas read themselves (profiles migrated first): at browser start, and after each change. */
export async function readSources(): Promise<StartSources> {
  await ensureMigrated();
  const [local, sync, managed] = await Promise.all([browser.storage.local.get(null), browser.storage.sync.get(SETTINGS_KEY), loadManagedItems()]);
  return { local, sync, managed };
}

export async function saveStartImage(sources: StartSources): Promise<void> {
  const image: StoredImage = { version: VERSION, ...sources };
  await browser.storage.session.set({ [START_COPY_KEY]: image });
}

/**
 * storage.local, .sync or .managed changed: the copy is made again from the areas themselves. Refreshes
 * and removals (storage/copied-areas.ts) run one after another, and a state load of this worker waits
 * for the ones under way.
 */
export const refreshStartImage = (): Promise<void> => inCopyOrder(async () => saveStartImage(await readSources())).catch(() => {});
