// What a stopped worker needs before it can answer, in ONE storage call: storage.session holds its own
// keys (breaker verdicts, requests in flight, session logins, the vault key) and a copy of the other
// areas' items (profiles as stored — sealed when the vault is on —, vault parameters, settings, policy).
import browser from 'webextension-polyfill';
import { START_COPY_KEY, copyOrderSettled, inCopyOrder, setLocal } from './copied-areas';
import { MANAGED_COPY_KEY, isItems, loadManagedItems, managedCopyOf, sameItems } from './managed';
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
  const [[local, sync], managed] = await Promise.all([readOwnAreas(), loadManagedItems()]);
  keepManagedCopy(local, managed);
  return { local, sync, managed };
}

/** storage.local (profiles migrated first) and the settings in storage.sync. */
async function readOwnAreas(): Promise<[Record<string, unknown>, Record<string, unknown>]> {
  await ensureMigrated();
  return Promise.all([browser.storage.local.get(null), browser.storage.sync.get(SETTINGS_KEY)]);
}

/**
 * The areas at browser start. Chromium answers storage.managed only once its policy service is up:
 * seen on Chromium 156, 5 s after start with no policy at all, while local and sync answer in
 * milliseconds, so every restored tab's 407 waited 5 s for its answer or its prompt. The policy as
 * last read (a copy in storage.local, read with the rest of it) stands in until the browser's read
 * arrives; `changed` gets that read if it differs from the copy (the worker then applies it, as it
 * does any policy change). Without a copy (first run) this waits for the browser's read.
 */
export async function readSourcesAtStart(changed: (managed: Record<string, unknown>) => void): Promise<StartSources> {
  const policyRead = loadManagedItems();
  const [local, sync] = await readOwnAreas();
  const copy = managedCopyOf(local);
  if (!copy) {
    const managed = await policyRead;
    keepManagedCopy(local, managed);
    return { local, sync, managed };
  }
  void policyRead.then((managed) => {
    if (sameItems(copy, managed)) return;
    keepManagedCopy(local, managed);
    changed(managed);
  });
  return { local, sync, managed: copy };
}

/**
 * Keeps the copy in step with the policy read. Not awaited: called from a copy refresh, whose
 * queue (storage/copied-areas.ts) the write's own removal of the start copy waits behind.
 */
function keepManagedCopy(local: Record<string, unknown>, managed: Record<string, unknown>): void {
  if (sameItems(managedCopyOf(local), managed)) return;
  setLocal({ [MANAGED_COPY_KEY]: { items: managed } }).catch((err: unknown) => console.warn('Proxy Auth Keeper: could not keep the policy copy:', err instanceof Error ? err.message : String(err)));
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
