// Scenario S16: with the vault on, the everyday edits in the options page (make default, rename, undo a
// delete, export then import without passwords) keep every saved password: each next 407 is answered
// with the right one and the proxy accepts it; and no message a page sent or received carried one.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HistoryEntry } from '../../src/core/model';
import { type Driver, launch } from '../support/driver';
import { openOptions } from '../support/options-page';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { savedProfile, type TestProxy, startProxy } from '../support/proxies';
import { BROWSERS, title } from './scenarios';

const REALM = 'Corp Proxy';
const MASTER = 'a long master password';
const USERS = { alice: 'S16-alice-Pa55', bob: 'S16-bob-Pa55', carol: 'S16-carol-Pa55', dave: 'S16-dave-Pa55', erin: 'S16-erin-Pa55' };
const PASSWORDS = Object.values(USERS);
/**
 * One squid per step: browsers keep a proxy credential that worked and answer that proxy's later
 * 407s themselves, so each edit is proven on a proxy the browser has not signed in to yet.
 */
const STEPS = ['default', 'rename', 'undo', 'import'] as const;

let origin: OriginServer;
const proxies = {} as Record<(typeof STEPS)[number], TestProxy>;
beforeAll(async () => {
  origin = await startOrigin();
  for (const step of STEPS) proxies[step] = await startProxy('squid', REALM, USERS);
});
afterAll(async () => Promise.all([origin?.close(), ...Object.values(proxies).map((p) => p.close())]));

/** Step i's pages are on h<i>.test and go through that step's squid (squid sends .test names to 127.0.0.1). */
const hostOf = (step: (typeof STEPS)[number]) => `h${STEPS.indexOf(step)}.test`;
const pac = () => `function FindProxyForURL(url, host) {
  ${STEPS.map((s) => `if (host === '${hostOf(s)}') return 'PROXY 127.0.0.1:${proxies[s].port}';`).join('\n  ')}
  return 'DIRECT';
}`;
const pageVia = (step: (typeof STEPS)[number]) => origin.url('/').replace('127.0.0.1', hostOf(step));

/** In an extension page of its own: every message another extension page sends to the worker, as sent. */
const recordMessages = () => {
  const g = globalThis as unknown as { chrome: typeof chrome; pakSeen?: string[] };
  if (g.pakSeen) return;
  const seen: string[] = (g.pakSeen = []);
  g.chrome.runtime.onMessage.addListener((message: unknown) => {
    seen.push(JSON.stringify(message));
    return undefined; // the worker answers; this page only listens
  });
};
const recorded = () => (globalThis as unknown as { pakSeen?: string[] }).pakSeen ?? [];

/** The settled history row of the page loaded through `step`'s proxy. */
async function rowFor(d: Driver, step: (typeof STEPS)[number]): Promise<HistoryEntry> {
  let row: HistoryEntry | undefined;
  await vi.waitFor(
    async () => {
      row = (await d.send('history/query', {})).find((r) => r.url.includes(`//${hostOf(step)}`) && r.outcome !== 'pending');
      expect(row).toBeDefined();
    },
    { timeout: 20_000, interval: 200 },
  );
  return row!;
}

