// The reference side of the page-load figures: a throw-away extension that answers every proxy 407 at
// once with one fixed credential: no profiles, no breaker, no history. What we cost beyond it is the
// price of our safety, measured as a ratio in the same run.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const REFERENCE_GECKO_ID = 'fixed-credential-reference@bench.invalid';

const background = (username: string, password: string) => `// Answers every proxy challenge at once with a fixed credential (benchmark reference only).
const credentials = ${JSON.stringify({ username, password })};
if (typeof browser !== 'undefined') {
  browser.webRequest.onAuthRequired.addListener((d) => (d.isProxy ? { authCredentials: credentials } : {}), { urls: ['<all_urls>'] }, ['blocking']);
} else {
  chrome.webRequest.onAuthRequired.addListener((d, reply) => reply(d.isProxy ? { authCredentials: credentials } : {}), { urls: ['<all_urls>'] }, ['asyncBlocking']);
}
`;

/** Writes the reference extension for both browsers under `dir`; returns their directories. */
export async function writeReferenceExtension(dir: string, username: string, password: string): Promise<{ chrome: string; firefox: string }> {
  const common = {
    manifest_version: 3,
    name: 'Fixed-credential reference (benchmark)',
    version: '1.0',
    permissions: ['webRequest', 'webRequestAuthProvider'],
    host_permissions: ['<all_urls>'],
  };
  const manifests = {
    chrome: { ...common, background: { service_worker: 'background.js' } },
    firefox: {
      ...common,
      permissions: [...common.permissions, 'webRequestBlocking'],
      background: { scripts: ['background.js'] },
      browser_specific_settings: { gecko: { id: REFERENCE_GECKO_ID, strict_min_version: '128.0' } },
    },
  };
  const out = { chrome: path.join(dir, 'chrome'), firefox: path.join(dir, 'firefox') };
  for (const which of ['chrome', 'firefox'] as const) {
    await mkdir(out[which], { recursive: true });
    await writeFile(path.join(out[which], 'manifest.json'), JSON.stringify(manifests[which], null, 2));
    await writeFile(path.join(out[which], 'background.js'), background(username, password));
    // the bench opens an extension page on each side before loading (the same work on every side)
    await writeFile(path.join(out[which], 'options.html'), '<!doctype html><meta charset="utf-8"><title>reference</title>\n');
  }
  return out;
}
