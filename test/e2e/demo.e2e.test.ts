// The README's demo keeps working: `npm run demo -- --headless` tells the whole story and exits cleanly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

it('S0 the headless demo answers a 407 through its prompt and shows the history row [chromium, node]', () => {
  const shots = mkdtempSync(path.join(tmpdir(), 'pak-demo-'));
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--headless', '--no-build', `--screenshots=${shots}`], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('the extension shows ONE prompt');
    expect(r.stdout).toMatch(/page loaded with HTTP 200/);
    expect(r.stdout).toMatch(/history row: answered-prompt → ok/);
    expect(r.stdout).toMatch(/0 rejected login/);
    expect(existsSync(path.join(shots, 'demo-prompt.png'))).toBe(true);
    expect(existsSync(path.join(shots, 'demo-history.png'))).toBe(true);
  } finally {
    rmSync(shots, { recursive: true, force: true });
  }
});
