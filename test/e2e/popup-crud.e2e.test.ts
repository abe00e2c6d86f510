// Scenarios of the popup's profile manager, driven like a person would: by role and label, in real Chromium.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ChromiumSession, launchChromium } from '../support/chromium';
import { sendThrough } from '../support/driver';
import { type NodeProxy, startNodeProxy } from '../support/node-proxy';

let proxy: NodeProxy;
let browser: ChromiumSession;
let popup: Page;

/** Sends typed messages to the worker from the popup page, as the UI itself does. */
const send = sendThrough(<T, A>(fn: (arg: A) => T | Promise<T>, arg: A) => popup.evaluate<T, A>(fn as (arg: unknown) => T | Promise<T>, arg));

const savedProfiles = async () => (await send('profiles/list')).profiles;
/** The saved password of one profile, as "Show saved password" asks for it (the list never carries one). */
const savedPassword = async (id: string) => {
  const r = await send('profiles/open', { id });
  return r.ok ? r.value.password : r.problems;
};
const profileItem = (name: string): Locator => popup.getByRole('listitem').filter({ has: popup.getByText(name, { exact: true }) });

async function fillProfileForm(f: { name: string; host: string; port: string; realm: string; scheme: string; username: string; password: string }) {
  await popup.getByLabel('Name', { exact: true }).fill(f.name);
  await popup.getByLabel('Proxy host').fill(f.host);
  await popup.getByLabel('Port').fill(f.port);
  await popup.getByLabel('Realm').fill(f.realm);
  await popup.getByLabel('Scheme').selectOption(f.scheme);
  await popup.getByLabel('Username').fill(f.username);
  await popup.getByLabel('Password', { exact: true }).fill(f.password);
}

beforeAll(async () => {
  proxy = await startNodeProxy({ realm: 'Demo Proxy', users: { demo: 'demo' } });
  browser = await launchChromium({ extensionPath: 'dist/chrome', proxyPort: proxy.port });
  popup = await browser.extensionPage('popup.html');
  await popup.setViewportSize({ width: 400, height: 600 });
});

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
});

beforeEach(async () => {
  for (const p of await savedProfiles()) await send('profiles/delete', { id: p.id });
  await popup.reload();
});

