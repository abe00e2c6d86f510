// A worker that just started gives its first answers before anything else touches storage: orphan
// recovery, retention and history writes wait until the challenges that woke it are answered.
/** A first answer parked on a prompt (or on the breaker) holds the rest back no longer than this. */
const MAX_HOLD_MS = 1_000;

let open = false;
let waiting = 0;
let loaded = false;
let timer: ReturnType<typeof setTimeout> | undefined;
const held: (() => void)[] = [];

function release(): void {
  if (open) return;
  open = true;
  clearTimeout(timer);
  for (const task of held.splice(0)) task();
}

function holdAtMost(): void {
  timer ??= setTimeout(release, MAX_HOLD_MS);
  (timer as { unref?: () => void }).unref?.();
}

/** A challenge arrived; call the returned function once it is answered (more calls do nothing). */
export function challengeArrived(): () => void {
  if (open) return () => {};
  waiting++;
  holdAtMost();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    waiting--;
    if (waiting === 0 && loaded) release();
  };
}

/** The state has loaded: if no challenge is waiting for it (a message or an alarm woke us), nothing is held. */
export function stateLoaded(): void {
  loaded = true;
  if (waiting === 0) release();
  else holdAtMost();
}

/** Runs `task` once the first answers are given (at once after that). */
export function afterFirstAnswers(task: () => void): void {
  if (open) task();
  else held.push(task);
}
