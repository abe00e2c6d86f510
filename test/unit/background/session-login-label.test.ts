// "Remember for this session": history rows keep the login's id and username, never English words; the pages say "this session" in their language.
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { diagnose } from '../../../src/core/diagnose';
import { historyToCsv } from '../../../src/core/history-export';
import type { HistoryEntry } from '../../../src/core/model';
import { profileLabelOf } from '../../../src/core/profile-label';
import { findingText, profileLabelText, profileText } from '../../../src/ui/components/codes-text';
import { resetFakeBrowser } from '../../support/fake-browser';
import { catalog, localeNames } from '../../support/locales';
import { aChallenge } from '../../support/profiles';
import { settleWorkers, track } from '../../support/workers';

async function freshWorker() {
  vi.resetModules();
  const state = await import('../../../src/background/state');
  const { answerChallenge } = await import('../../../src/background/answer');
  const outcomes = await import('../../../src/background/outcomes');
  const { answerPrompt } = await import('../../../src/background/prompt-answer');
  const s = await state.ready();
  track(s);
  return { s, answerChallenge, answerPrompt, ...outcomes };
}

beforeEach(async () => {
  await settleWorkers();
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
});

const row = (over: Partial<HistoryEntry>): HistoryEntry => ({
  id: 'e1', at: 1_700_000_000_000, requestId: 'r1', tabId: 1, url: 'http://site.test/', challenger: { host: '127.0.0.1', port: 3128 },
  realm: 'Corp Proxy', scheme: 'basic', profileId: null, profileName: null, decision: 'answered-saved', outcome: 'ok', attempts: 1, diagnosis: [], ...over,
});

describe('a session login in history', () => {
  it('the prompt\'s "Remember for this session" writes its id and the username into the rows, no English label', async () => {
    const w = await freshWorker();
    const c = aChallenge();
    const first = w.answerChallenge(w.s, c);
    await vi.waitFor(() => expect(w.s.prompts.size).toBe(1));
    await w.answerPrompt(w.s, { id: w.s.prompts.list()[0]!.id, username: 'dora', password: 'session-pw', remember: 'session' });
    expect(await first).toEqual({ authCredentials: { username: 'dora', password: 'session-pw' } });
    w.noteResponse(w.s, c.requestId, 200);
    const session = w.s.sessionProfiles[0]!;
    expect(session).toMatchObject({ name: 'dora', sessionOnly: true });
    expect(session.id).toMatch(/^session:/);
    expect(w.s.requests.get(c.requestId)?.entry).toMatchObject({ profileId: session.id, profileName: 'dora' });

    // the next request is answered by the session login: its row names it the same way
    const next = aChallenge();
    expect(await w.answerChallenge(w.s, next)).toEqual({ authCredentials: { username: 'dora', password: 'session-pw' } });
    const entry = w.s.requests.get(next.requestId)!.entry;
    expect(entry).toMatchObject({ profileId: session.id, profileName: 'dora', decision: 'answered-saved' });
    expect(JSON.stringify(entry)).not.toMatch(/this session/i);
  });

  it('is rendered through the catalogue of each locale, also for rows written before (English suffix in the name)', () => {
    const now = row({ profileId: 'session:1', profileName: 'dora' });
    const old = row({ profileId: 'session:2', profileName: 'dora (this session)' });
    expect(profileLabelOf(now)).toEqual({ kind: 'session', username: 'dora' });
    expect(profileLabelOf(old)).toEqual({ kind: 'session', username: 'dora' });
    expect(profileText(now, catalog('en'))).toBe('dora (this session)');
    expect(profileText(old, catalog('de'))).toBe('dora (diese Sitzung)');
    expect(profileText(now, catalog('fr'))).toBe('dora (cette session)');
    expect(profileText(old, catalog('es'))).toBe('dora (esta sesión)');
    for (const lang of localeNames()) expect(profileText(now, catalog(lang)), lang).toMatch(/^dora \(.+\)$/);
    // saved profiles keep their own name, a row without a profile says nothing
    expect(profileText(row({ profileId: 'p1', profileName: 'Work (this session)' }), catalog('de'))).toBe('Work (this session)');
    expect(profileText(row({}), catalog('de'))).toBe('');
  });

  it('the export writes the label in the export\'s language, a script gets the username without words', () => {
    const rows = [row({ profileId: 'session:1', profileName: 'dora' }), row({ id: 'e2', profileId: 'p1', profileName: 'Work' })];
    const de = historyToCsv(rows, undefined, (l) => profileLabelText(l, catalog('de'))).split('\r\n');
    expect(de[1]).toContain(',dora (diese Sitzung),');
    expect(de[2]).toContain(',Work,');
    expect(historyToCsv(rows).split('\r\n')[1]).toContain(',dora,');
  });

  it('a refused session login is diagnosed as typed in the prompt, not as a profile named in English', () => {
    const e = row({ profileId: 'session:1', profileName: 'dora', outcome: 'rejected', decision: 'answered-saved' });
    const findings = diagnose(e, { profiles: [] });
    expect(findings.map((f) => f.code)).toContain('credentials-rejected-typed');
    expect(findings.map((f) => f.code)).not.toContain('credentials-rejected');
    const words = findings.map((f) => findingText(f, catalog('de')).what).join(' ');
    expect(words).not.toMatch(/this session/);
  });
});
