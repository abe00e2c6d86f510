// The NTLMv2 test proxy without a browser: the handshake on one kept-alive connection, its counts and its refusals.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateMessage, negotiateMessage, ntlmv2Response, parseChallenge } from '../../support/ntlm.js';
import { type NtlmProxy, startNtlmProxy } from '../../support/ntlm-proxy.js';

let origin: http.Server;
let originPort: number;
beforeAll(async () => {
  origin = http.createServer((_req, res) => res.end('hello from origin'));
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', () => r()));
  originPort = (origin.address() as AddressInfo).port;
});
afterAll(async () => new Promise<void>((r) => origin.close(() => r())));

interface Reply {
  status: number;
  challenges: string[];
  body: string;
}

/** One GET through the proxy on `agent` (maxSockets 1 keeps every request on one connection). */
function get(proxy: NtlmProxy, agent: http.Agent, authorization?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: proxy.port, path: `http://origin.test:${originPort}/`, agent, headers: authorization ? { 'Proxy-Authorization': authorization } : {} },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          const raw = res.rawHeaders;
          const challenges = raw.flatMap((v, i) => (i % 2 === 0 && v.toLowerCase() === 'proxy-authenticate' ? [raw[i + 1] ?? ''] : []));
          resolve({ status: res.statusCode ?? 0, challenges, body });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The browser's part: type 1, read the type 2, answer with an NTLMv2 type 3, all on one connection. */
async function handshake(proxy: NtlmProxy, user: string, domain: string, password: string, agent = new http.Agent({ keepAlive: true, maxSockets: 1 })): Promise<Reply> {
  const first = await get(proxy, agent, `NTLM ${negotiateMessage().toString('base64')}`);
  expect(first.status).toBe(407);
  const type2 = Buffer.from((first.challenges[0] ?? '').replace(/^NTLM /, ''), 'base64');
  const { serverChallenge, targetInfo } = parseChallenge(type2);
  const nt = ntlmv2Response(password, user, domain, serverChallenge, targetInfo, Date.now());
  return get(proxy, agent, `NTLM ${authenticateMessage(domain, user, 'WS1', nt).toString('base64')}`);
}

describe('NTLMv2 test proxy', () => {
  let proxy: NtlmProxy;
  beforeAll(async () => {
    proxy = await startNtlmProxy({ users: { alice: 'right-pw' }, offer: ['Negotiate', 'NTLM', 'Basic'], basicRealm: 'Corp Proxy', lockoutAfter: 3 });
  });
  afterAll(async () => proxy.close());

  it('challenges with every offered scheme, then signs in the connection with a verified NTLMv2 response', async () => {
    proxy.resetStats();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(proxy, agent)).challenges).toEqual(['Negotiate', 'NTLM', 'Basic realm="Corp Proxy"']);
    const ok = await handshake(proxy, 'alice', 'CORP', 'right-pw', agent);
    expect(ok).toMatchObject({ status: 200, body: 'hello from origin' });
    // NTLM signs in the connection: the next request on it needs no header
    expect((await get(proxy, agent)).status).toBe(200);
    expect(proxy.stats).toMatchObject({ challenges407: 1, handshakesStarted: 1, accepted: 1, rejected: 0 });
    expect([...proxy.stats.acceptedByUser.keys()]).toEqual(['CORP\\alice']);
    agent.destroy();
  });

  it('accepts the UPN form (user@dnsdomain, empty domain) and an empty domain', async () => {
    expect((await handshake(proxy, 'alice@corp.test', '', 'right-pw')).status).toBe(200);
    expect((await handshake(proxy, 'alice', '', 'right-pw')).status).toBe(200);
  });

  it('refuses a wrong password, a wrong domain and a type 3 on a connection that got no challenge, counting each', async () => {
    proxy.resetStats();
    expect((await handshake(proxy, 'bob', 'CORP', 'x')).status).toBe(407);
    expect((await handshake(proxy, 'alice', 'OTHER', 'right-pw')).status).toBe(407);
    const fresh = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const stray = authenticateMessage('CORP', 'alice', 'WS1', Buffer.alloc(64, 1));
    expect((await get(proxy, fresh, `NTLM ${stray.toString('base64')}`)).status).toBe(407);
    fresh.destroy();
    expect((await handshake(proxy, 'alice', 'CORP', 'wrong-pw')).status).toBe(407);
    expect(Object.fromEntries(proxy.stats.rejectedBy)).toEqual({ 'unknown-user': 1, 'wrong-domain': 1, 'no-challenge-on-connection': 1, 'wrong-password': 1 });
    expect(proxy.stats.accepted).toBe(0);
  });

  it('locks the account after the set number of refusals: then even the right password is refused', async () => {
    proxy.resetStats();
    for (let i = 0; i < 3; i++) expect((await handshake(proxy, 'alice', 'CORP', 'wrong-pw')).status).toBe(407);
    expect((await handshake(proxy, 'alice', 'CORP', 'right-pw')).status).toBe(407);
    expect(proxy.stats.rejectedBy.get('locked')).toBe(1);
  });

  it('answers Basic with the same accounts when Basic is offered', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(proxy, agent, `Basic ${Buffer.from('alice:right-pw').toString('base64')}`)).status).toBe(200);
    agent.destroy();
  });
});
