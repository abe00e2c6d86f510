// The project's own forward proxy that really verifies NTLMv2 (and optionally offers Negotiate and Basic), loopback targets only.
import http from 'node:http';
import type { Socket } from 'node:net';
import { connectHost, forwardHeaders, isLoopbackHost } from './node-proxy.js';
import { challengeMessage, messageType, newServerChallenge, parseAuthenticate, type ServerIdentity, verifyNtlmv2 } from './ntlm.js';

export type OfferedScheme = 'Negotiate' | 'NTLM' | 'Basic';

export interface NtlmProxyStats {
  requests: number;
  /** 407s to requests without any credential on a connection not yet signed in. */
  challenges407: number;
  /** Type 1 messages answered with a type 2 (handshakes begun). */
  handshakesStarted: number;
  /** Type 3 messages whose NTProofStr proved the password. */
  accepted: number;
  /** Type 3 messages (or Basic credentials) that did not. */
  rejected: number;
  /** Why credentials were refused: 'wrong-password', 'wrong-domain', 'unknown-user', 'ntlmv1', 'no-challenge-on-connection', 'locked', 'kerberos', 'basic'. */
  rejectedBy: Map<string, number>;
  /** Accepted sign-ins by the scheme the client used ('NTLM', 'Negotiate' carrying NTLM, 'Basic'). */
  acceptedByScheme: Map<string, number>;
  /** Accepted NTLM sign-ins as "DOMAIN\user" the client sent (empty domain shown as "\user"). */
  acceptedByUser: Map<string, number>;
}

export interface NtlmProxy {
  port: number;
  stats: NtlmProxyStats;
  /** The Proxy-Authenticate values of a fresh 407, in order. */
  offered: string[];
  resetStats(): void;
  close(): Promise<void>;
}

export interface NtlmProxyOptions {
  identity?: ServerIdentity;
  /** NTLM accounts in the proxy's domain: user name (case-insensitive) → password. */
  users: Record<string, string>;
  /** Default ['NTLM']. The order of the Proxy-Authenticate headers. */
  offer?: OfferedScheme[];
  /** Basic realm when 'Basic' is offered; Basic accepts the same accounts. */
  basicRealm?: string;
  /** A domain policy: after this many refused type 3s for one user, even the right password is refused ('locked'). */
  lockoutAfter?: number;
  /** Sends these bytes as the type 2 instead of a proper one (replays another server's challenge, e.g. squid's ntlm_fake_auth). */
  replayType2?: Buffer;
  log?: (line: string) => void;
}

interface ConnectionState {
  challenge?: Buffer;
  /** The scheme word the pending handshake used ('NTLM' or 'Negotiate'). */
  word?: string;
  signedIn?: string;
}

const DEFAULT_IDENTITY: ServerIdentity = { nbDomain: 'CORP', nbComputer: 'PROXY1', dnsDomain: 'corp.test' };

