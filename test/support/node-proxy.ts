// The project's own authenticating forward proxy (Basic scheme) for demos and tests, loopback targets only.
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';

export interface ProxyStats {
  /** Every request that reached the proxy, CONNECT included. */
  requests: number;
  /** 407 answers to requests that carried no Proxy-Authorization at all. */
  challenges407: number;
  /** Requests whose credential was right (and that were forwarded or tunnelled). */
  accepted: number;
  /** Requests carrying a Proxy-Authorization that was wrong. */
  rejected: number;
  /** Forwarded requests the site itself answered with 407 (accepted here; a lax proxy passes the 407 on). */
  relayed407: number;
  /** Wrong credentials by user name (the password is never kept or logged). */
  rejectedByCredential: Map<string, number>;
  acceptedByUser: Map<string, number>;
}

export interface NodeProxy {
  port: number;
  stats: ProxyStats;
  resetStats(): void;
  close(): Promise<void>;
}

export interface NodeProxyOptions {
  realm: string;
  users: Record<string, string>;
  /** 0 or absent: a free port. */
  port?: number;
  /** Default true; false answers 407 without Proxy-Authenticate (a misconfigured proxy). */
  sendChallengeHeader?: boolean;
  /** Default true; false forwards every request without asking for a credential (the benchmarks' baseline). */
  requireAuth?: boolean;
  /**
   * A lax proxy: forwards the site's answers as they are, 407 and Proxy-Authenticate included (a correct
   * proxy drops Proxy-Authenticate, a hop-by-hop header; squid does). Lets a test play a hostile page.
   */
  forwardProxyAuthenticate?: boolean;
  /** Holds every request this long before handling it: a proxy a network away instead of on loopback. */
  latencyMs?: number;
  log?: (line: string) => void;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus the proxy credential: never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

type AuthVerdict =
  | { kind: 'missing' }
  | { kind: 'wrong'; user: string }
  | { kind: 'ok'; user: string };

function emptyStats(): ProxyStats {
  return {
    requests: 0,
    challenges407: 0,
    accepted: 0,
    rejected: 0,
    relayed407: 0,
    rejectedByCredential: new Map(),
    acceptedByUser: new Map(),
  };
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function checkCredential(header: string | undefined, users: Record<string, string>): AuthVerdict {
  if (header === undefined || header.trim() === '') return { kind: 'missing' };
  const match = /^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) {
    const scheme = header.trim().split(/\s+/)[0] ?? '';
    return { kind: 'wrong', user: `(unparsable ${scheme} credential)` };
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { kind: 'wrong', user: '(no colon in credential)' };
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const expected = Object.hasOwn(users, user) ? users[user] : undefined;
  return expected !== undefined && expected === password ? { kind: 'ok', user } : { kind: 'wrong', user };
}

/** Names under .test (RFC 6761, reserved for testing) stand for 127.0.0.1: browsers do not bypass them like loopback. */
const isTestName = (hostname: string): boolean => hostname.toLowerCase().endsWith('.test');

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || isTestName(hostname);
}

/** Splits "host:port" / "[::1]:port" of a CONNECT request line. */
function parseAuthority(authority: string): { host: string; port: number } | undefined {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(authority);
  if (!match?.[1] || !match[2]) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: match[1], port };
}

export function connectHost(host: string): string {
  if (isTestName(host)) return '127.0.0.1';
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

/** `keep`: hop-by-hop headers to pass on anyway (a lax proxy keeps the site's Proxy-Authenticate). */
export function forwardHeaders(headers: http.IncomingHttpHeaders, keep: readonly string[] = []): http.OutgoingHttpHeaders {
  const connectionListed = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || ((HOP_BY_HOP.has(name) || connectionListed.has(name)) && !keep.includes(name))) continue;
    out[name] = value;
  }
  return out;
}

