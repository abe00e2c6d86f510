// The two proxies every browser figure compares: one that demands auth, and the same kind without auth (the baseline).
import type { ProfileFields } from '../../src/core/profile-schema';
import { startNodeProxy } from '../../test/support/node-proxy';
import { savedProfile, startProxy, type TestProxy } from '../../test/support/proxies';
import { startSquid } from '../../test/support/squid';

export type BenchProxyKind = 'node' | 'squid';

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
  const auth = await startProxy(kind, REALM, { [USER]: PASS });
  try {
    const plain =
      kind === 'node'
        ? await startNodeProxy({ realm: REALM, users: {}, requireAuth: false })
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
