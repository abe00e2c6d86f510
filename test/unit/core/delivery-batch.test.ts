// Which challenges came in one delivery batch: one synchronous turn of listener calls.
import { describe, expect, it } from 'vitest';
import { DeliveryBatches } from '../../../src/core/delivery-batch';

describe('DeliveryBatches', () => {
  it('counts the challenges of one turn per proxy and realm; the next turn is a new batch', async () => {
    const b = new DeliveryBatches();
    b.note('1', 'proxy:3128|Corp');
    b.note('2', 'proxy:3128|Corp');
    b.note('3', 'other:8080|Corp');
    expect(b.size('1', 'proxy:3128|Corp')).toBe(2);
    expect(b.size('3', 'other:8080|Corp')).toBe(1);
    await Promise.resolve();
    b.note('4', 'proxy:3128|Corp');
    expect(b.size('4', 'proxy:3128|Corp')).toBe(1);
    expect(b.size('1', 'proxy:3128|Corp')).toBe(2);
    // a request challenged again belongs to the batch of its latest challenge
    b.note('1', 'proxy:3128|Corp');
    expect(b.size('1', 'proxy:3128|Corp')).toBe(2);
    expect(b.size('unknown', 'proxy:3128|Corp')).toBe(0);
  });

  it('forgets old batches', async () => {
    const b = new DeliveryBatches(undefined, 2);
    b.note('old', 'g');
    for (let i = 0; i < 4; i++) {
      await Promise.resolve();
      b.note(`n${i}`, 'g');
    }
    expect(b.size('old', 'g')).toBe(0);
    expect(b.size('n3', 'g')).toBe(1);
  });
});
