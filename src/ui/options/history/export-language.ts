// The languages a history export can be written in, and their catalogues read from the extension package.
import browser from 'webextension-polyfill';
import { type Catalog, catalogOf, type Messages } from '../../components/message-format';

/** The locales shipped in public/_locales; English is the default of an export. */
export const EXPORT_LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type ExportLanguage = (typeof EXPORT_LANGUAGES)[number];

/** A language's own name for itself ("Deutsch"), so people find theirs whatever the page's language. */
export function languageName(lang: string): string {
  try {
    const name = new Intl.DisplayNames([lang], { type: 'language' }).of(lang) ?? lang;
    return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
  } catch {
    return lang;
  }
}

const loaded = new Map<string, Promise<Messages>>();
function messagesOf(lang: string): Promise<Messages> {
  let p = loaded.get(lang);
  if (!p) {
    // browser.i18n serves the UI language only: another language is read from the package itself
    p = fetch(browser.runtime.getURL(`/_locales/${lang}/messages.json`)).then((r) => {
      if (!r.ok) throw new Error(`${lang}: HTTP ${r.status}`);
      return r.json() as Promise<Messages>;
    });
    p.catch(() => loaded.delete(lang));
    loaded.set(lang, p);
  }
  return p;
}

/** The catalogue of an export language; keys it lacks come from English. */
export async function exportCatalog(lang: ExportLanguage): Promise<Catalog> {
  const en = await messagesOf('en');
  return catalogOf(lang, lang === 'en' ? en : await messagesOf(lang), en);
}
