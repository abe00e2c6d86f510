// Store-ready archives: builds both browsers fresh, checks what would ship, writes dist/chrome.zip and dist/firefox.zip.
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed`);
    process.exit(r.status ?? 1);
  }
}

async function* files(dir, base = dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full, base);
    else yield path.relative(base, full).split(path.sep).join('/');
  }
}

/** What a store must never get: source maps (or pointers to them), tests, TypeScript sources. */
async function problemsIn(dir) {
  const problems = [];
  for await (const file of files(dir)) {
    if (file.endsWith('.map')) problems.push(`${file}: a source map`);
    else if (/(^|\/)(test|tests|__tests__|e2e)\//.test(file) || /\.(test|spec|e2e)\.[cm]?[jt]sx?$/.test(file)) problems.push(`${file}: a test file`);
    else if (/\.tsx?$/.test(file) && !file.endsWith('.d.ts')) problems.push(`${file}: TypeScript source`);
    else if (/\.(m?js|css|html)$/.test(file) && (await readFile(path.join(dir, file), 'utf8')).includes('sourceMappingURL=')) {
      problems.push(`${file}: points to a source map`);
    }
  }
  return problems;
}

/**
 * The Chrome Web Store refuses a manifest with "key" (the store assigns the extension's key); the
 * key only pins the id of the unpacked build that tests and the demo load.
 */
async function forStore(target, dir) {
  if (target !== 'chrome') return dir;
  const staging = await mkdtemp(path.join(tmpdir(), 'pak-package-'));
  await cp(dir, staging, { recursive: true });
  const manifestPath = path.join(staging, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  delete manifest.key;
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return staging;
}

run(process.execPath, [path.join(root, 'scripts', 'build.mjs')]);

for (const target of ['chrome', 'firefox']) {
  const built = path.join(dist, target);
  const problems = await problemsIn(built);
  if (problems.length) {
    console.error(`dist/${target} is not store-ready:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  const source = await forStore(target, built);
  try {
    const zip = `${target}.zip`;
    await rm(path.join(dist, zip), { force: true });
    // web-ext zips any extension directory (not only Firefox's) and leaves out dotfiles and earlier archives.
    run('npx', ['--no-install', 'web-ext', 'build', '--source-dir', source, '--artifacts-dir', dist, '--filename', zip, '--overwrite-dest', '--no-config-discovery']);
    console.log(`packaged dist/${zip}`);
  } finally {
    if (source !== built) await rm(source, { recursive: true, force: true });
  }
}
