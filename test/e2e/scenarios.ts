// Which browsers the scenarios run in; each scenario file loops over these, one definition for all.
import type { BrowserName } from '../support/driver';

/** PAK_BROWSERS=chromium limits a run to one browser; the default is every browser we support. */
export const BROWSERS: BrowserName[] = (process.env.PAK_BROWSERS ?? 'chromium,firefox')
  .split(',')
  .map((b) => b.trim())
  .filter((b): b is BrowserName => b === 'chromium' || b === 'firefox');

export const title = (id: string, what: string, browser: BrowserName, proxy: string): string => `${id} ${what} [${browser}, ${proxy}]`;
