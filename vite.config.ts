// Builds one browser's extension from the one manifest: TARGET_BROWSER=chrome|firefox → dist/<browser>.
import { resolve } from 'node:path';
import { type ManifestV3Export, crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import source from './manifest.json' with { type: 'json' };

type Target = 'chrome' | 'firefox';
const target: Target = process.env.TARGET_BROWSER === 'firefox' ? 'firefox' : 'chrome';

/** Chrome wants background.service_worker; Firefox wants background.scripts. Each gets its own key. */
function manifestFor(t: Target): ManifestV3Export {
  const m = structuredClone(source) as Record<string, unknown> & { background: Record<string, unknown> };
  if (t === 'chrome') {
    delete m.background.scripts;
    delete m.browser_specific_settings;
  } else {
    delete m.background.service_worker;
    delete m.key;
    delete m.minimum_chrome_version;
  }
  return m as unknown as ManifestV3Export;
}

export default defineConfig({
  root: resolve(import.meta.dirname, 'src'),
  publicDir: resolve(import.meta.dirname, 'public'),
  plugins: [preact(), crx({ manifest: manifestFor(target), browser: target })],
  build: {
    outDir: resolve(import.meta.dirname, 'dist', target),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rollupOptions: { input: { popup: resolve(import.meta.dirname, 'src/popup.html'), options: resolve(import.meta.dirname, 'src/options.html') } },
  },
  server: { port: 5173, strictPort: true, hmr: { port: 5173 } },
});
