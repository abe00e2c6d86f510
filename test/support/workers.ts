// Workers a unit test started: each one's session write is awaited before the next test resets storage,
// so a write behind one test never lands in the next one's fresh storage.
interface Started {
  snapshot: { saved(): Promise<void> };
}

const started: Started[] = [];

/** Remembers a worker's state; returns it. */
export function track<S extends Started>(s: S): S {
  started.push(s);
  return s;
}

/** Awaits every tracked worker's pending session write (call first in beforeEach). */
export async function settleWorkers(): Promise<void> {
  await Promise.all(started.splice(0).map((s) => s.snapshot.saved()));
}
