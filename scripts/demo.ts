// `npm run demo [-- --headless]`: builds the extension, starts the demo proxy and site, and shows a 407 answered.
import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/support/chromium';
import { startNodeProxy } from '../test/support/node-proxy';
import { startOrigin } from '../test/support/origin-server';

const headless = process.argv.includes('--headless');
/** --screenshots=DIR: where the headless run writes its pictures (default docs/screenshots). */
const shotsArg = process.argv.find((a) => a.startsWith('--screenshots='))?.split('=')[1];
const SHOTS = path.resolve(shotsArg ?? 'docs/screenshots');
const say = (line: string) => console.log(`demo: ${line}`);

function build(): void {
  say('building the extension (dist/chrome)…');
  const r = spawnSync(process.execPath, ['scripts/build.mjs', 'chrome'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

/** Finds the prompt: the popup window the worker opened, or the toolbar popup page opened by hand. */
async function promptPage(session: Awaited<ReturnType<typeof launchChromium>>): Promise<Page> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const opened = session.context.pages().find((p) => p.url().includes('/popup.html'));
    if (opened) return opened;
    await new Promise((r) => setTimeout(r, 100));
  }
  say('no prompt window appeared (the toolbar popup cannot open headless): opening popup.html as a user would');
  return session.extensionPage('popup.html');
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) build();
  const proxy = await startNodeProxy({ realm: 'Demo Proxy', users: { demo: 'demo' } });
  const site = await startOrigin();
  say(`authenticating proxy on 127.0.0.1:${proxy.port} (Basic, realm "Demo Proxy", user demo / password demo)`);
  say(`demo site on ${site.url('/')}`);
  const session = await launchChromium({ extensionPath: 'dist/chrome', proxyPort: proxy.port, headless });
  // a freshly installed extension registers its listeners a moment after the browser is up: wait for it
  await session.evalInExtension(() => chrome.runtime.sendMessage({ pak: 1, name: 'engine/status', payload: undefined }));
  const stop = async () => {
    await session.close();
    await Promise.all([proxy.close(), site.close()]);
  };
  if (!headless) {
    const page = await session.context.newPage();
    page.goto(site.url('/')).catch(() => {});
    say('Chromium is open. The proxy will ask for a login: answer demo / demo in the extension prompt.');
    say('Then open the extension (toolbar key icon) → "Open history and settings" to see the 407 history. Ctrl-C ends the demo.');
    process.on('SIGINT', () => void stop().then(() => process.exit(0)));
    return;
  }
  await mkdir(SHOTS, { recursive: true });
  // 1. no profile yet: the page's 407 becomes one prompt
  const page = await session.context.newPage();
  const loaded = page.goto(site.url('/'));
  const prompt = await promptPage(session);
  await prompt.setViewportSize({ width: 400, height: 640 });
  await prompt.getByLabel('Username').waitFor();
  say('challenge seen: the proxy answered 407, the extension shows ONE prompt');
  await prompt.getByLabel('Username').fill('demo');
  await prompt.getByLabel('Password').fill('demo');
  await prompt.getByLabel('Save as profile').check();
  await prompt.screenshot({ path: path.join(SHOTS, 'demo-prompt.png') });
  await prompt.getByRole('button', { name: 'Sign in' }).click();
  const response = await loaded;
  say(`answered: page loaded with HTTP ${response?.status()} — "${(await page.innerText('h1')).trim()}"`);
  // 2. the saved profile answers the next 407 silently (a fresh browser session would ask the proxy again)
  const rows = (await session.evalInExtension(async () => {
    await chrome.runtime.sendMessage({ pak: 1, name: 'history/flush', payload: undefined });
    return chrome.runtime.sendMessage({ pak: 1, name: 'history/query', payload: {} });
  })) as { ok: boolean; value: Array<{ decision: string; outcome: string; url: string; realm: string }> };
  for (const r of rows.value) say(`history row: ${r.decision} → ${r.outcome} for ${r.url} (realm "${r.realm}")`);
  const options = await session.extensionPage('options.html#history');
  await options.setViewportSize({ width: 1200, height: 800 });
  await options.waitForTimeout(500);
  await options.screenshot({ path: path.join(SHOTS, 'demo-history.png') });
  say(`proxy saw ${proxy.stats.challenges407} challenge(s), ${proxy.stats.accepted} accepted, ${proxy.stats.rejected} rejected login(s)`);
  say(`screenshots: ${path.relative(process.cwd(), path.join(SHOTS, 'demo-prompt.png'))}, ${path.relative(process.cwd(), path.join(SHOTS, 'demo-history.png'))}`);
  await stop();
}

main().catch((err) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
