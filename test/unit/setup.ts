// Unit tests run in Node: the polyfill refuses to load outside an extension, so it is replaced by a fake.
import 'fake-indexeddb/auto';
import { vi } from 'vitest';
import { fakeBrowser, fakeChrome } from '../support/fake-browser';

vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));
(globalThis as { chrome?: unknown }).chrome = fakeChrome;
