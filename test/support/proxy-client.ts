// A raw Node client for talking to a forward proxy in tests: absolute-URI GET and CONNECT+TLS, Basic or Digest auth.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

export interface ProxyCredential {
  scheme: 'basic' | 'digest';
  user: string;
  password: string;
}

export interface ProxiedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every Proxy-Authenticate header value of the response, in order. */
  proxyAuthenticate: string[];
  body: string;
}

export interface TunnelResponse {
  /** Status of the proxy's answer to CONNECT (200 when the tunnel was opened). */
  connectStatus: number;
  proxyAuthenticate: string[];
  /** The origin's answer through the tunnel; undefined when the tunnel was not opened. */
  response?: ProxiedResponse;
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

function headerValues(res: http.IncomingMessage, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    if (res.rawHeaders[i]?.toLowerCase() === name) values.push(res.rawHeaders[i + 1] ?? '');
  }
  return values;
}

/** Parses the parameters of one challenge, e.g. `Digest realm="x", nonce="y", qop="auth"`. */
export function parseChallenge(value: string): { scheme: string; params: Record<string, string> } {
  const space = value.indexOf(' ');
  const scheme = (space < 0 ? value : value.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (const m of (space < 0 ? '' : value.slice(space + 1)).matchAll(re)) {
    if (m[1]) params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return { scheme, params };
}

export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** RFC 7616 Digest (MD5, qop=auth when offered) answer to a challenge for `method uri`. */
export function digestAuthorization(challenge: string, method: string, uri: string, user: string, password: string): string {
  const { params } = parseChallenge(challenge);
  const realm = params.realm ?? '';
  const nonce = params.nonce ?? '';
  const qops = (params.qop ?? '').split(',').map((q) => q.trim());
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const parts = [`username="${user}"`, `realm="${realm}"`, `nonce="${nonce}"`, `uri="${uri}"`];
  if (qops.includes('auth')) {
    const cnonce = randomBytes(8).toString('hex');
    const nc = '00000001';
    parts.push(`cnonce="${cnonce}"`, `nc=${nc}`, 'qop=auth', `response="${md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`)}"`);
  } else {
    parts.push(`response="${md5(`${ha1}:${nonce}:${ha2}`)}"`);
  }
  if (params.opaque !== undefined) parts.push(`opaque="${params.opaque}"`);
  parts.push('algorithm=MD5');
  return `Digest ${parts.join(', ')}`;
}

function readResponse(res: http.IncomingMessage): Promise<ProxiedResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', reject);
    res.on('end', () =>
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        proxyAuthenticate: headerValues(res, 'proxy-authenticate'),
        body: Buffer.concat(chunks).toString('utf8'),
      }),
    );
  });
}

function sendGet(proxyPort: number, url: string, proxyAuthorization?: string): Promise<ProxiedResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = http.request({
      host: '127.0.0.1',
      port: proxyPort,
      method: 'GET',
      path: url,
      agent: false,
      headers: { Host: target.host, ...(proxyAuthorization ? { 'Proxy-Authorization': proxyAuthorization } : {}) },
    });
    req.on('response', (res) => readResponse(res).then(resolve, reject));
    req.on('error', reject);
    req.end();
  });
}

function sendConnect(
  proxyPort: number,
  authority: string,
  proxyAuthorization?: string,
): Promise<{ status: number; proxyAuthenticate: string[]; socket: Duplex }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port: proxyPort,
      method: 'CONNECT',
      path: authority,
      agent: false,
      headers: { Host: authority, ...(proxyAuthorization ? { 'Proxy-Authorization': proxyAuthorization } : {}) },
    });
    req.on('connect', (res, socket) =>
      resolve({ status: res.statusCode ?? 0, proxyAuthenticate: headerValues(res, 'proxy-authenticate'), socket }),
    );
    // A proxy may answer a refused CONNECT like an ordinary response.
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, proxyAuthenticate: headerValues(res, 'proxy-authenticate'), socket: res.socket });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The Proxy-Authorization for a credential, given the challenge the proxy just sent. */
function answer(cred: ProxyCredential, challenges: string[], method: string, uri: string): string | undefined {
  if (cred.scheme === 'basic') return basicAuthorization(cred.user, cred.password);
  const digest = challenges.find((c) => /^digest\s/i.test(c));
  return digest === undefined ? undefined : digestAuthorization(digest, method, uri, cred.user, cred.password);
}

/**
 * GET `url` (absolute http://) through the proxy. Basic credentials are sent preemptively; Digest
 * first collects a challenge, then answers it on a new connection.
 */
export async function proxiedGet(proxyPort: number, url: string, cred?: ProxyCredential): Promise<ProxiedResponse> {
  if (cred === undefined) return sendGet(proxyPort, url);
  if (cred.scheme === 'basic') return sendGet(proxyPort, url, basicAuthorization(cred.user, cred.password));
  const first = await sendGet(proxyPort, url);
  if (first.status !== 407) return first;
  const authorization = answer(cred, first.proxyAuthenticate, 'GET', url);
  return authorization === undefined ? first : sendGet(proxyPort, url, authorization);
}

/** Opens a CONNECT tunnel to an https:// URL through the proxy and GETs it (certificate not checked). */
export async function tunnelledGet(proxyPort: number, httpsUrl: string, cred?: ProxyCredential): Promise<TunnelResponse> {
  const target = new URL(httpsUrl);
  const authority = `${target.hostname}:${target.port || 443}`;
  let connect = await sendConnect(proxyPort, authority, cred?.scheme === 'basic' ? answer(cred, [], 'CONNECT', authority) : undefined);
  if (cred?.scheme === 'digest' && connect.status === 407) {
    connect.socket.destroy();
    const authorization = answer(cred, connect.proxyAuthenticate, 'CONNECT', authority);
    if (authorization !== undefined) connect = await sendConnect(proxyPort, authority, authorization);
  }
  if (connect.status !== 200) {
    connect.socket.destroy();
    return { connectStatus: connect.status, proxyAuthenticate: connect.proxyAuthenticate };
  }
  const secure = tls.connect({ socket: connect.socket, rejectUnauthorized: false });
  try {
    const response = await new Promise<ProxiedResponse>((resolve, reject) => {
      const req = http.request({
        createConnection: () => secure,
        method: 'GET',
        path: `${target.pathname}${target.search}`,
        headers: { Host: target.host, Connection: 'close' },
      });
      req.on('response', (res) => readResponse(res).then(resolve, reject));
      req.on('error', reject);
      req.end();
    });
    return { connectStatus: 200, proxyAuthenticate: connect.proxyAuthenticate, response };
  } finally {
    secure.destroy();
  }
}
