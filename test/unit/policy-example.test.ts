// `npm run policy:example` writes example policies an admin starts from: each file written is read back in
// its own format (JSON, .reg, plist, .mobileconfig) and checked with the extension's policy validation, and
// so is every example policy in docs/enterprise.md. A broken example fails here, not on an admin's fleet.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parsePlist } from 'plist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPolicy } from '../../src/core/managed-policy';
import { CHROME_ID, EXAMPLE_POLICY, GECKO_ID, MAC_DOMAIN, writePolicyExamples } from '../../scripts/policy-example';
import { makeTempDir, removeTempDir } from '../support/temp';
import manifest from '../../manifest.json';

let dir: string;
let written: string[];
beforeAll(async () => {
  dir = await makeTempDir('policy-examples');
  written = writePolicyExamples(dir);
});
afterAll(() => removeTempDir(dir));

const read = (file: string) => readFileSync(join(dir, file));
type Obj = Record<string, unknown>;
const at = (x: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (o as Obj | undefined)?.[k], x);

/** The policy for our extension out of each file, the way its browser finds it. */
const extract: Record<string, (file: string) => unknown> = {
  json: (f) => at(JSON.parse(read(f).toString('utf8')), '3rdparty', 'extensions', CHROME_ID),
  firefox: (f) => at(JSON.parse(read(f).toString('utf8')), 'policies', '3rdparty', 'Extensions', GECKO_ID),
  reg: (f) => {
    const bytes = read(f);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const lines = bytes.subarray(2).toString('utf16le').split('\r\n');
    expect(lines[0]).toBe('Windows Registry Editor Version 5.00');
    expect(lines[2]).toBe(`[HKEY_LOCAL_MACHINE\\Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\${CHROME_ID}\\policy]`);
    const unescape = (s: string) => s.replace(/\\(["\\])/g, '$1');
    const values = lines.slice(3).filter(Boolean).map((l) => /^"((?:[^"\\]|\\.)*)"="((?:[^"\\]|\\.)*)"$/.exec(l));
    expect(values.every(Boolean), 'every value line is "name"="string"').toBe(true);
    return Object.fromEntries(values.map((m) => [unescape(m![1]!), JSON.parse(unescape(m![2]!))]));
  },
  plist: (f) => parsePlist(read(f).toString('utf8')),
  mobileconfig: (f) => {
    const profile = parsePlist(read(f).toString('utf8'));
    expect(at(profile, 'PayloadType')).toBe('Configuration');
    const [payload] = at(profile, 'PayloadContent') as Obj[];
    expect(at(payload, 'PayloadType')).toBe('com.apple.ManagedClient.preferences');
    const [forced] = at(payload, 'PayloadContent', MAC_DOMAIN, 'Forced') as Obj[];
    return at(forced, 'mcx_preference_settings');
  },
};

const kindOf = (file: string) => (file.startsWith('firefox') ? 'firefox' : file.endsWith('.reg') ? 'reg' : file.endsWith('.mobileconfig') ? 'mobileconfig' : file.endsWith('.plist') ? 'plist' : 'json');

describe('npm run policy:example', () => {
  it('writes an example for each browser and each OS path, with a README naming where each goes', () => {
    const files = written.map((p) => p.slice(dir.length + 1)).sort();
    expect(files).toEqual(
      [
        'README.txt',
        'chrome-linux/proxy-auth-keeper.json',
        'chrome-macos/proxy-auth-keeper.mobileconfig',
        `chrome-macos/${MAC_DOMAIN}.plist`,
        'chrome-windows/proxy-auth-keeper.reg',
        'chromium-linux/proxy-auth-keeper.json',
        'firefox-linux/policies.json',
        'firefox-macos/policies.json',
        'firefox-windows/policies.json',
      ].sort(),
    );
    const readme = read('README.txt').toString('utf8');
    for (const where of ['/etc/chromium/policies/managed/', '/etc/opt/chrome/policies/managed/', 'HKLM\\Software\\Policies\\Google\\Chrome\\3rdparty\\extensions', '/Library/Managed Preferences/', '/etc/firefox/policies/policies.json', 'distribution\\policies.json', 'Firefox.app/Contents/Resources/distribution/policies.json'])
      expect(readme).toContain(where);
    expect(readme).toMatch(/readable by every local user/);
  });

  it.each(['chromium-linux/proxy-auth-keeper.json', 'chrome-linux/proxy-auth-keeper.json', 'chrome-windows/proxy-auth-keeper.reg', 'chrome-macos/proxy-auth-keeper.mobileconfig', `chrome-macos/${MAC_DOMAIN}.plist`, 'firefox-linux/policies.json', 'firefox-windows/policies.json', 'firefox-macos/policies.json'])(
    '%s holds the example policy for our id, and the extension reads it without a problem',
    (file) => {
      const policy = extract[kindOf(file)]!(file);
      expect(policy).toEqual(EXAMPLE_POLICY);
      const read = readPolicy(policy);
      expect(read.problems).toEqual([]);
      expect(read.profiles.map((p) => [p.name, p.managed, p.askOncePerSession ?? false])).toEqual([
        ['Corp proxy', 'locked', true],
        ['Branch office', 'preset', true],
        ['Build service', 'locked', false],
      ]);
      expect(read.settings).toEqual(EXAMPLE_POLICY.settings);
    },
  );

  it("the ids in the examples are the build's: Chrome's from the manifest key (SHA-256 of the key, a-p), Firefox's gecko id", () => {
    const m = manifest as unknown as { key: string; browser_specific_settings: { gecko: { id: string } } };
    const hash = createHash('sha256').update(Buffer.from(m.key, 'base64')).digest('hex').slice(0, 32);
    expect([...hash].map((h) => String.fromCharCode(97 + parseInt(h, 16))).join('')).toBe(CHROME_ID);
    expect(m.browser_specific_settings.gecko.id).toBe(GECKO_ID);
  });
});

describe('docs/enterprise.md', () => {
  const doc = readFileSync(join(import.meta.dirname, '../../docs/enterprise.md'), 'utf8');
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);

  it('every JSON example policy in the guide is read by the extension without a problem', () => {
    const policies = blocks.map((b) => at(b, '3rdparty', 'extensions', CHROME_ID) ?? at(b, 'policies', '3rdparty', 'Extensions', GECKO_ID));
    expect(policies.filter(Boolean).length).toBeGreaterThanOrEqual(2);
    for (const p of policies.filter(Boolean)) expect(readPolicy(p).problems).toEqual([]);
  });
});
