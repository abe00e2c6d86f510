// NTLM messages (MS-NLMP): the server side's type 2 builder, type 1/3 parsers and the NTLMv2 check, for the test proxy.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import jsMd4 from 'js-md4';

/** Negotiate flags (MS-NLMP 2.2.2.5) this server sets in its type 2. */
export const FLAGS = {
  unicode: 0x0000_0001,
  requestTarget: 0x0000_0004,
  ntlm: 0x0000_0200,
  alwaysSign: 0x0000_8000,
  targetTypeDomain: 0x0001_0000,
  extendedSessionSecurity: 0x0008_0000,
  targetInfo: 0x0080_0000,
  version: 0x0200_0000,
  key128: 0x2000_0000,
  key56: 0x8000_0000,
} as const;

/** AV pair ids (MS-NLMP 2.2.2.1). */
export const AV = { eol: 0, nbComputerName: 1, nbDomainName: 2, dnsComputerName: 3, dnsDomainName: 4, flags: 6, timestamp: 7 } as const;

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');
const utf16 = (s: string): Buffer => Buffer.from(s, 'utf16le');

export const hmacMd5 = (key: Buffer, ...data: Buffer[]): Buffer => {
  const h = createHmac('md5', key);
  for (const d of data) h.update(d);
  return h.digest();
};

/** MD4 in pure JS (js-md4's array path): Node 20's OpenSSL has MD4 only with the legacy provider. */
export const md4 = (data: Buffer): Buffer => Buffer.from(jsMd4.arrayBuffer(new Uint8Array(data)));

/** NTOWFv2 (MS-NLMP 3.3.2): HMAC_MD5(MD4(UTF16LE(password)), UTF16LE(UPPER(user) + domain)). */
export const ntowfv2 = (password: string, user: string, domain: string): Buffer =>
  hmacMd5(md4(utf16(password)), utf16(user.toUpperCase() + domain));

/** NTProofStr = HMAC_MD5(NTOWFv2, serverChallenge + blob), the first 16 bytes of an NTLMv2 response. */
export const ntProofStr = (key: Buffer, serverChallenge: Buffer, blob: Buffer): Buffer => hmacMd5(key, serverChallenge, blob);

export function avPairs(pairs: ReadonlyArray<readonly [number, Buffer]>): Buffer {
  const parts: Buffer[] = [];
  for (const [id, value] of [...pairs, [AV.eol, Buffer.alloc(0)] as const]) {
    const head = Buffer.alloc(4);
    head.writeUInt16LE(id, 0);
    head.writeUInt16LE(value.length, 2);
    parts.push(head, value);
  }
  return Buffer.concat(parts);
}

/** Windows FILETIME: 100 ns ticks since 1601-01-01, little-endian 64 bit. */
export function filetime(ms: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE((BigInt(ms) + 11_644_473_600_000n) * 10_000n);
  return out;
}

export interface ServerIdentity {
  /** NetBIOS domain, e.g. CORP. */
  nbDomain: string;
  nbComputer: string;
  dnsDomain: string;
}

/** The target information of a type 2: the AV pairs an NTLMv2 client signs into its response. */
export const targetInfo = (id: ServerIdentity, nowMs: number): Buffer =>
  avPairs([
    [AV.nbDomainName, utf16(id.nbDomain)],
    [AV.nbComputerName, utf16(id.nbComputer)],
    [AV.dnsDomainName, utf16(id.dnsDomain)],
    [AV.dnsComputerName, utf16(`${id.nbComputer.toLowerCase()}.${id.dnsDomain}`)],
    [AV.timestamp, filetime(nowMs)],
  ]);

/** CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2) with target name, target info and a version. */
export function challengeMessage(id: ServerIdentity, serverChallenge: Buffer, nowMs: number): Buffer {
  const targetName = utf16(id.nbDomain);
  const info = targetInfo(id, nowMs);
  const header = Buffer.alloc(56);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(2, 8);
  header.writeUInt16LE(targetName.length, 12);
  header.writeUInt16LE(targetName.length, 14);
  header.writeUInt32LE(56, 16);
  const flags =
    FLAGS.unicode | FLAGS.requestTarget | FLAGS.ntlm | FLAGS.alwaysSign | FLAGS.targetTypeDomain |
    FLAGS.extendedSessionSecurity | FLAGS.targetInfo | FLAGS.version | FLAGS.key128 | FLAGS.key56;
  header.writeUInt32LE(flags >>> 0, 20);
  serverChallenge.copy(header, 24);
  header.writeUInt16LE(info.length, 40);
  header.writeUInt16LE(info.length, 42);
  header.writeUInt32LE(56 + targetName.length, 44);
  // Version: Windows 10.0 build 19041, NTLM revision 15.
  header.writeUInt8(10, 48);
  header.writeUInt8(0, 49);
  header.writeUInt16LE(19041, 50);
  header.writeUInt8(15, 55);
  return Buffer.concat([header, targetName, info]);
}

