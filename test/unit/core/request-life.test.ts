// The life of a request as a table of event sequences: what its history entry says, and what the breaker hears.
import { describe, expect, it } from 'vitest';
import type { CredentialStatus } from '../../../src/core/breaker';
import { type Effect, type Life, type LifeEvent, type OwnEvent, type OwnLife, begin, forgotten, isOrphan, next, nextOwn } from '../../../src/core/request-life';
import { aChallenge, aProfile } from '../../support/profiles';

const PROFILE = aProfile({ id: 'p1', name: 'Office' });
const KEY = 'k1';
const challenge = aChallenge({ requestId: 'r1', url: 'http://intranet.example/a', realm: 'Squid', scheme: 'basic', tabId: 3 });
const again = { type: 'challenged-again', challenge } as const;
const tunnelled = { type: 'challenged-again', challenge: { ...challenge, url: 'https://intranet.example/a' } } as const;
const answered = { type: 'answered', decision: 'answered-saved', profile: PROFILE, key: KEY } as const;

/** What the breaker hears and what else the worker is told to do, one step at a time. */
const said = (effects: Effect[]) => effects.map((fx) => (fx.type === 'verdict' ? fx.verdict : fx.type));

interface Row {
  name: string;
  /** The first decision, made at the request's first challenge. */
  start: LifeEvent & { decision: string };
  /** The first challenge, when not the plain-HTTP one of a normal window. */
  first?: typeof challenge;
  events: LifeEvent[];
  /** The breaker's standing of the credential, as the steps see it. */
  status?: CredentialStatus;
  /** The worker that started the life was killed: the next one goes on from the snapshot. */
  restored?: boolean;
  decision: string;
  outcome: string;
  guard?: string;
  error?: string;
  /** Effects of each event, in order. */
  effects: string[][];
  then?: (string | undefined)[];
  over: boolean;
}

