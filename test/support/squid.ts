// Runs a real squid (Basic or Digest proxy auth, loopback destinations only) in its own temp dir for one test run.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, chown, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForPort } from './ports.js';
import { TEST_HOSTS } from './test-hosts.js';
import { makeTempDir, removeTempDir } from './temp.js';

const run = promisify(execFile);

export interface SquidOptions {
  /** 'ntlm': squid's ntlm_fake_auth helper, which accepts any user and checks no password (Debian ships no verifying one). */
  scheme: 'basic' | 'digest' | 'ntlm';
  realm: string;
  users: Record<string, string>;
  /** Default true; false: no proxy authentication at all (the benchmarks' baseline; scheme, realm and users are ignored). */
  auth?: boolean;
  /** Listen here (e.g. the port of a squid just closed, to change its scheme under the browser) instead of a free one. */
  port?: number;
}

export interface SquidEntry {
  /** Squid result code, e.g. TCP_DENIED, TCP_MISS, TCP_TUNNEL. */
  result: string;
  status: number;
  method: string;
  url: string;
  /** Authenticated or claimed user name; undefined when the request carried no credential. */
  user: string | undefined;
}

export interface Squid {
  port: number;
  dir: string;
  /** Requests refused for a WRONG credential (see the log notes below), optionally for one user. */
  countAuthFailures(user?: string): Promise<number>;
  /** 407 answers to requests that carried no credential at all. */
  countChallenges(): Promise<number>;
  /** Requests that passed proxy authentication (forwarded or tunnelled). */
  countOk(): Promise<number>;
  entries(): Promise<SquidEntry[]>;
  /** The raw access.log, once squid has stopped appending to it. */
  accessLog(): Promise<string>;
  close(): Promise<void>;
}

/*
 * What squid 5.7 writes to access.log (native "squid" format: time elapsed client code/status
 * bytes method URL user hierarchy type), checked with curl against this config:
 *
 *   no credential          TCP_DENIED/407 ... GET http://127.0.0.1:P/x -     HIER_NONE/- text/html
 *   wrong password         TCP_DENIED/407 ... GET http://127.0.0.1:P/x alice HIER_NONE/- text/html
 *   unknown user           TCP_DENIED/407 ... GET http://127.0.0.1:P/x zed   HIER_NONE/- text/html
 *   right credential       TCP_MISS/200   ... GET http://127.0.0.1:P/x alice HIER_DIRECT/127.0.0.1 ...
 *   outside destination    TCP_DENIED/403 ... GET http://example.com/ -     HIER_NONE/- ...
 *
 * So a 407 whose user field is filled is a request that carried a credential squid refused;
 * "-" is the credential-less first challenge. That holds for Basic and Digest alike (Digest
 * logs the username of the Authorization header it could not verify). Every refused attempt is
 * logged even when squid has a cached good result for that user: the cache (credentialsttl)
 * only skips the helper call, never the log line. User names are URL-encoded in the log.
 * One false positive remains for Digest: a stale nonce is also a 407 with the user filled, so
 * this config raises nonce_max_count/nonce_max_duration and turns check_nonce_count off to make
 * stale nonces practically impossible during a test run.
 * Logs are written unbuffered (buffered_logs off) when each transaction ends; readers still
 * wait until the file stops growing, because a transaction ends after its response is sent.
 */

const SQUID_CANDIDATES = ['/usr/sbin/squid', '/usr/bin/squid'];
const HELPERS = '/usr/lib/squid';

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function findSquid(): Promise<string> {
  for (const candidate of SQUID_CANDIDATES) if (await exists(candidate)) return candidate;
  throw new Error('squid is not installed: run apt-get install -y squid apache2-utils');
}

