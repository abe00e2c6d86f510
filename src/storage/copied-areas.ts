// Writes to the areas a stopped worker starts from (storage/start-image.ts keeps a copy of them in
// storage.session): the copy is removed before the write, so it can never outlive a change.
import browser from 'webextension-polyfill';

/** Where the copy lives in storage.session. */
export const START_COPY_KEY = 'startImage';

let order: Promise<void> = Promise.resolve();

/**
 * Runs `task` after every copy refresh and removal queued before it. Why: a refresh that read the
 * areas before a write must not store its (old) copy after the write's removal.
 */
export function inCopyOrder(task: () => Promise<void>): Promise<void> {
  const run = order.then(task);
  order = run.catch((err: unknown) => console.warn('Proxy Auth Keeper: could not update the start copy:', err instanceof Error ? err.message : String(err)));
  return run;
}

/** Resolves once every refresh and removal queued so far is done. */
export const copyOrderSettled = (): Promise<void> => order;

/**
 * Why: a worker killed between a write and the copy's refresh (storage.onChanged) would start next
 * time from the old copy: a changed password answered with the old one, a deleted profile back, or
 * the vault read as off after it was turned on (and a password then saved unsealed). With the copy
 * gone the next worker reads the areas themselves.
 */
const dropCopy = (): Promise<void> => inCopyOrder(() => browser.storage.session.remove(START_COPY_KEY));

export async function setLocal(items: Record<string, unknown>): Promise<void> {
  await dropCopy();
  await browser.storage.local.set(items);
}

export async function removeLocal(keys: string | string[]): Promise<void> {
  await dropCopy();
  await browser.storage.local.remove(keys);
}

export async function setSync(items: Record<string, unknown>): Promise<void> {
  await dropCopy();
  await browser.storage.sync.set(items);
}
