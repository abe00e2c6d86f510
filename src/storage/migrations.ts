// Ordered schema migrations for storage.local; each step takes the whole stored object to the next version.
import { normalizeHost } from '../core/host';

export type StoredItems = Record<string, unknown>;

export interface Migration {
  /** The version this step produces. */
  to: number;
  describe: string;
  /** Returns the keys to write and the keys to remove. */
  run: (items: StoredItems) => { set: StoredItems; remove: string[] };
}

/**
 * Version 1 is the first shape: `schemaVersion` plus one `profile:<id>` record per profile.
 * Add each later shape as a new step; never edit a shipped step.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    to: 1,
    describe: 'mark a fresh or pre-release store as version 1',
    run: () => ({ set: {}, remove: [] }),
  },
  {
    to: 2,
    describe: 'store proxy hosts in one spelling (lower case, no trailing dot, canonical IPv6), so duplicates and exports compare equal',
    run: (items) => {
      const set: StoredItems = {};
      for (const [key, value] of Object.entries(items)) {
        if (!key.startsWith('profile:') || !isRecordWithHost(value)) continue;
        const host = normalizeHost(value.proxy.host);
        if (host !== value.proxy.host) set[key] = { ...value, proxy: { ...value.proxy, host } };
      }
      return { set, remove: [] };
    },
  },
];

function isRecordWithHost(x: unknown): x is { proxy: { host: string } } & Record<string, unknown> {
  const proxy = (x as { proxy?: { host?: unknown } } | null)?.proxy;
  return typeof proxy === 'object' && proxy !== null && typeof proxy.host === 'string';
}

export const CURRENT_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.to), 0);

/** Applies in order every step above `from`; pure, so each step is tested on a snapshot of the old shape. */
export function migrate(items: StoredItems, from: number, steps: readonly Migration[] = MIGRATIONS): {
  set: StoredItems;
  remove: string[];
  version: number;
} {
  let current: StoredItems = { ...items };
  const removed = new Set<string>();
  let version = from;
  for (const step of [...steps].sort((a, b) => a.to - b.to)) {
    if (step.to <= version) continue;
    const { set, remove } = step.run(current);
    for (const k of remove) {
      delete current[k];
      removed.add(k);
    }
    current = { ...current, ...set };
    for (const k of Object.keys(set)) removed.delete(k);
    version = step.to;
  }
  const changed: StoredItems = {};
  for (const [k, val] of Object.entries(current)) if (items[k] !== val) changed[k] = val;
  return { set: { ...changed, schemaVersion: version }, remove: [...removed], version };
}
