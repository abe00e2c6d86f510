// Worker → pages news (history rows written or removed): one typed broadcast and one way to listen.
import browser from 'webextension-polyfill';
import type { BroadcastEnvelope, BroadcastMap, BroadcastName } from './map';

/** Tells every open extension page; nobody listening (no page open) is normal, not an error. */
export function broadcast<K extends BroadcastName>(name: K, payload: BroadcastMap[K]): void {
  const envelope: BroadcastEnvelope<K> = { pakBroadcast: 1, name, payload };
  try {
    const sent = browser.runtime.sendMessage(envelope) as Promise<unknown> | undefined;
    sent?.catch(() => {});
  } catch {
    // no runtime messaging here (unit tests) or the extension is reloading
  }
}

type BroadcastHandlers = { [K in BroadcastName]?: (payload: BroadcastMap[K]) => void };

const isBroadcast = (m: unknown): m is BroadcastEnvelope =>
  typeof m === 'object' && m !== null && (m as BroadcastEnvelope).pakBroadcast === 1 && typeof (m as BroadcastEnvelope).name === 'string';

/** Listens in a page; returns the function that stops listening. */
export function onBroadcast(handlers: BroadcastHandlers): () => void {
  const listener = (message: unknown, sender: { id?: string }): undefined => {
    if (!isBroadcast(message) || sender.id !== browser.runtime.id) return undefined;
    (handlers[message.name] as ((p: unknown) => void) | undefined)?.(message.payload);
    return undefined;
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}
