// Ordered schema migrations for storage.local; each step takes the whole stored object to the next version.

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
];

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
