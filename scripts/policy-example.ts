// `npm run policy:example [-- <folder>]`: writes a complete example policy for each browser and each
// OS path (docs/enterprise.md) into a folder (default `policy-examples/`), for an admin to start from.
// test/unit/policy-example.test.ts reads every file written back and checks it with the extension's own
// policy validation (src/core/managed-policy.ts), so these examples are known to work.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build as buildPlist, type PlistValue } from 'plist';

export const CHROME_ID = 'cjllljdgfpaijifcahbpeodimcobdhhc';
export const GECKO_ID = 'proxy-auth-keeper@example.org';

/**
 * The policy itself (what storage.managed holds), the same for every browser: a locked profile that asks
 * for its password once per session, a preset each user completes, a service account with a password
 * (readable by every local user: see the warning in docs/enterprise.md), and every setting.
 */
export const EXAMPLE_POLICY = {
  profiles: [
    { name: 'Corp proxy', proxy: { host: 'proxy.corp.example', port: 3128 }, realm: 'Corp Proxy', scheme: 'basic', username: 'CORP\\jdoe', mode: 'locked', askOncePerSession: true, isDefault: true },
    { name: 'Branch office', proxy: { host: '*.branch.corp.example', port: 8080 }, scheme: 'any', username: 'change-to-your-user', mode: 'preset' },
    { name: 'Build service', proxy: { host: '10.20.0.5', port: 3128 }, realm: 'Build', scheme: 'digest', username: 'svc-build', password: 'change-me', mode: 'locked' },
  ],
  settings: {
    noMatch: 'ask',
    promptTimeoutSeconds: 120,
    historyRetentionDays: 30,
    stripQueryStrings: true,
    vaultRequired: false,
    allowUserProfiles: true,
    allowPasswordExport: false,
  },
};

export interface ExampleFile {
  /** Path inside the output folder. */
  file: string;
  /** Where an admin puts it. */
  goesTo: string;
  content: string | Buffer;
}

const json = (x: unknown) => `${JSON.stringify(x, null, 2)}\n`;

/** Chrome's and Chromium's Linux policy file: `3rdparty.extensions.<id>`. */
export const chromeJson = (policy: unknown) => json({ '3rdparty': { extensions: { [CHROME_ID]: policy } } });

/** Firefox's policies.json (any OS): `policies.3rdparty.Extensions.<gecko id>`. */
export const firefoxJson = (policy: unknown) => json({ policies: { '3rdparty': { Extensions: { [GECKO_ID]: policy } } } });

/** A .reg string value: backslashes and quotes escaped. */
const regString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * Chrome on Windows: one registry value per top-level key under
 * HKLM\Software\Policies\Google\Chrome\3rdparty\extensions\<id>\policy; lists and objects are REG_SZ
 * holding JSON. Written as regedit writes .reg files: UTF-16 LE with a byte order mark, CRLF.
 */
export function chromeReg(policy: Record<string, unknown>, product = 'Google\\Chrome'): Buffer {
  const lines = [
    'Windows Registry Editor Version 5.00',
    '',
    `[HKEY_LOCAL_MACHINE\\Software\\Policies\\${product}\\3rdparty\\extensions\\${CHROME_ID}\\policy]`,
    ...Object.entries(policy).map(([k, v]) => `${regString(k)}=${regString(JSON.stringify(v))}`),
    '',
  ];
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines.join('\r\n'), 'utf16le')]);
}

/** Chrome on macOS, the preference domain of the extension's policy. */
export const MAC_DOMAIN = `com.google.Chrome.extensions.${CHROME_ID}`;

/** A plain plist of the policy, as /Library/Managed Preferences/<domain>.plist holds it (what a profile installs). */
export const chromePlist = (policy: Record<string, unknown>) => buildPlist(policy as PlistValue);

/**
 * A configuration profile (.mobileconfig) for MDM or `profiles install`: a ManagedClient preferences
 * payload forcing the policy in the extension's domain. Fixed UUIDs, so the file is the same each run
 * (replace them with your own when you make several profiles).
 */
