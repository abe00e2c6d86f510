// Builds one browser's extension from the one manifest: TARGET_BROWSER=chrome|firefox → dist/<browser>.
import { resolve } from 'node:path';
import { type ManifestV3Export, crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { type Plugin, defineConfig } from 'vite';
import source from './manifest.json' with { type: 'json' };

type Target = 'chrome' | 'firefox';
const target: Target = process.env.TARGET_BROWSER === 'firefox' ? 'firefox' : 'chrome';

/** Chrome wants background.service_worker; Firefox wants background.scripts. Each gets its own key; `key` and `storage.managed_schema` are Chrome's. */
function manifestFor(t: Target): ManifestV3Export {
  const m = structuredClone(source) as Record<string, unknown> & { background: Record<string, unknown> };
  if (t === 'chrome') {
    delete m.background.scripts;
    delete m.browser_specific_settings;
  } else {
    delete m.background.service_worker;
    delete m.key;
    delete m.minimum_chrome_version;
    // Chrome's managed_schema; Firefox reads policy for any extension without one (its policies.json 3rdparty)
    delete m.storage;
  }
  return m as unknown as ManifestV3Export;
}

const PREACT_CORE = /[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.m?js$/;
/** Preact's minified `(dom.innerHTML = newHtml.__html)` for a dangerouslySetInnerHTML prop. */
const SINK = /\(([\w$]+)\.innerHTML=([\w$]+)\.__html\)/g;
const REFUSAL = '(()=>{throw new Error("dangerouslySetInnerHTML is not available in Proxy Auth Keeper")})()';

/**
 * Why: AMO's linter (web-ext lint) warns about every assignment of a dynamic value to innerHTML,
 * and the only one in our bundle is Preact writing a `dangerouslySetInnerHTML` prop. No component
 * of ours sets that prop, so the build replaces the assignment with an error: the shipped code has
 * no innerHTML sink at all, and a component that tried to use one would fail loudly in tests. If
 * Preact's code no longer has exactly one such assignment, the build stops, so an upgrade cannot
 * silently bring the sink back or leave this plugin doing nothing.
 */
function noInnerHtmlSink(): Plugin {
  let removed = 0;
  let sawPreact = false;
  return {
    name: 'proxy-auth-keeper:no-inner-html-sink',
    apply: 'build',
    buildStart() {
      removed = 0;
      sawPreact = false;
    },
    transform(code, id) {
      if (!PREACT_CORE.test(id.split('?')[0] ?? '')) return null;
      sawPreact = true;
      const out = code.replace(SINK, () => {
        removed++;
        return REFUSAL;
      });
      return out === code ? null : { code: out, map: null };
    },
    buildEnd(error) {
      if (error || !sawPreact) return;
      if (removed !== 1) this.error(`expected exactly one innerHTML assignment in Preact's core, found ${removed}: check the pattern after a Preact upgrade`);
    },
  };
}

export default defineConfig({
  root: resolve(import.meta.dirname, 'src'),
  publicDir: resolve(import.meta.dirname, 'public'),
  plugins: [preact(), noInnerHtmlSink(), crx({ manifest: manifestFor(target), browser: target })],
  build: {
    outDir: resolve(import.meta.dirname, 'dist', target),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rollupOptions: { input: { popup: resolve(import.meta.dirname, 'src/popup.html'), options: resolve(import.meta.dirname, 'src/options.html') } },
  },
  server: { port: 5173, strictPort: true, hmr: { port: 5173 } },
});
