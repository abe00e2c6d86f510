// Issue #12 item 6: what the network controls is bounded before history, prompts or storage.session see it.
import fc from 'fast-check';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { toChallenge } from '../../../src/background/auth-listener';
import { ELLIPSIS, MAX_REALM, MAX_SCHEME, MAX_TRACKED_REQUESTS, MAX_URL, ROWS_PER_PROXY_MINUTE, RowBudget, capText, makeRoom } from '../../../src/core/bounds';
import { newEntry } from '../../../src/core/history-entry';
import { PromptQueue } from '../../../src/core/prompt-queue';
import { HistoryWriter, queryHistory } from '../../../src/storage/history';
import { aChallenge } from '../../support/profiles';
import { attackerText } from './arbitraries';

const details = fc.record({ url: attackerText.map((s) => `http://site.example/${s}`), realm: fc.option(attackerText, { nil: undefined }), scheme: attackerText });

const bounded = (c: { url: string; realm: string | null; scheme: string }) => {
  expect(c.url.length).toBeLessThanOrEqual(MAX_URL);
  expect((c.realm ?? '').length).toBeLessThanOrEqual(MAX_REALM);
  expect(c.scheme.length).toBeLessThanOrEqual(MAX_SCHEME);
};

describe('length caps', () => {
  it('property: capText keeps short text as it is; long text becomes its start and an ellipsis, never longer than the cap, never half a surrogate pair', () => {
    fc.assert(
      fc.property(attackerText, fc.integer({ min: 2, max: 3000 }), (s, max) => {
        const out = capText(s, max);
        expect(out.length).toBeLessThanOrEqual(max);
        if (s.length <= max) {
          expect(out).toBe(s);
          return;
        }
        expect(out.endsWith(ELLIPSIS)).toBe(true);
        const head = out.slice(0, -ELLIPSIS.length);
        expect(s.startsWith(head)).toBe(true);
        expect(/[\uD800-\uDBFF]$/.test(head)).toBe(false);
        expect(capText(out, max)).toBe(out);
      }),
      { numRuns: 500 },
    );
  });

  it('property: onAuthRequired details of any length become a challenge within the caps', () => {
    fc.assert(
      fc.property(details, (d) => {
        bounded(toChallenge({ requestId: '1', tabId: 1, isProxy: true, challenger: { host: '127.0.0.1', port: 3128 }, ...d }));
      }),
      { numRuns: 300 },
    );
  });

  it('property: a history row and a prompt built from any challenge stay within the caps', () => {
    fc.assert(
      fc.property(details, (d) => {
        const c = aChallenge({ url: d.url, realm: d.realm ?? null, scheme: d.scheme });
        bounded(newEntry(c, 'prompt-pending', null, { stripQuery: false, id: 'x', at: 0 }));
        const q = new PromptQueue();
        bounded(q.park(c, { reason: 'no-match', url: d.url, timeoutMs: 1000, now: 0, id: 'p' }).prompt);
      }),
      { numRuns: 300 },
    );
  });
});

describe('row budget per proxy per minute', () => {
  it('property: no proxy gets more than the budget in any minute; each proxy has its own', () => {
    const event = fc.record({ proxy: fc.constantFrom('a:1', 'b:2', 'c:3'), at: fc.integer({ min: 0, max: 5 * 60_000 }) });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 400 }), fc.integer({ min: 1, max: 50 }), (events, perMinute) => {
        const budget = new RowBudget(perMinute);
        const kept = new Map<string, number>();
        const used = new Map<string, number>();
        for (const e of events.sort((x, y) => x.at - y.at)) {
          const k = `${e.proxy}@${Math.floor(e.at / 60_000)}`;
          used.set(k, (used.get(k) ?? 0) + 1);
          if (budget.take(e.proxy, e.at)) kept.set(k, (kept.get(k) ?? 0) + 1);
        }
        for (const [k, n] of used) expect(kept.get(k) ?? 0).toBe(Math.min(n, perMinute));
      }),
      { numRuns: 300 },
    );
  });

  beforeEach(() => {
    globalThis.indexedDB = new IDBFactory();
  });

  it('a flood of 5,000 rows from one proxy in a minute stores 600; rows of another proxy written during it are all kept', async () => {
    const writer = new HistoryWriter(undefined, undefined, () => 1_700_000_000_000);
    const flood = { host: '10.0.0.1', port: 3128 };
    const real = { host: 'proxy.corp.example', port: 8080 };
    for (let i = 0; i < 5_000; i++) {
      const row = newEntry(aChallenge({ requestId: `f${i}`, challenger: flood, realm: `fake realm ${i}` }), 'prompt-cancelled', null, { stripQuery: true, id: `f${i}`, at: 1_700_000_000_000 + i });
      writer.write(row);
      writer.write(row); // a later update (settling) of a refused row stays out too, of a kept one goes in
      if (i % 100 === 0) writer.write(newEntry(aChallenge({ requestId: `r${i}`, challenger: real }), 'answered-saved', null, { stripQuery: true, id: `r${i}`, at: 1_700_000_000_000 + i }));
    }
    await writer.drain();
    const rows = await queryHistory({});
    expect(rows.filter((r) => r.challenger.port === real.port)).toHaveLength(50);
    expect(rows.filter((r) => r.challenger.port === flood.port)).toHaveLength(ROWS_PER_PROXY_MINUTE);
    expect(writer.budget.refused).toBe(5_000 - ROWS_PER_PROXY_MINUTE);
  });
});

describe('tracked requests', () => {
  it('property: makeRoom leaves room for one more, drops those without a credential in flight first, oldest first', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 300 }), fc.integer({ min: 1, max: 100 }), (answered, max) => {
        const m = new Map(answered.map((a, i) => [`r${i}`, { answeredWith: a ? `k${i}` : null }]));
        const before = [...m.keys()];
        const dropped = makeRoom(m, max);
        expect(m.size).toBeLessThan(max);
        expect(m.size + dropped.length).toBe(before.length);
        // every request carrying a credential is kept while an unanswered one could have gone instead
        const droppedAnswered = dropped.filter((id) => answered[Number(id.slice(1))]);
        if (droppedAnswered.length) expect([...m.values()].every((t) => t.answeredWith !== null)).toBe(true);
        // what is kept keeps its order
        expect([...m.keys()]).toEqual(before.filter((id) => m.has(id)));
      }),
      { numRuns: 300 },
    );
  });

  it(`the default cap is ${MAX_TRACKED_REQUESTS}`, () => {
    const m = new Map(Array.from({ length: MAX_TRACKED_REQUESTS + 10 }, (_, i) => [`r${i}`, { answeredWith: null }]));
    makeRoom(m);
    expect(m.size).toBe(MAX_TRACKED_REQUESTS - 1);
    expect(m.has('r0')).toBe(false);
  });
});
