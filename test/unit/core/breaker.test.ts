import { describe, expect, it } from 'vitest';
import { Breaker, acceptedBefore, retryProvesRejection } from '../../../src/core/breaker';

describe('Breaker (circuit breaker)', () => {
  it('lets one request probe an unproven credential while the others wait', async () => {
    const g = new Breaker();
    expect(await g.admit('k', 'r1')).toBe('send');
    let settled = 0;
    const waiting = ['r2', 'r3', 'r4'].map((id) => g.admit('k', id).then((a) => (settled++, a)));
    await Promise.resolve();
    expect(settled).toBe(0);
    g.accepted('r1');
    expect(await Promise.all(waiting)).toEqual(['send', 'send', 'send']);
    expect(g.statusOf('k')).toBe('good');
    expect(await g.admit('k', 'r5')).toBe('send');
  });

  it('a rejected credential blocks every waiting and future request, and is never sent again', async () => {
    const g = new Breaker();
    await g.admit('k', 'r1');
    const waiting = Array.from({ length: 29 }, (_, i) => g.admit('k', `w${i}`));
    expect(g.rejected('r1')).toBe('k');
    expect(new Set(await Promise.all(waiting))).toEqual(new Set(['blocked']));
    expect(await g.admit('k', 'r1')).toBe('blocked');
    expect(await g.admit('k', 'later')).toBe('blocked');
  });

  it('breaker.rejected turns even a good credential bad (whether a challenge proves a refusal is retryProvesRejection, in the caller)', async () => {
    const g = new Breaker();
    await g.admit('k', 'r1');
    g.accepted('r1');
    await g.admit('k', 'r2');
    g.rejected('r2');
    expect(g.statusOf('k')).toBe('bad');
  });

  it('an abandoned probe hands over to exactly one waiter', async () => {
    const g = new Breaker();
    await g.admit('k', 'r1');
    const order: string[] = [];
    const a = g.admit('k', 'r2').then((x) => order.push(`r2:${x}`));
    const b = g.admit('k', 'r3').then((x) => order.push(`r3:${x}`));
    g.abandoned('r1');
    await a;
    expect(order).toEqual(['r2:send']);
    g.accepted('r2');
    await b;
    expect(order).toEqual(['r2:send', 'r3:send']);
  });

  it('a probe that never hears back releases its waiters after the probe timeout', async () => {
    let now = 0;
    const g = new Breaker(() => now, 10);
    await g.admit('k', 'r1');
    const waiting = g.admit('k', 'r2');
    now = 20;
    expect(await waiting).toBe('send');
  });

  it('verdicts survive a restart through snapshot/restore', async () => {
    const g = new Breaker();
    await g.admit('k', 'r1');
    g.rejected('r1');
    const h = new Breaker();
    h.restore(g.snapshot());
    expect(await h.admit('k', 'r9')).toBe('blocked');
    h.clear('k');
    expect(await h.admit('k', 'r9')).toBe('send');
  });

  it('a request we answered before a restart is still recognised as rejected after it', async () => {
    const g = new Breaker();
    g.restoreSent('r1', 'k');
    expect(g.rejected('r1')).toBe('k');
    expect(g.statusOf('k')).toBe('bad');
  });

  it('a remembered credential (accepted in an earlier session) still has one carrier until this session\'s verdict; a refusal of it counts', async () => {
    const verdicts: string[] = [];
    const g = new Breaker(Date.now, 15_000, (k, st) => verdicts.push(`${k}:${st}`));
    g.remember(['k', 'j']);
    expect(g.statusOf('k')).toBe('remembered');
    expect(acceptedBefore(g.statusOf('k'))).toBe(true);
    expect(await g.admit('k', 'r1')).toBe('send');
    let moved = false;
    const waiting = g.admit('k', 'r2').then((a) => ((moved = true), a));
    await Promise.resolve();
    expect(moved).toBe(false);
    expect(retryProvesRejection({ realm: 'R', scheme: 'basic' }, { realm: 'R', scheme: 'basic' }, g.statusOf('k'))).toBe(true);
    g.rejected('r1');
    expect(await waiting).toBe('blocked');
    await g.admit('j', 'r3');
    g.accepted('r3');
    g.accepted('r3'); // no second verdict for the same change
    expect(verdicts).toEqual(['k:bad', 'j:good']);
  });

  it('what this session knows comes before what an earlier one remembered', () => {
    const g = new Breaker();
    g.restore({ k: 'bad', j: 'good' });
    g.remember(['k', 'j', 'n']);
    expect([g.statusOf('k'), g.statusOf('j'), g.statusOf('n')]).toEqual(['bad', 'good', 'remembered']);
    expect(acceptedBefore(undefined)).toBe(false);
  });

  it('a probe that ends without a verdict and no waiter to take over is reported (its probe window closes)', async () => {
    const told: string[] = [];
    const g = new Breaker(Date.now, 15_000, (k, st) => told.push(`${k}:${st}`));
    await g.admit('k', 'r1');
    const next = g.admit('k', 'r2');
    g.abandoned('r1');
    expect(await next).toBe('send');
    expect(told).toEqual([]);
    g.abandoned('r2');
    expect(told).toEqual(['k:none']);
  });
});
