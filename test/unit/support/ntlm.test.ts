// The test proxy's NTLM code against the MS-NLMP 4.2.4 NTLMv2 test vectors, and a type 2 a client can parse.
import { describe, expect, it } from 'vitest';
import { authenticateMessage, AV, avPairs, challengeMessage, FLAGS, md4, messageType, ntowfv2, ntProofStr, parseAuthenticate, verifyNtlmv2 } from '../../support/ntlm.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const utf16 = (s: string) => Buffer.from(s, 'utf16le');

// MS-NLMP 4.2.1 common values and 4.2.4 (NTLMv2 authentication).
const USER = 'User';
const DOMAIN = 'Domain';
const PASSWORD = 'Password';
const SERVER_CHALLENGE = hex('0123456789abcdef');
const CLIENT_CHALLENGE = hex('aaaaaaaaaaaaaaaa');
const TIME = Buffer.alloc(8);
const SERVER_AV = avPairs([
  [AV.nbDomainName, utf16('Domain')],
  [AV.nbComputerName, utf16('Server')],
]);
// 4.2.4.2.2: temp = Responserversion, HiResponserversion, Z(6), Time, ClientChallenge, Z(4), ServerName, Z(4)
const BLOB = Buffer.concat([hex('0101 000000000000'), TIME, CLIENT_CHALLENGE, Buffer.alloc(4), SERVER_AV, Buffer.alloc(4)]);

describe('NTLM message code (MS-NLMP 4.2.4 vectors)', () => {
  it('MD4 of the UTF-16LE password is the NT hash (4.2.2.1.2)', () => {
    expect(md4(utf16(PASSWORD)).toString('hex')).toBe('a4f49c406510bdcab6824ee7c30fd852');
  });

  it('NTOWFv2 matches 4.2.4.1.1', () => {
    expect(ntowfv2(PASSWORD, USER, DOMAIN).toString('hex')).toBe('0c868a403bfd7a93a3001ef22ef02e3f');
  });

  it('the server AV pairs match 4.2.4.1.3', () => {
    expect(SERVER_AV.toString('hex')).toBe('02000c0044006f006d00610069006e0001000c0053006500720076006500720000000000');
  });

  it('NTProofStr matches 4.2.4.2.2', () => {
    expect(ntProofStr(ntowfv2(PASSWORD, USER, DOMAIN), SERVER_CHALLENGE, BLOB).toString('hex')).toBe('68cd0ab851e51c96aabc927bebef6a1c');
  });

  it('a type 3 built from the vectors verifies with the right password only', () => {
    const ntResponse = Buffer.concat([hex('68cd0ab851e51c96aabc927bebef6a1c'), BLOB]);
    const msg = authenticateMessage(DOMAIN, USER, 'COMPUTER', ntResponse);
    const auth = parseAuthenticate(msg);
    expect(auth).toMatchObject({ domain: DOMAIN, user: USER, workstation: 'COMPUTER' });
    expect(verifyNtlmv2(auth, PASSWORD, SERVER_CHALLENGE)).toBe(true);
    expect(verifyNtlmv2(auth, 'password', SERVER_CHALLENGE)).toBe(false);
    expect(verifyNtlmv2({ ...auth, domain: 'OTHER' }, PASSWORD, SERVER_CHALLENGE)).toBe(false);
    expect(verifyNtlmv2(auth, PASSWORD, hex('0000000000000000'))).toBe(false);
  });

  it('an NTLMv1 (24-byte) response is never accepted', () => {
    const auth = parseAuthenticate(authenticateMessage(DOMAIN, USER, 'COMPUTER', Buffer.alloc(24, 1)));
    expect(verifyNtlmv2(auth, PASSWORD, SERVER_CHALLENGE)).toBe(false);
  });

  it('the type 2 carries the challenge, the NTLMv2 flags and the target information', () => {
    const msg = challengeMessage({ nbDomain: 'CORP', nbComputer: 'PROXY1', dnsDomain: 'corp.test' }, SERVER_CHALLENGE, Date.UTC(2026, 0, 1));
    expect(messageType(msg)).toBe(2);
    expect(msg.subarray(24, 32).equals(SERVER_CHALLENGE)).toBe(true);
    const flags = msg.readUInt32LE(20);
    for (const f of [FLAGS.unicode, FLAGS.ntlm, FLAGS.targetInfo, FLAGS.extendedSessionSecurity]) expect(flags & f).toBe(f);
    const infoLen = msg.readUInt16LE(40);
    const info = msg.subarray(msg.readUInt32LE(44), msg.readUInt32LE(44) + infoLen);
    const ids: number[] = [];
    for (let at = 0; at < info.length; at += 4 + info.readUInt16LE(at + 2)) ids.push(info.readUInt16LE(at));
    expect(ids).toEqual([AV.nbDomainName, AV.nbComputerName, AV.dnsDomainName, AV.dnsComputerName, AV.timestamp, AV.eol]);
  });
});
