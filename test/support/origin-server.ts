// A tiny local web site on 127.0.0.1 (HTTP and HTTPS with a throw-away self-signed cert) that proxied pages load.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir, removeTempDir } from './temp.js';

const run = promisify(execFile);

export interface OriginServer {
  port: number;
  httpsPort: number;
  url(path: string): string;
  httpsUrl(path: string): string;
  /** Requests (either server) that carried an Authorization header. */
  readonly authHeadersSeen: number;
  /** Requests by path name (query left out), both servers. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

const MAX_N = 5000;

function countParam(url: URL, fallback: number): number {
  const n = Number.parseInt(url.searchParams.get('n') ?? '', 10);
  return Number.isFinite(n) ? Math.min(Math.max(n, 0), MAX_N) : fallback;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function escapeQuoted(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}

/**
 * An HTML page whose script fetches `n` distinct resources in parallel and, once all have settled,
 * sets `document.title` to `done:<ok>/<failed>` (a fetch counts as ok only with a 2xx status).
 */
function parallelPage(title: string, n: number, prefix: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1><p id="status">loading ${n} resources</p>
<script>
(async () => {
  const v = Date.now() + '-' + Math.random().toString(36).slice(2);
  const tasks = [];
  for (let i = 0; i < ${n}; i++) {
    tasks.push(fetch('/res/${prefix}' + i + '?v=' + v, { cache: 'no-store' }).then(async (r) => {
      if (!r.ok) throw new Error('status ' + r.status);
      return r.text();
    }));
  }
  const results = await Promise.allSettled(tasks);
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  const failed = results.length - ok;
  document.getElementById('status').textContent = ok + ' ok, ' + failed + ' failed';
  document.title = 'done:' + ok + '/' + failed;
})();
</script></body></html>
`;
}

/** A service worker that fetches the addresses a page posts to it, all at once, and posts back how each ended. */
const SERVICE_WORKER = `
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('message', (e) => {
  const urls = e.data.urls;
  e.waitUntil(Promise.allSettled(urls.map((u) => fetch(u, { mode: 'no-cors', cache: 'no-store' }))).then((r) => {
    e.source.postMessage(r.map((x) => (x.status === 'fulfilled' ? 'ok' : 'error')));
  }));
});
`;

async function makeCertificate(dir: string): Promise<{ key: Buffer; cert: Buffer }> {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  try {
    await run('openssl', [
      'req', '-x509', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error('openssl is not installed: run apt-get install -y openssl');
    throw err;
  }
  return { key: await readFile(keyFile), cert: await readFile(certFile) };
}

function listen(server: http.Server | https.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, backlog: 1024 }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startOrigin(): Promise<OriginServer> {
  const certDir = await makeTempDir('origin-cert');
  let tls: { key: Buffer; cert: Buffer };
  try {
    tls = await makeCertificate(certDir);
  } finally {
    await removeTempDir(certDir);
  }

  const hits = new Map<string, number>();
  let authHeadersSeen = 0;

  const handler: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    if (req.headers.authorization !== undefined) authHeadersSeen += 1;
    req.resume();
    const send = (status: number, type: string, body: string, extra: http.OutgoingHttpHeaders = {}) => {
      res.writeHead(status, {
        'Content-Type': type,
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-store',
        ...extra,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const html = 'text/html; charset=utf-8';
    if (url.pathname === '/') {
      send(200, html, '<!doctype html><html><head><meta charset="utf-8"><title>Hello</title></head><body><h1>Hello through the proxy</h1></body></html>\n');
    } else if (url.pathname === '/page') {
      send(200, html, parallelPage('page', countParam(url, 30), 'p'));
    } else if (url.pathname === '/burst') {
      send(200, html, parallelPage('burst', countParam(url, 200), 'b'));
    } else if (url.pathname === '/hop') {
      // a redirect chain: `hops` more redirects to this same address, then to `to`
      const hops = Number(url.searchParams.get('hops') ?? '0');
      const to = url.searchParams.get('to') ?? '/';
      const next = hops > 0 ? `/hop?hops=${hops - 1}&to=${encodeURIComponent(to)}` : to;
      send(302, 'text/plain; charset=utf-8', 'redirect\n', { Location: next, 'Access-Control-Allow-Origin': '*' });
    } else if (url.pathname === '/sw-page') {
      send(200, html, '<!doctype html><html><head><meta charset="utf-8"><title>sw</title></head><body>service worker host</body></html>\n');
    } else if (url.pathname === '/sw.js') {
      send(200, 'text/javascript; charset=utf-8', SERVICE_WORKER);
    } else if (url.pathname.startsWith('/res/')) {
      send(200, 'text/plain; charset=utf-8', `resource ${url.pathname.slice(5)}\n`, { 'Access-Control-Allow-Origin': '*' });
    } else if (url.pathname === '/proxy-407') {
      // a hostile site: answers as if it were the proxy, with the realm the query names
      const realm = url.searchParams.get('realm') ?? 'Origin';
      send(407, 'text/plain; charset=utf-8', 'origin says 407', {
        'Proxy-Authenticate': `Basic realm="${escapeQuoted(realm)}"`,
        'Access-Control-Allow-Origin': '*',
      });
    } else if (url.pathname === '/basic-401') {
      const realm = url.searchParams.get('realm') ?? 'Origin';
      send(401, 'text/plain; charset=utf-8', 'origin says 401', {
        'WWW-Authenticate': `Basic realm="${escapeQuoted(realm)}"`,
      });
    } else {
      send(404, 'text/plain; charset=utf-8', 'not found\n');
    }
  };

  const httpServer = http.createServer(handler);
  const httpsServer = https.createServer({ key: tls.key, cert: tls.cert }, handler);
  for (const server of [httpServer, httpsServer]) {
    server.keepAliveTimeout = 30_000;
    server.headersTimeout = 35_000;
  }
  const port = await listen(httpServer);
  const httpsPort = await listen(httpsServer);

  const closeServer = (server: http.Server | https.Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  return {
    port,
    httpsPort,
    url: (p: string) => `http://127.0.0.1:${port}${p.startsWith('/') ? p : `/${p}`}`,
    httpsUrl: (p: string) => `https://127.0.0.1:${httpsPort}${p.startsWith('/') ? p : `/${p}`}`,
    get authHeadersSeen() {
      return authHeadersSeen;
    },
    hits,
    async close() {
      await Promise.all([closeServer(httpServer), closeServer(httpsServer)]);
    },
  };
}