export const newServerChallenge = (): Buffer => randomBytes(8);

/** The message type (1, 2 or 3) of a base64 NTLM token, or undefined when it is not NTLMSSP. */
export function messageType(token: Buffer): number | undefined {
  if (token.length < 12 || !token.subarray(0, 8).equals(SIGNATURE)) return undefined;
  return token.readUInt32LE(8);
}

function field(msg: Buffer, at: number): Buffer {
  const len = msg.readUInt16LE(at);
  const offset = msg.readUInt32LE(at + 4);
  if (offset + len > msg.length) throw new Error('NTLM field runs past the message');
  return msg.subarray(offset, offset + len);
}

export interface Authenticate {
  lmResponse: Buffer;
  ntResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
  flags: number;
}

/** AUTHENTICATE_MESSAGE (MS-NLMP 2.2.1.3); throws on a malformed one. */
export function parseAuthenticate(msg: Buffer): Authenticate {
  if (messageType(msg) !== 3 || msg.length < 64) throw new Error('not an NTLM type 3 message');
  const flags = msg.readUInt32LE(60);
  const text = (b: Buffer) => (flags & FLAGS.unicode ? b.toString('utf16le') : b.toString('latin1'));
  return {
    lmResponse: field(msg, 12),
    ntResponse: field(msg, 20),
    domain: text(field(msg, 28)),
    user: text(field(msg, 36)),
    workstation: text(field(msg, 44)),
    flags,
  };
}

/** Whether an NTLMv2 response proves the password (NTProofStr check); NTLMv1 (24-byte) responses never do. */
export function verifyNtlmv2(auth: Authenticate, password: string, serverChallenge: Buffer): boolean {
  if (auth.ntResponse.length <= 24) return false;
  const proof = auth.ntResponse.subarray(0, 16);
  const blob = auth.ntResponse.subarray(16);
  const expected = ntProofStr(ntowfv2(password, auth.user, auth.domain), serverChallenge, blob);
  return timingSafeEqual(proof, expected);
}

// The client side, for tests that talk to the proxy without a browser.

/** A minimal NEGOTIATE_MESSAGE (type 1): Unicode, NTLM, extended session security. */
export function negotiateMessage(): Buffer {
  const msg = Buffer.alloc(32);
  SIGNATURE.copy(msg, 0);
  msg.writeUInt32LE(1, 8);
  msg.writeUInt32LE((FLAGS.unicode | FLAGS.requestTarget | FLAGS.ntlm | FLAGS.alwaysSign | FLAGS.extendedSessionSecurity) >>> 0, 12);
  return msg;
}

/** The server challenge and target info of a type 2. */
export function parseChallenge(msg: Buffer): { serverChallenge: Buffer; targetInfo: Buffer } {
  if (messageType(msg) !== 2) throw new Error('not an NTLM type 2 message');
  return { serverChallenge: Buffer.from(msg.subarray(24, 32)), targetInfo: Buffer.from(field(msg, 40)) };
}

/** An NTLMv2 response (MS-NLMP 3.3.2): NTProofStr followed by the blob that holds the server's target info. */
export function ntlmv2Response(password: string, user: string, domain: string, serverChallenge: Buffer, info: Buffer, nowMs: number, clientChallenge = randomBytes(8)): Buffer {
  const blob = Buffer.concat([Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]), filetime(nowMs), clientChallenge, Buffer.alloc(4), info, Buffer.alloc(4)]);
  return Buffer.concat([ntProofStr(ntowfv2(password, user, domain), serverChallenge, blob), blob]);
}

/** A minimal AUTHENTICATE_MESSAGE (type 3) with Unicode strings and no session key. */
export function authenticateMessage(domain: string, user: string, workstation: string, ntResponse: Buffer): Buffer {
  const payload = [Buffer.alloc(24), ntResponse, utf16(domain), utf16(user), utf16(workstation), Buffer.alloc(0)];
  const header = Buffer.alloc(64);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(3, 8);
  let offset = 64;
  payload.forEach((p, i) => {
    header.writeUInt16LE(p.length, 12 + i * 8);
    header.writeUInt16LE(p.length, 14 + i * 8);
    header.writeUInt32LE(offset, 16 + i * 8);
    offset += p.length;
  });
  header.writeUInt32LE(FLAGS.unicode | FLAGS.ntlm, 60);
  return Buffer.concat([header, ...payload]);
}
