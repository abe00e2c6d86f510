// Makes sure the system packages a command needs are installed: installs them with apt-get when run
// as root on Debian/Ubuntu, otherwise stops with the one command to run. Used as `pretest`/`predemo`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What each command needs, as Debian packages. */
const NEEDS = {
  // The demo drives Chromium against the project's own Node proxy: nothing else.
  demo: ['chromium'],
  // The tests: both browsers, squid (+ htpasswd), openssl for the HTTPS origin, Xvfb for headed runs.
  test: ['chromium', 'firefox-esr', 'squid', 'apache2-utils', 'openssl', 'xvfb'],
};

const purpose = process.argv[2] ?? 'test';
const wanted = NEEDS[purpose];
if (!wanted) {
  console.error(`system-deps: unknown purpose "${purpose}" (one of ${Object.keys(NEEDS).join(', ')})`);
  process.exit(2);
}
if (process.env.PAK_SKIP_SYSTEM_SETUP === '1') process.exit(0);

function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

const hasDpkg = spawnSync('dpkg-query', ['--version']).status === 0;
if (!hasDpkg) {
  // Not Debian: we cannot tell by package; the launchers fail with an install hint if a binary is missing.
  console.warn(`system-deps: not a Debian system; make sure these are installed: ${wanted.join(' ')}`);
  process.exit(0);
}

const missing = wanted.filter((p) => !installed(p));
if (missing.length === 0) process.exit(0);

const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  console.error(`system-deps: \`npm ${purpose === 'test' ? 'test' : 'run demo'}\` needs ${missing.join(', ')}.`);
  console.error(`Install them once with:\n  sudo sh -c '${command}'`);
  process.exit(1);
}

console.log(`system-deps: installing ${missing.join(' ')} with apt-get (once; needed by \`npm ${purpose === 'test' ? 'test' : 'run demo'}\`)`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: ['ignore', 'ignore', 'inherit'], env });
} catch (err) {
  console.error(`system-deps: apt-get failed (${err.message}); run by hand:\n  ${command}`);
  process.exit(1);
}
const still = missing.filter((p) => !installed(p));
if (still.length) {
  console.error(`system-deps: still missing after apt-get: ${still.join(', ')}`);
  process.exit(1);
}
console.log(`system-deps: installed ${missing.join(' ')}`);
