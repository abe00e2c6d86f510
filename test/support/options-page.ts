// The options page in any browser: opened through the Driver and read with page.evaluate alone; table rows and CSV parsing.
import type { ExportRow } from '../../src/core/history-export';
import type { Driver } from './driver';
import { type UiPage, uiOn } from './ui-page';

/** A table row as the page shows it: the export's fields, with the row's time as ms (data-at) and no diagnosis. */
export type TableRow = Omit<ExportRow, 'time' | 'diagnosis' | 'diagnosis_code' | 'offered'> & { at: number };

/** A file as the page hands it to the browser: the link's download name and the blob's text. */
export interface HandedFile {
  name: string;
  text: string;
}

export interface OptionsPage extends UiPage {
  /** The history count the page announces (rows shown after filters); null until it shows. */
  shownCount(): Promise<number | null>;
  /** The rows the table has in the DOM (all of them when the history is short), top to bottom. */
  rows(): Promise<TableRow[]>;
  /** How many elements match `selector`. */
  count(selector: string): Promise<number>;
  /** The visible text of each element matching `selector`. */
  texts(selector: string): Promise<string[]>;
  /** An attribute of the first element matching `selector`; null when there is none. */
  attribute(selector: string, name: string): Promise<string | null>;
  /** Clicks the n-th table row in the DOM (0 is the top one), as a person opening its details. */
  openRow(n: number): Promise<void>;
  /** The text of the "Challenge details" panel while it is shown; '' when it is not. */
  details(): Promise<string>;
  /** Scrolls the table to `fraction` of its height (0 is the top). */
  scrollTable(fraction: number): Promise<void>;
  /** The tab named `name`: whether it is selected, and whether its panel is shown. */
  tab(name: string): Promise<{ selected: boolean; panelShown: boolean }>;
  /** Focuses the tab named `name`, then presses `key` on whatever has the focus. */
  pressOnTab(name: string, key: string): Promise<void>;
  /** The page's address (its hash names the section). */
  url(): Promise<string>;
  /** Chooses a profiles.json holding `text` in the "Import profiles" input, as the file picker would. */
  importProfiles(text: string): Promise<void>;
  /** Clicks the button named `button` and returns the file its click hands to the browser. */
  download(button: string): Promise<HandedFile>;
  /** Clicks the button named `button` (Edit, Set as default, Delete) of the listed profile named `profile`. */
  clickInProfile(profile: string, button: string): Promise<void>;
  /** The button named `name`: whether it is disabled and its title (why, when disabled); null when there is no such button. */
  button(name: string): Promise<{ disabled: boolean; title: string | null } | null>;
  /** What the list shows of the profile named `profile`: its badges, its buttons, its managed hint (null: none). */
  profileItem(profile: string): Promise<{ badges: string[]; buttons: string[]; hint: string | null }>;
}

const profileItemInPage = (profile: string) => {
  const norm = (t: string | null) => (t ?? '').replace(/\s+/g, ' ').trim();
  const item = [...document.querySelectorAll('li.profile')].find((li) => norm(li.querySelector('.profile__name')?.textContent ?? '') === profile);
  if (!item) throw new Error(`no profile named "${profile}" in the list`);
  const hint = item.querySelector('.profile__managed');
  return {
    badges: [...item.querySelectorAll('.badge')].map((b) => norm(b.textContent)),
    buttons: [...item.querySelectorAll('.profile__actions button')].map((b) => norm(b.textContent)),
    hint: hint ? norm(hint.textContent) : null,
  };
};

const clickInProfileInPage = ([profile, button]: [string, string]) => {
  const norm = (t: string | null) => (t ?? '').replace(/\s+/g, ' ').trim();
  const item = [...document.querySelectorAll('li.profile')].find((li) => norm(li.querySelector('.profile__name')?.textContent ?? '') === profile);
  if (!item) throw new Error(`no profile named "${profile}" in the list`);
  const target = [...item.querySelectorAll('button')].find((b) => norm(b.textContent) === button);
  if (!target) throw new Error(`profile "${profile}" has no button "${button}"`);
  target.click();
};

const rowsInPage = () =>
  [...document.querySelectorAll('.vtable__row--body')]
    .map((row) => {
      const cells = [...row.querySelectorAll('[role="cell"]')].map((c) => (c.textContent ?? '').trim());
      const dash = (s: string | undefined) => (s === '—' ? '' : (s ?? ''));
      return {
        index: Number(row.getAttribute('aria-rowindex')),
        at: Number(row.getAttribute('data-at')),
        url: cells[1] ?? '',
        proxy: cells[2] ?? '',
        realm: dash(cells[3]),
        scheme: dash(cells[4]),
        profile: dash(cells[5]),
        decision: row.querySelector('[data-decision]')?.getAttribute('data-decision') ?? '',
        outcome: row.querySelector('[data-outcome]')?.getAttribute('data-outcome') ?? '',
        attempts: Number(cells[8]),
      };
    })
    .sort((a, b) => a.index - b.index)
    .map(({ index: _, ...r }) => r);

