#!/usr/bin/env node
// The system packages a command needs (Debian names), checked with dpkg and installed with apt-get when
// run as root. Not root: prints the one command to run and stops. PAK_SKIP_SYSTEM_SETUP=1 skips the check
// (a browser that is still missing then fails its own test with an install hint; nothing is skipped).
import { spawnSync } from 'node:child_process';

const NEEDS = {
  // chromium (+ chromium-l10n: its UI languages) + firefox-esr (+ its French language pack, for S21) drive the e2e scenarios; squid (with apache2-utils' htpasswd) is the real proxy;
  // openssl makes the HTTPS origin's certificate; xvfb gives headed Chromium its virtual display.
  test: ['chromium', 'chromium-l10n', 'firefox-esr', 'firefox-esr-l10n-fr', 'squid', 'apache2-utils', 'openssl', 'xvfb'],
  demo: ['chromium'],
};

const what = process.argv[2] ?? 'test';
const wanted = NEEDS[what];
if (!wanted) {
  console.error(`system-deps: unknown set "${what}" (known: ${Object.keys(NEEDS).join(', ')})`);
  process.exit(2);
}
if (process.env.PAK_SKIP_SYSTEM_SETUP === '1') process.exit(0);

/** True when dpkg says the package is installed (not just known or half-removed). */
function installed(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

const hasDpkg = spawnSync('dpkg-query', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasDpkg) {
  console.warn(`system-deps: not a Debian system; make sure these are installed: ${wanted.join(' ')}`);
  process.exit(0);
}

const missing = wanted.filter((name) => !installed(name));
if (missing.length === 0) process.exit(0);

const command = `apt-get install -y ${missing.join(' ')}`;
if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
  console.error(`system-deps: missing system packages for "npm ${what}": ${missing.join(', ')}`);
  console.error(`Run as root:  apt-get update && ${command}`);
  console.error('(or set PAK_SKIP_SYSTEM_SETUP=1 to go on without them; their tests will then fail with this hint)');
  process.exit(1);
}

console.log(`system-deps: installing ${missing.join(', ')} (needed by "npm ${what}")`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const run = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
if (!run(['update']) || !run(['install', '-y', ...missing])) {
  console.error(`system-deps: apt-get failed; run it by hand: apt-get update && ${command}`);
  process.exit(1);
}
const still = missing.filter((name) => !installed(name));
if (still.length > 0) {
  console.error(`system-deps: still missing after apt-get: ${still.join(', ')}`);
  process.exit(1);
}
// squid's Debian package starts a system-wide squid on :3128; the tests run their own squid per run.
if (missing.includes('squid')) spawnSync('sh', ['-c', 'service squid stop >/dev/null 2>&1 || true']);
console.log('system-deps: done');
