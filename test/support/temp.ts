// Temporary directories for test infrastructure: create under the OS temp dir, remove recursively.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Creates a fresh directory such as /tmp/pak-squid-XXXXXX. */
export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `pak-${prefix}-`));
}

/** Removes a directory tree; never throws (browsers may still hold files for a moment). */
export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }).catch(() => {});
}