for (const browser of BROWSERS) {
  describe(`vault on: everyday edits keep the passwords [${browser}, squid]`, () => {
    it(title('S16', 'vault on: make default, rename, undo a delete, export-then-import without passwords; every next 407 gets the right password, no page message carries one', browser, 'squid'), async () => {
      const before = Object.fromEntries(await Promise.all(STEPS.map(async (s) => [s, await proxies[s].rejected()] as const)));
      const d = await launch(browser, { proxyPort: proxies.default.port, pac: pac() });
      try {
        const save = async (step: (typeof STEPS)[number], name: string, user: keyof typeof USERS, isDefault = true) =>
          expect((await d.send('profiles/save', savedProfile(proxies[step], user, USERS[user], { name, isDefault }))).ok).toBe(true);
        await save('default', 'Alice', 'alice');
        await save('default', 'Bob', 'bob', false);
        await save('rename', 'Carol', 'carol');
        await save('undo', 'Dave', 'dave');
        await save('import', 'Erin', 'erin');
        expect(await d.send('vault/enable', { masterPassword: MASTER })).toMatchObject({ ok: true, value: { enabled: true, unlocked: true } });
        await d.evalInExtension(recordMessages);
        const page = await openOptions(d, 'profiles');
        await page.waitForText('Bob');

        // 1. "Set as default" on Bob: the proxy's next 407 is answered with Bob's password
        await page.clickInProfile('Bob', 'Set as default');
        await vi.waitFor(async () => expect((await d.send('profiles/list')).profiles.find((p) => p.name === 'Bob')?.isDefault).toBe(true));
        expect((await d.load(pageVia('default'))).status).toBe(200);
        expect(await rowFor(d, 'default')).toMatchObject({ decision: 'answered-saved', outcome: 'ok', profileName: 'Bob' });

        // 2. Edit Carol, rename her, save without touching the password field
        await page.clickInProfile('Carol', 'Edit');
        await page.fill('Name', 'Carol (renamed)');
        await page.click('Save');
        await page.waitForText('Carol (renamed)');
        expect((await d.load(pageVia('rename'))).status).toBe(200);
        expect(await rowFor(d, 'rename')).toMatchObject({ decision: 'answered-saved', outcome: 'ok', profileName: 'Carol (renamed)' });

        // 3. Delete Dave, then Undo
        await page.clickInProfile('Dave', 'Delete');
        await page.waitForText('Deleted “Dave”.');
        await vi.waitFor(async () => expect((await d.send('profiles/list')).profiles.map((p) => p.name)).not.toContain('Dave'));
        await page.click('Undo');
        await vi.waitFor(async () => expect((await d.send('profiles/list')).profiles.map((p) => p.name)).toContain('Dave'));
        expect((await d.load(pageVia('undo'))).status).toBe(200);
        expect(await rowFor(d, 'undo')).toMatchObject({ decision: 'answered-saved', outcome: 'ok', profileName: 'Dave' });

        // 4. Export without passwords, rename Erin in the file, import it back
        const exported = await page.download('Export profiles');
        const file = JSON.parse(exported.text) as { profiles: Array<{ name: string }> };
        expect(file.profiles).toHaveLength(5);
        for (const p of file.profiles) expect(p).not.toHaveProperty('password');
        file.profiles.find((p) => p.name === 'Erin')!.name = 'Erin (imported)';
        await page.importProfiles(JSON.stringify(file));
        await page.waitForText('profiles.json: 0 added, 1 updated, 4 unchanged.');
        expect((await d.load(pageVia('import'))).status).toBe(200);
        expect(await rowFor(d, 'import')).toMatchObject({ decision: 'answered-saved', outcome: 'ok', profileName: 'Erin (imported)' });

        // what the pages sent (every message, as the listening page saw it) and what they got back
        const sent = await d.evalInExtension(recorded);
        expect(sent.filter((m) => /"name":"profiles\/(save|restore|import)"/.test(m)).length).toBeGreaterThanOrEqual(3);
        const received = [
          JSON.stringify(await d.send('profiles/list')),
          exported.text,
          await page.text(),
        ];
        for (const text of [...sent, ...received]) for (const pw of PASSWORDS) expect(text, 'a page message or view holds a password').not.toContain(pw);
        // control: the passwords are all there, sealed, and each opens with the master password
        for (const p of (await d.send('profiles/list')).profiles) {
          const opened = await d.send('profiles/open', { id: p.id, masterPassword: MASTER });
          expect(opened.ok && PASSWORDS.includes(opened.value.password)).toBe(true);
        }
        await page.close();
      } finally {
        await d.close();
      }
      for (const step of STEPS) {
        expect((await proxies[step].rejected()) - before[step]!, `${step}: refused logins`).toBe(0);
        expect(await proxies[step].accepted(), `${step}: accepted`).toBeGreaterThan(0);
      }
    });
  });
}
