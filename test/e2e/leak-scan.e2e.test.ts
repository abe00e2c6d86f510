// S14: after a session of the main flows, no password used is in storage.sync, history, the exports or the console.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HistoryEntry } from '../../src/core/model';
import { type Driver, launch } from '../support/driver';
import { formatFindings, scanForSecrets } from '../support/leak-scan';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { type TestProxy, startProxy } from '../support/proxies';
import { spreadUrls } from '../support/test-hosts';
import { BROWSERS, title } from './scenarios';
import { expectAllOk, onePrompt } from '../support/waits';

const REALM = 'Corp Proxy';
const CAROL = 'S14-carol-Pa55:word';
const WRONG = 'S14-dave-Wr0ng-old';
const DAVE = 'S14-dave-R1ght/new';
const ERIN = 'S14-erin-Sess10n pw';
/** Every password typed or saved during the session, in the order the report numbers them. */
const PASSWORDS = [CAROL, WRONG, DAVE, ERIN];

let origin: OriginServer;
let proxy: TestProxy;
beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startProxy('squid', REALM, { carol: CAROL, dave: DAVE, erin: ERIN });
});
afterAll(async () => Promise.all([origin?.close(), proxy?.close()]));


async function settled(d: Driver): Promise<HistoryEntry[]> {
  let rows: HistoryEntry[] = [];
  await vi.waitFor(
    async () => {
      const { challengesSeen } = await d.send('engine/status');
      rows = await d.send('history/query', {});
      expect(challengesSeen).toBeGreaterThan(0);
      expect(rows.filter((r) => r.outcome !== 'pending')).toHaveLength(challengesSeen);
    },
    { timeout: 20_000, interval: 200 },
  );
  return rows;
}

/** Everything the extension stored or handed out where a password must never be, read from an extension page. */
async function collect(d: Driver, label: string, into: Record<string, string>): Promise<void> {
  await d.send('history/flush');
  const stores = await d.evalInExtension(async () => {
    const c = (globalThis as unknown as { chrome: typeof chrome }).chrome;
    const rawHistory = await new Promise<unknown[]>((resolve, reject) => {
      const open = indexedDB.open('proxy-auth-keeper-history');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const req = db.transaction('entries').objectStore('entries').getAll();
        req.onsuccess = () => {
          resolve(req.result);
          db.close();
        };
        req.onerror = () => reject(req.error);
      };
    });
    const local = await c.storage.local.get(null);
    const session = await c.storage.session.get(null);
    return { sync: await c.storage.sync.get(null), local, session, rawHistory };
  });
  // storage.session holds a copy of storage.local, .sync and .managed for a stopped worker's start
  // (src/storage/start-image.ts): scanned by the same rules as the areas it copies
  const { sessionProfiles: _remembered, startImage, ...sessionRest } = stores.session as Record<string, unknown> & { startImage?: { local: Record<string, unknown>; sync: unknown; managed: unknown } };
  const notProfiles = (items: Record<string, unknown>) => Object.fromEntries(Object.entries(items).filter(([k]) => !k.startsWith('profile:')));
  const localNotProfiles = notProfiles(stores.local);
  if (startImage) into[`${label} storage.session start copy without profile records`] = JSON.stringify({ ...startImage, local: notProfiles(startImage.local) });
  into[`${label} storage.sync`] = JSON.stringify(stores.sync);
  into[`${label} storage.local without profile records`] = JSON.stringify(localNotProfiles);
  into[`${label} storage.session without remembered credentials`] = JSON.stringify(sessionRest);
  into[`${label} history (IndexedDB rows)`] = JSON.stringify(stores.rawHistory);
  into[`${label} history/query`] = JSON.stringify(await d.send('history/query', {}));
  into[`${label} history export CSV`] = (await d.send('history/export', { format: 'csv' })).text;
  into[`${label} history export JSON`] = (await d.send('history/export', { format: 'json' })).text;
  into[`${label} profiles export without passwords`] = ((await d.send('profiles/export', { includePasswords: false })) as { value: { text: string } }).value.text;
  into[`${label} engine/status`] = JSON.stringify(await d.send('engine/status'));
  into[`${label} profile records (control: passwords belong here)`] = JSON.stringify(Object.entries(stores.local).filter(([k]) => k.startsWith('profile:')));
  expect(JSON.parse(into[`${label} history (IndexedDB rows)`]!).length).toBeGreaterThan(0);
}