describe('popup profiles', () => {
  it('S8 profile CRUD through the popup [chromium]', async () => {
    // Empty state: an explanation and one way forward.
    await popup.getByText('No proxy logins saved yet').waitFor();
    await popup.getByRole('button', { name: 'Add profile' }).click();

    // Add
    await fillProfileForm({ name: 'Work', host: 'proxy.corp.example.com', port: '3128', realm: 'Corp Proxy', scheme: 'basic', username: 'alice', password: 'correct horse' });
    const password = popup.getByLabel('Password', { exact: true });
    expect(await password.getAttribute('type')).toBe('password');
    await popup.getByRole('button', { name: 'Show password' }).click();
    expect(await password.getAttribute('type')).toBe('text');
    await popup.getByRole('button', { name: 'Save' }).click();

    await profileItem('Work').waitFor();
    expect(await popup.getByText('Proxy proxy.corp.example.com:3128').isVisible()).toBe(true);
    expect(await profileItem('Work').innerText()).toContain('alice');
    let [work] = await savedProfiles();
    expect(work).toMatchObject({
      name: 'Work',
      proxy: { host: 'proxy.corp.example.com', port: 3128 },
      realm: 'Corp Proxy',
      scheme: 'basic',
      username: 'alice',
      isDefault: false,
    });
    expect(work).not.toHaveProperty('password');
    expect(await savedPassword(work!.id)).toBe('correct horse');

    // A second account on the same proxy, then make it the default.
    await popup.getByRole('button', { name: 'Add profile' }).click();
    await fillProfileForm({ name: 'Work admin', host: 'proxy.corp.example.com', port: '3128', realm: '', scheme: 'any', username: 'alice-admin', password: 'pw' });
    await popup.getByRole('button', { name: 'Save' }).click();
    await profileItem('Work admin').waitFor();
    expect((await savedProfiles()).find((p) => p.name === 'Work admin')?.realm).toBeNull(); // empty realm = any realm

    await profileItem('Work admin').getByRole('button', { name: 'Set as default' }).click();
    await profileItem('Work admin').getByText('Default', { exact: true }).waitFor();
    await vi.waitFor(async () => {
      const byName = Object.fromEntries((await savedProfiles()).map((p) => [p.name, p.isDefault]));
      expect(byName).toEqual({ Work: false, 'Work admin': true });
    });
    expect(await profileItem('Work admin').getByRole('button', { name: 'Set as default' }).count()).toBe(0);

    // Edit: the same profile (same id) with new values.
    await profileItem('Work').getByRole('button', { name: 'Edit' }).click();
    expect(await popup.getByLabel('Username').inputValue()).toBe('alice');
    // the form holds no password until asked: "Show current password" fetches it (vault off: no master password)
    expect(await popup.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    await popup.getByRole('button', { name: 'Show current password' }).click();
    await vi.waitFor(async () => expect(await popup.getByLabel('Password', { exact: true }).inputValue()).toBe('correct horse'));
    expect(await popup.getByLabel('Password', { exact: true }).getAttribute('type')).toBe('text');
    await popup.getByLabel('Username').fill('alice.smith');
    await popup.getByLabel('Realm').fill('');
    await popup.getByRole('button', { name: 'Save' }).click();
    await profileItem('Work').getByText('alice.smith', { exact: true }).waitFor({ timeout: 10_000 }).catch(async (err) => {
      console.log('the popup shows:', await popup.innerText('body'), '\nstored:', JSON.stringify(await savedProfiles()));
      throw err;
    });
    const edited = (await savedProfiles()).find((p) => p.name === 'Work');
    expect(edited).toMatchObject({ id: work!.id, username: 'alice.smith', realm: null });
    expect(await savedPassword(work!.id)).toBe('correct horse'); // the form sent no password: the saved one stays

    // Delete, with a few seconds to undo.
    await profileItem('Work').getByRole('button', { name: 'Delete' }).click();
    await popup.getByRole('status').getByText('Deleted “Work”.').waitFor();
    await profileItem('Work').waitFor({ state: 'detached' });
    expect((await savedProfiles()).map((p) => p.name)).toEqual(['Work admin']);
    await popup.getByRole('button', { name: 'Undo' }).click();
    await profileItem('Work').waitFor();
    expect((await savedProfiles()).map((p) => p.name).sort()).toEqual(['Work', 'Work admin']);
    expect(await savedPassword(work!.id)).toBe('correct horse'); // Undo put back the record, password included

    await profileItem('Work').getByRole('button', { name: 'Delete' }).click();
    await profileItem('Work').waitFor({ state: 'detached' });
    [work] = await savedProfiles();
    expect(work?.name).toBe('Work admin');
    expect(await savedProfiles()).toHaveLength(1);
  });

  it('S8b bad input shows a clear error and saves nothing [chromium]', async () => {
    await popup.getByRole('button', { name: 'Add profile' }).click();
    await fillProfileForm({ name: 'Broken', host: '', port: '70000', realm: '', scheme: 'any', username: 'bob', password: 'pw' });
    await popup.getByRole('button', { name: 'Save' }).click();

    await popup.getByText('Host is required').waitFor();
    await popup.getByText('Port must be between 1 and 65535').waitFor();
    // Each message is tied to its field for screen readers, and the first bad field has the focus.
    const host = popup.getByLabel('Proxy host');
    const port = popup.getByLabel('Port');
    expect(await host.getAttribute('aria-invalid')).toBe('true');
    expect(await port.getAttribute('aria-invalid')).toBe('true');
    expect(await port.getAttribute('aria-describedby')).toBeTruthy();
    expect(await popup.locator(`#${await port.getAttribute('aria-describedby')}`).innerText()).toContain('Port must be between 1 and 65535');
    expect(await host.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await popup.getByRole('button', { name: 'Save' }).isVisible()).toBe(true); // still on the form

    // Username is required too.
    await popup.getByLabel('Username').fill('');
    await popup.getByRole('button', { name: 'Save' }).click();
    await popup.getByText('Username is required').waitFor();

    expect(await savedProfiles()).toEqual([]);

    // The worker applies the same rules to anything that bypasses the form.
    const direct = await send('profiles/save', {
      name: 'Broken',
      proxy: { host: '', port: 70000 },
      realm: null,
      scheme: 'any',
      username: 'bob',
      password: 'pw',
      isDefault: false,
    });
    expect(direct.ok).toBe(false);
    expect(direct.ok ? [] : direct.problems.map((p) => p.path).sort()).toEqual(['proxy.host', 'proxy.port']);
    expect(await savedProfiles()).toEqual([]);

    await popup.getByRole('button', { name: 'Cancel' }).click();
    await popup.getByText('No proxy logins saved yet').waitFor();
  });
});
