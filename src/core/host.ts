// Host names as the matcher compares them: case-folded, without a trailing dot, IPv6 unbracketed.

export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  while (h.endsWith('.')) h = h.slice(0, -1);
  if (h.includes(':')) h = canonicalIpv6(h);
  return h;
}

/** 0:0:0:0:0:0:0:1 and ::1 are one address: let the URL parser write it the one canonical way. */
function canonicalIpv6(h: string): string {
  try {
    return new URL(`http://[${h}]/`).hostname.slice(1, -1);
  } catch {
    return h;
  }
}

export const isWildcard = (pattern: string): boolean => pattern.startsWith('*.');
