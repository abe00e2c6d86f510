// The two proxies every browser figure compares: one that demands auth, and the same kind without auth (the baseline).
import type { ProfileFields } from '../../src/core/profile-schema';
import { startNodeProxy } from '../../test/support/node-proxy';
import { savedProfile, startProxy, type TestProxy } from '../../test/support/proxies';
import { startSquid } from '../../test/support/squid';

/** 'node-wan': the Node proxy holding every request WAN_MS, as a proxy a network away would. */
export type BenchProxyKind = 'node' | 'squid' | 'node-wan';

/** A round trip typical of a proxy in another building or a cloud region (loopback is under 4 ms). */
export const WAN_MS = 50;

export const REALM = 'Bench Proxy';
export const USER = 'bench';
export const PASS = 'bench-Pa55word';

export interface ProxyPair {
  kind: BenchProxyKind;
  auth: TestProxy;
  /** Same software, same config, no proxy authentication. */
  plain: { port: number; close(): Promise<void> };
  close(): Promise<void>;
}

export async function startPair(kind: BenchProxyKind): Promise<ProxyPair> {
  const latencyMs = kind === 'node-wan' ? WAN_MS : 0;
  const auth = await startProxy(kind === 'squid' ? 'squid' : 'node', REALM, { [USER]: PASS }, latencyMs);
  try {
    const plain =
      kind !== 'squid'
        ? await startNodeProxy({ realm: REALM, users: {}, requireAuth: false, latencyMs })
        : await startSquid({ scheme: 'basic', realm: REALM, users: {}, auth: false });
    return {
      kind,
      auth,
      plain,
      close: async () => {
        await Promise.all([auth.close(), plain.close()]);
      },
    };
  } catch (err) {
    await auth.close();
    throw err;
  }
}

/** The saved profile that answers the authenticating proxy. */
export const benchProfile = (proxy: TestProxy): ProfileFields => savedProfile(proxy, USER, PASS, { name: `${proxy.kind} bench account` });