function assertUsable(name: string, what: string): void {
  if (name.includes(':') || /[\s"\\]/.test(name) || name === '') {
    throw new Error(`${what} ${JSON.stringify(name)} cannot be written to a squid password file`);
  }
}

async function basicPasswordFile(users: Record<string, string>): Promise<string> {
  const lines: string[] = [];
  for (const [user, password] of Object.entries(users)) {
    assertUsable(user, 'user name');
    try {
      // -n: print instead of writing a file, -b: password from argv, -m: Apache MD5 ($apr1$).
      const { stdout } = await run('htpasswd', ['-nbm', user, password]);
      lines.push(stdout.trim());
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error('htpasswd is not installed: run apt-get install -y squid apache2-utils');
      }
      throw err;
    }
  }
  return `${lines.join('\n')}\n`;
}

function digestPasswordFile(users: Record<string, string>, realm: string): string {
  // digest_file_auth -c: lines "user:realm:HA1", HA1 = md5("user:realm:password").
  return Object.entries(users)
    .map(([user, password]) => {
      assertUsable(user, 'user name');
      const ha1 = createHash('md5').update(`${user}:${realm}:${password}`).digest('hex');
      return `${user}:${realm}:${ha1}\n`;
    })
    .join('');
}

/** The .test names squid resolves to 127.0.0.1 (see test/support/test-hosts.ts). */
function squidConfig(dir: string, port: number, opts: SquidOptions): string {
  if (/[\r\n]/.test(opts.realm)) throw new Error('realm must be one line');
  const withAuth = opts.auth !== false;
  const auth = !withAuth
    ? []
    : opts.scheme === 'ntlm'
      ? [`auth_param ntlm program ${HELPERS}/ntlm_fake_auth`, 'auth_param ntlm children 5 startup=1 idle=1', 'auth_param ntlm keep_alive on']
      : opts.scheme === 'basic'
      ? [
          `auth_param basic program ${HELPERS}/basic_ncsa_auth ${dir}/htpasswd`,
          'auth_param basic children 20 startup=1 idle=1',
          `auth_param basic realm ${opts.realm}`,
          'auth_param basic credentialsttl 2 hours',
        ]
      : [
          `auth_param digest program ${HELPERS}/digest_file_auth -c ${dir}/digest_passwd`,
          'auth_param digest children 20 startup=1 idle=1',
          `auth_param digest realm ${opts.realm}`,
          'auth_param digest nonce_max_count 1000000',
          'auth_param digest nonce_max_duration 1 day',
          'auth_param digest check_nonce_count off',
        ];
  return `${[
    `http_port 127.0.0.1:${port}`,
    `pid_filename ${dir}/squid.pid`,
    `access_log ${dir}/access.log squid`,
    `cache_log ${dir}/cache.log`,
    `coredump_dir ${dir}`,
    'buffered_logs off',
    'cache_effective_user proxy',
    'cache deny all',
    'strip_query_terms off',
    'shutdown_lifetime 0 seconds',
    'pinger_enable off',
    'visible_hostname pak-test-squid',
    // Never ask an outside resolver: destinations are literal loopback addresses (or /etc/hosts).
    'dns_nameservers 127.0.0.1',
    // Names under .test (RFC 6761) stand for 127.0.0.1, so a test can spread requests over many hosts.
    `hosts_file ${dir}/hosts`,
    'dns_timeout 3 seconds',
    'forwarded_for delete',
    'via off',
    ...auth,
    ...(withAuth ? ['acl authenticated proxy_auth REQUIRED'] : []),
    // dstdomain -n, not dst: dst resolves host names (and dstdomain reverse-resolves IPs) first,
    // which waits dns_timeout on the absent loopback resolver before denying (30 s by default).
    'acl test_origin dstdomain -n 127.0.0.1 localhost [::1] .test',
    // Before the auth rule: traffic to anywhere else is refused outright, never challenged.
    'http_access deny !test_origin',
    withAuth ? 'http_access allow authenticated' : 'http_access allow all',
    'http_access deny all',
  ].join('\n')}\n`;
}

