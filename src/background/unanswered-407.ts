// Records proxy 407s the browser never asked us about (no usable Proxy-Authenticate header): a misconfigured proxy.
import browser from 'webextension-polyfill';
import { diagnose } from '../core/diagnose';
import { newEntry } from '../core/history-entry';
import { proxyKey } from '../core/host';
import { toChallenge } from './auth-listener';
import { isPrivate } from './privacy';
import { type State, withState } from './state';

interface Ended {
  requestId: string;
  url: string;
  tabId: number;
  ip?: string;
  /** Firefox tells which proxy carried the request. */
  proxyInfo?: { host: string; port: number } | null;
  incognito?: boolean;
}

/** A request we never tracked ended on a proxy's 407: the browser got no challenge it could answer. */
async function record(s: State, d: Ended, error: string): Promise<void> {
  if (s.requests.has(String(d.requestId))) return; // a challenge we answered: outcomes.ts settles it
  const incognito = await isPrivate(d);
  const challenger = d.proxyInfo ? { host: d.proxyInfo.host, port: d.proxyInfo.port } : { host: d.ip ?? '', port: 0 };
  // the same bounds as an answered challenge: capped text, and this proxy's budget of rows per minute
  if (!s.rowBudget.take(proxyKey(challenger), Date.now())) return;
  const challenge = { ...toChallenge({ requestId: d.requestId, url: d.url, tabId: d.tabId, isProxy: true, scheme: '', challenger }), incognito };
  const entry = newEntry(challenge, 'no-challenge-header', null, { stripQuery: s.settings.stripQueryStrings, id: crypto.randomUUID(), at: Date.now() });
  Object.assign(entry, { outcome: 'failed', noChallengeHeader: true, error });
  entry.diagnosis = diagnose(entry, { profiles: s.profiles });
  s.history.write(entry);
}

// A 407 that carries Proxy-Authenticate but was never offered to us (favicons, requests that may not prompt) is not a fault.
const hasChallenge = (headers: { name: string }[] | undefined) => headers?.some((h) => h.name.toLowerCase() === 'proxy-authenticate') ?? true;

/**
 * Listens for proxy 407s that ended without reaching onAuthRequired. The worker entry registers these
 * before its own request-ending listeners, so a request we answered is still tracked when they run.
 */
export function registerUnanswered407(filter: { urls: string[] }): void {
  browser.webRequest.onCompleted.addListener(
    (d) => {
      if (d.statusCode === 407 && !hasChallenge(d.responseHeaders)) withState((s) => void record(s, d as Ended, 'no-proxy-authenticate'));
    },
    filter,
    ['responseHeaders'],
  );
  browser.webRequest.onErrorOccurred.addListener((d) => {
    if (/PROXY_AUTH_UNSUPPORTED/.test(d.error)) withState((s) => void record(s, d as Ended, d.error));
  }, filter);
}
