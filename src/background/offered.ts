// Remembers, per request, the schemes its proxy 407 offered, until the challenge that follows is recorded.
import { offeredSchemes } from '../core/offered-schemes';

/** onHeadersReceived comes just before onAuthRequired; a request we never hear of again must not pile up. */
const MAX_KEPT = 500;
const offered = new Map<string, string[]>();

export function noteOffered(requestId: string, headers: ReadonlyArray<{ name: string; value?: string }> | undefined): void {
  const schemes = offeredSchemes(headers);
  if (schemes.length === 0) return;
  offered.delete(requestId);
  offered.set(requestId, schemes);
  if (offered.size > MAX_KEPT) offered.delete(offered.keys().next().value as string);
}

/** The schemes noted for `requestId` (and forgets them). */
export function takeOffered(requestId: string): string[] | undefined {
  const schemes = offered.get(requestId);
  offered.delete(requestId);
  return schemes;
}
