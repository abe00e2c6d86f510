// What a page shows a reader of another language: its visible text, the English catalogue messages left in it, and text that does not fit.
import type { Messages } from '../../src/ui/components/message-format';

/** Everything of the page a person reads: title, body text, and the words in placeholders, tooltips, labels, buttons and menus. */
export const screenTextInPage = (): string => {
  const parts = [document.title, document.body?.innerText ?? ''];
  for (const el of document.querySelectorAll<HTMLElement>('body *')) {
    if (!el.checkVisibility()) continue;
    for (const name of ['placeholder', 'title', 'aria-label', 'aria-description', 'alt']) {
      const value = el.getAttribute(name);
      if (value) parts.push(value);
    }
    if (el instanceof HTMLInputElement && ['button', 'submit', 'reset'].includes(el.type)) parts.push(el.value);
    if (el instanceof HTMLSelectElement) parts.push(...[...el.options].map((o) => o.text));
  }
  return parts.join('\n');
};

export interface Overflow {
  /** tag.class of the element, for the message. */
  element: string;
  text: string;
  /** What the text needs and what it has, in px (heights for text cut at the bottom). */
  scrollWidth: number;
  clientWidth: number;
}

/**
 * Text that does not fit its box, as a reader sees it cut or spilling over its neighbours:
 * - an element whose content is wider than it (scrollWidth beyond clientWidth, 1 px of rounding
 *   allowed), unless it is meant to scroll (overflow-x auto/scroll);
 * - an element that hides what it cannot hold (overflow hidden, a line clamp) and is taller inside;
 * - a field or menu whose placeholder, value or chosen option is wider than the room for it;
 * - the page itself scrolling sideways.
 * Cut on purpose: an ellipsis on a value whose whole text is its tooltip (an address, a proxy name).
 */
