// The worker's state, restored lazily behind one memoised ready(); nothing trusted in globals beyond it.
import { RowBudget } from '../core/caps';
import { Breaker } from '../core/breaker';
import { buildIndex, type ProfileIndex } from '../core/match';
import type { Profile, Settings } from '../core/model';
import type { Problem } from '../core/profile-schema';
import { type ManagedPolicy, effectiveSettings, mergeProfiles } from '../core/managed-policy';
import { loadPolicy, policyOf } from '../storage/managed';
import { HistoryWriter } from '../storage/history';
import { loadProfiles, readProfiles } from '../storage/profiles';
import { type TrackedRequest, saveSessionProfiles, sessionProfilesOf, snapshotOf as storedSnapshot } from '../storage/session';
import { PromptQueue } from '../core/prompt-queue';
import { loadSettings, SETTINGS_KEY } from '../storage/settings';
import { settingsFromStored } from '../core/settings-schema';
import { readStart, readSourcesAtStart, refreshStartImage, saveStartImage } from '../storage/start-image';
import { vaultKeyOf, vaultMetaOf } from '../storage/vault';
import { type VaultState, openRecords, vaultStateOf } from './vault';
import { broadcast } from '../messaging/broadcast';
import { scheduleRetention } from './retention';
import { SessionSaver } from './session-save';
import { readVerdicts } from '../storage/verdicts';
import { inFlight } from './in-flight-tracker';
import { isSavedVersion, persistVerdict } from './verdicts';
import { afterFirstAnswers, stateLoaded } from './first-answers';

export interface State {
  settings: Settings;
  profiles: Profile[];
  /** Remembered for this browser session from a prompt; matched like profiles, never saved to disk. */
  sessionProfiles: Profile[];
  problems: Problem[];
  /** The organisation's browser policy as last read (its profiles are merged into `profiles`). */
  policy: ManagedPolicy;
  index: ProfileIndex;
  breaker: Breaker;
  requests: Map<string, TrackedRequest>;
  /** Ids of the requests restored from the session snapshot: a previous worker's, whose answers died with it (orphans.ts). */
  inherited: ReadonlySet<string>;
  /** New history rows per proxy per minute (a flood cannot push real rows out). */
  rowBudget: RowBudget;
  history: HistoryWriter;
  prompts: PromptQueue;
  /** Requests challenged by a proxy since this worker started (a request's retries count once). */
  challengesSeen: number;
  startedAt: number;
  vault: VaultState;
  /** Writes `breaker` and `requests` to storage.session behind a burst of changes. */
  snapshot: SessionSaver;
}

let statePromise: Promise<State> | undefined;
let loaded: State | undefined;

/** Resolves once profiles, settings and the session snapshot are loaded; the first 407 may be what woke us. */
export function ready(): Promise<State> {
  statePromise ??= hydrate().then(
    (s) => {
      loaded = s;
      stateLoaded();
      for (const task of loadedTasks) afterFirstAnswers(() => task(s));
      return s;
    },
    (err) => {
      statePromise = undefined;
      throw err;
    },
  );
  return statePromise;
}

/** The state if it is already loaded: event handlers for requests we never saw need not wake storage. */
export const loadedState = (): State | undefined => loaded;

/** Runs `fn` with the state: now if it is loaded, else once it is (a failed load drops it). */
export function withState(fn: (s: State) => void): void {
  if (loaded) fn(loaded);
  else ready().then(fn, () => {});
}

const loadedTasks: ((s: State) => void)[] = [];

/** Work the worker entry starts each time the state has loaded (orphan recovery, retention), after the first answers. */
export function whenLoaded(task: (s: State) => void): void {
  loadedTasks.push(task);
}

/**
 * One storage call when the worker was only stopped (storage.session holds everything, see
 * storage/start-image.ts); at browser start the other areas are read too, and copied there once the
 * state is made (not awaited: the first answer does not wait for that write).
 */
