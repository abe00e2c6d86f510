// User-visible text: t('key', ...subs) reads public/_locales/<lang>/messages.json and falls back to the key.
import browser from 'webextension-polyfill';
import type { Catalog } from './message-format';

/**
 * A message by key with $1…$9 substitutions; the key itself when the message is missing (easy to spot).
 * A number is written the way the UI language writes it (1,234 · 1.234 · 1 234).
 */
export function t(key: string, ...subs: (string | number)[]): string {
  let text = '';
  try {
    const lang = subs.some((s) => typeof s === 'number') ? uiLanguage() : '';
    text = browser.i18n.getMessage(key, subs.map((s) => (typeof s === 'number' ? s.toLocaleString(lang) : s)));
  } catch {
    // Outside an extension page (or a bad substitution count): fall back below.
  }
  return text || key;
}

/** The browser's UI language, for Intl formatters. */
export function uiLanguage(): string {
  try {
    return browser.i18n.getUILanguage() || 'en';
  } catch {
    return 'en';
  }
}

/** Marks the page with the language it is shown in (screen readers, hyphenation): the HTML says en until then. */
export function markPageLanguage(): void {
  document.documentElement.lang = uiLanguage();
}

/** The catalogue the browser serves (its UI language), for renderers that take any catalogue. */
export const uiCatalog = (): Catalog => ({ lang: uiLanguage(), message: (key, subs = []) => t(key, ...subs) });
