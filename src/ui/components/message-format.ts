// Renders a messages.json entry the way browser.i18n does ($NAME$ placeholders, $1…$9, $$), for a locale the browser does not serve.

export interface MessageEntry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
export type Messages = Record<string, MessageEntry>;

/** A way to say things in one language: its BCP 47 tag (for Intl) and its messages by key. */
export interface Catalog {
  lang: string;
  message(key: string, subs?: readonly string[]): string;
}

/** Placeholder names are case-insensitive; their content refers to the substitutions as $1…$9. */
export function formatMessage(entry: MessageEntry, subs: readonly string[] = []): string {
  const named = new Map(Object.entries(entry.placeholders ?? {}).map(([k, v]) => [k.toLowerCase(), v.content]));
  const withContent = entry.message.replace(/\$([a-z0-9_@]+)\$/gi, (whole, name: string) => named.get(name.toLowerCase()) ?? whole);
  return withContent.replace(/\$(\$|[1-9])/g, (_m, d: string) => (d === '$' ? '$' : (subs[Number(d) - 1] ?? '')));
}

/** A catalogue over loaded messages; a key missing in `messages` comes from `fallback` (English), then is the key itself. */
export function catalogOf(lang: string, messages: Messages, fallback: Messages = {}): Catalog {
  return {
    lang,
    message(key, subs = []) {
      const entry = messages[key] ?? fallback[key];
      return entry ? formatMessage(entry, subs) : key;
    },
  };
}
