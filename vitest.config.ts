// Two projects: fast unit tests of the pure core and storage, and e2e scenarios in real browsers.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // puppeteer answers Firefox's login dialogs with `network.continueWithAuth: cancel` on its own;
    // when a tab closes first, that internal call rejects with nobody to catch it. Only that is ignored.
    onUnhandledError(error) {
      return !/network\.continueWithAuth/.test(`${error.message} ${error.stack ?? ''}`);
    },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/unit/setup.ts'],
          environment: 'node',
          // a limit for a test that hangs, not a speed check: the waits inside allow 15 s (setup.ts)
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Real browsers on a 2-core machine: one scenario file at a time keeps timings honest.
          fileParallelism: false,
          sequence: { concurrent: false },
        },
      },
    ],
  },
});
