// The leak scanner itself: it must find a planted password in every written form, stay quiet on clean input, and never print the secret.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newEntry } from '../../src/core/history-entry';
import { historyToCsv, historyToJson } from '../../src/core/history-export';
import type { HistoryEntry } from '../../src/core/model';
import { formatFindings, maskSecret, scanForSecrets } from '../support/leak-scan';
import { aChallenge } from '../support/profiles';

const PASSWORD = 'alice-Pa55word!';
const OTHER = 'bob-S3cret/2024';

const entry = (over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id: 'e1',
  at: 1_700_000_000_000,
  requestId: '42',
  url: 'http://site.test/page',
  tabId: 3,
  challenger: { host: '127.0.0.1', port: 3128 },
  realm: 'Corp Proxy',
  scheme: 'basic',
  profileId: 'p1',
  profileName: 'Work (alice)',
  decision: 'answered-saved',
  outcome: 'ok',
  attempts: 1,
  diagnosis: [{ code: 'basic-in-clear', params: {} }],
  ...over,
});

/** What a clean session leaves behind: the user name is there, the password is not. */
const clean = {
  console: 'Proxy Auth Keeper: skipped unreadable profile records: profile:x.proxy.port: Port must be between 1 and 65535\n',
  history: JSON.stringify([entry(), entry({ id: 'e2', decision: 'breaker-open', outcome: 'cancelled' })]),
  'export.csv': historyToCsv([entry()]),
  'export.json': historyToJson([entry()]),
  'storage.sync': JSON.stringify({ settings: { noMatch: 'ask', promptTimeoutSeconds: 120 } }),
  // base64 of a credential that is not among the secrets, and of the user name alone
  log: `Proxy-Authorization: Basic ${btoa('carol:another-password')}\nuser ${btoa('alice')} alice`,
};

describe('leak scanner', () => {
  it('passes on clean input', () => {
    expect(scanForSecrets([PASSWORD, OTHER], clean)).toEqual([]);
  });

  it('finds a password leaked in a fake log, history row or export, and names the source and secret', () => {
    const leaked = {
      ...clean,
      console: `${clean.console}answering with alice / ${PASSWORD}\n`,
      history: JSON.stringify([entry({ diagnosis: [{ code: 'network-failure', params: { error: `sent password ${OTHER}` } }] })]),
      'export.csv': historyToCsv([entry({ url: `http://alice:${PASSWORD}@site.test/` })]),
    };
    const findings = scanForSecrets([PASSWORD, OTHER], leaked);
    expect(findings.map((f) => `${f.source}#${f.secretIndex}:${f.form}`).sort()).toEqual([
      'console#0:plain',
      'export.csv#0:plain',
      'history#1:plain',
    ]);
    expect(findings.find((f) => f.source === 'console')).toMatchObject({ line: 2, column: 24 });
  });

  it('finds base64 of user:password, whatever the user name (so any alignment), and base64url', () => {
    for (const user of ['alice', 'al', 'a', 'a-much-longer-user-name']) {
      const findings = scanForSecrets([PASSWORD], { log: `Proxy-Authorization: Basic ${btoa(`${user}:${PASSWORD}`)}` });
      expect(findings, user).toMatchObject([{ source: 'log', secretIndex: 0, form: 'base64' }]);
    }
    expect(scanForSecrets([PASSWORD], { blob: btoa(PASSWORD) })).toMatchObject([{ form: 'base64' }]);
    // '?' and '>' runs give '/' and '+' in base64, '_' and '-' in base64url
    const odd = 'pass???word>>>~~~';
    const url = Buffer.from(`alice:${odd}`).toString('base64url');
    expect(url).toMatch(/[-_]/);
    expect(scanForSecrets([odd], { blob: url }).map((f) => f.form)).toEqual(['base64url']);
  });

  it('for any password of 8+ bytes and any user name, base64(user:password) and the URL-encoded password are found', () => {
    const password = fc.string({ unit: 'grapheme', minLength: 8, maxLength: 40 }).filter((p) => Buffer.byteLength(p) >= 8);
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), password, (user, pw) => {
        const header = `Proxy-Authorization: Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;
        expect(scanForSecrets([pw], { header }).map((f) => f.form)).toContain('base64');
        expect(scanForSecrets([pw], { url: `?pw=${encodeURIComponent(pw)}` }).length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('finds URL-encoded, form-encoded and JSON-escaped forms', () => {
    const secret = 'p@ss w/rd"&100%';
    const forms = (text: string) => scanForSecrets([secret], { s: text }).map((f) => f.form);
    expect(forms(`http://h/?pw=${encodeURIComponent(secret)}`)).toEqual(['url-encoded']);
    expect(forms(`pw=${encodeURIComponent(secret).toLowerCase()}`)).toEqual(['url-encoded']);
    expect(forms(`pw=${encodeURIComponent(secret).replace(/%20/g, '+')}`)).toEqual(['form-encoded']);
    expect(forms(JSON.stringify({ pw: secret }))).toEqual(['json-escaped']);
    expect(forms(`raw ${secret} raw`)).toEqual(['plain']);
  });

  it('never prints the secret: not in a finding, not in the report', () => {
    const findings = scanForSecrets([PASSWORD, OTHER], {
      a: `x ${PASSWORD} y ${OTHER} z ${PASSWORD}${OTHER}`,
      b: `Basic ${btoa(`alice:${PASSWORD}`)}`,
    });
    expect(findings.length).toBeGreaterThanOrEqual(5);
    const report = `${formatFindings(findings)}\n${JSON.stringify(findings)}`;
    for (const secret of [PASSWORD, OTHER]) {
      expect(report).not.toContain(secret);
      expect(scanForSecrets([secret], { report })).toEqual([]);
    }
    expect(maskSecret(PASSWORD)).toBe('a*************! (15 chars)');
  });

  it('refuses secrets too short to scan for, naming them by index only', () => {
    expect(() => scanForSecrets([PASSWORD, 'short'], { a: '' })).toThrow(/^secret #1 is shorter than 8 bytes/);
  });
});

describe('leaks the scanner finds in the product', () => {
  it('a password in the page address (userinfo) never reaches a history row or its exports', () => {
    const sitePassword = 'site-Pa55word';
    const e = newEntry(aChallenge({ url: `http://bob:${sitePassword}@site.test/page?q=1` }), 'answered-saved', null, { stripQuery: true, id: 'e', at: 0 });
    const findings = scanForSecrets([sitePassword], { row: JSON.stringify(e), csv: historyToCsv([e]), json: historyToJson([e]) });
    expect(findings, formatFindings(findings)).toEqual([]);
  });
});
