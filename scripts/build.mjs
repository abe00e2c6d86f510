// Builds dist/chrome and dist/firefox from the one source (vite once per browser).
import { spawnSync } from 'node:child_process';

const targets = process.argv.slice(2).length ? process.argv.slice(2) : ['chrome', 'firefox'];
for (const target of targets) {
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit', env: { ...process.env, TARGET_BROWSER: target } });
  if (r.status !== 0) {
    console.error(`Build for ${target} failed`);
    process.exit(r.status ?? 1);
  }
  console.log(`built dist/${target}`);
}
