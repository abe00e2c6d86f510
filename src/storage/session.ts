// What must survive a worker restart but not a browser restart: breaker verdicts and requests in flight.
import browser from 'webextension-polyfill';
import type { CredentialStatus } from '../core/credential-gate';
import type { HistoryEntry } from '../core/model';

export interface TrackedRequest {
  entry: HistoryEntry;
  /** The credential key we answered with, while we wait for the proxy's verdict. */
  answeredWith: string | null;
}

export interface EngineSnapshot {
  gate: Record<string, CredentialStatus>;
  requests: Record<string, TrackedRequest>;
}

const KEY = 'engine';

export async function loadSnapshot(): Promise<EngineSnapshot> {
  const raw = (await browser.storage.session.get(KEY))[KEY] as Partial<EngineSnapshot> | undefined;
  return { gate: raw?.gate ?? {}, requests: raw?.requests ?? {} };
}

export async function saveSnapshot(s: EngineSnapshot): Promise<void> {
  await browser.storage.session.set({ [KEY]: s });
}
