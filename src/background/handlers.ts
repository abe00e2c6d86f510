// The worker's answers to page messages: profiles, history and settings.
import { inFlight } from './in-flight-tracker';
import { historyToCsv, historyToJson } from '../core/history-export';
import { broadcast } from '../messaging/broadcast';
import type { Handlers } from '../messaging/router';
import { clearHistory, queryHistory } from '../storage/history';
import { profileHandlers } from './profile-handlers';
import { vaultHandlers } from './vault-handlers';
import { loadSettings, saveSettings } from '../storage/settings';
import { exportProfiles, importProfiles } from './profile-transfer';
import { answerPrompt } from './prompt-answer';
import { finishPrompt } from './prompts';
import { scheduleRetention } from './retention';
import { noteVaultUse } from './vault-lock';
import { ready, reloadPolicy, reloadSettings } from './state';
import { applySettingsSave, forcedSettings, policyRules } from '../core/managed-policy';
import { validateSettings } from '../core/settings-schema';

export async function handlers(): Promise<Handlers> {
  const s = await ready();
  return {
    ...profileHandlers(s),
    'profiles/import': ({ text }) => importProfiles(s, text),
    'profiles/export': ({ includePasswords }) => exportProfiles(s, includePasswords),
    'history/query': async (q) => {
      await s.history.drain();
      return queryHistory(q);
    },
    'history/export': async ({ format }) => {
      await s.history.drain();
      const entries = await queryHistory();
      return { text: format === 'csv' ? historyToCsv(entries) : historyToJson(entries), count: entries.length };
    },
    'history/clear': async () => {
      await s.history.drain();
      await clearHistory();
      broadcast('history/removed', { ids: [], all: true });
      return { cleared: true };
    },
    'history/flush': async () => {
      await s.history.drain();
      return { flushed: true };
    },
    'prompts/list': () => s.prompts.list(),
    'prompts/answer': (a) => answerPrompt(s, a),
    'prompts/cancel': ({ id }) => ({ cancelled: finishPrompt(s, id, { kind: 'cancelled' }) }),
    'engine/status': () => ({
      startedAt: s.startedAt,
      challengesSeen: s.challengesSeen,
      promptsShown: s.prompts.shown,
      promptsPending: s.prompts.size,
      openBreakers: Object.values(s.breaker.snapshot()).filter((v) => v === 'bad').length,
      profileProblems: s.problems,
      startedWhileProbing: inFlight.startedWhileProbing,
      burstWaits: inFlight.waits,
      burstSafetyReleases: inFlight.safetyReleases,
    }),
    ...vaultHandlers(s),
    'settings/get': async () => {
      // read again: Chrome re-reads its policy on its own schedule
      await reloadPolicy();
      return { settings: s.settings, forced: forcedSettings(s.policy.settings), rules: policyRules(s.policy.settings) };
    },
    'settings/save': async (input) => {
      const checked = validateSettings(input);
      if (!checked.ok) return checked;
      const allowed = applySettingsSave(checked.settings, await loadSettings(), s.policy.settings);
      if (!allowed.ok) return allowed;
      const result = await saveSettings(allowed.settings);
      await reloadSettings();
      if (result.ok) {
        scheduleRetention(s, true);
        await noteVaultUse(s);
      }
      return result.ok ? { ok: true, value: s.settings } : result;
    },
    'policy/status': async () => {
      await reloadPolicy();
      return { active: s.policy.active, profiles: s.policy.profiles.length, problems: s.policy.problems };
    },
  };
}
