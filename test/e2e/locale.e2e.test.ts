// S21: the pages speak the browser's language — prompt, popup, history with a diagnosis, settings; no English left, nothing clipped.
// PAK_SCREENSHOTS=docs/screenshots writes each checked page there (popup-prompt-de.png, options-diagnosis-fr.png, …).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserName, Driver } from '../support/driver';
import { launch } from '../support/driver';
import { chartsFitTheirBoxes, englishIn, languageInPage, lengthenTextInPage, overflowsInPage, screenTextInPage } from '../support/locale-screen';
import { catalog, messagesOf } from '../support/locales';
import { type OriginServer, startOrigin } from '../support/origin-server';
import { savedProfile, type TestProxy, startProxy } from '../support/proxies';
import { type ExtensionPage, resizePage, uiOn } from '../support/ui-page';
import { onePrompt, settledRows } from '../support/waits';
import { MAX_PROMPT_TIMEOUT_SECONDS } from '../../src/core/settings-schema';
import { BROWSERS, title } from './scenarios';

/** Chromium in German, Firefox in French: each browser's own way of choosing its UI language. */
const LANGUAGE: Record<BrowserName, string> = { chromium: 'de', firefox: 'fr' };
const REALM = 'Intranet';
const USER = 'alice';
const SHOTS = process.env.PAK_SCREENSHOTS;

let origin: OriginServer;
beforeAll(async () => {
  origin = await startOrigin();
});
afterAll(async () => origin?.close());

const POPUP = { width: 400, height: 600 };
const OPTIONS = { width: 1280, height: 860 };

/** Sizes the page, waits until it shows `ready`, then lets `act` drive it and waits for the text `act` returns. */
async function showPage(page: ExtensionPage, size: { width: number; height: number }, ready: string, act?: (page: ExtensionPage) => Promise<string>): Promise<void> {
  await resizePage(page, size.width, size.height);
  const ui = uiOn(page);
  await ui.waitForText(ready, 15_000);
  const shown = act ? await act(page) : ready;
  if (shown !== ready) await ui.waitForText(shown, 15_000);
}

type Say = (key: string, ...subs: string[]) => string;

/** The popup's new-profile form, scheme NTLM (the longest hint), saved empty: its refusals show. Resolves with the text to wait for. */
async function emptyNtlmForm(page: ExtensionPage, say: Say): Promise<string> {
  const ui = uiOn(page);
  await ui.click(say('addProfile'));
  await ui.waitForText(say('profileFormAddTitle'));
  await ui.select(say('fieldScheme'), 'ntlm');
  await ui.click(say('save'));
  return say('problemUsernameRequired');
}

for (const browser of BROWSERS) {
  const lang = LANGUAGE[browser];
  const say = (key: string, ...subs: string[]) => catalog(lang).message(key, subs);

  describe(`S21 the pages in ${lang} [${browser}, squid]`, () => {
    let proxy: TestProxy;
    let d: Driver;
    beforeAll(async () => {
      proxy = await startProxy('squid', REALM, { [USER]: 'alice-Pa55word' });
      d = await launch(browser, { proxyPort: proxy.port, uiLanguage: lang });
    });
    afterAll(async () => {
      await d?.close();
      await proxy?.close();
    });

    /**
     * Opens an extension page at a size, waits until it shows `ready` (a message of the target
     * language), then checks what a reader sees: the language the page reports, no English catalogue
     * message the target words differently, no text wider than its box.
     */
    async function checkPage(pagePath: string, size: { width: number; height: number }, ready: string, shot: string | null, act?: (page: ExtensionPage) => Promise<string>) {
      const page = await d.page(pagePath);
      try {
        await showPage(page, size, ready, act);
        // before the checks, so that a failure can be looked at too
        if (SHOTS && shot) await page.screenshot({ path: path.join(SHOTS, `${shot}-${lang}.png`), fullPage: true });
        expect(await page.evaluate(languageInPage, undefined)).toEqual({ ui: expect.stringMatching(new RegExp(`^${lang}\\b`)), lang: expect.stringMatching(new RegExp(`^${lang}\\b`)) });
        const text = await page.evaluate(screenTextInPage, undefined);
        expect(englishIn(text, messagesOf(lang), messagesOf('en')), `English on ${pagePath}:\n${text}`).toEqual([]);
        expect(await page.evaluate(overflowsInPage, undefined), `clipped on ${pagePath}`).toEqual([]);
        return page;
      } catch (err) {
        await page.close().catch(() => {});
        throw err;
      }
    }

    it(title('S21', `the prompt for a 407 without a profile is in ${lang}`, browser, 'squid'), async () => {
      const loading = d.load(origin.url('/?step=prompt'));
      const prompt = await onePrompt(d, 1);
      await (await checkPage('popup.html', POPUP, say('rememberSave'), 'popup-prompt')).close();
      await (await checkPage(`popup.html?prompt=${prompt.id}`, POPUP, say('rememberSave'), null)).close();
      await d.send('prompts/cancel', { id: prompt.id });
      expect((await loading).status).not.toBe(200);
    });

    it(title('S21', `the history in ${lang}: a refused password and its diagnosis`, browser, 'squid'), async () => {
      // a fresh worker forgets the quiet period after the Cancel above
      await d.restartWorker();
      const work = say('tabProfiles') === 'Profile' ? 'Büro' : 'Bureau';
      expect((await d.send('profiles/save', savedProfile(proxy, USER, 'wrong-Pa55word', { name: work }))).ok).toBe(true);
      const loading = d.load(origin.url('/?step=rejected'));
      const prompt = await onePrompt(d, 1);
      expect(prompt).toMatchObject({ reason: 'rejected' });
      await d.send('prompts/cancel', { id: prompt.id });
      expect((await loading).status).not.toBe(200);
      const rows = await settledRows(d, 2);
      expect(rows.map((r) => `${r.decision}/${r.outcome}`)).toEqual(['answered-saved/rejected', 'prompt-cancelled/cancelled']);

      const page = await checkPage('options.html#history', OPTIONS, say('historyCountMany', '2'), 'options-diagnosis', async (p) => {
        await p.evaluate(() => document.querySelector<HTMLElement>('.vtable__row--body')?.click(), undefined);
        return say('diagCredentialsRejectedNext');
      });
      await page.close();
    });

    it(title('S21', `the popup's profile list and form, and the options' profiles, in ${lang}`, browser, 'squid'), async () => {
      const branch = say('tabProfiles') === 'Profile' ? 'Zweigstelle Süd' : 'Agence régionale';
      const other = { ...savedProfile(proxy, 'alice-admin', 'x', { name: branch }), proxy: { host: 'proxy.intranet.example', port: 3128 }, realm: null, scheme: 'any' as const };
      expect((await d.send('profiles/save', other)).ok).toBe(true);
      await (await checkPage('popup.html', POPUP, branch, 'popup-list')).close();
      // the new-profile form with NTLM's long hint and the refusals of an empty form, where German runs longest
      const form = await checkPage('popup.html', POPUP, branch, null, (p) => emptyNtlmForm(p, say));
      await form.close();
      await (await checkPage('options.html#profiles', OPTIONS, branch, null)).close();
    });

    it(title('S21', `the settings in ${lang}, with a refused value`, browser, 'squid'), async () => {
      const page = await checkPage('options.html#settings', OPTIONS, say('settingsSave'), 'options-settings', async (p) => {
        const ui = uiOn(p);
        await ui.fill(say('settingsPromptTimeout'), '600');
        await ui.click(say('settingsSave'));
        return say('problemPromptTimeoutTooLong', MAX_PROMPT_TIMEOUT_SECONDS.toLocaleString(lang));
      });
      await page.close();
    });
  });
}

