// Profile and challenge builders shared by unit tests and scenarios.
import type { Challenge, Profile } from '../../src/core/model';

let n = 0;

export function aProfile(over: Partial<Profile> = {}): Profile {
  n++;
  return {
    id: `p${n}`,
    name: `Profile ${n}`,
    proxy: { host: '127.0.0.1', port: 3128 },
    realm: 'Corp Proxy',
    scheme: 'basic',
    username: `user${n}`,
    password: `secret-${n}`,
    isDefault: false,
    createdAt: 1_700_000_000_000 + n,
    updatedAt: 1_700_000_000_000 + n,
    lastUsedAt: null,
    ...over,
  };
}

export function aChallenge(over: Partial<Challenge> = {}): Challenge {
  n++;
  return {
    requestId: `r${n}`,
    url: 'http://127.0.0.1:8080/page?token=abc#x',
    tabId: 1,
    challenger: { host: '127.0.0.1', port: 3128 },
    realm: 'Corp Proxy',
    scheme: 'basic',
    isProxy: true,
    ...over,
  };
}
