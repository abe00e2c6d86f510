// The options page's Profiles and Settings, used like a person would: import, export, tabs, inline errors.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROFILES_FORMAT } from '../../src/core/profile-import';
import { type ChromiumSession, launchChromium } from '../support/chromium';
import { loadPage, openOptions, type Send, sender } from '../support/options-page';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { startProxy, type TestProxy } from '../support/proxies';

const REALM = 'Corp Proxy';
const PASS = 'alice-Pa55word';

let origin: OriginServer;
let proxy: TestProxy;
let session: ChromiumSession;
let send: Send;
let page: Page;

beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startProxy('squid', REALM, { alice: PASS });
  session = await launchChromium({ proxyPort: proxy.port });
  send = sender(session);
});
afterAll(async () => {
  await session?.close();
  await proxy?.close();
  await origin?.close();
});

const fileOf = (profiles: unknown[]) => JSON.stringify({ format: PROFILES_FORMAT, version: 1, exportedAt: new Date().toISOString(), profiles });
const importFile = (text: string) => page.getByLabel('Import profiles').setInputFiles({ name: 'profiles.json', mimeType: 'application/json', buffer: Buffer.from(text) });
const names = async () => (await send('profiles/list')).profiles.map((p) => p.name).sort();

describe('options page: profiles and settings [chromium, squid]', () => {
  it('S12 importing profiles: a valid file answers a real 407, a broken one lists every problem and changes nothing, re-import updates [chromium, squid]', async () => {
    page = await openOptions(session, 'profiles');
    const valid = [
      { name: 'Imported work', proxy: { host: '127.0.0.1', port: proxy.port }, realm: REALM, scheme: 'basic', username: 'alice', password: PASS, isDefault: true },
      { name: 'Imported lab', proxy: { host: 'lab-proxy.example', port: 8080 }, realm: null, scheme: 'any', username: 'bob', password: 'b0b', isDefault: false },
    ];
    await importFile(fileOf(valid));
    await page.getByText('profiles.json: 2 added, 0 updated, 0 unchanged.').waitFor();
    await page.getByText('Imported work', { exact: true }).waitFor();
    expect(await names()).toEqual(['Imported lab', 'Imported work']);
    expect((await loadPage(session, origin.url('/'))).status).toBe(200);
    await vi.waitFor(async () => expect(await send('history/query', {})).toMatchObject([{ decision: 'answered-saved', outcome: 'ok', profileName: 'Imported work' }]));

    const broken = [
      { ...valid[0], proxy: { host: '127.0.0.1', port: 70000 } },
      { ...valid[1], scheme: 'ntlm' },
      { ...valid[1], username: undefined, name: 'No user' },
    ];
    await importFile(fileOf(broken));
    const alert = page.getByRole('alert');
    await alert.getByText('3 problems').waitFor();
    const problems = await alert.getByRole('listitem').allInnerTexts();
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^profiles\[0\]\.proxy\.port: Port must be between 1 and 65535/);
    expect(problems[1]).toMatch(/^profiles\[1\]\.scheme: /);
    expect(problems[2]).toMatch(/^profiles\[2\]\.username: /);
    expect(await names()).toEqual(['Imported lab', 'Imported work']);

    // the same accounts again (one renamed, no passwords): updated in place, never doubled, passwords kept
    const again = valid.map(({ password: _p, ...p }, i) => (i === 0 ? { ...p, name: 'Work (renamed)' } : p));
    await importFile(fileOf(again));
    await page.getByText('profiles.json: 0 added, 1 updated, 1 unchanged.').waitFor();
    const saved = (await send('profiles/list')).profiles;
    expect(saved.map((p) => p.name).sort()).toEqual(['Imported lab', 'Work (renamed)']);
    expect(saved.find((p) => p.name === 'Work (renamed)')?.password).toBe(PASS);
  });

  it('S12 exporting profiles leaves passwords out unless "Include passwords" is ticked [chromium]', async () => {
    page = await openOptions(session, 'profiles');
    const exportOnce = async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export profiles' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^proxy-auth-keeper-profiles-\d{4}-\d{2}-\d{2}\.json$/);
      return JSON.parse(await readFile((await download.path()) as string, 'utf8')) as { format: string; profiles: Record<string, unknown>[] };
    };
    const plain = await exportOnce();
    expect(plain.format).toBe(PROFILES_FORMAT);
    expect(plain.profiles.length).toBeGreaterThan(0);
    expect(plain.profiles.every((p) => !('password' in p))).toBe(true);
    await page.getByLabel('Include passwords').check();
    const full = await exportOnce();
    expect(full.profiles.map((p) => p.password)).toContain(PASS);
  });

  it('S12 tabs are deep-linkable and keyboard-driven; settings are validated inline and saved [chromium]', async () => {
    page = await openOptions(session, 'settings');
    const tab = (name: string) => page.getByRole('tab', { name });
    expect(await tab('Settings').getAttribute('aria-selected')).toBe('true');
    expect(await page.getByRole('tabpanel', { name: 'Settings' }).isVisible()).toBe(true);
    await tab('Settings').focus();
    await page.keyboard.press('ArrowLeft');
    expect(await tab('Profiles').getAttribute('aria-selected')).toBe('true');
    expect(page.url()).toMatch(/#profiles$/);
    await page.keyboard.press('ArrowRight');

    await page.getByLabel('Prompt timeout (seconds)').fill('400');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText(/Prompt timeout must be under 5 minutes/).waitFor();
    expect(await page.getByLabel('Prompt timeout (seconds)').getAttribute('aria-invalid')).toBe('true');
    expect((await send('settings/get')).promptTimeoutSeconds).toBe(120);

    await page.getByLabel('Prompt timeout (seconds)').fill('60');
    await page.getByLabel('Cancel the request').check();
    await page.getByLabel('Keep history for (days)').fill('7');
    await page.getByLabel('Keep at most (rows)').fill('5000');
    await page.getByLabel(/Strip query strings/).uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    expect(await send('settings/get')).toMatchObject({ noMatch: 'cancel', promptTimeoutSeconds: 60, historyRetentionDays: 7, historyMaxRows: 5000, stripQueryStrings: false });
  });
});
