// The Firefox build passes AMO's linter (web-ext lint) with no error and no warning.
import { spawnSync } from 'node:child_process';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

interface LintMessage {
  code: string;
  message: string;
  description?: string;
  file?: string;
  line?: number;
}

interface LintReport {
  count: number;
  summary: { errors: number; warnings: number; notices: number };
  errors: LintMessage[];
  warnings: LintMessage[];
  notices: LintMessage[];
}

const FIREFOX_BUILD = path.resolve('dist/firefox');

function lint(dir: string): LintReport {
  const r = spawnSync('npx', ['--no-install', 'web-ext', 'lint', '--source-dir', dir, '--output', 'json', '--no-config-discovery'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const start = r.stdout.indexOf('{');
  if (start < 0) throw new Error(`web-ext lint printed no report (exit ${r.status}): ${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout.slice(start)) as LintReport;
}

const show = (list: LintMessage[]) => list.map((m) => `${m.code} ${m.file ?? ''}${m.line ? `:${m.line}` : ''} ${m.message}${m.description ? ` (${m.description})` : ''}`);

describe('web-ext lint [firefox]', () => {
  it('dist/firefox has no lint errors and no warnings', async () => {
    await access(path.join(FIREFOX_BUILD, 'manifest.json')).catch(() => {
      throw new Error('no dist/firefox/manifest.json: run npm run build first');
    });
    const report = lint(FIREFOX_BUILD);
    expect(show(report.errors)).toEqual([]);
    expect(show(report.warnings)).toEqual([]);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0 });
  });
});
