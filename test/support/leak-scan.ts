// Finds secrets where they must never be — as typed, URL-encoded, JSON-escaped, or inside base64 (`Basic base64(user:password)`) — and reports them masked.

export type LeakForm = 'plain' | 'url-encoded' | 'form-encoded' | 'json-escaped' | 'base64' | 'base64url';

export interface LeakFinding {
  /** The name of the source it was found in (the key of `sources`). */
  source: string;
  /** Which secret: its index in `secrets`. The secret itself is never part of a finding. */
  secretIndex: number;
  form: LeakForm;
  /** Where it starts in the source (0-based offset; 1-based line and column). */
  offset: number;
  line: number;
  column: number;
  /** The secret masked: first and last character, stars between. */
  masked: string;
  /** Up to 40 characters either side, with every secret occurrence replaced by a placeholder. */
  context: string;
}

/** Shorter secrets would be found by chance in ordinary text and base64. */
export const MIN_SECRET_BYTES = 8;

export function maskSecret(secret: string): string {
  const chars = [...secret];
  if (chars.length < 4) return '*'.repeat(chars.length);
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]} (${chars.length} chars)`;
}

/**
 * The part of base64(prefix + secret) that depends on the secret alone, for each of the three ways the
 * secret can sit against base64's 3-byte groups: finds `base64("alice:" + secret)` without knowing "alice".
 */
function base64Signatures(secret: string, url: boolean): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k, 0x20), bytes]).toString(url ? 'base64url' : 'base64');
    const start = k === 0 ? 0 : 4;
    const end = 4 * Math.floor((k + bytes.length) / 3);
    if (end - start >= 8) out.push(encoded.slice(start, end));
  }
  return out;
}

/** Every written form of one secret worth looking for, without duplicates. */
function needles(secret: string): Array<{ form: LeakForm; text: string }> {
  const uri = encodeURIComponent(secret);
  const candidates: Array<{ form: LeakForm; text: string }> = [
    { form: 'plain', text: secret },
    { form: 'url-encoded', text: uri },
    { form: 'url-encoded', text: uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()) },
    { form: 'url-encoded', text: encodeURI(secret) },
    { form: 'form-encoded', text: uri.replace(/%20/g, '+') },
    { form: 'json-escaped', text: JSON.stringify(secret).slice(1, -1) },
    ...base64Signatures(secret, false).map((text) => ({ form: 'base64' as const, text })),
    ...base64Signatures(secret, true).map((text) => ({ form: 'base64url' as const, text })),
  ];
  const seen = new Set<string>();
  return candidates.filter((c) => c.text.length > 0 && !seen.has(c.text) && seen.add(c.text));
}

interface Hit {
  secretIndex: number;
  form: LeakForm;
  start: number;
  end: number;
}

function findAll(text: string, needle: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) at.push(i);
  return at;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** The source with every hit replaced by `[secret #i]`, and where each hit's placeholder starts. */
function redact(text: string, hits: readonly Hit[]): { text: string; at: Map<Hit, number> } {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  const at = new Map<Hit, number>();
  let out = '';
  let pos = 0;
  for (const h of sorted) {
    if (h.start >= pos) {
      out += text.slice(pos, h.start);
      at.set(h, out.length);
      out += `[secret #${h.secretIndex}]`;
      pos = h.end;
    } else {
      // inside an earlier hit: it points at that placeholder; stretch it over this one too
      at.set(h, out.lastIndexOf('[secret #'));
      pos = Math.max(pos, h.end);
    }
  }
  return { text: out + text.slice(pos), at };
}

/**
 * Scans every source for every secret. Throws (naming the secret by index only) when a secret is too
 * short to scan for reliably. Returns no findings on clean input.
 */
export function scanForSecrets(secrets: readonly string[], sources: Record<string, string>): LeakFinding[] {
  secrets.forEach((s, i) => {
    if (Buffer.byteLength(s, 'utf8') < MIN_SECRET_BYTES) throw new Error(`secret #${i} is shorter than ${MIN_SECRET_BYTES} bytes: too short to scan for without false alarms`);
  });
  const forms = secrets.map(needles);
  const findings: LeakFinding[] = [];
  for (const [source, text] of Object.entries(sources)) {
    const hits: Hit[] = [];
    forms.forEach((list, secretIndex) => {
      for (const { form, text: needle } of list) {
        for (const start of findAll(text, needle)) hits.push({ secretIndex, form, start, end: start + needle.length });
      }
    });
    if (!hits.length) continue;
    const redacted = redact(text, hits);
    for (const h of hits) {
      const r = redacted.at.get(h) ?? 0;
      const context = redacted.text.slice(Math.max(0, r - 40), r + 40 + `[secret #${h.secretIndex}]`.length).replace(/\s+/g, ' ');
      findings.push({ source, secretIndex: h.secretIndex, form: h.form, offset: h.start, ...lineAndColumn(text, h.start), masked: maskSecret(secrets[h.secretIndex] ?? ''), context });
    }
  }
  return findings;
}

/** One line per finding, safe to print: secrets appear masked only. */
export function formatFindings(findings: readonly LeakFinding[]): string {
  if (!findings.length) return 'no secret found';
  return findings
    .map((f) => `${f.source}:${f.line}:${f.column}: secret #${f.secretIndex} ${f.masked} as ${f.form} … ${f.context} …`)
    .join('\n');
}
