// The options page's Profiles and Settings, used like a person would: import, export, tabs, inline errors.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROFILES_FORMAT } from '../../src/core/profile-import';
import { type Driver, launch } from '../support/driver';
import { openOptions, type OptionsPage } from '../support/options-page';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { startProxy, type TestProxy } from '../support/proxies';
import { BROWSERS, title } from './scenarios';

const REALM = 'Corp Proxy';
const PASS = 'alice-Pa55word';

let origin: OriginServer;
let proxy: TestProxy;
beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startProxy('squid', REALM, { alice: PASS });
});
afterAll(async () => {
  await proxy?.close();
  await origin?.close();
});

const fileOf = (profiles: unknown[]) => JSON.stringify({ format: PROFILES_FORMAT, version: 1, exportedAt: new Date().toISOString(), profiles });

for (const browser of BROWSERS) {
  describe(`options page: profiles and settings [${browser}, squid]`, () => {
    let d: Driver;
    let current: OptionsPage | undefined;
    beforeAll(async () => {
      d = await launch(browser, { proxyPort: proxy.port });
    });
    afterAll(async () => {
      await current?.close().catch(() => {});
      await d?.close();
    });
    const names = async () => (await d.send('profiles/list')).profiles.map((p) => p.name).sort();
    /** Opens a section, closing the page the previous scenario used. */
    const open = async (section: string) => {
      await current?.close();
      current = await openOptions(d, section);
      return current;
    };

    it(title('S12', 'importing profiles: a valid file answers a real 407, a broken one lists every problem and changes nothing, re-import updates', browser, 'squid'), async () => {
      const page = await open('profiles');
      const valid = [
        { name: 'Imported work', proxy: { host: '127.0.0.1', port: proxy.port }, realm: REALM, scheme: 'basic', username: 'alice', password: PASS, isDefault: true },
        { name: 'Imported lab', proxy: { host: 'lab-proxy.example', port: 8080 }, realm: null, scheme: 'any', username: 'bob', password: 'b0b', isDefault: false },
      ];
      await page.importProfiles(fileOf(valid));
      await page.waitForText('profiles.json: 2 added, 0 updated, 0 unchanged.');
      await page.waitForText('Imported work');
      expect(await names()).toEqual(['Imported lab', 'Imported work']);
      expect((await d.load(origin.url('/'))).status).toBe(200);
      await vi.waitFor(async () => expect(await d.send('history/query', {})).toMatchObject([{ decision: 'answered-saved', outcome: 'ok', profileName: 'Imported work' }]));

      const broken = [
        { ...valid[0], proxy: { host: '127.0.0.1', port: 70000 } },
        { ...valid[1], scheme: 'negotiate' },
        { ...valid[1], username: undefined, name: 'No user' },
      ];
      await page.importProfiles(fileOf(broken));
      await vi.waitFor(async () => expect((await page.texts('[role="alert"]')).join('\n')).toContain('3 problems'));
      const problems = await page.texts('[role="alert"] li');
      expect(problems).toHaveLength(3);
      expect(problems[0]).toMatch(/^profiles\[0\]\.proxy\.port: Port must be between 1 and 65535/);
      expect(problems[1]).toMatch(/^profiles\[1\]\.scheme: /);
      expect(problems[2]).toMatch(/^profiles\[2\]\.username: /);
      expect(await names()).toEqual(['Imported lab', 'Imported work']);

      // the same accounts again (one renamed, no passwords): updated in place, never doubled, passwords kept
      const again = valid.map(({ password: _p, ...p }, i) => (i === 0 ? { ...p, name: 'Work (renamed)' } : p));
      await page.importProfiles(fileOf(again));
      await page.waitForText('profiles.json: 0 added, 1 updated, 1 unchanged.');
      const saved = (await d.send('profiles/list')).profiles;
      expect(saved.map((p) => p.name).sort()).toEqual(['Imported lab', 'Work (renamed)']);
      expect(JSON.stringify(saved)).not.toContain(PASS); // the list never carries a password
      expect(await d.send('profiles/open', { id: saved.find((p) => p.name === 'Work (renamed)')!.id })).toEqual({ ok: true, value: { password: PASS } });
    });

    it(title('S12', 'exporting profiles leaves passwords out unless "Include passwords" is ticked', browser, 'squid'), async () => {
      const page = await open('profiles');
      const exportOnce = async () => {
        const file = await page.download('Export profiles');
        expect(file.name).toMatch(/^proxy-auth-keeper-profiles-\d{4}-\d{2}-\d{2}\.json$/);
        return JSON.parse(file.text) as { format: string; profiles: Record<string, unknown>[] };
      };
      const plain = await exportOnce();
      expect(plain.format).toBe(PROFILES_FORMAT);
      expect(plain.profiles.length).toBeGreaterThan(0);
      expect(plain.profiles.every((p) => !('password' in p))).toBe(true);
      await page.check('Include passwords');
      const full = await exportOnce();
      expect(full.profiles.map((p) => p.password)).toContain(PASS);
    });

    it(title('S12', 'tabs are deep-linkable and keyboard-driven; settings are validated inline and saved', browser, 'squid'), async () => {
      const page = await open('settings');
      expect(await page.tab('Settings')).toEqual({ selected: true, panelShown: true });
      await page.pressOnTab('Settings', 'ArrowLeft');
      expect((await page.tab('Profiles')).selected).toBe(true);
      expect(await page.url()).toMatch(/#profiles$/);
      await page.pressOnTab('Profiles', 'ArrowRight');

      await page.fill('Prompt timeout (seconds)', '400');
      await page.click('Save settings');
      await page.waitForText('Prompt timeout must be under 5 minutes');
      expect(await page.attributeOf('Prompt timeout (seconds)', 'aria-invalid')).toBe('true');
      expect((await d.send('settings/get')).settings.promptTimeoutSeconds).toBe(120);

      await page.fill('Prompt timeout (seconds)', '60');
      await page.check('Cancel the request');
      await page.fill('Keep history for (days)', '7');
      await page.fill('Keep at most (rows)', '5000');
      await page.check('Strip query strings from page addresses in history (they can hold tokens)', false);
      await page.click('Save settings');
      await page.waitForText('Settings saved.');
      expect((await d.send('settings/get')).settings).toMatchObject({ noMatch: 'cancel', promptTimeoutSeconds: 60, historyRetentionDays: 7, historyMaxRows: 5000, stripQueryStrings: false });
    });
  });
}
