// The browser edge for proxy challenges: turns onAuthRequired details into a Challenge and answers by callback.
import { LIMITS, capText } from '../core/caps';
import type { Challenge } from '../core/model';
import { promptGroup } from '../core/prompt-queue';
import { type Answer, answerChallenge } from './answer';
import { poolOf } from '../core/in-flight';
import { inFlight } from './in-flight-tracker';
import { answerOwnRequest, batches, ownRequestOf } from './own-request';
import { isPrivate } from './privacy';
import { noteRequest } from './startup-tabs';
import { noteChallenged } from './unheard-ends';
import { ready } from './state';
import { challengeArrived } from './first-answers';

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
  /** Firefox: the container (contextual identity) of the request. */
  cookieStoreId?: string;
  /** Firefox: who started the request (the worker's own request shows its background page here). */
  originUrl?: string;
  documentUrl?: string;
  /** Chrome: the origin that started the request; with `type`, names its connection pool (core/in-flight.ts poolOf). */
  initiator?: string;
  /** main_frame, image, …: a top-level request also tells the start-up check its tab reaches us. */
  type?: string;
}

export function toChallenge(d: AuthDetails): Challenge {
  const c: Challenge = {
    requestId: String(d.requestId),
    // attacker-shaped text is cut here, before history, prompts or storage.session see it
    url: capText(String(d.url ?? ''), LIMITS.url),
    tabId: d.tabId,
    challenger: { host: d.challenger?.host ?? '', port: d.challenger?.port ?? 0 },
    realm: d.realm == null ? null : capText(String(d.realm), LIMITS.realm),
    scheme: capText((d.scheme ?? '').toLowerCase(), LIMITS.scheme),
    isProxy: d.isProxy,
  };
  if (d.incognito !== undefined) c.incognito = d.incognito;
  if (d.cookieStoreId !== undefined) c.cookieStoreId = d.cookieStoreId;
  return c;
}

/**
 * Chrome ignores a returned Promise for asyncBlocking listeners: the answer must go through the
 * callback (Firefox accepts it too). Origin 401s (isProxy false) of pages are never touched; only
 * the worker's own request (own-request.ts) is answered here whatever asks.
 */
export function onAuthRequired(details: AuthDetails, callback?: (answer: Answer) => void): void {
  const id = String(details.requestId);
  // held on its connection until we reply (core/in-flight.ts)
  inFlight.challenged(id, poolOf(details));
  const reply = (answer: Answer) => {
    inFlight.replied(id);
    callback?.(answer);
  };
  noteChallenged(id);
  // Firefox at browser start: a held top-level request reaches us here first (its onSendHeaders went unheard)
  noteRequest({ tabId: details.tabId, type: details.type ?? '' });
  const challenge = toChallenge(details);
  // noted before any await: every listener call of one delivery batch runs in this same turn
  if (details.isProxy && details.challenger) batches.note(challenge.requestId, promptGroup(challenge));
  const probe = ownRequestOf(details);
  if (probe) {
    ready()
      .then((state) => answerOwnRequest(state, probe, details, batches.size(challenge.requestId, promptGroup(challenge))))
      .then(reply, () => reply({ cancel: true }));
    return;
  }
  if (!details.isProxy || !details.challenger) {
    reply({});
    return;
  }
  const answered = challengeArrived();
  // Chrome: the tab lookup runs beside the state load, so the answer waits for neither in turn
  Promise.all([ready(), isPrivate(details)])
    .then(([state, incognito]) => answerChallenge(state, { ...challenge, incognito }))
    .then(reply, (err: unknown) => {
      console.error('Proxy Auth Keeper: could not answer a proxy challenge:', err instanceof Error ? err.message : String(err));
      reply({});
    })
    .finally(answered);
}