function parseEntries(log: string): SquidEntry[] {
  const entries: SquidEntry[] = [];
  for (const line of log.split('\n')) {
    const f = line.trim().split(/\s+/);
    // Also skips squid's NONE_NONE/000 "-" line for a connection closed before any request
    // (the start-up port probe makes one).
    if (f.length < 8 || f[5] === '-') continue;
    const [result = '', status = '0'] = (f[3] ?? '').split('/');
    const rawUser = f[7] ?? '-';
    let user: string | undefined;
    if (rawUser !== '-') {
      try {
        user = decodeURIComponent(rawUser);
      } catch {
        user = rawUser;
      }
    }
    entries.push({ result, status: Number(status), method: f[5] ?? '', url: f[6] ?? '', user });
  }
  return entries;
}

async function tail(file: string, lines: number): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '(no cache.log)');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function launchOnce(squidBin: string, opts: SquidOptions): Promise<Squid> {
  const dir = await makeTempDir('squid');
  const port = opts.port ?? (await freePort());
  if (opts.auth !== false) {
    if (opts.scheme === 'basic') await writeFile(path.join(dir, 'htpasswd'), await basicPasswordFile(opts.users));
    else if (opts.scheme === 'digest') await writeFile(path.join(dir, 'digest_passwd'), digestPasswordFile(opts.users, opts.realm));
  }
  const confFile = path.join(dir, 'squid.conf');
  await writeFile(path.join(dir, 'hosts'), `127.0.0.1 localhost ${TEST_HOSTS.join(' ')}\n`);
  await writeFile(confFile, squidConfig(dir, port, opts));
  await writeFile(path.join(dir, 'access.log'), '');
  const { uid, gid } = await proxyIds();
  for (const f of [dir, ...['htpasswd', 'digest_passwd', 'squid.conf', 'access.log'].map((n) => path.join(dir, n))]) {
    await chown(f, uid, gid).catch(() => {});
  }

  const child = spawn(squidBin, ['-N', '-f', confFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let spawnError: Error | undefined;
  child.on('error', (err) => (spawnError = err));
  // If the test process dies without close(), do not leave squid running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));

  try {
    await waitForPort(port, { timeoutMs: 20_000, isDead: () => spawnError !== undefined || child.exitCode !== null });
  } catch (err) {
    child.kill('SIGKILL');
    const detail = `${output.trim()}\n--- cache.log tail ---\n${await tail(path.join(dir, 'cache.log'), 25)}`;
    await removeTempDir(dir);
    throw new Error(`squid failed to start on port ${port}: ${(err as Error).message}\n${detail}`);
  }

  const accessLogFile = path.join(dir, 'access.log');
  /** Reads the access log once it has stopped growing for a short while. */
  async function settledLog(): Promise<string> {
    let previous = await readFile(accessLogFile, 'utf8');
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 75));
      const current = await readFile(accessLogFile, 'utf8');
      if (current === previous) return current;
      previous = current;
    }
    return previous;
  }
  const entries = async () => parseEntries(await settledLog());

  return {
    port,
    dir,
    entries,
    accessLog: settledLog,
    async countAuthFailures(user?: string) {
      return (await entries()).filter(
        // TCP_DENIED: squid's own 407; a site's 407 forwarded after a good credential is TCP_MISS/407
        (e) => e.status === 407 && e.result === 'TCP_DENIED' && e.user !== undefined && (user === undefined || e.user === user),
      ).length;
    },
    async countChallenges() {
      return (await entries()).filter((e) => e.status === 407 && e.user === undefined).length;
    },
    async countOk() {
      return (await entries()).filter((e) => e.result !== 'TCP_DENIED' && (e.user !== undefined || opts.auth === false) && e.status !== 0)
        .length;
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        if (!(await waitForExit(child, 8_000))) {
          child.kill('SIGKILL');
          await waitForExit(child, 2_000);
        }
      }
      await removeTempDir(dir);
    },
  };
}

async function proxyIds(): Promise<{ uid: number; gid: number }> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith('proxy:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error('no "proxy" user on this machine (squid package missing?)');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Starts squid on a free port; retries twice if the port was taken between probe and bind. */
export async function startSquid(opts: SquidOptions): Promise<Squid> {
  const squidBin = await findSquid();
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launchOnce(squidBin, opts);
    } catch (err) {
      lastError = err as Error;
      if (!/Address already in use|Cannot open HTTP Port/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError ?? new Error('squid failed to start');
}
