// One shape for the authenticating proxies the scenarios run against: the project's Node proxy and squid.
import type { ProfileFields } from '../../src/core/profile-schema';
import { startNodeProxy } from './node-proxy';
import { startSquid } from './squid';

export type ProxyKind = 'node' | 'squid' | 'squid-digest';

export interface TestProxy {
  kind: ProxyKind;
  port: number;
  realm: string;
  scheme: 'basic' | 'digest';
  /** Requests that carried a credential the proxy refused (for one user, or all). */
  rejected(user?: string): Promise<number>;
  /** Requests the proxy let through after checking a credential. */
  accepted(): Promise<number>;
  /** 407s sent to requests that carried no credential. */
  challenges(): Promise<number>;
  /** Forwarded requests the site answered with 407 (the proxy had accepted their credential). */
  relayed407(): Promise<number>;
  /** Node proxy only: the account's password changes on the proxy from now on (an IT password rotation). */
  setPassword(user: string, password: string): void;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Node proxy only: every request is held that long, as by a proxy a network away. */
  latencyMs?: number;
  /** Node proxy only: a lax proxy that forwards a site's 407 with its Proxy-Authenticate (node-proxy.ts). */
  lax?: boolean;
}

export async function startProxy(kind: ProxyKind, realm: string, users: Record<string, string>, o: number | ProxyOptions = {}): Promise<TestProxy> {
  const { latencyMs = 0, lax = false } = typeof o === 'number' ? { latencyMs: o } : o;
  if (kind === 'node') {
    const accounts = { ...users };
    const p = await startNodeProxy({ realm, users: accounts, latencyMs, forwardProxyAuthenticate: lax, ...(process.env.PAK_PROXY_LOG ? { log: (l: string) => console.log(`PROXY ${Date.now() % 100000} ${l}`) } : {}) });
    return {
      kind,
      port: p.port,
      realm,
      scheme: 'basic',
      rejected: async (user) => (user ? (p.stats.rejectedByCredential.get(user) ?? 0) : p.stats.rejected),
      accepted: async () => p.stats.accepted,
      challenges: async () => p.stats.challenges407,
      relayed407: async () => p.stats.relayed407,
      // the proxy reads its accounts on every request
      setPassword: (user, password) => {
        accounts[user] = password;
      },
      close: () => p.close(),
    };
  }
  const scheme = kind === 'squid' ? 'basic' : 'digest';
  const s = await startSquid({ scheme, realm, users });
  return {
    kind,
    port: s.port,
    realm,
    scheme,
    rejected: (user) => s.countAuthFailures(user),
    accepted: () => s.countOk(),
    challenges: () => s.countChallenges(),
    relayed407: async () => (await s.entries()).filter((e) => e.status === 407 && e.result !== 'TCP_DENIED').length,
    setPassword: () => {
      throw new Error('setPassword: squid caches a checked credential (credentialsttl); use the Node proxy');
    },
    close: () => s.close(),
  };
}

/** The saved profile that answers `proxy` (its realm and scheme) as `username`. */
export const savedProfile = (proxy: TestProxy, username: string, password: string, over: Partial<ProfileFields> = {}): ProfileFields => ({
  name: `${proxy.kind} account`,
  proxy: { host: '127.0.0.1', port: proxy.port },
  realm: proxy.realm,
  scheme: proxy.scheme,
  username,
  password,
  isDefault: true,
  ...over,
});