function rawResponse(status: number, reason: string, headers: Record<string, string>, body: string): string {
  const lines = [`HTTP/1.1 ${status} ${reason}`];
  const all = { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' };
  for (const [k, v] of Object.entries(all)) lines.push(`${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

export async function startNodeProxy(opts: NodeProxyOptions): Promise<NodeProxy> {
  const sendChallengeHeader = opts.sendChallengeHeader ?? true;
  const log = opts.log ?? (() => {});
  const challengeValue = `Basic realm="${opts.realm.replace(/["\\]/g, '\\$&')}"`;
  const stats = emptyStats();
  const tunnels = new Set<Duplex>();
  const upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

  /** Applies the auth rules and updates the stats; returns the verdict. */
  function authorize(method: string, target: string, header: string | undefined): AuthVerdict {
    if (opts.requireAuth === false) {
      stats.accepted += 1;
      log(`ok  ${method} ${target} (no auth required)`);
      return { kind: 'ok', user: '' };
    }
    const verdict = checkCredential(header, opts.users);
    if (verdict.kind === 'missing') {
      stats.challenges407 += 1;
      log(`407 ${method} ${target} (no credential)`);
    } else if (verdict.kind === 'wrong') {
      stats.rejected += 1;
      bump(stats.rejectedByCredential, verdict.user);
      log(`407 ${method} ${target} (wrong credential for user "${verdict.user}")`);
    } else {
      stats.accepted += 1;
      bump(stats.acceptedByUser, verdict.user);
      log(`ok  ${method} ${target} (user "${verdict.user}")`);
    }
    return verdict;
  }

  function challengeHeaders(): Record<string, string> {
    return sendChallengeHeader ? { 'Proxy-Authenticate': challengeValue } : {};
  }

  const later = (handle: () => void) => (opts.latencyMs ? void setTimeout(handle, opts.latencyMs) : handle());

  const server = http.createServer((req, res) => later(() => onRequest(req, res)));
  function onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    stats.requests += 1;
    const method = req.method ?? 'GET';
    const target = req.url ?? '';
    let url: URL;
    try {
      url = new URL(target);
      if (url.protocol !== 'http:') throw new Error('not http');
    } catch {
      log(`400 ${method} ${target} (not an absolute http:// URI)`);
      req.resume();
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('proxy expects absolute http:// URIs\n');
      return;
    }
    // Destination check first (as in the squid config): outside traffic is refused, never challenged.
    if (!isLoopbackHost(url.hostname)) {
      log(`403 ${method} ${target} (not a loopback target)`);
      req.resume();
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('proxy only reaches loopback\n');
      return;
    }
    const verdict = authorize(method, target, req.headers['proxy-authorization']);
    if (verdict.kind !== 'ok') {
      // Keep-alive 407 with a body and Content-Length: the browser retries on the same connection.
      req.resume();
      const body = 'Proxy Authentication Required\n';
      res.writeHead(407, {
        ...challengeHeaders(),
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    const upstream = http.request(
      {
        host: connectHost(url.hostname),
        port: url.port || 80,
        method,
        path: `${url.pathname}${url.search}`,
        headers: forwardHeaders(req.headers),
        agent: upstreamAgent,
      },
      (upRes) => {
        if (upRes.statusCode === 407) {
          stats.relayed407 += 1;
          log(`407 ${method} ${target} (from the site${opts.forwardProxyAuthenticate ? ', forwarded with its Proxy-Authenticate' : ''})`);
        }
        res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, forwardHeaders(upRes.headers, opts.forwardProxyAuthenticate ? ['proxy-authenticate'] : []));
        upRes.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      log(`502 ${method} ${target} (${err.message})`);
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`bad gateway: ${err.message}\n`);
      else res.destroy();
    });
    req.pipe(upstream);
  }

  server.on('connect', (req: http.IncomingMessage, client: Duplex, head: Buffer) => {
    client.on('error', () => client.destroy()); // at once: the socket may fail while the answer is held
    later(() => onConnect(req, client, head));
  });
  function onConnect(req: http.IncomingMessage, client: Duplex, head: Buffer): void {
    stats.requests += 1;
    const target = req.url ?? '';
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    const authority = parseAuthority(target);
    if (!authority || !isLoopbackHost(authority.host)) {
      log(`403 CONNECT ${target} (not a loopback target)`);
      client.end(rawResponse(403, 'Forbidden', {}, 'proxy only reaches loopback\n'));
      return;
    }
    const verdict = authorize('CONNECT', target, req.headers['proxy-authorization']);
    if (verdict.kind !== 'ok') {
      // The socket is detached from Node's HTTP parser after CONNECT, so this 407 closes the
      // connection; browsers then retry the CONNECT on a fresh connection.
      client.end(rawResponse(407, 'Proxy Authentication Required', challengeHeaders(), 'Proxy Authentication Required\n'));
      return;
    }
    const upstream = net.connect({ host: connectHost(authority.host), port: authority.port });
    tunnels.add(upstream);
    upstream.on('close', () => tunnels.delete(upstream));
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', (err) => {
      log(`502 CONNECT ${target} (${err.message})`);
      if (upstream.connecting) client.end(rawResponse(502, 'Bad Gateway', {}, `bad gateway: ${err.message}\n`));
      else client.destroy();
    });
    client.on('close', () => upstream.destroy());
  }

  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: opts.port ?? 0, backlog: 1024 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('node proxy has no TCP address');

  return {
    port: address.port,
    stats,
    resetStats() {
      stats.requests = 0;
      stats.challenges407 = 0;
      stats.accepted = 0;
      stats.rejected = 0;
      stats.relayed407 = 0;
      stats.rejectedByCredential.clear();
      stats.acceptedByUser.clear();
    },
    async close() {
      for (const socket of tunnels) socket.destroy();
      tunnels.clear();
      upstreamAgent.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
