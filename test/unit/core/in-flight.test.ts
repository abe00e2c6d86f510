import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InFlight, poolOf } from '../../../src/core/in-flight';

/** Whether `p` has resolved once pending microtasks ran (no time passes: fake timers). */
async function isDone(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

const POOL_A = 'http://a.test|1|http://page.test|resource';
const POOL_B = 'http://b.test|1|http://page.test|resource';

describe('InFlight (the ordering an unproven credential waits for)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a lone request goes out at once: nothing else started, no quiet period', async () => {
    const f = new InFlight();
    f.sent('doc');
    f.challenged('doc');
    expect(await isDone(f.settled(2_000))).toBe(true);
    expect(f.safetyReleases).toBe(0);
  });

  it('waits while a started request has neither reached the listener nor got a reply, however long it takes', async () => {
    const f = new InFlight();
    f.sent('a');
    f.sent('b');
    f.challenged('a');
    const barrier = f.settled(60_000);
    await vi.advanceTimersByTimeAsync(59_000); // a loaded machine: no timer releases it before the event
    expect(await isDone(barrier)).toBe(false);
    f.challenged('b');
    expect(await isDone(barrier)).toBe(true);
    expect(f.safetyReleases).toBe(0);
  });

  it('a reply that is not a 407, a redirect or an end counts as arrived; a request started meanwhile is waited for too', async () => {
    const f = new InFlight();
    f.sent('a');
    f.sent('b');
    const barrier = f.settled(60_000);
    f.arrived('a');
    f.sent('c'); // started while we wait
    f.arrived('b');
    expect(await isDone(barrier)).toBe(false);
    f.arrived('c');
    expect(await isDone(barrier)).toBe(true);
  });

  it('the safety net releases after the maximum when an event never comes, and counts it', async () => {
    const f = new InFlight();
    f.sent('never-reports');
    const barrier = f.settled(2_000);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(await isDone(barrier)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await isDone(barrier)).toBe(true);
    expect(f.safetyReleases).toBe(1);
  });

  it('Chromium: requests queued behind a pool whose 6 connections are all held at our listener are not on the wire', async () => {
    const f = new InFlight(6);
    for (let i = 0; i < 30; i++) f.sent(`r${i}`, POOL_A);
    for (let i = 0; i < 5; i++) f.challenged(`r${i}`, POOL_A);
    const barrier = f.settled(60_000);
    expect(await isDone(barrier)).toBe(false); // r5 may still be on its connection
    f.challenged('r5', POOL_A);
    expect(await isDone(barrier)).toBe(true);
  });

  it('a full pool says nothing of another pool, and a reply frees a connection (the pool is no longer full)', async () => {
    const f = new InFlight(6);
    for (let i = 0; i < 8; i++) f.sent(`a${i}`, POOL_A);
    f.sent('b0', POOL_B);
    for (let i = 0; i < 6; i++) f.challenged(`a${i}`, POOL_A);
    expect(f.isSettled()).toBe(false); // b0 may be on the wire
    f.challenged('b0', POOL_B);
    expect(f.isSettled()).toBe(true);
    f.replied('a0');
    expect(f.isSettled()).toBe(false); // a6 may get a0's connection now
  });

  it('Firefox (no pool limit) waits for every started request', () => {
    const f = new InFlight(null);
    for (let i = 0; i < 30; i++) f.sent(`r${i}`, POOL_A);
    for (let i = 0; i < 29; i++) f.challenged(`r${i}`, POOL_A);
    expect(f.isSettled()).toBe(false);
    f.challenged('r29', POOL_A);
    expect(f.isSettled()).toBe(true);
  });

  it('counts requests first seen while a probe is out, not retries of known ones, until its verdict', () => {
    const f = new InFlight();
    f.sent('before');
    f.probeOut('k');
    f.sent('before'); // Firefox fires onBeforeRequest again when it retries a request
    f.sent('during-1');
    f.sent('during-2');
    f.verdict('k');
    f.sent('after');
    expect(f.startedWhileProbing).toBe(2);
  });
});

describe('poolOf (a pool name at least as fine as Chromium connection pools)', () => {
  const d = { url: 'http://h1.test:8080/res/1?x', tabId: 3, type: 'xmlhttprequest', initiator: 'http://page.test' };
  it('one destination as seen from one page; the path and query do not matter', () => {
    expect(poolOf(d)).toBe(poolOf({ ...d, url: 'http://h1.test:8080/other' }));
    expect(poolOf(d)).not.toBe(poolOf({ ...d, url: 'http://h1.test:8081/res/1' }));
    expect(poolOf(d)).not.toBe(poolOf({ ...d, url: 'https://h1.test:8080/res/1' }));
    expect(poolOf(d)).not.toBe(poolOf({ ...d, tabId: 4 }));
    expect(poolOf(d)).not.toBe(poolOf({ ...d, initiator: 'http://other.test' }));
    expect(poolOf(d)).not.toBe(poolOf({ ...d, type: 'main_frame' }));
  });
  it('WebSockets and addresses that are not http(s) get none (never inferred full)', () => {
    expect(poolOf({ ...d, type: 'websocket' })).toBeUndefined();
    expect(poolOf({ ...d, url: 'ws://h1.test/' })).toBeUndefined();
    expect(poolOf({ ...d, url: 'not a url' })).toBeUndefined();
  });
});

describe('InFlight: redirects and the Firefox hold', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a redirect is no arrival: the request goes on to its new address (no gap in which it seems done)', async () => {
    const f = new InFlight();
    f.sent('r');
    const barrier = f.settled(60_000);
    f.responded('r', 302);
    expect(await isDone(barrier)).toBe(false);
    f.sent('r', 'http://h1.test|1||resource'); // onBeforeRequest for the new address
    f.responded('r', 407);
    expect(await isDone(barrier)).toBe(false);
    f.challenged('r');
    expect(await isDone(barrier)).toBe(true);
  });
});
