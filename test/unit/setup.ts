// Unit tests run in Node: the polyfill refuses to load outside an extension, so it is replaced by a fake.
import 'fake-indexeddb/auto';
import { vi } from 'vitest';
import { fakeBrowser, fakeChrome } from '../support/fake-browser';

vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));
(globalThis as { chrome?: unknown }).chrome = fakeChrome;

// vi.waitFor waits for a result, never checks a speed (that is the bench's job): its 1 s default
// failed on a loaded 2-core machine while the worker was still getting there. Every unit wait gets
// 15 s unless it says otherwise; a wait that never comes true still fails.
const waitFor = vi.waitFor.bind(vi);
vi.waitFor = ((callback: Parameters<typeof vi.waitFor>[0], options?: Parameters<typeof vi.waitFor>[1]) =>
  waitFor(callback, typeof options === 'number' ? options : { timeout: 15_000, ...options })) as typeof vi.waitFor;
