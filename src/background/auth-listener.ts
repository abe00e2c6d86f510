// The browser edge for proxy challenges: turns onAuthRequired details into a Challenge and answers by callback.
import type { Challenge } from '../core/model';
import { type Answer, answerChallenge } from './answer';
import { inFlight } from './in-flight-tracker';
import { ready } from './state';

/** The fields of onAuthRequired details we read, in Chrome and Firefox. */
export interface AuthDetails {
  requestId: string;
  url: string;
  tabId: number;
  isProxy: boolean;
  scheme: string;
  realm?: string;
  challenger?: { host: string; port: number };
  incognito?: boolean;
  cookieStoreId?: string;
}

export function toChallenge(d: AuthDetails): Challenge {
  const c: Challenge = {
    requestId: String(d.requestId),
    url: d.url,
    tabId: d.tabId,
    challenger: { host: d.challenger?.host ?? '', port: d.challenger?.port ?? 0 },
    realm: d.realm ?? null,
    scheme: (d.scheme ?? '').toLowerCase(),
    isProxy: d.isProxy,
  };
  if (d.incognito !== undefined) c.incognito = d.incognito;
  if (d.cookieStoreId !== undefined) c.cookieStoreId = d.cookieStoreId;
  return c;
}

/**
 * Chrome ignores a returned Promise for asyncBlocking listeners: the answer must go through the
 * callback. Origin 401s (isProxy false) are never touched.
 */
export function onAuthRequired(details: AuthDetails, callback?: (answer: Answer) => void): void {
  const reply = callback ?? (() => {});
  inFlight.arrived(String(details.requestId));
  if (!details.isProxy || !details.challenger) {
    reply({});
    return;
  }
  const challenge = toChallenge(details);
  ready()
    .then((state) => answerChallenge(state, challenge))
    .then(reply, (err: unknown) => {
      console.error('Proxy Auth Keeper: could not answer a proxy challenge:', err instanceof Error ? err.message : String(err));
      reply({});
    });
}
