// What the fuzz tests share: a worker started over known profiles, and the shape every refusal must have.
import type { Problem } from '../../../src/core/problems';
import { enProblem } from '../../support/words';
import { IDBFactory } from 'fake-indexeddb';
import { expect, vi } from 'vitest';
import type { State } from '../../../src/background/state';
import type { Handlers } from '../../../src/messaging/router';
import { fakeBrowser, resetFakeBrowser } from '../../support/fake-browser';
import type { Profile } from '../../../src/core/model';
import { pathIn } from './arbitraries';

export interface FuzzWorker {
  s: State;
  h: Handlers;
  /** storage.local as it was once the worker was up: what every refused input must leave behind. */
  before: Record<string, unknown>;
}

/** A fresh worker over `existing` profiles, with fake storage and IndexedDB. */
export async function workerWith(existing: Profile[]): Promise<FuzzWorker> {
  await resetFakeBrowser();
  globalThis.indexedDB = new IDBFactory();
  await fakeBrowser.storage.local.set({ schemaVersion: 1, ...Object.fromEntries(existing.map((p) => [`profile:${p.id}`, p])) });
  vi.resetModules();
  const s = await (await import('../../../src/background/state')).ready();
  const h = await (await import('../../../src/background/handlers')).handlers();
  return { s, h, before: structuredClone(fakeBrowser.storage.local.dump()) };
}

interface Refusable {
  ok: boolean;
  problems?: Problem[];
}

/** Refused, with at least one problem, each with a path and words; one of them at `at` when the fault is known. */
export function expectRefused(r: Refusable, at?: string): void {
  expect(r.ok).toBe(false);
  const problems = r.problems ?? [];
  expect(problems.length).toBeGreaterThan(0);
  for (const p of problems) {
    expect(p.path.length).toBeGreaterThan(0);
    expect(enProblem(p)).toMatch(/^(?!problem[A-Z])\S.*\s/);
  }
  if (at) expect(problems.some((p) => pathIn(p.path, at)), `no problem at ${at}: ${JSON.stringify(problems)}`).toBe(true);
}
