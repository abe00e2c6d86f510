// Driving an extension page like a person, by label and button name, through page.evaluate alone: the same in Chromium and Firefox.

/** What Playwright's and puppeteer's pages have in common; the scenarios use nothing else of a page. */
export interface ExtensionPage {
  evaluate<R, A>(fn: (a: A) => R | Promise<R>, arg: A): Promise<R>;
  keyboard: { press(key: string): Promise<void> };
  screenshot(o: { path: string; fullPage?: boolean }): Promise<unknown>;
  close(): Promise<void>;
}

/** Sizes the page's viewport: Playwright's pages call it setViewportSize, puppeteer's setViewport. */
export async function resizePage(page: ExtensionPage, width: number, height: number): Promise<void> {
  const p = page as ExtensionPage & { setViewportSize?(s: { width: number; height: number }): Promise<void>; setViewport?(s: { width: number; height: number }): Promise<void> };
  if (p.setViewportSize) await p.setViewportSize({ width, height });
  else if (p.setViewport) await p.setViewport({ width, height });
  else throw new Error('this page can set no viewport size');
}

/** A page driven by visible labels and button names, the same way in every browser. */
export interface UiPage {
  /** Types into the control whose <label> reads `label` (see labelMatches). */
  fill(label: string, value: string): Promise<void>;
  /** Picks the option with `value` in the select whose <label> reads `label`. */
  select(label: string, value: string): Promise<void>;
  /** Ticks (or, with `checked` false, unticks) the checkbox or radio whose <label> reads `label`. */
  check(label: string, checked?: boolean): Promise<void>;
  /** Clicks the button whose text is exactly `name`. */
  click(name: string): Promise<void>;
  /** An attribute (aria-invalid, …) of the control whose <label> reads `label`; null when it has none. */
  attributeOf(label: string, attribute: string): Promise<string | null>;
  /** The page's visible text. */
  text(): Promise<string>;
  /** Waits until the page's text contains `needle`. */
  waitForText(needle: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Runs inside the page: finds a control by its label, or a button by its name, and acts. A label
 * matches when its whole text or its own words (without a hint nested in it) read `name`.
 */
const actInPage = ([kind, name, value]: [string, string, string]) => {
  const norm = (t: string | null) => (t ?? '').replace(/\s+/g, ' ').trim();
  if (kind === 'click') {
    const button = [...document.querySelectorAll('button')].find((b) => norm(b.textContent) === name || b.getAttribute('aria-label') === name);
    if (!button) throw new Error(`no button named "${name}"`);
    button.click();
    return null;
  }
  const ownWords = (l: HTMLLabelElement) => norm([...l.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(' '));
  const label = [...document.querySelectorAll('label')].find((l) => norm(l.textContent) === name || ownWords(l) === name);
  const control = label?.htmlFor ? document.getElementById(label.htmlFor) : label?.querySelector('input,select,textarea');
  if (!control) throw new Error(`no control labelled "${name}"`);
  if (kind === 'attribute') return control.getAttribute(value);
  if (kind === 'check' || kind === 'uncheck') {
    if ((control as HTMLInputElement).checked !== (kind === 'check')) (control as HTMLInputElement).click();
    return null;
  }
  const input = control as HTMLInputElement;
  input.focus();
  // the prototype's setter, as typing would: Preact compares against the value it last rendered
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value')?.set;
  setter?.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
  return null;
};

export function uiOn(page: ExtensionPage): UiPage {
  const act = async (kind: string, name: string, value = '') => {
    await page.evaluate(actInPage, [kind, name, value] as [string, string, string]);
  };
  const text = () => page.evaluate(() => document.body?.innerText ?? '', undefined);
  return {
    fill: (label, value) => act('fill', label, value),
    // a select takes its value and fires input and change like a text field
    select: (label, value) => act('fill', label, value),
    check: (label, checked = true) => act(checked ? 'check' : 'uncheck', label),
    click: (name) => act('click', name),
    attributeOf: (label, attribute) => page.evaluate(actInPage, ['attribute', label, attribute] as [string, string, string]),
    text,
    async waitForText(needle, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        last = await text().catch(() => '');
        if (last.includes(needle)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`page never showed "${needle}"; it shows: ${last.slice(0, 400)}`);
    },
    close: () => page.close(),
  };
}
