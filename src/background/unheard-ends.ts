// Requests that began before this background listened: Firefox never tells it how they end.
import { LIMITS } from '../core/caps';

/**
 * Why: Firefox attaches a request's ending events (onResponseStarted, onCompleted, onErrorOccurred)
 * once, when it first wraps the request, and only for the listeners registered at that moment. At
 * browser start only blocking listeners are primed (our onAuthRequired), so a start-up request held
 * for the background reaches onAuthRequired and onHeadersReceived but never reports its end. Such a
 * request is the one whose headers we never heard being sent before its first challenge: its row is
 * settled on the response that ends the challenge instead (any status but 407).
 */
const heard = new Set<string>();
const unheard = new Set<string>();

function addBounded(set: Set<string>, id: string): void {
  set.add(id);
  if (set.size > LIMITS.trackedRequests) set.delete(set.values().next().value as string);
}

/** onSendHeaders: this background heard the request go out. */
export const noteSent = (requestId: string): void => addBounded(heard, requestId);

/** onAuthRequired: a request we never heard being sent began before we listened. */
export function noteChallenged(requestId: string): void {
  if (!heard.has(requestId)) addBounded(unheard, requestId);
}

/** A response that is not a 407: true once for a request whose ending we may never hear (settle it now). */
export const endsUnheard = (requestId: string): boolean => unheard.delete(requestId);

/** onCompleted / onErrorOccurred: the request ended and we heard it. */
export function noteEnded(requestId: string): void {
  heard.delete(requestId);
  unheard.delete(requestId);
}