const table: Row[] = [
  {
    name: 'answered → ok: the proxy took it, the breaker hears "accepted" once the headers arrive',
    start: answered,
    events: [answered, { type: 'responded', statusCode: 200 }, { type: 'ended', statusCode: 200 }],
    decision: 'answered-saved',
    outcome: 'ok',
    effects: [['write', 'save'], ['accepted', 'save', 'proven'], ['unprompt', 'accepted', 'unwait', 'write', 'save']],
    over: true,
  },
  {
    name: 'answered → rejected → breaker: the same realm again refuses an unproven credential; the plan runs again, the row keeps what was sent',
    start: answered,
    events: [answered, again, { type: 'decided', decision: 'breaker-open', profile: PROFILE }],
    decision: 'answered-saved',
    outcome: 'rejected',
    effects: [['write', 'save'], ['rejected'], ['write', 'save']],
    then: [undefined, 'plan-after-refusal', undefined],
    over: false,
  },
  {
    name: 'answered → rejected at the end: a final 407 refuses an unproven credential',
    start: answered,
    events: [answered, { type: 'ended', statusCode: 407 }],
    decision: 'answered-saved',
    outcome: 'rejected',
    effects: [['write', 'save'], ['unprompt', 'rejected', 'unwait', 'write', 'save']],
    over: true,
  },
  {
    name: 'a relayed 407 over plain HTTP for a credential the proxy accepted proves nothing: the request ends, nothing refused',
    start: answered,
    status: 'good',
    events: [answered, again],
    decision: 'answered-saved',
    outcome: 'cancelled',
    guard: 'not-proof',
    effects: [['write', 'save'], ['abandoned', 'write', 'save']],
    then: [undefined, 'cancel'],
    over: false,
  },
  {
    name: 'through a tunnel only the proxy speaks: the same realm again refuses even a credential it accepted before',
    start: answered,
    status: 'good',
    events: [answered, tunnelled],
    decision: 'answered-saved',
    outcome: 'rejected',
    effects: [['write', 'save'], ['rejected']],
    then: [undefined, 'plan-after-refusal'],
    over: false,
  },
  // a final 407 through a tunnel, in a normal and in a private window (whose row keeps no URL)
  ...[false, true].map((incognito): Row => ({
    name: `a final 407 through a tunnel refuses even a credential the proxy accepted before${incognito ? ', in a private window too' : ''}`,
    start: answered,
    first: { ...challenge, url: 'https://intranet.example/a', incognito },
    status: 'good',
    events: [answered, { type: 'ended', statusCode: 407 }],
    decision: 'answered-saved',
    outcome: 'rejected',
    effects: [['write', 'save'], ['unprompt', 'rejected', 'unwait', 'write', 'save']],
    over: true,
  })),
  {
    name: 'a final 407 over plain HTTP for a credential the proxy accepted before proves nothing (a site may have sent it)',
    start: answered,
    status: 'good',
    events: [answered, { type: 'ended', statusCode: 407 }],
    decision: 'answered-saved',
    outcome: 'rejected',
    guard: 'not-proof',
    effects: [['write', 'save'], ['unprompt', 'abandoned', 'unwait', 'write', 'save']],
    over: true,
  },
  {
    name: 'another realm after our answer proves nothing (a site behind the proxy)',
    start: answered,
    events: [answered, { type: 'challenged-again', challenge: { ...challenge, realm: 'Evil' } }],
    decision: 'answered-saved',
    outcome: 'cancelled',
    guard: 'not-proof',
    effects: [['write', 'save'], ['abandoned', 'write', 'save']],
    then: [undefined, 'cancel'],
    over: false,
  },
  {
    name: 'prompt → cancel: the user cancels, the browser then completes it with the 407 page, which stays our cancel',
    start: { type: 'decided', decision: 'prompt-pending', profile: null },
    events: [{ type: 'decided', decision: 'prompt-pending', profile: null }, { type: 'cancelled', decision: 'prompt-cancelled', profile: null }, { type: 'ended', statusCode: 407 }],
    decision: 'prompt-cancelled',
    outcome: 'cancelled',
    effects: [['write', 'save'], ['write', 'save'], ['unprompt', 'abandoned', 'unwait', 'write', 'save']],
    over: true,
  },
  {
    name: 'prompt → typed credential answered → ok: the answer replaces the pending decision',
    start: { type: 'decided', decision: 'prompt-pending', profile: null },
    events: [{ type: 'decided', decision: 'prompt-pending', profile: null }, { ...answered, decision: 'answered-prompt' }, { type: 'ended', statusCode: 200 }],
    decision: 'answered-prompt',
    outcome: 'ok',
    effects: [['write', 'save'], ['write', 'save'], ['unprompt', 'accepted', 'unwait', 'write', 'save']],
    over: true,
  },
  {
    name: 'breaker-open keeps its decision when the prompt it waits on is cancelled',
    start: { type: 'decided', decision: 'breaker-open', profile: PROFILE },
    events: [{ type: 'decided', decision: 'breaker-open', profile: PROFILE }, { type: 'cancelled', decision: 'prompt-cancelled', profile: PROFILE }],
    decision: 'breaker-open',
    outcome: 'cancelled',
    effects: [['write', 'save'], ['write', 'save']],
    over: false,
  },
  {
    name: 'worker killed mid-request, answered: the next worker hears the proxy accept it and the breaker learns it',
    start: answered,
    restored: true,
    events: [{ type: 'responded', statusCode: 204 }, { type: 'ended', statusCode: 204 }],
    decision: 'answered-saved',
    outcome: 'ok',
    effects: [['accepted', 'save', 'proven'], ['unprompt', 'accepted', 'unwait', 'write', 'save']],
    over: true,
  },
  {
    name: 'worker killed mid-request, waiting on a prompt: the next worker ends it as cancelled, saying why',
    start: { type: 'decided', decision: 'prompt-pending', profile: null },
    restored: true,
    events: [{ type: 'orphaned' }],
    decision: 'prompt-cancelled',
    outcome: 'cancelled',
    error: 'restarted-tab-reloaded',
    effects: [['write', 'save']],
    over: true,
  },
  {
    name: 'a network failure after our answer is no verdict: the next waiting request may carry the credential',
    start: answered,
    events: [answered, { type: 'failed', error: 'net::ERR_CONNECTION_RESET' }],
    decision: 'answered-saved',
    outcome: 'failed',
    error: 'net::ERR_CONNECTION_RESET',
    effects: [['write', 'save'], ['unprompt', 'abandoned', 'unwait', 'write', 'save']],
    over: true,
  },
  {
    name: 'too many retries reported by the browser count as a refusal',
    start: answered,
    events: [answered, { type: 'failed', error: 'net::ERR_TOO_MANY_RETRIES' }],
    decision: 'answered-saved',
    outcome: 'rejected',
    effects: [['write', 'save'], ['unprompt', 'rejected', 'unwait', 'write', 'save']],
    over: true,
  },
];

