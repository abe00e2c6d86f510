import { describe, expect, it } from 'vitest';
import { MIN_ITERATIONS, createVault, newKdfParams, open, seal, unlockVault } from '../../../src/core/vault-crypto';

// Real parameters are ≥ 600,000 iterations; tests use fewer so they run in milliseconds.
const FAST = 1_000;

describe('vault crypto', () => {
  it('defaults to at least 600,000 PBKDF2-SHA-256 iterations with a random salt', () => {
    const a = newKdfParams();
    expect(a).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: MIN_ITERATIONS });
    expect(MIN_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    expect(newKdfParams().salt).not.toBe(a.salt);
  });

  it('the right master password unlocks and opens what was sealed; the wrong one does not', async () => {
    const { meta, key } = await createVault('correct horse', FAST);
    const sealed = await seal(key, 'proxy-secret');
    expect(sealed.ct).not.toContain('proxy-secret');
    const again = await unlockVault(meta, 'correct horse');
    expect(again).not.toBeNull();
    expect(await open(again!, sealed)).toBe('proxy-secret');
    expect(await unlockVault(meta, 'wrong horse')).toBeNull();
  });

  it('each seal uses a fresh IV, and tampering is detected', async () => {
    const { key } = await createVault('pw', FAST);
    const a = await seal(key, 'same');
    const b = await seal(key, 'same');
    expect(a.iv).not.toBe(b.iv);
    const tampered = { ...a, ct: a.ct.slice(0, -4) + (a.ct.endsWith('AAAA') ? 'BBBB' : 'AAAA') };
    await expect(open(key, tampered)).rejects.toThrow();
  });
});