export const overflowsInPage = (): Overflow[] => {
  const found: Overflow[] = [];
  const report = (el: Element, text: string, scrollWidth: number, clientWidth: number) => {
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    found.push({ element: `${el.tagName.toLowerCase()}${cls}`, text: text.slice(0, 80), scrollWidth: Math.ceil(scrollWidth), clientWidth });
  };
  const root = document.scrollingElement ?? document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) found.push({ element: 'the page', text: '', scrollWidth: root.scrollWidth, clientWidth: root.clientWidth });
  const canvas = document.createElement('canvas').getContext('2d');
  const textWidth = (text: string, style: CSSStyleDeclaration) => {
    if (!canvas) return 0;
    canvas.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    return canvas.measureText(text).width;
  };
  for (const el of document.querySelectorAll<HTMLElement>('body *')) {
    // a box of 1 px is a screen reader's text (.visually-hidden): nobody sees it clipped
    if (!el.checkVisibility() || el.clientWidth <= 1) continue;
    const style = getComputedStyle(el);
    const room = el.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
    if (el instanceof HTMLSelectElement) {
      const text = el.selectedOptions[0]?.text ?? '';
      // the menu's arrow takes about 20 px of its inside
      const need = textWidth(text, style);
      if (need > room - 20 + 1) report(el, text, need, room - 20);
      continue;
    }
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      if (el instanceof HTMLInputElement && !['text', 'search', 'email', 'url', 'number', 'password', ''].includes(el.type)) continue;
      const text = el.value || el.placeholder;
      const need = textWidth(text, style);
      if (text && need > room + 1) report(el, text, need, room);
      continue;
    }
    const text = el.innerText ?? '';
    if (!text.trim()) continue;
    const hides = ['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY);
    if (hides && style.textOverflow === 'ellipsis' && el.title === text.trim()) continue;
    if (!['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) report(el, text, el.scrollWidth, el.clientWidth);
    else if (hides && !['auto', 'scroll'].includes(style.overflowY) && el.scrollHeight > el.clientHeight + 1) report(el, text, el.scrollHeight, el.clientHeight);
  }
  return found;
};

/** What a page reports of its language: the browser's UI language as the extension sees it, and the document's lang. */
export const languageInPage = (): { ui: string; lang: string } => {
  const api = (globalThis as unknown as { chrome?: typeof chrome; browser?: typeof chrome }).browser ?? (globalThis as unknown as { chrome: typeof chrome }).chrome;
  return { ui: api.i18n.getUILanguage(), lang: document.documentElement.lang };
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A message as a pattern over shown text: its placeholders stand for some text on the same line,
 * spaces for any run of spaces on that line; case is ignored (CSS may upper-case a heading); it matches whole words. A message that is
 * only placeholders and punctuation ("“$TEXT$”", "$COUNT$ $OUTCOME$") says nothing in English: null.
 */
const patterns = new Map<string, RegExp | null>();
export function messagePattern(message: string): RegExp | null {
  if (!patterns.has(message)) patterns.set(message, compile(message));
  return patterns.get(message) ?? null;
}

function compile(message: string): RegExp | null {
  const literals = message.split(/\$[A-Za-z0-9_@]+\$/);
  if (literals.join('').replace(/[^\p{L}]/gu, '').length < 2) return null;
  const body = literals.map((part) => escape(part).replace(/\s+/g, '[^\\S\\n]+')).join('[^\\n]+?');
  // a word inside a code (prompt-cancelled, the decision's tooltip) or a compound (Proxy-Anfragen) is not the message
  const start = /^\p{L}/u.test(message) ? '(?<![\\p{L}\\p{N}_-])' : '';
  const end = /\p{L}$/u.test(message) ? '(?![\\p{L}\\p{N}_-])' : '';
  return new RegExp(`${start}${body}${end}`, 'iu');
}

export interface EnglishLeak {
  key: string;
  shown: string;
}

/**
 * English catalogue messages in `text` that the target locale words differently: each is a string
 * the page failed to translate. A message English and the target share ("OK", "Proxy", "NTLM") is
 * fine, and so is one that is the target's word for something else (English "Profile" is German's
 * plural "Profile"): the screen cannot tell those apart.
 */
export function englishIn(text: string, target: Messages, en: Messages): EnglishLeak[] {
  const targetWords = new Set(Object.values(target).map((m) => m.message.toLowerCase()));
  const leaks: EnglishLeak[] = [];
  for (const [key, entry] of Object.entries(en)) {
    if (target[key]?.message === entry.message || targetWords.has(entry.message.toLowerCase())) continue;
    const shown = messagePattern(entry.message)?.exec(text)?.[0];
    if (shown !== undefined) leaks.push({ key, shown });
  }
  return leaks;
}

/**
 * Makes every catalogue message the page shows `factor` longer (0.4: 40 %), in words of five letters,
 * as a language that runs longer than English would: text nodes, placeholders, options and button
 * values whose text is one of `messages` (data — addresses, dates, numbers — keeps its length). For
 * the layout check (overflowsInPage). Returns how many texts it lengthened.
 */
export const lengthenTextInPage = ({ factor, messages }: { factor: number; messages: string[] }): number => {
  const known = new Set(messages.map((m) => m.trim()));
  const longer = (text: string) => {
    const extra = Math.ceil(text.trim().length * factor);
    const pad = Array.from({ length: Math.ceil(extra / 6) }, () => 'ėėėėė').join(' ').slice(0, extra);
    return `${text} ${pad}`;
  };
  const ours = (text: string | null | undefined): text is string => !!text && known.has(text.trim());
  let changed = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  for (const node of nodes) {
    if (!ours(node.data) || node.parentElement?.tagName === 'OPTION') continue;
    node.data = longer(node.data);
    changed++;
  }
  for (const el of document.querySelectorAll<HTMLElement>('[placeholder]')) {
    const text = el.getAttribute('placeholder');
    if (ours(text)) (el.setAttribute('placeholder', longer(text)), changed++);
  }
  for (const option of document.querySelectorAll('option')) if (ours(option.text)) (option.text = longer(option.text), changed++);
  return changed;
};

/**
 * Resolves once every history chart fits its box: text made longer can bring a scrollbar, and the chart
 * redraws for its narrower box a few frames later (its ResizeObserver). Awaits frames, at most 120.
 */
export async function chartsFitTheirBoxes(): Promise<void> {
  const fit = () =>
    [...document.querySelectorAll<HTMLElement>('.chart__plot')].every((box) => {
      const plot = box.querySelector<HTMLElement>('.uplot');
      return !plot || plot.offsetWidth <= box.clientWidth;
    });
  for (let i = 0; i < 120 && !fit(); i++) await new Promise((r) => requestAnimationFrame(r));
}
