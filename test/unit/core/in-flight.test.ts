import { describe, expect, it } from 'vitest';
import { InFlight } from '../../../src/core/in-flight';

describe('InFlight (burst barrier before an unproven credential goes out)', () => {
  it('resolves at once when nothing is on the wire and nothing was sent lately', async () => {
    const f = new InFlight(() => 1_000, 40);
    await expect(f.settled(300)).resolves.toBeUndefined();
  });

  it('waits until every request already sent has arrived', async () => {
    let now = 0;
    const f = new InFlight(() => now, 0);
    f.sent('a');
    f.sent('b');
    let done = false;
    const barrier = f.settled(10_000).then(() => (done = true));
    f.arrived('a');
    await Promise.resolve();
    expect(done).toBe(false);
    now = 5;
    f.arrived('b');
    await barrier;
    expect(done).toBe(true);
  });

  it('never waits longer than the maximum (a long-poll elsewhere must not stall logins)', async () => {
    const f = new InFlight(() => performance.now(), 10);
    f.sent('never-answers');
    const t0 = performance.now();
    await f.settled(30);
    expect(f.size).toBe(1);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
  });

  it('waits for the quiet period after the last request was sent', async () => {
    const f = new InFlight(() => performance.now(), 30);
    f.sent('x');
    f.arrived('x');
    const t0 = performance.now();
    await f.settled(1_000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(20);
  });
});