function emptyStats(): NtlmProxyStats {
  return { requests: 0, challenges407: 0, handshakesStarted: 0, accepted: 0, rejected: 0, rejectedBy: new Map(), acceptedByScheme: new Map(), acceptedByUser: new Map() };
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

export async function startNtlmProxy(opts: NtlmProxyOptions): Promise<NtlmProxy> {
  const identity = opts.identity ?? DEFAULT_IDENTITY;
  const log = opts.log ?? (() => {});
  const offer = opts.offer ?? ['NTLM'];
  const offered = offer.map((s) => (s === 'Basic' ? `Basic realm="${opts.basicRealm ?? 'Corp Proxy'}"` : s));
  const accounts = new Map(Object.entries(opts.users).map(([u, p]) => [u.toLowerCase(), p]));
  const refusedByUser = new Map<string, number>();
  const stats = emptyStats();
  const connections = new WeakMap<Socket, ConnectionState>();
  const upstreamAgent = new http.Agent({ keepAlive: true });

  const refuse = (reason: string, who: string) => {
    stats.rejected += 1;
    bump(stats.rejectedBy, reason);
    bump(refusedByUser, who.toLowerCase());
    log(`407 refused ${who}: ${reason}`);
  };

  /** The account a type 3 names: DOMAIN\user with the proxy's domain (NetBIOS or DNS) or none, or user@dnsdomain with none. */
  function account(domain: string, user: string): { key: string } | { reason: string } {
    const d = domain.toLowerCase();
    if (d === '' && user.includes('@')) {
      const [name, realm] = [user.slice(0, user.lastIndexOf('@')), user.slice(user.lastIndexOf('@') + 1)];
      if (realm.toLowerCase() !== identity.dnsDomain.toLowerCase()) return { reason: 'wrong-domain' };
      return accounts.has(name.toLowerCase()) ? { key: name.toLowerCase() } : { reason: 'unknown-user' };
    }
    if (d !== '' && d !== identity.nbDomain.toLowerCase() && d !== identity.dnsDomain.toLowerCase()) return { reason: 'wrong-domain' };
    return accounts.has(user.toLowerCase()) ? { key: user.toLowerCase() } : { reason: 'unknown-user' };
  }

  /** Handles one NTLM token; returns the 407 header to send, or 'ok' when the connection is now signed in. */
  function ntlmStep(state: ConnectionState, word: string, token: Buffer): { challenge: string } | 'ok' | 'refused' {
    const type = messageType(token);
    if (type === 1) {
      state.challenge = opts.replayType2 ? Buffer.from(opts.replayType2.subarray(24, 32)) : newServerChallenge();
      state.word = word;
      stats.handshakesStarted += 1;
      const type2 = opts.replayType2 ?? challengeMessage(identity, state.challenge, Date.now());
      return { challenge: `${word} ${type2.toString('base64')}` };
    }
    if (type !== 3) {
      refuse(word === 'Negotiate' ? 'kerberos' : 'malformed', '(no user)');
      return 'refused';
    }
    const challenge = state.challenge;
    state.challenge = undefined;
    let auth: ReturnType<typeof parseAuthenticate>;
    try {
      auth = parseAuthenticate(token);
    } catch {
      refuse('malformed', '(no user)');
      return 'refused';
    }
    const who = `${auth.domain}\\${auth.user}`;
    if (!challenge) return refuse('no-challenge-on-connection', who), 'refused';
    if (auth.ntResponse.length <= 24) return refuse('ntlmv1', who), 'refused';
    const found = account(auth.domain, auth.user);
    if ('reason' in found) return refuse(found.reason, who), 'refused';
    if (opts.lockoutAfter !== undefined && (refusedByUser.get(who.toLowerCase()) ?? 0) >= opts.lockoutAfter) return refuse('locked', who), 'refused';
    if (!verifyNtlmv2(auth, accounts.get(found.key) ?? '', challenge)) return refuse('wrong-password', who), 'refused';
    stats.accepted += 1;
    bump(stats.acceptedByScheme, word);
    bump(stats.acceptedByUser, who);
    state.signedIn = who;
    log(`ok  signed in ${who} with ${word}`);
    return 'ok';
  }

  function basicStep(b64: string): 'ok' | 'refused' {
    const decoded = Buffer.from(b64, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = accounts.get(user.toLowerCase());
    if (!offer.includes('Basic') || password === undefined || password !== decoded.slice(colon + 1)) return refuse('basic', user), 'refused';
    stats.accepted += 1;
    bump(stats.acceptedByScheme, 'Basic');
    return 'ok';
  }

  function send407(res: http.ServerResponse, headers: string[]): void {
    const body = 'Proxy Authentication Required\n';
    // Keep-alive with Content-Length: NTLM authenticates the connection, so the handshake must stay on it.
    res.writeHead(407, 'Proxy Authentication Required', [
      ...headers.map((h) => ['Proxy-Authenticate', h] as [string, string]),
      ['Content-Type', 'text/plain; charset=utf-8'],
      ['Content-Length', String(Buffer.byteLength(body))],
      ['Connection', 'keep-alive'],
    ].flat());
    res.end(body);
  }

  const server = http.createServer((req, res) => {
    stats.requests += 1;
    req.resume();
    let url: URL;
    try {
      url = new URL(req.url ?? '');
      if (url.protocol !== 'http:') throw new Error('not http');
    } catch {
      res.writeHead(400).end('proxy expects absolute http:// URIs\n');
      return;
    }
    if (!isLoopbackHost(url.hostname)) {
      res.writeHead(403).end('proxy only reaches loopback\n');
      return;
    }
    const state = connections.get(req.socket) ?? {};
    connections.set(req.socket, state);
    const header = req.headers['proxy-authorization'] ?? '';
    const [word = '', b64 = ''] = header.trim().split(/\s+/);
    let verdict: 'ok' | 'refused' | { challenge: string };
    if (header === '') {
      if (state.signedIn) verdict = 'ok';
      else {
        stats.challenges407 += 1;
        verdict = 'refused';
      }
    } else if (/^basic$/i.test(word)) verdict = basicStep(b64);
    else if (/^(ntlm|negotiate)$/i.test(word) && offer.some((s) => s.toLowerCase() === word.toLowerCase())) {
      verdict = ntlmStep(state, offer.find((s) => s.toLowerCase() === word.toLowerCase()) ?? word, Buffer.from(b64, 'base64'));
    } else verdict = (refuse('unoffered-scheme', word), 'refused');
    if (verdict === 'refused') return send407(res, offered);
    if (typeof verdict === 'object') return send407(res, [verdict.challenge]);
    const upstream = http.request(
      { host: connectHost(url.hostname), port: url.port || 80, method: req.method, path: `${url.pathname}${url.search}`, headers: forwardHeaders(req.headers), agent: upstreamAgent },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, forwardHeaders(upRes.headers));
        upRes.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502).end(`bad gateway: ${err.message}\n`);
      else res.destroy();
    });
    upstream.end();
  });
  // NTLM over CONNECT would need the 407 kept on a detached socket: this proxy serves http:// only.
  server.on('connect', (_req, socket: Socket) => socket.end('HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('NTLM proxy has no TCP address');
  return {
    port: address.port,
    stats,
    offered,
    resetStats() {
      Object.assign(stats, emptyStats());
      refusedByUser.clear();
    },
    async close() {
      upstreamAgent.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
