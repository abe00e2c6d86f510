import { describe, expect, it } from 'vitest';
import { newEntry, outcomeOfCompletion, outcomeOfError, settleOutcome, urlForHistory } from '../../../src/core/history-entry';
import type { Finding } from '../../../src/core/diagnose';
import { CSV_HEADER, historyToCsv, historyToJson } from '../../../src/core/history-export';
import { aChallenge, aProfile } from '../../support/profiles';

const opts = { stripQuery: true, id: 'e1', at: Date.UTC(2026, 0, 2, 3, 4, 5) };

describe('history entries', () => {
  it('strips query and fragment by default, keeps them when asked, stores nothing for private windows', () => {
    expect(urlForHistory('http://a.example/p?token=1#f', true, false)).toBe('http://a.example/p');
    expect(urlForHistory('http://a.example/p?token=1', false, false)).toBe('http://a.example/p?token=1');
    expect(urlForHistory('http://a.example/p?token=1', true, true)).toBe('');
  });

  it('records who challenged, what we decided, and starts pending', () => {
    const p = aProfile({ name: 'Work' });
    const e = newEntry(aChallenge({ incognito: true, cookieStoreId: 'firefox-container-1' }), 'answered-saved', p, opts);
    expect(e).toMatchObject({ decision: 'answered-saved', outcome: 'pending', attempts: 1, profileName: 'Work', url: '', private: true, cookieStoreId: 'firefox-container-1' });
    expect(JSON.stringify(e)).not.toContain(p.password);
  });

  it('maps request endings to outcomes; a rejection is never hidden by a later cancel', () => {
    expect(outcomeOfCompletion(200)).toBe('ok');
    expect(outcomeOfCompletion(404)).toBe('ok');
    expect(outcomeOfCompletion(407)).toBe('rejected');
    expect(outcomeOfError('net::ERR_BLOCKED_BY_CLIENT')).toBe('cancelled');
    expect(outcomeOfError('NS_ERROR_ABORT')).toBe('cancelled');
    expect(outcomeOfError('net::ERR_TOO_MANY_RETRIES')).toBe('rejected');
    expect(outcomeOfError('net::ERR_CONNECTION_REFUSED')).toBe('failed');
    expect(settleOutcome('rejected', 'cancelled')).toBe('rejected');
    expect(settleOutcome('pending', 'ok')).toBe('ok');
  });
});

describe('history export', () => {
  const p = aProfile({ name: 'Work, "main"', password: 'hunter2-secret' });
  const e = { ...newEntry(aChallenge({ url: 'http://x.example/a?q=1' }), 'answered-saved', p, opts), outcome: 'ok' as const, diagnosis: [{ code: 'basic-in-clear', params: {} }, { code: 'bypass-loopback', params: { host: 'localhost' } }] as Finding[] };

  it('writes the contract header and one quoted row per entry, never a password', () => {
    const csv = historyToCsv([e, { ...e, id: 'e2', url: '=HYPERLINK("x")' }]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines[0]).toBe('time,url,proxy,realm,scheme,profile,decision,outcome,attempts,diagnosis,diagnosis_code,offered');
    expect(lines[1]).toBe('2026-01-02T03:04:05.000Z,http://x.example/a,127.0.0.1:3128,Corp Proxy,basic,"Work, ""main""",answered-saved,ok,1,basic-in-clear | bypass-loopback,basic-in-clear | bypass-loopback,');
    expect(lines[2]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).not.toContain('hunter2-secret');
  });

  it('JSON has the same fields as the CSV', () => {
    const rows = JSON.parse(historyToJson([e])) as Record<string, unknown>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([...CSV_HEADER]);
  });
});
