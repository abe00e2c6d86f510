// One rule for "the same proxy", used by the matcher, the store, the import, the diagnoses, the vault and the worker's probe.
import { describe, expect, it } from 'vitest';
import { proxyKey, sameProxy } from '../../../src/core/host';

describe('sameProxy / proxyKey', () => {
  it.each([
    [{ host: 'Proxy.Corp.Example.', port: 3128 }, { host: 'proxy.corp.example', port: 3128 }],
    [{ host: '[::1]', port: 8080 }, { host: '0:0:0:0:0:0:0:1', port: 8080 }],
    [{ host: ' proxy.corp ', port: 1 }, { host: 'PROXY.CORP', port: 1 }],
  ])('%o and %o are one proxy', (a, b) => {
    expect(sameProxy(a, b)).toBe(true);
    expect(proxyKey(a)).toBe(proxyKey(b));
  });

  it.each([
    [{ host: 'proxy.corp', port: 3128 }, { host: 'proxy.corp', port: 3129 }],
    [{ host: 'proxy.corp', port: 3128 }, { host: 'proxy.corp.evil.test', port: 3128 }],
    [{ host: '127.0.0.1', port: 3128 }, { host: '127.0.0.2', port: 3128 }],
  ])('%o and %o are not', (a, b) => {
    expect(sameProxy(a, b)).toBe(false);
  });
});
