// The worker's state, restored lazily behind one memoised ready(); nothing trusted in globals beyond it.
import { RowBudget } from '../core/caps';
import { CredentialGate } from '../core/credential-gate';
import { buildIndex, type ProfileIndex } from '../core/match';
import type { Profile, Settings } from '../core/model';
import type { Problem } from '../core/profile-schema';
import { HistoryWriter } from '../storage/history';
import { loadProfiles } from '../storage/profiles';
import { type TrackedRequest, loadSessionProfiles, loadSnapshot, saveSessionProfiles, saveSnapshot } from '../storage/session';
import { PromptQueue } from '../core/prompt-queue';
import { loadSettings } from '../storage/settings';
import { loadVaultKey, loadVaultMeta } from '../storage/vault';
import { type VaultState, openRecords } from './vault';
import { broadcast } from '../messaging/broadcast';
import { scheduleRetention } from './retention';
import { recoverOrphans } from './orphans';

export interface State {
  settings: Settings;
  profiles: Profile[];
  /** Remembered for this browser session from a prompt; matched like profiles, never saved to disk. */
  sessionProfiles: Profile[];
  problems: Problem[];
  index: ProfileIndex;
  gate: CredentialGate;
  requests: Map<string, TrackedRequest>;
  /** New history rows per proxy per minute (a flood cannot push real rows out). */
  rowBudget: RowBudget;
  history: HistoryWriter;
  prompts: PromptQueue;
  /** Requests challenged by a proxy since this worker started (a request's retries count once). */
  challengesSeen: number;
  startedAt: number;
  vault: VaultState;
}

let statePromise: Promise<State> | undefined;
let loaded: State | undefined;

/** Resolves once profiles, settings and the session snapshot are loaded; the first 407 may be what woke us. */
export function ready(): Promise<State> {
  statePromise ??= hydrate().then(
    (s) => (loaded = s),
    (err) => {
      statePromise = undefined;
      throw err;
    },
  );
  return statePromise;
}

/** The state if it is already loaded: event handlers for requests we never saw need not wake storage. */
export const loadedState = (): State | undefined => loaded;

async function hydrate(): Promise<State> {
  const [settings, { profiles: records, problems }, snapshot, sessionProfiles, meta, key] = await Promise.all([
    loadSettings(),
    loadProfiles(),
    loadSnapshot(),
    loadSessionProfiles(),
    loadVaultMeta(),
    loadVaultKey(),
  ]);
  const vault: VaultState = { meta, key: meta ? key : null };
  const profiles = await openRecords(records, vault);
  if (problems.length) console.warn('Proxy Auth Keeper: skipped unreadable profile records:', problems.map((p) => `${p.path}: ${p.code}`).join('; '));
  const gate = new CredentialGate();
  gate.restore(snapshot.gate);
  const requests = new Map(Object.entries(snapshot.requests));
  for (const [id, r] of requests) if (r.answeredWith) gate.restoreSent(id, r.answeredWith);
  const index = buildIndex([...profiles, ...sessionProfiles]);
  // open pages see rows as they are written; retention keeps the table within the user's limits
  const history = new HistoryWriter((entries) => {
    broadcast('history/written', { entries });
    scheduleRetention(state);
  });
  const state: State = { settings, profiles, sessionProfiles, problems, index, gate, requests, history, rowBudget: new RowBudget(), prompts: new PromptQueue(), challengesSeen: 0, startedAt: Date.now(), vault };
  scheduleRetention(state, true);
  void recoverOrphans(state).catch(() => {});
  return state;
}

export async function reloadProfiles(): Promise<void> {
  if (!loaded) return;
  const { profiles: records, problems } = await loadProfiles();
  const profiles = await openRecords(records, loaded.vault);
  Object.assign(loaded, { profiles, problems, index: buildIndex([...profiles, ...loaded.sessionProfiles]) });
}

export async function addSessionProfile(s: State, p: Profile): Promise<void> {
  s.sessionProfiles = [...s.sessionProfiles.filter((x) => x.id !== p.id), p];
  s.index = buildIndex([...s.profiles, ...s.sessionProfiles]);
  await saveSessionProfiles(s.sessionProfiles);
}

export async function reloadSettings(): Promise<void> {
  if (loaded) loaded.settings = await loadSettings();
}

let persistTimer: ReturnType<typeof setTimeout> | undefined;

/** Saves breaker verdicts and requests in flight to storage.session, at most once per tick burst. */
export function persistSoon(state: State): void {
  if (persistTimer) return;
  persistTimer = setTimeout(() => {
    persistTimer = undefined;
    saveSnapshot({ gate: state.gate.snapshot(), requests: Object.fromEntries(state.requests) }).catch((err) =>
      console.warn('Proxy Auth Keeper: could not save session state:', err instanceof Error ? err.message : String(err)),
    );
  }, 20);
}
