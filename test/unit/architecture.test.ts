// The layering the README promises, checked on the import graph of src/: no cycle, and a core that
// imports nothing from the browser, storage, messaging or UI layers.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../../src');
const EXTENSIONS = ['.ts', '.tsx'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return EXTENSIONS.includes(path.extname(full)) ? [full] : [];
  });
}

/** Resolves a relative specifier the way vite does for this tree (extension-less, or index). */
function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec.replace(/\.js$/, ''));
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  return candidates.find((c) => EXTENSIONS.includes(path.extname(c)) && safeIsFile(c));
}

function safeIsFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Every `import … from '…'`, `export … from '…'` and side-effect `import '…'`, type-only ones too. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g), ...text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)];
  return specs.map((m) => m[1]!);
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f).map((s) => resolveImport(f, s)).filter((r): r is string => r !== undefined)]));
const rel = (f: string) => path.relative(SRC, f);

/** Every cycle in the import graph, as "a.ts → b.ts → a.ts" (type-only imports count: a cycle is a cycle). */
function cycles(): string[] {
  const found: string[] = [];
  const mark = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    mark.set(f, 'open');
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      if (mark.get(g) === 'open') found.push([...stack.slice(stack.indexOf(g)), g].map(rel).join(' → '));
      else if (!mark.has(g)) visit(g);
    }
    stack.pop();
    mark.set(f, 'done');
  };
  for (const f of files) if (!mark.has(f)) visit(f);
  return found;
}

describe('architecture of src/', () => {
  it('reads a graph of the whole tree', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(graph.get(path.join(SRC, 'background/index.ts'))?.length).toBeGreaterThan(0);
  });

  it('has no import cycle', () => {
    expect(cycles()).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    const a = path.join(SRC, 'background/state.ts');
    const b = path.join(SRC, 'background/orphans.ts');
    const saved = [graph.get(a)!, graph.get(b)!];
    graph.set(a, [...saved[0]!, b]);
    graph.set(b, [...saved[1]!, a]);
    try {
      expect(cycles().join('\n')).toMatch(/background\/(state|orphans)\.ts → background\/(orphans|state)\.ts → background\/(state|orphans)\.ts/);
    } finally {
      graph.set(a, saved[0]!);
      graph.set(b, saved[1]!);
    }
  });

  it('keeps src/core pure: no browser, storage, messaging or UI imports', () => {
    const offenders = files
      .filter((f) => rel(f).startsWith('core/'))
      .flatMap((f) => importsOf(f).filter((s) => s === 'webextension-polyfill' || /\/(background|storage|messaging|ui)\//.test(`/${path.relative(SRC, path.resolve(path.dirname(f), s))}/`) && s.startsWith('.')).map((s) => `${rel(f)} → ${s}`));
    expect(offenders).toEqual([]);
  });
});
