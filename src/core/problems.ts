// Validation problems as data: a JSON path, a code and its parameters; the pages put them into words.
/*
 * Adding a problem: add its code to PROBLEMS (with the parameters its message uses, in $1… order),
 * return `problem(path, 'the-code', { … })` (or pass the code as a valibot message), and add the key
 * messageKey('problem', code) (e.g. `problemHostRequired`) to public/_locales/en/messages.json — and to
 * de/fr/es. The locale check in test/unit/locales.test.ts fails until every locale has it.
 */
import type { CodeSpec, Params } from './codes';

export const PROBLEMS = {
  // profiles (profile-schema.ts)
  'host-not-text': { params: [] },
  'host-required': { params: [] },
  'host-too-long': { params: [] },
  'host-invalid': { params: [] },
  'host-wildcard-public-suffix': { params: [] },
  'host-wildcard-numeric': { params: [] },
  'port-not-number': { params: [] },
  'port-not-whole': { params: [] },
  'port-out-of-range': { params: [] },
  'scheme-invalid': { params: [] },
  'realm-not-text': { params: [] },
  'realm-too-long': { params: [] },
  'name-not-text': { params: [] },
  'name-too-long': { params: [] },
  'username-not-text': { params: [] },
  'username-required': { params: [] },
  'username-too-long': { params: [] },
  'password-not-text': { params: [] },
  'password-too-long': { params: [] },
  'is-default-not-boolean': { params: [] },
  'id-required': { params: [] },
  'secret-invalid': { params: [] },
  /** valibot's own checks without a message of ours; `expected` is valibot's technical notation. */
  'invalid-type': { params: ['expected'] },
  'invalid-value': { params: ['expected'] },
  // settings (settings-schema.ts)
  'no-match-invalid': { params: [] },
  'prompt-timeout-not-number': { params: [] },
  'prompt-timeout-not-whole': { params: [] },
  'prompt-timeout-too-short': { params: [] },
  'prompt-timeout-too-long': { params: ['max'] },
  'retention-not-number': { params: [] },
  'retention-not-whole': { params: [] },
  'retention-too-short': { params: [] },
  'retention-too-long': { params: [] },
  'max-rows-not-number': { params: [] },
  'max-rows-not-whole': { params: [] },
  'max-rows-too-few': { params: [] },
  'max-rows-too-many': { params: [] },
  'strip-query-not-boolean': { params: [] },
  'auto-lock-not-number': { params: [] },
  'auto-lock-not-whole': { params: [] },
  'auto-lock-out-of-range': { params: ['max'] },
  // profile import files (profile-import.ts)
  'file-not-json': { params: ['detail'] },
  'format-invalid': { params: ['format'] },
  'version-invalid': { params: [] },
  'exported-at-invalid': { params: [] },
  'profiles-not-list': { params: [] },
  'too-many-profiles': { params: [] },
  'duplicate-account': { params: ['first'] },
  'default-taken': { params: ['first', 'proxy'] },
  'password-missing': { params: [] },
  // the worker (src/background)
  'profile-not-object': { params: [] },
  'id-not-text': { params: [] },
  'prompt-gone': { params: [] },
  'prompt-needs-unlock': { params: [] },
  'vault-locked-save': { params: [] },
  'vault-locked-edit': { params: [] },
  'vault-locked-import': { params: [] },
  'vault-already-on': { params: [] },
  'vault-off': { params: [] },
  'vault-damaged': { params: [] },
  'master-too-short': { params: ['min'] },
  'master-wrong': { params: [] },
  'profiles-locked': { params: [] },
  'password-unopenable': { params: [] },
  'undo-gone': { params: [] },
  'profile-gone': { params: [] },
  'master-required': { params: [] },
  'vault-iterations-weak': { params: ['min'] },
  // browser policy (managed-policy.ts)
  'policy-mode-invalid': { params: [] },
  'policy-ask-once-not-boolean': { params: [] },
  'policy-value-out-of-range': { params: [] },
  'policy-flag-not-boolean': { params: [] },
  'policy-locked': { params: [] },
  'policy-preset-delete': { params: [] },
  'policy-user-profiles-off': { params: [] },
  'policy-preset-fields': { params: [] },
  'policy-setting-forced': { params: [] },
  'policy-vault-required': { params: [] },
  'policy-password-export-off': { params: [] },
  'vault-locked-export': { params: [] },
} as const satisfies Record<string, CodeSpec>;

export type ProblemCode = keyof typeof PROBLEMS;

export interface Problem {
  /** JSON path of the offending value, e.g. `profiles[2].proxy.port`; '(root)' for the whole input. */
  path: string;
  code: ProblemCode;
  params: Params;
}

export const problem = (path: string, code: ProblemCode, params: Params = {}): Problem => ({ path, code, params });

export const isProblemCode = (s: string): s is ProblemCode => Object.hasOwn(PROBLEMS, s);
