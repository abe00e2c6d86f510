// An in-memory stand-in for the parts of webextension-polyfill the storage and worker modules use.
import { catalog } from './locales';

type Listener = (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>, area: string) => void;

const listeners = new Set<Listener>();

/**
 * The worker entry keeps the start copy in storage.session (src/storage/start-image.ts) in step with
 * storage.local, .sync and .managed through its storage.onChanged listener. Unit tests start workers
 * without that entry and edit storage themselves, so the fake does that listener's part: a write to
 * a copied area drops the copy, and the next worker reads the areas themselves (what a refresh would
 * give it). test/unit/background/cold-start.test.ts checks the real listener.
 */
const START_IMAGE = 'startImage';
const copiedAreaWritten = (name: string) => {
  if (name !== 'session') delete fakeBrowser.storage.session.dump()[START_IMAGE];
};

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
      copiedAreaWritten(name);
      for (const l of listeners) l(changes, name);
    },
    async remove(keys: string | string[]) {
      const gone = (typeof keys === 'string' ? [keys] : keys).filter((k) => k in data);
      const changes = Object.fromEntries(gone.map((k) => [k, { oldValue: data[k] }]));
      for (const k of gone) delete data[k];
      copiedAreaWritten(name);
      // as the browsers do: an event for the keys that were there, none when nothing was removed
      if (gone.length) for (const l of listeners) l(changes, name);
    },
    async clear() {
      const changes = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, { oldValue: v }]));
      data = {};
      if (Object.keys(changes).length) for (const l of listeners) l(changes, name);
    },
    /** Test hook: the raw contents. */
    dump: () => data,
  };
}

/** A browser event: records its listeners (in registration order) and can fire them. */
export function fakeEvent<A extends unknown[] = unknown[]>() {
  const listeners: { fn: (...args: A) => unknown; rest: unknown[] }[] = [];
  return {
    listeners,
    addListener: (fn: (...args: A) => unknown, ...rest: unknown[]) => void listeners.push({ fn, rest }),
    removeListener: (fn: (...args: A) => unknown) => void listeners.splice(listeners.findIndex((l) => l.fn === fn) >>> 0, 1),
    hasListener: (fn: (...args: A) => unknown) => listeners.some((l) => l.fn === fn),
    fire: (...args: A) => listeners.map((l) => l.fn(...args)),
  };
}

const events = {
  webRequest: ['onBeforeRequest', 'onSendHeaders', 'onHeadersReceived', 'onBeforeRedirect', 'onCompleted', 'onErrorOccurred'],
  runtime: ['onMessage', 'onStartup', 'onInstalled'],
  alarms: ['onAlarm'],
} as const;
const eventsOf = <K extends keyof typeof events>(ns: K) =>
  Object.fromEntries(events[ns].map((name) => [name, fakeEvent()])) as Record<(typeof events)[K][number], ReturnType<typeof fakeEvent>>;

export interface FakeTab {
  id: number;
  active: boolean;
  discarded: boolean;
  incognito?: boolean;
  /** Undefined when the extension may not read it (about:blank, other extensions' pages). */
  url?: string;
  pendingUrl?: string;
  status?: 'loading' | 'complete' | 'unloaded';
}