async function hydrate(): Promise<State> {
  const start = await readStart();
  // the policy as last read answers until the browser's own read is in (storage/start-image.ts)
  const sources = start.sources ?? (await readSourcesAtStart((managed) => void reloadPolicy(managed)));
  if (!start.sources) void saveStartImage(sources).catch(() => {});
  const { session } = start;
  const { local } = sources;
  const settings = settingsFromStored(sources.sync[SETTINGS_KEY]);
  const { profiles: records, problems } = readProfiles(local);
  const snapshot = storedSnapshot(session);
  const sessionProfiles = sessionProfilesOf(session);
  const meta = vaultMetaOf(local);
  const key = vaultKeyOf(session);
  const policy = policyOf(sources.managed);
  const verdicts = readVerdicts(local);
  const vault: VaultState = await vaultStateOf(meta, key);
  const profiles = mergeProfiles(policy, await openRecords(records, vault));
  if (policy.problems.length) console.warn('Proxy Auth Keeper: skipped broken policy entries:', policy.problems.map((p) => `${p.path}: ${p.code}`).join('; '));
  if (problems.length) console.warn('Proxy Auth Keeper: skipped unreadable profile records:', problems.map((p) => `${p.path}: ${p.code}`).join('; '));
  const breaker = new Breaker(Date.now, undefined, (k, status) => {
    inFlight.verdict(k); // the credential's probe window closes (core/in-flight.ts)
    persistVerdict(() => state.profiles, k, status);
  });
  breaker.restore(snapshot.breaker);
  // accepted in an earlier browser session, this same version: answered at once (core/breaker.ts 'remembered')
  breaker.remember(Object.keys(verdicts).filter((k) => isSavedVersion(profiles, k)));
  const requests = new Map(Object.entries(snapshot.requests));
  for (const [id, r] of requests) if (r.answeredWith) breaker.restoreSent(id, r.answeredWith);
  const index = indexOf(profiles, sessionProfiles);
  // open pages see rows as they are written; retention keeps the table within the user's limits
  const history = new HistoryWriter((entries) => {
    broadcast('history/written', { entries });
    scheduleRetention(state);
  }, () => new Promise((resolve) => afterFirstAnswers(resolve)));
  const snapshotOf = () => ({ breaker: state.breaker.snapshot(), requests: Object.fromEntries(state.requests) });
  const state: State = { settings: effectiveSettings(settings, policy.settings), profiles, sessionProfiles, problems, policy, index, breaker, requests, inherited: new Set(requests.keys()), history, rowBudget: new RowBudget(), prompts: new PromptQueue(), challengesSeen: 0, startedAt: Date.now(), vault, snapshot: new SessionSaver(snapshotOf) };
  return state;
}

/** What matching sees: a password that does not open in its record is never answered with. */
export const indexOf = (profiles: readonly Profile[], sessionProfiles: readonly Profile[]): ProfileIndex =>
  buildIndex([...profiles.filter((p) => !p.unopenable && !p.askOncePerSession), ...sessionProfiles]);

const askOnceIndexes = new WeakMap<readonly Profile[], ProfileIndex>();
/** The policy profiles without a password ("ask once per session"), for the challenges no profile answers. */
export function askOnceIndexOf(profiles: readonly Profile[]): ProfileIndex {
  let index = askOnceIndexes.get(profiles);
  if (!index) askOnceIndexes.set(profiles, (index = buildIndex(profiles.filter((p) => p.askOncePerSession && !p.unopenable))));
  return index;
}

/** The state to reload: the loaded one, or the one being loaded now (it may have read a copy older than the change). */
async function reloadable(): Promise<State | undefined> {
  return loaded ?? (statePromise ? statePromise.catch(() => undefined) : undefined);
}

export async function reloadProfiles(): Promise<void> {
  const loaded = await reloadable();
  if (!loaded) return;
  const { profiles: records, problems } = await loadProfiles();
  const profiles = mergeProfiles(loaded.policy, await openRecords(records, loaded.vault));
  Object.assign(loaded, { profiles, problems, index: indexOf(profiles, loaded.sessionProfiles) });
}

/**
 * The policy changed (storage.onChanged area 'managed'): read it again, or take `read` (the items a
 * read just returned), and merge it with the user's profiles.
 */
export async function reloadPolicy(read?: Record<string, unknown>): Promise<void> {
  const loaded = await reloadable();
  if (!loaded) return;
  const policy = read ? policyOf(read) : await loadPolicy();
  // a change found by a page's re-read (no storage event): the copy a stopped worker starts from follows it too
  if (JSON.stringify(policy) !== JSON.stringify(loaded.policy)) void refreshStartImage();
  loaded.policy = policy;
  await Promise.all([reloadProfiles(), reloadSettings()]);
}

export async function addSessionProfile(s: State, p: Profile): Promise<void> {
  s.sessionProfiles = [...s.sessionProfiles.filter((x) => x.id !== p.id), p];
  s.index = indexOf(s.profiles, s.sessionProfiles);
  await saveSessionProfiles(s.sessionProfiles);
}

export async function reloadSettings(): Promise<void> {
  const loaded = await reloadable();
  if (loaded) loaded.settings = effectiveSettings(await loadSettings(), loaded.policy.settings);
}