function run(row: Row) {
  const ctx = { statusOf: () => row.status, profiles: [PROFILE] };
  let life: Life | null = begin(row.first ?? challenge, row.start.decision as Life['entry']['decision'], 'profile' in row.start ? row.start.profile : null, { stripQuery: true, id: 'e1', at: 1, unrecorded: false });
  if (row.restored) {
    // what the dead worker had saved in storage.session (JSON), then read back by the next one
    if (row.start.type === 'answered') life = { ...life, answeredWith: KEY };
    life = JSON.parse(JSON.stringify(life)) as Life;
  }
  const effects: string[][] = [];
  const then: (string | undefined)[] = [];
  let over = false;
  for (const e of row.events) {
    const step = next(life, e, ctx);
    effects.push(said(step.effects));
    then.push(step.then);
    life = step.life;
    over = step.over === true;
  }
  return { entry: life!.entry, effects, then, over };
}

describe('a request\'s life (core/request-life.ts next)', () => {
  it.each(table)('$name', (row) => {
    const { entry, effects, then, over } = run(row);
    expect({ decision: entry.decision, outcome: entry.outcome, guard: entry.guard, error: entry.error }).toEqual({ decision: row.decision, outcome: row.outcome, guard: row.guard, error: row.error });
    expect(effects).toEqual(row.effects);
    if (row.then) expect(then).toEqual(row.then);
    expect(over).toBe(row.over);
  });

  it('counts every challenge of a request; one we never answered goes back to the plan', () => {
    const ctx = { statusOf: () => undefined, profiles: [] };
    const life = begin(challenge, 'breaker-open', PROFILE, { stripQuery: true, id: 'e1', at: 1, unrecorded: false });
    const step = next(life, again, ctx);
    expect(step.life?.entry.attempts).toBe(2);
    expect(step).toMatchObject({ effects: [], then: 'plan' });
  });

  it('an ended request diagnoses its entry, and a row over its proxy\'s budget is never written', () => {
    const ctx = { statusOf: () => undefined, profiles: [PROFILE] };
    const life = begin(challenge, 'answered-saved', PROFILE, { stripQuery: true, id: 'e1', at: 1, unrecorded: true });
    const step = next({ ...life, answeredWith: KEY }, { type: 'ended', statusCode: 407 }, ctx);
    expect(step.life?.entry.diagnosis.map((f) => f.code)).toContain('credentials-rejected');
    expect(said(step.effects)).toEqual(['unprompt', 'rejected', 'unwait', 'save']);
  });

  it('a request we never tracked: its end only drops it from a prompt; a first challenge goes to the plan', () => {
    const ctx = { statusOf: () => undefined, profiles: [] };
    expect(next(null, { type: 'ended', statusCode: 200 }, ctx)).toEqual({ life: null, effects: [{ type: 'unprompt' }] });
    expect(next(null, again, ctx)).toEqual({ life: null, effects: [], then: 'plan' });
    expect(said(next(null, { type: 'evicted' }, ctx).effects)).toEqual(['abandoned', 'unwait']);
  });

  it('never changes the life it is given (the background stores what it returns)', () => {
    const ctx = { statusOf: () => undefined, profiles: [PROFILE] };
    const life = { ...begin(challenge, 'answered-saved', PROFILE, { stripQuery: true, id: 'e1', at: 1, unrecorded: false }), answeredWith: KEY };
    const before = JSON.stringify(life);
    for (const e of [again, { type: 'ended', statusCode: 407 }, { type: 'responded', statusCode: 200 }, { type: 'orphaned' }] as LifeEvent[]) next(life, e, ctx);
    expect(JSON.stringify(life)).toBe(before);
  });

  it('orphans are the requests that wait on what lived in a worker\'s memory, never one we answered', () => {
    const base = begin(challenge, 'breaker-open', PROFILE, { stripQuery: true, id: 'e1', at: 1, unrecorded: false });
    expect(isOrphan(base)).toBe(true);
    expect(isOrphan({ ...base, answeredWith: KEY })).toBe(false);
    expect(isOrphan({ ...base, entry: { ...base.entry, decision: 'no-match-pass-through' } })).toBe(false);
    expect(forgotten({ ...base.entry, decision: 'prompt-pending' })).toMatchObject({ decision: 'prompt-cancelled', outcome: 'cancelled', error: 'restarted-before-end' });
  });
});

