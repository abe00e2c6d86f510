// Real browser policy files for the enterprise scenarios (S20). A policy file applies to every browser
// on the machine, so they are written only under the e2e lock (/tmp/pak-e2e.lock) and every file
// written is removed (or the file that was there restored) in afterAll and on process exit.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const E2E_LOCK = '/tmp/pak-e2e.lock';
export const CHROME_EXTENSION_ID = 'cjllljdgfpaijifcahbpeodimcobdhhc';
export const CHROMIUM_POLICY_FILE = '/etc/chromium/policies/managed/proxy-auth-keeper-e2e.json';
/** Debian's firefox-esr reads the install's distribution/policies.json (it wins over /etc/firefox/policies). */
export const FIREFOX_POLICY_FILE = '/usr/lib/firefox-esr/distribution/policies.json';

interface Written {
  path: string;
  /** What was there before (restored), or null (removed); plus the directories we created (removed if empty). */
  before: Buffer | null;
  madeDirs: string[];
}
const written = new Map<string, Written>();

function pidsUp(pid: number): Set<number> {
  const out = new Set<number>();
  let p = pid;
  while (p > 1 && !out.has(p)) {
    out.add(p);
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  }
  return out;
}

/** The pids holding a flock on `path` (from /proc/locks). */
function lockHolders(path: string): number[] {
  if (!existsSync(path)) return [];
  const { ino } = statSync(path);
  return readFileSync('/proc/locks', 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1] === 'FLOCK' && Number(f[5]?.split(':')[2]) === ino)
    .map((f) => Number(f[4]));
}

let holder: ChildProcess | undefined;
let locked = false;

/**
 * Makes sure this process runs under the e2e lock: already held by an ancestor (`flock /tmp/pak-e2e.lock
 * npx vitest …`, or a whole `npm test` under it) or taken here by a `flock` child kept until release.
 */
export async function holdE2eLock(): Promise<void> {
  const ancestors = pidsUp(process.pid);
  if (lockHolders(E2E_LOCK).some((pid) => ancestors.has(pid))) {
    locked = true;
    return;
  }
  const child = spawn('flock', [E2E_LOCK, 'sh', '-c', 'echo locked; exec cat >/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
  holder = child;
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => {
      locked = true;
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`flock ${E2E_LOCK} ended (${code}) before taking the lock`)));
    child.once('error', reject);
  });
}

export function releaseE2eLock(): void {
  holder?.stdin?.end();
  holder = undefined;
  locked = false;
}

/** Root is needed to write the policy paths (CI runs as root). */
export function requireRoot(): void {
  if (process.getuid?.() !== 0)
    throw new Error(`The enterprise scenarios write real browser policy files (${CHROMIUM_POLICY_FILE}, ${FIREFOX_POLICY_FILE}) and must run as root (sudo); they are not skipped.`);
}

/** Writes a policy file (under the lock, as root); remembers what to restore. */
export function writePolicy(path: string, content: unknown): void {
  if (!locked) throw new Error(`policy files are written only while ${E2E_LOCK} is held`);
  if (!written.has(path)) {
    const madeDirs: string[] = [];
    for (let d = dirname(path); !existsSync(d); d = dirname(d)) madeDirs.push(d);
    const before = existsSync(path) ? readFileSync(path) : null;
    written.set(path, { path, before, madeDirs });
    mkdirSync(dirname(path), { recursive: true });
  }
  writeFileSync(path, `${JSON.stringify(content, null, 2)}\n`);
}

/** Removes every policy file written (restoring any that was there) and the directories made for them. */
export function removePolicies(): void {
  for (const w of written.values()) {
    if (w.before) writeFileSync(w.path, w.before);
    else rmSync(w.path, { force: true });
    for (const d of w.madeDirs) if (existsSync(d) && readdirSync(d).length === 0) rmdirSync(d);
  }
  written.clear();
}

// a crashed or interrupted run still leaves no policy behind
process.once('exit', removePolicies);
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.once(sig, () => {
    removePolicies();
    process.exit(130);
  });

export const chromiumPolicy = (policy: unknown) => ({ '3rdparty': { extensions: { [CHROME_EXTENSION_ID]: policy } } });
export const firefoxPolicy = (geckoId: string, policy: unknown) => ({ policies: { '3rdparty': { Extensions: { [geckoId]: policy } } } });