const tabInPage = (name: string) => {
  const tab = [...document.querySelectorAll<HTMLElement>('[role="tab"]')].find((t) => (t.textContent ?? '').trim() === name);
  if (!tab) throw new Error(`no tab named "${name}"`);
  const panel = document.getElementById(tab.getAttribute('aria-controls') ?? '');
  return { selected: tab.getAttribute('aria-selected') === 'true', panelShown: panel?.checkVisibility() === true };
};

/** In the page: the "Import profiles" input gets one file, and fires change as a file picker does. */
const importInPage = (text: string) => {
  const label = [...document.querySelectorAll('label')].find((l) => (l.textContent ?? '').trim() === 'Import profiles');
  const input = document.getElementById(label?.htmlFor ?? '') as HTMLInputElement | null;
  if (!input) throw new Error('no file input labelled "Import profiles"');
  const files = new DataTransfer();
  files.items.add(new File([text], 'profiles.json', { type: 'application/json' }));
  input.files = files.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
};

/**
 * In the page: clicks `button` and catches the `<a download>` click the page makes with the file's
 * blob. The click is stopped there, so no browser writes into a Downloads folder during tests: what
 * is checked is the name and text the page hands over, which is all of the export that is ours.
 */
const downloadInPage = (button: string) =>
  new Promise<HandedFile>((resolve, reject) => {
    const target = [...document.querySelectorAll('button')].find((b) => (b.textContent ?? '').trim() === button);
    if (!target) return reject(new Error(`no button named "${button}"`));
    const onClick = (e: MouseEvent) => {
      const link = e.target;
      if (!(link instanceof HTMLAnchorElement) || !link.download) return;
      e.preventDefault();
      document.removeEventListener('click', onClick, true);
      clearTimeout(timer);
      fetch(link.href)
        .then((r) => r.text())
        .then((text) => resolve({ name: link.download, text }), reject);
    };
    const timer = setTimeout(() => {
      document.removeEventListener('click', onClick, true);
      reject(new Error(`"${button}" handed no file to the browser within 10 s`));
    }, 10_000);
    document.addEventListener('click', onClick, true);
    target.click();
  });

/** Opens options.html at a section. */
export const openOptions = (d: Driver, section = 'history'): Promise<OptionsPage> => openPage(d, `options.html#${section}`);

/** Opens an extension page (options.html#…, popup.html) with the options page's helpers (the popup shares the profile list). */
export async function openPage(d: Driver, path: string): Promise<OptionsPage> {
  const page = await d.page(path);
  return {
    ...uiOn(page),
    shownCount: () => page.evaluate(() => document.querySelector('.history__count')?.getAttribute('data-count') ?? null, undefined).then((n) => (n === null ? null : Number(n))),
    rows: () => page.evaluate(rowsInPage, undefined),
    count: (selector) => page.evaluate((s) => document.querySelectorAll(s).length, selector),
    texts: (selector) => page.evaluate((s) => [...document.querySelectorAll<HTMLElement>(s)].map((e) => e.innerText), selector),
    attribute: (selector, name) => page.evaluate(([s, a]) => document.querySelector(s)?.getAttribute(a) ?? null, [selector, name] as [string, string]),
    openRow: (n) =>
      page.evaluate((i) => {
        const row = document.querySelectorAll<HTMLElement>('.vtable__row--body')[i];
        if (!row) throw new Error(`the table has no row ${i}`);
        row.click();
      }, n),
    details: () =>
      page.evaluate(() => {
        const panel = [...document.querySelectorAll<HTMLElement>('aside')].find((a) => document.getElementById(a.getAttribute('aria-labelledby') ?? '')?.textContent?.trim() === 'Challenge details');
        return panel?.checkVisibility() ? panel.innerText : '';
      }, undefined),
    scrollTable: (fraction) =>
      page.evaluate((f) => {
        const body = document.querySelector('.vtable__body');
        if (!body) throw new Error('no table on the page');
        body.scrollTop = body.scrollHeight * f;
      }, fraction),
    tab: (name) => page.evaluate(tabInPage, name),
    async pressOnTab(name, key) {
      await page.evaluate((n) => {
        const tab = [...document.querySelectorAll<HTMLElement>('[role="tab"]')].find((t) => (t.textContent ?? '').trim() === n);
        if (!tab) throw new Error(`no tab named "${n}"`);
        tab.focus();
      }, name);
      await page.keyboard.press(key);
    },
    url: () => page.evaluate(() => location.href, undefined),
    importProfiles: (text) => page.evaluate(importInPage, text),
    download: (button) => page.evaluate(downloadInPage, button),
    clickInProfile: (profile, button) => page.evaluate(clickInProfileInPage, [profile, button] as [string, string]),
    profileItem: (profile) => page.evaluate(profileItemInPage, profile),
    button: (name) =>
      page.evaluate((n) => {
        const b = [...document.querySelectorAll('button')].find((x) => (x.textContent ?? '').replace(/\s+/g, ' ').trim() === n);
        return b ? { disabled: b.disabled, title: b.getAttribute('title') } : null;
      }, name),
  };
}

/** RFC 4180 CSV (quoted cells, doubled quotes, CRLF) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n') row.push(cell.replace(/\r$/, '')), rows.push(row), (row = []), (cell = '');
    else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}