describe('the worker\'s own request in Firefox (core/request-life.ts nextOwn): the batch probe', () => {
  const own: OwnLife = { challenger: { ...challenge.challenger }, realm: 'Squid', scheme: 'basic', answered: false, passedProxy: false, done: false };
  const proxyAsks = (batchSize: number, over: Partial<OwnEvent> = {}): OwnEvent => ({ type: 'own-challenged', isProxy: true, challenger: { ...challenge.challenger }, realm: 'Squid', scheme: 'Basic', batchSize, ...over }) as OwnEvent;

  const ownTable: { name: string; events: OwnEvent[]; effects: string[][]; then: (string | undefined)[]; done: boolean }[] = [
    {
      name: 'in the batch of the requests that wait for it: a new try; alone: answered; the proxy lets it through: accepted',
      events: [proxyAsks(3), proxyAsks(1), { type: 'own-answered' }, { type: 'own-ended', status: 200 }],
      effects: [['retry'], [], [], ['accepted']],
      then: ['cancel', 'answer', undefined, undefined],
      done: true,
    },
    {
      name: 'the proxy asks again after our answer, same realm and scheme: rejected',
      events: [proxyAsks(1), { type: 'own-answered' }, proxyAsks(1)],
      effects: [[], [], ['rejected']],
      then: ['answer', undefined, 'cancel'],
      done: true,
    },
    {
      name: 'the origin asks for a login behind the proxy: the proxy let it through, even with an opaque end',
      events: [proxyAsks(1), { type: 'own-answered' }, { type: 'own-challenged', isProxy: false, batchSize: 1 }, { type: 'own-ended', status: 407 }],
      effects: [[], [], [], ['accepted']],
      then: ['answer', undefined, 'cancel', undefined],
      done: true,
    },
    {
      name: 'another proxy (a PAC fallback) never gets the password, and its end without an answer is no verdict',
      events: [proxyAsks(1, { challenger: { host: 'other.example', port: 3128 } }), { type: 'own-ended', status: null }],
      effects: [[], ['abandoned']],
      then: ['cancel', undefined],
      done: true,
    },
    {
      name: 'another scheme after our answer proves nothing; a network error then is no verdict either',
      events: [proxyAsks(1), { type: 'own-answered' }, proxyAsks(1, { scheme: 'digest' }), { type: 'own-ended', status: null }],
      effects: [[], [], [], ['abandoned']],
      then: ['answer', undefined, 'cancel', undefined],
      done: true,
    },
    {
      name: 'once over, whatever still asks is cancelled and the breaker hears nothing more',
      events: [{ type: 'own-ended', status: null }, proxyAsks(1), { type: 'own-ended', status: 200 }],
      effects: [['abandoned'], [], []],
      then: [undefined, 'cancel', 'cancel'],
      done: true,
    },
  ];

  it.each(ownTable)('$name', (row) => {
    let life = own;
    const effects: string[][] = [];
    const then: (string | undefined)[] = [];
    for (const e of row.events) {
      const step = nextOwn(life, e);
      effects.push(said(step.effects));
      then.push(step.then);
      life = step.life!;
    }
    expect({ effects, then, done: life.done }).toEqual({ effects: row.effects, then: row.then, done: row.done });
  });
});
