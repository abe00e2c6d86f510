// Classifies a page address that a proxy challenged: local hosts that usually bypass proxies, and likely typos.

export type AddressIssue =
  | { kind: 'loopback'; host: string }
  | { kind: 'private-ip'; host: string }
  | { kind: 'intranet-name'; host: string }
  | { kind: 'typo'; host: string; typo: Typo };

/** What looks mistyped: a top-level domain (`found` → `meant`), the www label, a missing dot, or a scheme word as host. */
export type Typo = { kind: 'tld'; found: string; meant: string } | { kind: 'www'; found: string } | { kind: 'www-dot' } | { kind: 'address-word' };

/** Top-level domains that are almost always a slip of the finger, with what was probably meant. */
const TLD_TYPOS: Record<string, string> = {
  cmo: 'com', con: 'com', ocm: 'com', cpm: 'com', vom: 'com', xom: 'com', comm: 'com', coom: 'com',
  ogr: 'org', rog: 'org', orgg: 'org', nte: 'net', ent: 'net', nett: 'net', ten: 'net',
};

const LOCAL_SUFFIXES = ['.local', '.localdomain', '.internal', '.intranet', '.lan', '.home.arpa'];

function ipv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((n) => n <= 255) ? parts : null;
}

function classifyIp(host: string): AddressIssue | null {
  const v4 = ipv4(host);
  if (v4) {
    const [a = 0, b = 0] = v4;
    if (a === 127) return { kind: 'loopback', host };
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)) return { kind: 'private-ip', host };
    return null;
  }
  if (!host.includes(':')) return null;
  if (host === '::1') return { kind: 'loopback', host };
  if (/^f[cd][0-9a-f]{0,2}:/.test(host) || /^fe[89ab][0-9a-f]?:/.test(host)) return { kind: 'private-ip', host };
  return null;
}

function typoOf(host: string): Typo | null {
  const labels = host.split('.');
  const tld = labels[labels.length - 1] ?? '';
  const fix = TLD_TYPOS[tld];
  if (fix && labels.length > 1) return { kind: 'tld', found: `.${tld}`, meant: `.${fix}` };
  if (/^w{4,}\./.test(host) || /^ww\./.test(host)) return { kind: 'www', found: `${labels[0]}.` };
  if (/^www[a-z0-9-]+\.[a-z]+$/.test(host) && labels.length === 2) return { kind: 'www-dot' };
  if (host === 'http' || host === 'https' || host === 'www') return { kind: 'address-word' };
  return null;
}

/** The URL's host as the browser resolves it: lower case, IPv6 without brackets, no trailing dot. */
export function hostOf(url: string): string | null {
  try {
    const h = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
    return h.startsWith('[') ? h.slice(1, -1) : h;
  } catch {
    return null;
  }
}

/** Why a proxy challenge for this page is surprising, or null when the address looks ordinary. */
export function checkAddress(url: string): AddressIssue | null {
  const host = hostOf(url);
  if (!host) return null;
  if (host === 'localhost' || host.endsWith('.localhost')) return { kind: 'loopback', host };
  const ip = classifyIp(host);
  if (ip || ipv4(host) || host.includes(':')) return ip;
  const typo = typoOf(host);
  if (typo) return { kind: 'typo', host, typo };
  if (!host.includes('.') || LOCAL_SUFFIXES.some((s) => host.endsWith(s))) return { kind: 'intranet-name', host };
  return null;
}
