// Reads which auth schemes a proxy's 407 offered (its Proxy-Authenticate headers), in the proxy's order.
import { LIMITS } from './caps';

/**
 * Lower-case scheme names, each once: `Negotiate`, `NTLM`, `Basic realm="a, b"` → ['negotiate', 'ntlm', 'basic'].
 * What a lax proxy passes on is attacker-shaped: at most LIMITS.offeredSchemes names, none longer than LIMITS.scheme.
 */
export function offeredSchemes(headers: ReadonlyArray<{ name: string; value?: string }> | undefined): string[] {
  const out: string[] = [];
  for (const h of headers ?? []) {
    if (h.name.toLowerCase() !== 'proxy-authenticate' || !h.value) continue;
    // quoted strings may hold commas; then each challenge starts with a token not followed by "=".
    // Firefox joins repeated Proxy-Authenticate headers into one value with newlines.
    const bare = h.value.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    for (const part of bare.split(/[,\n]/)) {
      const m = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?=\s|$)(?!\s*=)/.exec(part);
      const scheme = m?.[1]?.toLowerCase();
      if (!scheme || scheme.length > LIMITS.scheme || out.includes(scheme)) continue;
      out.push(scheme);
      if (out.length === LIMITS.offeredSchemes) return out;
    }
  }
  return out;
}