/**
 * A language may run 40 % longer than English (German often does, word by word): every text of the
 * pages is made that much longer in place and the layout must still hold it in the 400 px popup.
 */
for (const browser of BROWSERS) {
  describe(`S21 English made 40 % longer [${browser}, squid]`, () => {
    let proxy: TestProxy;
    let d: Driver;
    beforeAll(async () => {
      proxy = await startProxy('squid', REALM, { [USER]: 'alice-Pa55word' });
      d = await launch(browser, { proxyPort: proxy.port, uiLanguage: 'en' });
    });
    afterAll(async () => {
      await d?.close();
      await proxy?.close();
    });
    const say = (key: string, ...subs: string[]) => catalog('en').message(key, subs);
    /** The English messages without placeholders: the texts a page shows as they are. */
    const fixedMessages = Object.values(messagesOf('en')).map((m) => m.message).filter((m) => !m.includes('$'));

    /** Opens the page, waits for `ready`, optionally acts on it, then lengthens its text and lists what is clipped. */
    async function clippedWhenLonger(pagePath: string, size: { width: number; height: number }, ready: string, act?: (page: ExtensionPage) => Promise<string>) {
      const page = await d.page(pagePath);
      try {
        await showPage(page, size, ready, act);
        expect(await page.evaluate(lengthenTextInPage, { factor: 0.4, messages: fixedMessages })).toBeGreaterThan(3);
        // what a person sees once the page has redrawn (a chart that never fits is still reported below)
        await page.evaluate(chartsFitTheirBoxes, undefined);
        return await page.evaluate(overflowsInPage, undefined);
      } finally {
        await page.close().catch(() => {});
      }
    }

    it(title('S21', 'the prompt, the profile form with its refusals, the history with a diagnosis and the settings hold text 40 % longer than English in their boxes (400 px popup)', browser, 'squid'), async () => {
      const loading = d.load(origin.url('/?step=longer'));
      const prompt = await onePrompt(d, 1);
      expect(await clippedWhenLonger(`popup.html?prompt=${prompt.id}`, POPUP, say('rememberSave')), 'prompt').toEqual([]);
      await d.send('prompts/cancel', { id: prompt.id });
      await loading;
      const form = await clippedWhenLonger('popup.html', POPUP, say('addProfile'), (p) => emptyNtlmForm(p, say));
      expect(form, 'profile form').toEqual([]);
      await settledRows(d, 1);
      const history = await clippedWhenLonger('options.html#history', OPTIONS, say('historyCountOne'), async (p) => {
        await p.evaluate(() => document.querySelector<HTMLElement>('.vtable__row--body')?.click(), undefined);
        return say('diagPromptCancelled');
      });
      expect(history, 'history').toEqual([]);
      expect(await clippedWhenLonger('options.html#settings', OPTIONS, say('settingsSave')), 'settings').toEqual([]);
    });
  });
}
