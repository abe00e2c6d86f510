// Host names under .test (RFC 6761) that the test proxies send to 127.0.0.1.
// Browsers keep at most 6 requests per host in flight; spreading a burst over many names puts them
// all in flight at once, as a real page with resources on several hosts would.

export const TEST_HOSTS: readonly string[] = [
  'alpha.test',
  'beta.test',
  ...Array.from({ length: 50 }, (_, i) => `h${i}.test`),
];

/** `n` URLs on `port`, spread over distinct .test hosts. */
export function spreadUrls(port: number, n: number, path = '/res'): string[] {
  const stamp = Date.now();
  return Array.from({ length: n }, (_, i) => `http://h${i % 50}.test:${port}${path}/${i}?v=${stamp}`);
}
