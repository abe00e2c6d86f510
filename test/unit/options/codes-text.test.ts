// Codes put into words: messages.json formatting, diagnoses and problems in each language, and rows from before codes.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import oldRow from '../../fixtures/history-row-0.1.0.json';
import type { Finding } from '../../../src/core/diagnose';
import { historyToCsv } from '../../../src/core/history-export';
import { entryFromStored } from '../../../src/core/history-entry';
import type { HistoryEntry } from '../../../src/core/model';
import { problem } from '../../../src/core/problems';
import { errorText, findingLine, findingText, problemText } from '../../../src/ui/components/codes-text';
import { catalogOf, formatMessage } from '../../../src/ui/components/message-format';
import { catalog, messagesOf } from '../../support/locales';

const en = catalog('en');

describe('messages.json formatting (as browser.i18n does it)', () => {
  it('named placeholders, case-insensitive, stand for $1…; $$ is a dollar; a missing substitution is empty', () => {
    const entry = { message: 'Pay $AMOUNT$$$ to $who$ ($Who$)', placeholders: { amount: { content: '$1' }, WHO: { content: '$2' } } };
    expect(formatMessage(entry, ['5', 'Ann'])).toBe('Pay 5$ to Ann (Ann)');
    expect(formatMessage(entry, ['5'])).toBe('Pay 5$ to  ()');
  });

  it('a key the locale lacks comes from the fallback, then is the key itself', () => {
    const c = catalogOf('de', { a: { message: 'A' } }, { a: { message: 'x' }, b: { message: 'B' } });
    expect([c.message('a'), c.message('b'), c.message('c')]).toEqual(['A', 'B', 'c']);
  });
});

describe('diagnosis codes → words', () => {
  const sameProxy: Finding = {
    code: 'realm-unmatched-same-proxy',
    params: { realm: 'Lab', scheme: 'basic', proxy: '10.0.0.1:3128', candidates: [{ name: 'Corp', proxy: '10.0.0.1:3128', realm: null, scheme: 'any' }, { name: 'Old', proxy: '10.0.0.1:3128', realm: 'X', scheme: 'digest' }], wanted: 'Lab' },
  };

  it('lists, realms, schemes and the next step, in English', () => {
    expect(findingText(sameProxy, en)).toEqual({
      what: 'No saved profile fits realm “Lab” with scheme basic on 10.0.0.1:3128. Profiles for this proxy: “Corp” (10.0.0.1:3128, any realm, any scheme) and “Old” (10.0.0.1:3128, realm “X”, digest).',
      next: 'Set one of them to realm “Lab” (or to any realm), or add a profile for it.',
    });
  });

  it('numbers in the language’s digits; an unknown proxy in words; a shared next step', () => {
    const storm: Finding = { code: 'proxy-wide-failures', params: { failures: 1234, sites: 5, proxy: '' } };
    expect(findingText(storm, en).what).toMatch(/^1,234 proxy logins on 5 different sites failed through unknown proxy/);
    expect(findingText({ code: 'bypass-private-ip', params: { host: '10.1.2.3' } }, en).next).toBe(findingText({ code: 'bypass-loopback', params: { host: 'localhost' } }, en).next);
  });

  it('one line for exports: what, then "Next step:" and the advice', () => {
    expect(findingLine({ code: 'basic-in-clear', params: {} }, en)).toMatch(/^Basic authentication .* Next step: Prefer Digest/);
  });

  it('problems with their parameters; our own request errors in words, the browser’s as they are', () => {
    expect(problemText(problem('masterPassword', 'master-too-short', { min: 8 }), en)).toBe('The master password needs at least 8 characters.');
    expect(problemText(problem('profiles[1].isDefault', 'default-taken', { first: 'profiles[0]', proxy: 'p:1' }), en)).toBe('profiles[0] is already the default for p:1.');
    expect(errorText('restarted-before-end', en)).toBe('The extension was restarted before this request ended.');
    expect(errorText('net::ERR_CONNECTION_RESET', en)).toBe('net::ERR_CONNECTION_RESET');
  });
});

describe('history exports in the language the user picks', () => {
  const row = {
    id: 'e1', at: 1_700_000_000_000, requestId: 'r1', tabId: 1, url: 'http://site.test/', challenger: { host: '127.0.0.1', port: 3128 }, realm: 'Corp Proxy', scheme: 'basic',
    profileId: 'p1', profileName: 'Work', decision: 'answered-saved', outcome: 'rejected', attempts: 2, diagnosis: [{ code: 'credentials-rejected', params: { proxy: '127.0.0.1:3128', profile: 'Work' } }],
  } as HistoryEntry;

  it('the diagnosis column in the picked language (read from the package, English for keys it lacks), the code column the same in every language', async () => {
    const { exportCatalog } = await import('../../../src/ui/options/history/export-language');
    const served: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      served.push(url);
      const lang = /_locales\/([a-z]+)\//.exec(url)?.[1] ?? '';
      return new Response(JSON.stringify(messagesOf(lang)), { status: 200 });
    });
    try {
      const csvIn = async (lang: 'en' | 'de' | 'fr' | 'es') => {
        const c = await exportCatalog(lang);
        return historyToCsv([row], (f) => findingLine(f, c)).split('\r\n')[1]!;
      };
      const [en, de, fr, es] = await Promise.all((['en', 'de', 'fr', 'es'] as const).map(csvIn));
      expect(en).toContain('The proxy 127.0.0.1:3128 refused the username and password of profile “Work”.');
      for (const [lang, line] of Object.entries({ de, fr, es })) {
        expect(line, lang).toContain(findingLine(row.diagnosis[0]!, catalog(lang)));
        expect(line, lang).not.toContain('refused the username');
        expect(line, lang).toMatch(/,credentials-rejected,$/);
      }
      expect(served.some((u) => u.endsWith('/_locales/de/messages.json'))).toBe(true);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('a history row written before codes (0.1.0: diagnosis as English sentences)', () => {
  const snapshot = oldRow as unknown as HistoryEntry;

  it('reads back as legacy findings that show and export their text', () => {
    const row = entryFromStored(snapshot);
    expect(row.diagnosis.map((f) => f.code)).toEqual(['legacy-text', 'legacy-text']);
    expect(findingText(row.diagnosis[0] as Finding, en)).toEqual({
      what: 'The proxy 127.0.0.1:3128 refused the username and password of profile "Work".',
      next: expect.stringMatching(/^Check both for typos/),
    });
    const csv = historyToCsv([row], (f) => findingLine(f, en)).split('\r\n');
    expect(csv[1]).toMatch(/refused the username and password of profile ""Work"". Next step: Check both.* \| Basic authentication/);
    expect(csv[1]).toMatch(/,legacy-text \| legacy-text,$/);
  });

  it('current rows pass through untouched (same object)', () => {
    const current = { ...snapshot, diagnosis: [{ code: 'basic-in-clear', params: {} }] } as HistoryEntry;
    expect(entryFromStored(current)).toBe(current);
  });

  it('the IndexedDB reader hands out the new shape for a stored old row', async () => {
    vi.resetModules();
    globalThis.indexedDB = new IDBFactory();
    const history = await import('../../../src/storage/history');
    const db = await history.openHistory();
    await db.put('entries', structuredClone(snapshot));
    const [row] = await history.queryHistory();
    expect(row?.diagnosis[1]).toMatchObject({ code: 'legacy-text', params: { what: expect.stringMatching(/^Basic authentication/) } });
  });
});
