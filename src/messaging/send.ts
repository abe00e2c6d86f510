// The one way a page talks to the worker: send('profiles/save', fields), checked at compile time.
import browser from 'webextension-polyfill';
import type { Envelope, MessageName, Reply, RequestOf, ResponseOf } from './map';

export class MessageError extends Error {}

export async function send<K extends MessageName>(name: K, ...payload: RequestOf<K> extends void ? [] : [RequestOf<K>]): Promise<ResponseOf<K>> {
  const envelope: Envelope<K> = { pak: 1, name, payload: payload[0] as RequestOf<K> };
  const reply = (await browser.runtime.sendMessage(envelope)) as Reply<K> | undefined;
  if (!reply) throw new MessageError(`No answer from the extension's worker for ${name}`);
  if (!reply.ok) throw new MessageError(reply.error);
  return reply.value;
}
