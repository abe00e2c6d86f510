// History as the user takes it away: CSV and JSON with the same fields, never a password.
import type { HistoryEntry } from './model';

export const CSV_HEADER = ['time', 'url', 'proxy', 'realm', 'scheme', 'offered', 'profile', 'decision', 'outcome', 'attempts', 'diagnosis'] as const;

export interface ExportRow {
  time: string;
  url: string;
  proxy: string;
  realm: string;
  scheme: string;
  /** What the proxy offered, e.g. "negotiate ntlm basic"; `scheme` is the one the browser chose. */
  offered: string;
  profile: string;
  decision: string;
  outcome: string;
  attempts: number;
  diagnosis: string;
}

export function toExportRow(e: HistoryEntry): ExportRow {
  return {
    time: new Date(e.at).toISOString(),
    url: e.url,
    proxy: `${e.challenger.host}:${e.challenger.port}`,
    realm: e.realm ?? '',
    scheme: e.scheme,
    offered: (e.offered ?? []).join(' '),
    profile: e.profileName ?? '',
    decision: e.decision,
    outcome: e.outcome,
    attempts: e.attempts,
    diagnosis: e.diagnosis.join(' | '),
  };
}

/** Quotes when needed, and defuses cells a spreadsheet would run as a formula. */
function csvCell(value: string | number): string {
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function historyToCsv(entries: readonly HistoryEntry[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const e of entries) {
    const row = toExportRow(e);
    lines.push(CSV_HEADER.map((k) => csvCell(row[k])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function historyToJson(entries: readonly HistoryEntry[]): string {
  return JSON.stringify(entries.map(toExportRow), null, 2);
}
