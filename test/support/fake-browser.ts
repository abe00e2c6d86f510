// An in-memory stand-in for the parts of webextension-polyfill the storage and worker modules use.
type Listener = (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>, area: string) => void;

const listeners = new Set<Listener>();

function area(name: string) {
  let data: Record<string, unknown> = {};
  const clone = <T>(x: T): T => (x === undefined ? x : structuredClone(x));
  return {
    async get(keys?: string | string[] | null) {
      if (keys === null || keys === undefined) return clone(data);
      const list = typeof keys === 'string' ? [keys] : keys;
      return Object.fromEntries(list.filter((k) => k in data).map((k) => [k, clone(data[k])]));
    },
    async set(items: Record<string, unknown>) {
      const changes: Record<string, { oldValue?: unknown; newValue?: unknown }> = {};
      for (const [k, v] of Object.entries(items)) {
        changes[k] = { oldValue: data[k], newValue: clone(v) };
        data[k] = clone(v);
      }
      for (const l of listeners) l(changes, name);
    },
    async remove(keys: string | string[]) {
      for (const k of typeof keys === 'string' ? [keys] : keys) delete data[k];
    },
    async clear() {
      data = {};
    },
    /** Test hook: the raw contents. */
    dump: () => data,
  };
}

export const fakeBrowser = {
  storage: {
    local: area('local'),
    session: area('session'),
    sync: area('sync'),
    onChanged: { addListener: (l: Listener) => listeners.add(l), removeListener: (l: Listener) => listeners.delete(l) },
  },
  runtime: { id: 'test-extension', getURL: (path: string) => `chrome-extension://test-extension/${path}` },
  action: {
    badge: '',
    async setBadgeText({ text }: { text: string }) {
      fakeBrowser.action.badge = text;
    },
    async setBadgeBackgroundColor() {},
    opened: 0,
    async openPopup() {
      fakeBrowser.action.opened++;
    },
  },
  windows: {
    async create() {
      return { id: 1 };
    },
    async remove() {},
  },
};

export async function resetFakeBrowser(): Promise<void> {
  await Promise.all([fakeBrowser.storage.local.clear(), fakeBrowser.storage.session.clear(), fakeBrowser.storage.sync.clear()]);
}