export const fakeBrowser = {
  storage: {
    local: area('local'),
    session: area('session'),
    sync: area('sync'),
    /** What the browser's policy engine sets for us; tests write it with `set` as an admin would (the extension only reads). */
    managed: area('managed'),
    onChanged: { addListener: (l: Listener) => listeners.add(l), removeListener: (l: Listener) => listeners.delete(l) },
  },
  /** English, as the extension pages would get it from browser.i18n. */
  i18n: {
    getMessage: (key: string, subs: string[] = []) => catalog('en').message(key, subs).replace(new RegExp(`^${key}$`), ''),
    getUILanguage: () => 'en',
  },
  runtime: { id: 'test-extension', getURL: (path: string) => `chrome-extension://test-extension/${path}`, ...eventsOf('runtime') },
  webRequest: eventsOf('webRequest'),
  alarms: {
    ...eventsOf('alarms'),
    created: new Set<string>(),
    /** When each alarm was asked to fire (its `when`), for alarms created with one. */
    when: new Map<string, number>(),
    async create(name: string, info: { when?: number } = {}) {
      fakeBrowser.alarms.created.add(name);
      if (info.when !== undefined) fakeBrowser.alarms.when.set(name, info.when);
    },
    async clear(name: string) {
      fakeBrowser.alarms.when.delete(name);
      return fakeBrowser.alarms.created.delete(name);
    },
  },
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
  /**
   * Tabs as the orphan recovery sees them. `discard` behaves like Chrome's (the active tab comes back
   * under a new id) unless `refusesActiveDiscard` is set, as in Firefox; `calls` records every action.
   */
  tabs: {
    all: new Map<number, FakeTab>(),
    refusesActiveDiscard: false,
    calls: [] as string[],
    /** tabs.onUpdated(tabId, changeInfo): tests fire it as a tab's load ends. */
    onUpdated: fakeEvent<[number, { status?: string }]>(),
    /** Sets a tab's fields and fires onUpdated with the status, as the browser does when a load ends. */
    finishLoad(id: number, over: Partial<FakeTab>) {
      const tab = fakeBrowser.tabs.all.get(id);
      if (!tab) throw new Error(`No tab with id: ${id}.`);
      Object.assign(tab, over);
      fakeBrowser.tabs.onUpdated.fire(id, { status: tab.status });
    },
    async get(id: number) {
      const tab = fakeBrowser.tabs.all.get(id);
      if (!tab) throw new Error(`No tab with id: ${id}.`);
      return { incognito: false, ...tab };
    },
    async query() {
      return [...fakeBrowser.tabs.all.values()].map((tab) => ({ incognito: false, ...tab }));
    },
    async discard(id: number) {
      const tab = await fakeBrowser.tabs.get(id);
      fakeBrowser.tabs.calls.push(`discard ${id}`);
      if (tab.active && fakeBrowser.tabs.refusesActiveDiscard) return undefined;
      fakeBrowser.tabs.all.delete(id);
      const replaced = { ...tab, id: tab.active ? id + 1000 : id, discarded: true };
      fakeBrowser.tabs.all.set(replaced.id, replaced);
      return { ...replaced };
    },
    async reload(id: number) {
      await fakeBrowser.tabs.get(id);
      fakeBrowser.tabs.calls.push(`reload ${id}`);
    },
    async update(id: number, { url }: { url: string }) {
      await fakeBrowser.tabs.get(id);
      fakeBrowser.tabs.calls.push(`update ${id} ${url}`);
    },
  },
  /** Script injection as the start-up check uses it: a tab listed in errorPages shows an error page, as Chromium reports it. */
  scripting: {
    errorPages: new Set<number>(),
    async executeScript({ target }: { target: { tabId: number } }) {
      await fakeBrowser.tabs.get(target.tabId);
      if (fakeBrowser.scripting.errorPages.has(target.tabId)) throw new Error('Frame with ID 0 is showing error page');
      return [{ frameId: 0, result: 0 }];
    },
  },
  windows: {
    /** Windows as windows.getAll reports them; tests add a private one. */
    all: [{ id: 1, incognito: false }] as { id: number; incognito: boolean }[],
    async getAll() {
      return fakeBrowser.windows.all.map((w) => ({ ...w }));
    },
    async create() {
      return { id: 1 };
    },
    async remove() {},
  },
};

/** The raw `chrome` namespace, for the one listener the polyfill does not wrap. */
export const fakeChrome = { webRequest: { onAuthRequired: fakeEvent() } };

/** Every event's listeners, as "namespace.event: count" (what a worker entry registered). */
export function heardEvents(): string[] {
  const all: [string, { listeners: unknown[] }][] = [
    ['webRequest.onAuthRequired', fakeChrome.webRequest.onAuthRequired],
    ...Object.entries(fakeBrowser.webRequest).map(([k, e]) => [`webRequest.${k}`, e] as [string, { listeners: unknown[] }]),
    ...events.runtime.map((k) => [`runtime.${k}`, fakeBrowser.runtime[k]] as [string, { listeners: unknown[] }]),
    ['alarms.onAlarm', fakeBrowser.alarms.onAlarm],
    ['storage.onChanged', { listeners: [...listeners] }],
  ];
  return all.filter(([, e]) => e.listeners.length).map(([k, e]) => `${k}: ${e.listeners.length}`);
}

/** Forgets every listener a worker registered (a new worker starts with none). */
export async function resetListeners(): Promise<void> {
  for (const e of [fakeChrome.webRequest.onAuthRequired, ...Object.values(fakeBrowser.webRequest), ...events.runtime.map((k) => fakeBrowser.runtime[k]), fakeBrowser.alarms.onAlarm, fakeBrowser.tabs.onUpdated]) e.listeners.length = 0;
}

export async function resetFakeBrowser(): Promise<void> {
  await resetListeners();
  fakeBrowser.alarms.created.clear();
  fakeBrowser.alarms.when.clear();
  fakeBrowser.tabs.all.clear();
  fakeBrowser.tabs.calls.length = 0;
  fakeBrowser.tabs.refusesActiveDiscard = false;
  fakeBrowser.scripting.errorPages.clear();
  fakeBrowser.windows.all = [{ id: 1, incognito: false }];
  await Promise.all([fakeBrowser.storage.local.clear(), fakeBrowser.storage.session.clear(), fakeBrowser.storage.sync.clear(), fakeBrowser.storage.managed.clear()]);
}
