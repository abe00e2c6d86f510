// The one dispatcher in the worker: a handler per message name; errors come back as data.
import type { Envelope, MessageName, Reply, RequestOf, ResponseOf } from './map';

export type Handlers = { [K in MessageName]: (payload: RequestOf<K>) => Promise<ResponseOf<K>> | ResponseOf<K> };

const isEnvelope = (m: unknown): m is Envelope =>
  typeof m === 'object' && m !== null && (m as Envelope).pak === 1 && typeof (m as Envelope).name === 'string';

/** Returns a runtime.onMessage listener; anything that is not our envelope is left alone. */
export function createRouter(handlers: () => Promise<Handlers>, ownId: string) {
  return (message: unknown, sender: { id?: string }): Promise<Reply<MessageName>> | undefined => {
    if (!isEnvelope(message) || sender.id !== ownId) return undefined;
    return dispatch(message, handlers);
  };
}

async function dispatch<K extends MessageName>(message: Envelope<K>, handlers: () => Promise<Handlers>): Promise<Reply<K>> {
  try {
    const table = await handlers();
    const handler = table[message.name] as ((p: RequestOf<K>) => Promise<ResponseOf<K>>) | undefined;
    if (!handler) return { ok: false, error: `Unknown message ${String(message.name)}` };
    return { ok: true, value: await handler(message.payload) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
