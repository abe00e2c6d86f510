// Workers a unit test started: every write one may still have under way (session snapshot, history,
// profile records, the vault's last-use note) is awaited before the next test resets storage, so a
// write behind one test never lands in the next one's fresh storage.
interface Started {
  snapshot: { saved(): Promise<void> };
  history?: { drain(): Promise<void> };
}

const started: Array<() => Promise<unknown>> = [];

/**
 * Remembers a worker's state and, optionally, the settle functions of module instances it loaded
 * (e.g. storage/profiles `profileWritesSettled`, background/vault-lock `vaultUseSettled`); returns it.
 */
export function track<S extends Started>(s: S, ...settles: Array<() => Promise<unknown>>): S {
  started.push(() => s.snapshot.saved(), ...(s.history ? [() => s.history!.drain()] : []), ...settles);
  return s;
}

/** Awaits everything every tracked worker still writes (call first in beforeEach). */
export async function settleWorkers(): Promise<void> {
  // twice: a settled history write may start a profile write and the other way round
  for (let round = 0; round < 2; round++) await Promise.all(started.map((settle) => settle()));
  started.length = 0;
}

/** A fresh worker (modules reloaded): its state loaded and tracked, its message handlers, and the modules tests drive. */
export async function startWorker() {
  const { vi } = await import('vitest');
  vi.resetModules();
  const state = await import('../../src/background/state');
  const { handlers } = await import('../../src/background/handlers');
  const { answerChallenge } = await import('../../src/background/answer');
  const profiles = await import('../../src/storage/profiles');
  const s = await state.ready();
  track(s, profiles.profileWritesSettled, (await import('../../src/background/vault-lock')).vaultUseSettled);
  return { s, state, h: await handlers(), answerChallenge, profiles };
}