export function chromeMobileconfig(policy: Record<string, unknown>): string {
  const payload = {
    PayloadType: 'com.apple.ManagedClient.preferences',
    PayloadVersion: 1,
    PayloadIdentifier: `org.example.proxy-auth-keeper.policy.${CHROME_ID}`,
    PayloadUUID: '5B3C5E0A-3F0C-4C59-9A1E-6D2B1E0C7A11',
    PayloadEnabled: true,
    PayloadDisplayName: 'Proxy Auth Keeper policy (Chrome)',
    PayloadContent: { [MAC_DOMAIN]: { Forced: [{ mcx_preference_settings: policy }] } },
  };
  return buildPlist({
    PayloadType: 'Configuration',
    PayloadVersion: 1,
    PayloadIdentifier: 'org.example.proxy-auth-keeper',
    PayloadUUID: 'C1A7E2B4-8D3F-4E6A-9B5C-2F1D0E9A8B22',
    PayloadDisplayName: 'Proxy Auth Keeper',
    PayloadScope: 'System',
    PayloadContent: [payload],
  } as PlistValue);
}

/** Every example file with where it goes. */
export function policyExamples(policy: Record<string, unknown> = EXAMPLE_POLICY): ExampleFile[] {
  return [
    { file: 'chromium-linux/proxy-auth-keeper.json', goesTo: '/etc/chromium/policies/managed/proxy-auth-keeper.json', content: chromeJson(policy) },
    { file: 'chrome-linux/proxy-auth-keeper.json', goesTo: '/etc/opt/chrome/policies/managed/proxy-auth-keeper.json', content: chromeJson(policy) },
    { file: 'chrome-windows/proxy-auth-keeper.reg', goesTo: 'double-click or `reg import proxy-auth-keeper.reg` (as administrator): HKLM\\Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\<id>\\policy', content: chromeReg(policy) },
    { file: 'chrome-macos/proxy-auth-keeper.mobileconfig', goesTo: 'your MDM, or System Settings > Privacy & Security > Profiles after double-clicking it', content: chromeMobileconfig(policy) },
    { file: `chrome-macos/${MAC_DOMAIN}.plist`, goesTo: `/Library/Managed Preferences/${MAC_DOMAIN}.plist (for a test machine; a profile installs it for you)`, content: chromePlist(policy) },
    { file: 'firefox-linux/policies.json', goesTo: '/etc/firefox/policies/policies.json, or the install\'s distribution/policies.json (Debian firefox-esr: /usr/lib/firefox-esr/distribution/policies.json)', content: firefoxJson(policy) },
    { file: 'firefox-windows/policies.json', goesTo: 'C:\\Program Files\\Mozilla Firefox\\distribution\\policies.json', content: firefoxJson(policy) },
    { file: 'firefox-macos/policies.json', goesTo: '/Applications/Firefox.app/Contents/Resources/distribution/policies.json', content: firefoxJson(policy) },
  ];
}

/** Writes the examples and a README naming where each goes; returns the paths written. */
export function writePolicyExamples(folder: string, policy: Record<string, unknown> = EXAMPLE_POLICY): string[] {
  const files = policyExamples(policy);
  const readme = [
    'Proxy Auth Keeper: example browser policies (see docs/enterprise.md for every field).',
    'A password in a policy is readable by every local user who can read the file, registry key or profile.',
    '',
    ...files.map((f) => `${f.file}\n    -> ${f.goesTo}`),
    '',
  ].join('\n');
  const written: string[] = [];
  for (const f of [...files, { file: 'README.txt', goesTo: '', content: readme }]) {
    const path = join(folder, f.file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
    written.push(path);
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const folder = resolve(process.argv[2] ?? 'policy-examples');
  const written = writePolicyExamples(folder);
  console.log(`Wrote ${written.length} files to ${folder}:`);
  for (const p of written) console.log(`  ${p}`);
}
