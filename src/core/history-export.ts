// History as the user takes it away: CSV and JSON with the same fields, never a password.
import type { Finding } from './diagnose';
import type { HistoryEntry } from './model';
import { type ProfileLabel, profileLabelOf } from './profile-label';

/** docs/options.md's contract: these columns in this order; diagnosis_code, then offered, came last, later. */
export const CSV_HEADER = ['time', 'url', 'proxy', 'realm', 'scheme', 'profile', 'decision', 'outcome', 'attempts', 'diagnosis', 'diagnosis_code', 'offered'] as const;

/** Words for a finding in the export's language (the page supplies it); one finding's text must not contain " | ". */
export type DescribeFinding = (f: Finding) => string;
/** Without words from a page: a legacy row's own sentence, else the code. */
const codeOnly: DescribeFinding = (f) => (f.code === 'legacy-text' ? [f.params.what, f.params.next].filter(Boolean).join(' ') : f.code);
/** Words for the profile column in the export's language (the page supplies them); a session login is a label, not a name. */
export type DescribeProfile = (l: ProfileLabel) => string;
/** Without words from a page: the profile's name, a session login's username. */
const nameOnly: DescribeProfile = (l) => (l.kind === 'none' ? '' : l.kind === 'session' ? l.username : l.name);

export interface ExportRow {
  time: string;
  url: string;
  proxy: string;
  realm: string;
  scheme: string;
  profile: string;
  decision: string;
  outcome: string;
  attempts: number;
  /** The findings in the export's language, ' | ' between them. */
  diagnosis: string;
  /** The same findings as stable codes, ' | ' between them, for scripts. */
  diagnosis_code: string;
  /** What the proxy offered, e.g. "negotiate ntlm basic"; `scheme` is the one the browser chose. */
  offered: string;
}

export function toExportRow(e: HistoryEntry, describe: DescribeFinding = codeOnly, profile: DescribeProfile = nameOnly): ExportRow {
  return {
    time: new Date(e.at).toISOString(),
    url: e.url,
    proxy: `${e.challenger.host}:${e.challenger.port}`,
    realm: e.realm ?? '',
    scheme: e.scheme,
    profile: profile(profileLabelOf(e)),
    decision: e.decision,
    outcome: e.outcome,
    attempts: e.attempts,
    diagnosis: e.diagnosis.map(describe).join(' | '),
    diagnosis_code: e.diagnosis.map((f) => f.code).join(' | '),
    offered: (e.offered ?? []).join(' '),
  };
}

/** Quotes when needed, and defuses cells a spreadsheet would run as a formula. */
function csvCell(value: string | number): string {
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function historyToCsv(entries: readonly HistoryEntry[], describe: DescribeFinding = codeOnly, profile: DescribeProfile = nameOnly): string {
  const lines = [CSV_HEADER.join(',')];
  for (const e of entries) {
    const row = toExportRow(e, describe, profile);
    lines.push(CSV_HEADER.map((k) => csvCell(row[k])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function historyToJson(entries: readonly HistoryEntry[], describe: DescribeFinding = codeOnly, profile: DescribeProfile = nameOnly): string {
  return JSON.stringify(entries.map((e) => toExportRow(e, describe, profile)), null, 2);
}
