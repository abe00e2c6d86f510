export interface SuffixVerdict {
  isIp: boolean;
  publicSuffix: string | null;
  isIcann: boolean;
  isPrivate: boolean;
}
/** tldts's verdict on a host name, Private section included (github.io is a public suffix). */
export function parseSuffix(host: string): SuffixVerdict;
