// The options page's History against real proxies: exactly the proxy challenges, their decisions, outcomes, diagnosis and CSV.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CSV_HEADER } from '../../src/core/history-export';
import { type ChromiumSession, launchChromium } from '../support/chromium';
import { startNodeProxy } from '../support/node-proxy';
import { loadPage, openOptions, parseCsv, type Send, sender, shownCount, tableRows } from '../support/options-page';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { startProxy, type TestProxy } from '../support/proxies';

const REALM = 'Corp Proxy';
const USER = 'alice';
const PASS = 'alice-Pa55word';
const WRONG = 'wrong-Pa55word';

let origin: OriginServer;
beforeAll(async () => {
  origin = await startOrigin();
});
afterAll(async () => origin?.close());

/** Waits for the one pending prompt and cancels it, as a user pressing Cancel would. */
async function cancelPrompt(send: Send): Promise<void> {
  await vi.waitFor(async () => expect(await send('prompts/list')).toHaveLength(1), { timeout: 20_000, interval: 100 });
  const [prompt] = await send('prompts/list');
  await send('prompts/cancel', { id: prompt!.id });
}

/** Stops the worker; a prompt window that is still open (its close may race the Cancel) would poll it awake again. */
async function stopWorker(session: ChromiumSession): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    for (const p of session.context.pages()) if (p.url().includes('popup.html')) await p.close();
    try {
      return await session.stopServiceWorker();
    } catch (err) {
      if (attempt === 2) throw err;
    }
  }
}

describe('options page: history [chromium, squid]', () => {
  let proxy: TestProxy;
  let session: ChromiumSession;
  beforeAll(async () => {
    proxy = await startProxy('squid', REALM, { [USER]: PASS });
    session = await launchChromium({ proxyPort: proxy.port });
  });
  afterAll(async () => {
    await session?.close();
    await proxy?.close();
  });

  it('S12 history shows exactly the proxy challenges with decisions, outcomes and diagnosis [chromium, squid]', async () => {
    const send = sender(session);
    const profile = { name: 'Work', proxy: { host: '127.0.0.1', port: proxy.port }, realm: REALM, scheme: 'basic' as const, username: USER, isDefault: true };

    // 1. a wrong saved password: the proxy refuses it once, the prompt that follows is cancelled
    const wrong = await send('profiles/save', { ...profile, password: WRONG });
    if (!wrong.ok) throw new Error('profile not saved');
    const rejected = loadPage(session, origin.url('/?step=rejected'));
    await cancelPrompt(send);
    expect((await rejected).status).not.toBe(200);

    // 2. no profile at all (setting "ask"): the prompt is cancelled. A fresh worker forgets the cooldown of step 1's Cancel.
    await send('profiles/delete', { id: wrong.value.id });
    await stopWorker(session);
    const cancelled = loadPage(session, origin.url('/?step=cancelled'));
    await cancelPrompt(send);
    expect((await cancelled).status).not.toBe(200);

    // 3. the right password is answered; 4. then an origin 401 through the (now authenticated) proxy is not ours
    expect((await send('profiles/save', { ...profile, password: PASS })).ok).toBe(true);
    expect((await loadPage(session, origin.url('/?step=answered'))).status).toBe(200);
    const site401 = await loadPage(session, origin.url(`/basic-401?realm=${encodeURIComponent(REALM)}`));
    expect(site401.status === 401 || /ERR_INVALID_AUTH_CREDENTIALS/.test(site401.error ?? '')).toBe(true);
    await vi.waitFor(async () => expect((await send('history/query', {})).filter((r) => r.outcome !== 'pending')).toHaveLength(3), { timeout: 20_000 });

    const page = await openOptions(session, 'history');
    await vi.waitFor(async () => expect(await shownCount(page)).toBe(3), { timeout: 10_000 });
    const rows = await tableRows(page);
    const base = `http://127.0.0.1:${origin.port}/`;
    expect(rows.map((r) => [r.url, r.proxy, r.realm, r.scheme, r.profile, r.decision, r.outcome])).toEqual([
      [base, `127.0.0.1:${proxy.port}`, REALM, 'basic', 'Work', 'answered-saved', 'ok'],
      [base, `127.0.0.1:${proxy.port}`, REALM, 'basic', '', 'prompt-cancelled', 'cancelled'],
      [base, `127.0.0.1:${proxy.port}`, REALM, 'basic', 'Work', 'answered-saved', 'rejected'],
    ]);
    expect(await page.getByText('basic-401').count()).toBe(0);

    // the rejected one explains itself in plain words, with the next step
    await page.locator('.vtable__row--body').nth(2).click();
    const detail = page.getByRole('complementary', { name: 'Challenge details' });
    await expect.poll(() => detail.getByText(/refused the username and password of profile "Work"/).isVisible()).toBe(true);
    expect(await detail.getByText(/whether the account is locked/).isVisible()).toBe(true);

    // the CSV export matches the table row for row and never holds a password
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^proxy-auth-keeper-history-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path()) as string, 'utf8');
    expect(csv).not.toContain(PASS);
    expect(csv).not.toContain(WRONG);
    const [header, ...data] = parseCsv(csv);
    expect(header).toEqual([...CSV_HEADER]);
    expect(data).toHaveLength(3);
    data.forEach((cells, i) => {
      const r = rows[i]!;
      expect(Date.parse(cells[0]!)).toBe(r.at);
      expect(cells.slice(1, 9)).toEqual([r.url, r.proxy, r.realm, r.scheme, r.profile, r.decision, r.outcome, String(r.attempts)]);
    });
    expect(data[2]?.[9]).toMatch(/refused the username and password/);
    await page.close();
  });
});

describe('options page: a proxy without Proxy-Authenticate [chromium, node]', () => {
  it('S12 a 407 the browser could not answer is recorded as a proxy misconfiguration [chromium, node]', async () => {
    const proxy = await startNodeProxy({ realm: REALM, users: { [USER]: PASS }, sendChallengeHeader: false });
    const session = await launchChromium({ proxyPort: proxy.port });
    try {
      const send = sender(session);
      // a round trip first: right after a fresh install Chromium may not yet deliver non-blocking webRequest events
      await send('engine/status');
      expect((await loadPage(session, origin.url('/misconfigured'))).status).toBe(407);
      await vi.waitFor(async () => expect((await send('history/query', {})).map((r) => r.decision)).toContain('no-challenge-header'), { timeout: 10_000 });
      const page = await openOptions(session, 'history');
      await page.getByLabel('Search').fill('/misconfigured');
      await vi.waitFor(async () => expect(await shownCount(page)).toBe(1));
      await page.locator('.vtable__row--body').first().click();
      expect(await page.getByText(/without a usable Proxy-Authenticate header/).isVisible()).toBe(true);
      expect(await page.getByText(/authentication directives/).isVisible()).toBe(true);
    } finally {
      await session.close();
      await proxy.close();
    }
  });
});
