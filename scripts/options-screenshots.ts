// Writes docs/screenshots/options-*.png: History with its chart, an entry's diagnosis, Profiles and Settings, light and dark.
// Usage: npm run build && node --import tsx scripts/options-screenshots.ts
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/support/chromium';
import { sendThrough } from '../test/support/driver';
import { seedHistory } from '../test/support/history-seed';

const OUT = 'docs/screenshots';
const session = await launchChromium({ extensionPath: 'dist/chrome', proxyPort: 9 });

const send = sendThrough((fn, arg) => session.evalInExtension(fn, arg));

/** options.html at a section, sized like a laptop screen, in a colour scheme. */
async function openOptions(section: string, scheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await session.context.newPage();
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(`chrome-extension://${session.extensionId}/options.html#${section}`);
  return page;
}

const profiles = [
  { name: 'Work', proxy: { host: 'proxy.corp.example', port: 3128 }, realm: 'Corp Proxy', scheme: 'basic' as const, username: 'alice', password: 'x', isDefault: true },
  { name: 'Work admin', proxy: { host: 'proxy.corp.example', port: 3128 }, realm: null, scheme: 'any' as const, username: 'alice-admin', password: 'x', isDefault: false },
  { name: 'Branch office', proxy: { host: '10.0.0.5', port: 3128 }, realm: 'Branch', scheme: 'digest' as const, username: 'branch\\alice', password: 'x', isDefault: true },
];

try {
  await mkdir(OUT, { recursive: true });
  for (const p of profiles) await send('profiles/save', p);
  const seeder = await openOptions('history');
  await seedHistory(seeder, { count: 1500, now: Date.now() - 5 * 60_000 });
  await seeder.close();

  for (const scheme of ['light', 'dark'] as const) {
    const page = await openOptions('history', scheme);
    await page.getByText('1,500 challenges').waitFor();
    await page.waitForTimeout(300); // the chart draws after its first measure
    await page.screenshot({ path: `${OUT}/options-history-${scheme}.png` });

    await page.getByLabel('Outcome').selectOption('rejected');
    await page.getByLabel('Proxy', { exact: true }).selectOption('proxy.corp.example:3128');
    await page.locator('.vtable__row--body').first().click();
    await page.getByRole('heading', { name: 'Diagnosis' }).waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/options-diagnosis-${scheme}.png` });

    await page.getByRole('tab', { name: 'Profiles' }).click();
    await page.getByText('Branch office', { exact: true }).waitFor();
    await page.screenshot({ path: `${OUT}/options-profiles-${scheme}.png` });

    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByLabel('Prompt timeout (seconds)').fill('600');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText(/under 5 minutes/).first().waitFor();
    await page.screenshot({ path: `${OUT}/options-settings-${scheme}.png` });
    await page.close();
  }
  console.log(`wrote ${OUT}/options-{history,diagnosis,profiles,settings}-{light,dark}.png`);
} finally {
  await session.close();
}
