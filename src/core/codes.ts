// What the core says instead of sentences: a code with parameters; pages render it through a messages.json key.

/** A profile named in a diagnosis, described by the page in the reader's language. */
export interface ProfileRef {
  name: string;
  proxy: string;
  realm: string | null;
  scheme: string;
}

/** A parameter's value; how it is written out depends on its name (see the pages' renderer). */
export type ParamValue = string | number | null | readonly string[] | readonly ProfileRef[];
export type Params = Readonly<Record<string, ParamValue>>;

/** How a code is spoken: its parameters, in the order the message's $1, $2… take them. */
export interface CodeSpec {
  readonly params: readonly string[];
}

const pascal = (code: string): string => code.replace(/(^|-)([a-z0-9])/g, (_m, _dash, c: string) => c.toUpperCase());

/** The messages.json key of a code: `diag` + 'credentials-rejected' → `diagCredentialsRejected`. */
export const messageKey = (prefix: string, code: string, suffix = ''): string => `${prefix}${pascal(code)}${suffix}`;
