// The shipped catalogues read from public/_locales, for tests that put codes into words without a browser.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Catalog, catalogOf, type Messages } from '../../src/ui/components/message-format';

export const LOCALES_DIR = join(import.meta.dirname, '../../public/_locales');
export const localeNames = (): string[] => readdirSync(LOCALES_DIR).sort();
const cache = new Map<string, Messages>();
export function messagesOf(lang: string): Messages {
  let m = cache.get(lang);
  if (!m) cache.set(lang, (m = JSON.parse(readFileSync(join(LOCALES_DIR, lang, 'messages.json'), 'utf8')) as Messages));
  return m;
}
export const catalog = (lang: string): Catalog => catalogOf(lang, messagesOf(lang), lang === 'en' ? {} : messagesOf('en'));
