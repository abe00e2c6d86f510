// The Public Suffix List (tldts, ~280 KB of the bundle) is evaluated on first use, not when the worker starts:
// importing the host helpers — which every module on the answer path does — must not load it.
import { describe, expect, it, vi } from 'vitest';

describe('public suffix list loads on first use', () => {
  it('importing core/host and normalizing hosts does not evaluate tldts; a wildcard check still refuses *.co.uk', async () => {
    vi.resetModules();
    let evaluated = false;
    vi.doMock('tldts', async (importOriginal) => {
      evaluated = true;
      return importOriginal();
    });
    try {
      const host = await import('../../../src/core/host');
      expect(host.proxyKey({ host: 'Proxy.Corp.Example.', port: 3128 })).toBe('proxy.corp.example:3128');
      expect(host.wildcardProblem('proxy.corp.example')).toBeNull();
      expect(evaluated).toBe(false);
      expect(host.wildcardProblem('*.co.uk')).toBe('host-wildcard-public-suffix');
      expect(host.wildcardProblem('*.github.io')).toBe('host-wildcard-public-suffix');
      expect(host.wildcardProblem('*.corp.example')).toBeNull();
    } finally {
      vi.doUnmock('tldts');
      vi.resetModules();
    }
  });
});
