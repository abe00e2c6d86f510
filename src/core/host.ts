// Host names as the matcher compares them: case-folded, without a trailing dot, IPv6 unbracketed.

export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  while (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

export const isWildcard = (pattern: string): boolean => pattern.startsWith('*.');

/** `*.example.com` matches `a.example.com` and `a.b.example.com`, never `example.com` itself. */
export function wildcardMatches(pattern: string, host: string): boolean {
  const suffix = normalizeHost(pattern).slice(1); // ".example.com"
  const h = normalizeHost(host);
  return h.length > suffix.length && h.endsWith(suffix);
}