const CONTROL = /\(control: /;

for (const browser of BROWSERS) {
  // The console of pages and worker is captured through Playwright, so in Chromium only.
  const withConsole = browser === 'chromium';
  describe(`leak scan [${browser}, squid]`, () => {
    it(title('S14', `no password in sync storage, history, exports${withConsole ? ' or console' : ''}`, browser, 'squid'), async () => {
      const sources: Record<string, string> = {};
      const consoleLines: string[] = [];
      const session = async (label: string, fn: (d: Driver) => Promise<void>) => {
        const onConsole = (line: string) => consoleLines.push(`[${label}] ${line}`);
        const d = await launch(browser, { proxyPort: proxy.port, ...(withConsole ? { onConsole } : {}) });
        try {
          await fn(d);
          await collect(d, label, sources);
        } finally {
          await d.close();
        }
      };

      // A. A saved profile answers; the worker is restarted with a broken record, so it logs a warning.
      await session('A', async (d) => {
        await d.evalInExtension(() => console.log('pak-console-probe: page'));
        expect((await d.send('profiles/save', { name: 'Carol', proxy: { host: '127.0.0.1', port: proxy.port }, realm: REALM, scheme: 'basic', username: 'carol', password: CAROL, isDefault: true })).ok).toBe(true);
        expect((await d.load(origin.url('/'))).status).toBe(200);
        expect(await settled(d)).toMatchObject([{ decision: 'answered-saved', outcome: 'ok' }]);
        await d.evalInExtension(() => (globalThis as unknown as { chrome: typeof chrome }).chrome.storage.local.set({ 'profile:console-probe': { name: 5 } }));
        await d.restartWorker();
        expect((await d.send('engine/status')).profileProblems.length).toBeGreaterThan(0);
        if (withConsole) await vi.waitFor(() => expect(consoleLines.join('\n')).toContain('skipped unreadable profile records'), { timeout: 10_000 });
        await d.evalInExtension(() => (globalThis as unknown as { chrome: typeof chrome }).chrome.storage.local.remove('profile:console-probe'));
      });

      // B. A wrong saved password: one prompt says so; the right one is typed and saved.
      await session('B', async (d) => {
        expect((await d.send('profiles/save', { name: 'Dave', proxy: { host: '127.0.0.1', port: proxy.port }, realm: REALM, scheme: 'basic', username: 'dave', password: WRONG, isDefault: true })).ok).toBe(true);
        const ended = d.fetchAll(spreadUrls(origin.port, 5));
        const prompt = await onePrompt(d, 5);
        expect(prompt.reason).toBe('rejected');
        const ui = await d.ui(`popup.html?prompt=${prompt.id}`);
        await ui.waitForText('rejected');
        await ui.close();
        // what the popup sends with "Update profile" unticked and "Save as profile" chosen
        expect(await d.send('prompts/answer', { id: prompt.id, username: 'dave', password: DAVE, remember: 'save', profileName: 'Dave (new)' })).toEqual({ ok: true, value: { released: 5 } });
        await expectAllOk(d, 'after the answer', await ended, 5);
        const { profiles } = await d.send('profiles/list');
        const passwordOf = async (id: string) => {
          const opened = await d.send('profiles/open', { id });
          return opened.ok ? opened.value.password : '';
        };
        const marks = await Promise.all(profiles.map(async (p) => `${p.name}:${(await passwordOf(p.id)) === DAVE ? 'right' : 'old'}`));
        expect(marks.sort()).toEqual(['Dave (new):right', 'Dave:old']);
        expect((await settled(d)).some((r) => r.decision === 'answered-prompt' && r.outcome === 'ok')).toBe(true);
      });

      // C. No profile: the prompt is answered "Remember for this session"; the credential survives a worker stop.
      await session('C', async (d) => {
        const ended = d.fetchAll(spreadUrls(origin.port, 5));
        const prompt = await onePrompt(d, 5);
        const ui = await d.ui(`popup.html?prompt=${prompt.id}`);
        await ui.waitForText('Sign in to proxy');
        await ui.fill('Username', 'erin');
        await ui.fill('Password', ERIN);
        await ui.check('Remember for this session');
        await ui.click('Sign in');
        await expectAllOk(d, 'after the answer', await ended, 5);
        expect((await d.send('profiles/list')).profiles).toEqual([]);
        expect(await settled(d)).not.toHaveLength(0);
        // (Firefox's test "restart" reinstalls the add-on, which also empties storage.session.)
        if (browser === 'chromium') await d.restartWorker();
        const stored = await d.evalInExtension(async () => (await (globalThis as unknown as { chrome: typeof chrome }).chrome.storage.session.get('sessionProfiles')).sessionProfiles);
        expect(stored).toMatchObject([{ username: 'erin', sessionOnly: true }]);
      });

      if (withConsole) {
        const consoleText = consoleLines.join('\n');
        // the capture works for pages and for the worker (also after a restart), so a clean console means something
        expect(consoleText).toContain('pak-console-probe: page');
        expect(consoleText).toContain('skipped unreadable profile records');
        sources['console (pages and worker, A+B+C)'] = consoleText;
      }

      const scanned = Object.fromEntries(Object.entries(sources).filter(([name]) => !CONTROL.test(name)));
      const findings = scanForSecrets(PASSWORDS, scanned);
      expect(findings, formatFindings(findings)).toEqual([]);

      // control: the scanner does find the passwords where they are meant to be (saved profiles)
      const control = scanForSecrets(PASSWORDS, Object.fromEntries(Object.entries(sources).filter(([name]) => CONTROL.test(name))));
      expect(new Set(control.map((f) => `${f.source.slice(0, 1)}#${f.secretIndex}`))).toEqual(new Set(['A#0', 'B#1', 'B#2']));
    });
  });
}
