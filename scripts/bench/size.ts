// Figure 6: gzip size of what the worker, the popup and the options page each load, from the built dist/chrome.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Figure, info } from './stats';

const GROUP = 'size';

export interface BundleSize {
  entry: 'worker' | 'popup' | 'options';
  /** Every file the entry loads (HTML, its scripts and their static imports, stylesheets), relative to dist. */
  files: string[];
  rawBytes: number;
  /** Sum of each file gzipped on its own (level 9), as a store or a server would ship them. */
  gzipBytes: number;
}

/** Static imports of a built ES module: `import"./x.js"`, `import{a}from"./x.js"`, `export*from"./x.js"`. */
const IMPORTS = /(?:import|export)\s*(?:[^'"()]*?from\s*)?["']([^"']+\.js)["']/g;
const HTML_ASSETS = /<(?:script[^>]*\ssrc|link[^>]*\shref)=["']([^"']+)["']/g;

function resolveIn(dist: string, fromFile: string, ref: string): string {
  const abs = ref.startsWith('/') ? path.join(dist, ref) : path.resolve(path.dirname(path.join(dist, fromFile)), ref);
  return path.relative(dist, abs);
}

/** Walks the static import graph from `start` (HTML or JS) and returns every file reached. */
export function closure(dist: string, start: string): string[] {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    const abs = path.join(dist, file);
    if (!existsSync(abs)) throw new Error(`${file} is referenced but missing from ${dist}`);
    seen.add(file);
    const text = readFileSync(abs, 'utf8');
    const pattern = file.endsWith('.html') ? HTML_ASSETS : file.endsWith('.js') ? IMPORTS : null;
    if (!pattern) continue;
    for (const m of text.matchAll(pattern)) {
      const ref = m[1];
      if (ref && !/^[a-z]+:/i.test(ref)) queue.push(resolveIn(dist, file, ref));
    }
  }
  return [...seen].sort();
}

/** The three entries, named by the manifest of the build. */
export function measureSizes(dist = 'dist/chrome'): BundleSize[] {
  const manifest = JSON.parse(readFileSync(path.join(dist, 'manifest.json'), 'utf8')) as {
    background?: { service_worker?: string; scripts?: string[] };
    action?: { default_popup?: string };
    options_ui?: { page?: string };
  };
  const entries: Array<[BundleSize['entry'], string[]]> = [
    ['worker', manifest.background?.service_worker ? [manifest.background.service_worker] : (manifest.background?.scripts ?? [])],
    ['popup', manifest.action?.default_popup ? [manifest.action.default_popup] : []],
    ['options', manifest.options_ui?.page ? [manifest.options_ui.page] : []],
  ];
  return entries.map(([entry, starts]) => {
    if (!starts.length) throw new Error(`the manifest in ${dist} names no ${entry} entry`);
    const files = [...new Set(starts.flatMap((s) => closure(dist, s)))].sort();
    let rawBytes = 0;
    let gzipBytes = 0;
    for (const f of files) {
      const bytes = readFileSync(path.join(dist, f));
      rawBytes += bytes.length;
      gzipBytes += gzipSync(bytes, { level: 9 }).length;
    }
    return { entry, files, rawBytes, gzipBytes };
  });
}

export function benchSize(dist = 'dist/chrome'): { figures: Figure[]; sizes: BundleSize[] } {
  const sizes = measureSizes(dist);
  const figures = sizes.map((s) =>
    info(GROUP, `${s.entry} gzip (${path.basename(dist)})`, s.gzipBytes / 1024, 'KiB', `${(s.rawBytes / 1024).toFixed(1)} KiB raw in ${s.files.length} files: ${s.files.join(', ')}`),
  );
  return { figures, sizes };
}
