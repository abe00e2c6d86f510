// Every shipped locale is complete and safe: the same keys as English, no key the code never uses, the same placeholders.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageKey } from '../../src/core/codes';
import { DIAGNOSES, type DiagnosisCode, nextCodeOf } from '../../src/core/diagnose';
import { OWN_ERRORS } from '../../src/core/history-entry';
import { PROBLEMS } from '../../src/core/problems';
import type { MessageEntry, Messages } from '../../src/ui/components/message-format';
import { localeNames, messagesOf } from '../support/locales';

const ROOT = join(import.meta.dirname, '../..');
const SHIPPED = localeNames();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|tsx|html)$/.test(name) ? [path] : [];
  });
}

/** Keys the code names: string literals in src (t('key'), label: 'key'), __MSG_key__ in the manifest, and the codes' keys. */
function usedKeys(): Set<string> {
  const used = new Set<string>();
  const text = [...sources(join(ROOT, 'src')).map((f) => readFileSync(f, 'utf8')), readFileSync(join(ROOT, 'manifest.json'), 'utf8')].join('\n');
  for (const m of text.matchAll(/['"`]([A-Za-z][A-Za-z0-9_]*)['"`]/g)) used.add(m[1] as string);
  for (const m of text.matchAll(/__MSG_([A-Za-z0-9_@]+)__/g)) used.add(m[1] as string);
  for (const code of Object.keys(DIAGNOSES) as DiagnosisCode[]) used.add(messageKey('diag', code)).add(messageKey('diag', nextCodeOf(code), 'Next'));
  for (const code of Object.keys(PROBLEMS)) used.add(messageKey('problem', code));
  for (const code of OWN_ERRORS) used.add(messageKey('error', code));
  return used;
}

/** $NAME$ in the text, and what each placeholder stands for ($1…), case-insensitively. */
function placeholders(e: MessageEntry): { inText: string[]; contents: Record<string, string> } {
  const inText = [...new Set([...e.message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => (m[1] as string).toLowerCase()))].sort();
  const contents = Object.fromEntries(Object.entries(e.placeholders ?? {}).map(([k, v]) => [k.toLowerCase(), v.content]));
  return { inText, contents };
}

const en: Messages = messagesOf('en');

describe('locales', () => {
  it('English names every key the code uses, and only those', () => {
    const used = usedKeys();
    expect(Object.keys(en).filter((k) => !used.has(k)), 'unused keys in en').toEqual([]);
    const required = [...used].filter((k) => /^(diag|problem|error)[A-Z]/.test(k) && !(k in en));
    expect(required, 'codes without a message in en').toEqual([]);
  });

  it("a diagnosis or problem message's placeholders are its code's parameters, in order", () => {
    const specs: [string, readonly string[]][] = [
      ...(Object.keys(DIAGNOSES) as DiagnosisCode[]).flatMap((c): [string, readonly string[]][] => [
        [messageKey('diag', c), DIAGNOSES[c].params],
        [messageKey('diag', nextCodeOf(c), 'Next'), DIAGNOSES[c].params],
      ]),
      ...Object.entries(PROBLEMS).map(([c, s]): [string, readonly string[]] => [messageKey('problem', c), s.params]),
    ];
    for (const [key, params] of specs) {
      for (const [name, content] of Object.entries(placeholders(en[key] as MessageEntry).contents)) {
        expect(`${key}: ${name} = ${content}`).toBe(`${key}: ${name} = $${params.indexOf(name) + 1}`);
      }
    }
  });

  for (const lang of SHIPPED.filter((l) => l !== 'en')) {
    describe(lang, () => {
      const messages = messagesOf(lang);
      it('has every English key and no other', () => {
        expect(Object.keys(en).filter((k) => !(k in messages)), `missing in ${lang}`).toEqual([]);
        expect(Object.keys(messages).filter((k) => !(k in en)), `unknown in ${lang}`).toEqual([]);
      });
      it('keeps each placeholder of English, standing for the same substitution', () => {
        for (const [key, entry] of Object.entries(messages)) {
          const want = en[key];
          if (!want) continue;
          expect(placeholders(entry), `${lang}.${key}`).toEqual(placeholders(want));
          expect(entry.message.trim(), `${lang}.${key} is empty`).not.toBe('');
        }
      });
    });
  }

  it('each store listing (docs/store/<lang>.md) gives the name and short description of its catalogue', () => {
    for (const lang of SHIPPED) {
      const listing = readFileSync(join(ROOT, 'docs/store', `${lang}.md`), 'utf8');
      const messages = messagesOf(lang);
      expect(listing.match(/^# (.+)$/m)?.[1], `${lang}: name`).toBe(messages.extName?.message);
      expect(listing.match(/^\*\*[^*]+\*\* (.+)$/m)?.[1], `${lang}: short description`).toBe(messages.extDescription?.message);
    }
  });

  it("each locale's extension name and description fit the stores' limits (Chrome: 45 and 132 characters)", () => {
    for (const lang of SHIPPED) {
      const messages = messagesOf(lang);
      expect([...(messages.extName?.message ?? '')].length, `${lang}: extName`).toBeLessThanOrEqual(45);
      expect([...(messages.extDescription?.message ?? '')].length, `${lang}: extDescription`).toBeLessThanOrEqual(132);
    }
  });

  it('no message says the same placeholder twice (a sentence that repeats a value is a slip)', () => {
    for (const lang of SHIPPED) {
      for (const [key, entry] of Object.entries(messagesOf(lang))) {
        const names = [...entry.message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => (m[1] as string).toLowerCase());
        expect(names.filter((n, i) => names.indexOf(n) !== i), `${lang}.${key}`).toEqual([]);
      }
    }
  });

  it("a field's error is a sentence, as the problems under the fields beside it are", () => {
    for (const lang of SHIPPED) {
      for (const [key, entry] of Object.entries(messagesOf(lang))) {
        if (key.startsWith('problem') || key === 'errorPortRequired') expect(entry.message, `${lang}.${key}`).toMatch(/[.!?…:]$/);
      }
    }
  });

  it('English speaks of one profile in the singular', () => {
    expect(en.profilesExportedOnePasswords?.message).not.toMatch(/\btheir\b|\bpasswords\b/);
  });

  it('every message names only placeholders it defines', () => {
    for (const lang of SHIPPED) {
      for (const [key, entry] of Object.entries(messagesOf(lang))) {
        const { inText, contents } = placeholders(entry);
        expect(inText.filter((n) => !(n in contents)), `${lang}.${key}`).toEqual([]);
      }
    }
  });
});
