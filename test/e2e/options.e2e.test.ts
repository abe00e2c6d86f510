// The options page's History against real proxies: exactly the proxy challenges, their decisions, outcomes, diagnosis and CSV.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CSV_HEADER } from '../../src/core/history-export';
import { type Driver, launch } from '../support/driver';
import { startNodeProxy } from '../support/node-proxy';
import { openOptions, parseCsv } from '../support/options-page';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { startProxy, type TestProxy } from '../support/proxies';
import { BROWSERS, title } from './scenarios';

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
async function cancelPrompt(d: Driver): Promise<void> {
  await vi.waitFor(async () => expect(await d.send('prompts/list')).toHaveLength(1), { timeout: 20_000, interval: 100 });
  const [prompt] = await d.send('prompts/list');
  await d.send('prompts/cancel', { id: prompt!.id });
}

for (const browser of BROWSERS) {
  describe(`options page: history [${browser}, squid]`, () => {
    let proxy: TestProxy;
    let d: Driver;
    beforeAll(async () => {
      proxy = await startProxy('squid', REALM, { [USER]: PASS });
      d = await launch(browser, { proxyPort: proxy.port });
    });
    afterAll(async () => {
      await d?.close();
      await proxy?.close();
    });

    it(title('S12', 'history shows exactly the proxy challenges with decisions, outcomes and diagnosis', browser, 'squid'), async () => {
      const profile = { name: 'Work', proxy: { host: '127.0.0.1', port: proxy.port }, realm: REALM, scheme: 'basic' as const, username: USER, isDefault: true };

      // 1. a wrong saved password: the proxy refuses it once, the prompt that follows is cancelled
      const wrong = await d.send('profiles/save', { ...profile, password: WRONG });
      if (!wrong.ok) throw new Error('profile not saved');
      const rejected = d.load(origin.url('/?step=rejected'));
      await cancelPrompt(d);
      expect((await rejected).status).not.toBe(200);

      // 2. no profile at all (setting "ask"): the prompt is cancelled. A fresh worker forgets the cooldown of step 1's Cancel.
      await d.send('profiles/delete', { id: wrong.value.id });
      await d.restartWorker();
      const cancelled = d.load(origin.url('/?step=cancelled'));
      await cancelPrompt(d);
      expect((await cancelled).status).not.toBe(200);

      // 3. the right password is answered; 4. then an origin 401 through the (now authenticated) proxy is not ours
      expect((await d.send('profiles/save', { ...profile, password: PASS })).ok).toBe(true);
      expect((await d.load(origin.url('/?step=answered'))).status).toBe(200);
      // The extension hands an origin 401 to the browser's own login dialog. Headless Chromium has none and
      // fails the load (ERR_INVALID_AUTH_CREDENTIALS; a 401 page is as good). Firefox's dialog is cancelled by
      // the launcher as a user would (see firefox.ts), so the 401 page loads. What matters: no history row below.
      const site401 = await d.load(origin.url(`/basic-401?realm=${encodeURIComponent(REALM)}`));
      if (browser === 'chromium') expect(site401.status === 401 || /ERR_INVALID_AUTH_CREDENTIALS/.test(site401.error ?? '')).toBe(true);
      else expect(site401.status).toBe(401);
      await vi.waitFor(async () => expect((await d.send('history/query', {})).filter((r) => r.outcome !== 'pending')).toHaveLength(3), { timeout: 20_000 });

      const page = await openOptions(d, 'history');
      await vi.waitFor(async () => expect(await page.shownCount()).toBe(3), { timeout: 10_000 });
      const rows = await page.rows();
      const base = `http://127.0.0.1:${origin.port}/`;
      expect(rows.map((r) => [r.url, r.proxy, r.realm, r.scheme, r.profile, r.decision, r.outcome])).toEqual([
        [base, `127.0.0.1:${proxy.port}`, REALM, 'basic', 'Work', 'answered-saved', 'ok'],
        [base, `127.0.0.1:${proxy.port}`, REALM, 'basic', '', 'prompt-cancelled', 'cancelled'],
        [base, `127.0.0.1:${proxy.port}`, REALM, 'basic', 'Work', 'answered-saved', 'rejected'],
      ]);
      expect(await page.text()).not.toContain('basic-401');

      // the rejected one explains itself in plain words, with the next step
      await page.openRow(2);
      await vi.waitFor(async () => expect(await page.details()).toMatch(/refused the username and password of profile “Work”/));
      expect(await page.details()).toMatch(/whether the account is locked/);

      // the CSV export matches the table row for row and never holds a password
      const file = await page.download('Export CSV');
      expect(file.name).toMatch(/^proxy-auth-keeper-history-\d{4}-\d{2}-\d{2}\.csv$/);
      expect(file.text).not.toContain(PASS);
      expect(file.text).not.toContain(WRONG);
      const [header, ...data] = parseCsv(file.text);
      expect(header).toEqual([...CSV_HEADER]);
      expect(data).toHaveLength(3);
      data.forEach((cells, i) => {
        const r = rows[i]!;
        expect(Date.parse(cells[0]!)).toBe(r.at);
        expect(cells.slice(1, 9)).toEqual([r.url, r.proxy, r.realm, r.scheme, r.profile, r.decision, r.outcome, String(r.attempts)]);
      });
      expect(data[2]?.[9]).toMatch(/refused the username and password/);
      expect(data[2]?.[10]).toMatch(/^credentials-rejected( \| |$)/);
      await page.close();
    });
  });

  describe(`options page: a proxy without Proxy-Authenticate [${browser}, node]`, () => {
    it(title('S12', 'a 407 the browser could not answer is recorded as a proxy misconfiguration', browser, 'node'), async () => {
      const proxy = await startNodeProxy({ realm: REALM, users: { [USER]: PASS }, sendChallengeHeader: false });
      const d = await launch(browser, { proxyPort: proxy.port });
      try {
        expect((await d.load(origin.url('/misconfigured'))).status).toBe(407);
        await vi.waitFor(async () => expect((await d.send('history/query', {})).map((r) => r.decision)).toContain('no-challenge-header'), { timeout: 10_000 });
        const page = await openOptions(d, 'history');
        await page.fill('Search', '/misconfigured');
        await vi.waitFor(async () => expect(await page.shownCount()).toBe(1));
        await page.openRow(0);
        await vi.waitFor(async () => expect(await page.details()).toMatch(/without a usable Proxy-Authenticate header/));
        expect(await page.details()).toMatch(/authentication directives/);
        await page.close();
      } finally {
        await d.close();
        await proxy.close();
      }
    });
  });
}
