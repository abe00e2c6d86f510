// Saves what a restarted worker needs (breaker verdicts, requests in flight) to storage.session, at most once per burst.
import { type EngineSnapshot, saveSnapshot } from '../storage/session';

const BURST_MS = 20;

/** Owned by the State: callers say "soon"; one write follows a burst of changes. */
export class SessionSaver {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #written: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(private readonly read: () => EngineSnapshot) {}

  /** Schedules one write of the current snapshot (a burst of calls shares it). */
  saveSoon(): void {
    if (this.#timer) return;
    this.#written = new Promise((resolve) => (this.#release = resolve));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const release = this.#release;
      saveSnapshot(this.read())
        .catch((err) => console.warn('Proxy Auth Keeper: could not save session state:', err instanceof Error ? err.message : String(err)))
        .finally(() => release?.());
    }, BURST_MS);
  }

  /** Resolves once the last scheduled write has reached storage (tests await it instead of waiting). */
  saved(): Promise<void> {
    return this.#written;
  }
}
