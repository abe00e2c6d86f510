// The worker's answers to page messages: profiles, history and settings.
import { problem } from '../core/problems';
import { historyToCsv, historyToJson } from '../core/history-export';
import type { Profile } from '../core/model';
import { ProfileFieldsSchema, validate } from '../core/profile-schema';
import { broadcast } from '../messaging/broadcast';
import type { Handlers } from '../messaging/router';
import { clearHistory, queryHistory } from '../storage/history';
import { deleteProfile, loadProfiles } from '../storage/profiles';
import { persistProfile } from './vault';
import { vaultHandlers } from './vault-handlers';
import { loadSettings, saveSettings } from '../storage/settings';
import { exportProfiles, importProfiles } from './profile-transfer';
import { answerPrompt } from './prompt-answer';
import { finishPrompt } from './prompts';
import { scheduleRetention } from './retention';
import { ready, reloadProfiles, reloadSettings } from './state';

export async function handlers(): Promise<Handlers> {
  const s = await ready();
  return {
    'profiles/list': () => loadProfiles(),
    'profiles/save': async (input) => {
      if (typeof input !== 'object' || input === null) return { ok: false, problems: [problem('(root)', 'profile-not-object')] };
      if (input.id !== undefined && (typeof input.id !== 'string' || !input.id.trim()))
        return { ok: false, problems: [problem('id', 'id-not-text')] };
      const parsed = validate(ProfileFieldsSchema, input);
      if (!parsed.ok) return parsed;
      const now = Date.now();
      const existing = input.id ? s.profiles.find((p) => p.id === input.id) : undefined;
      const profile: Profile = {
        ...parsed.value,
        // an unknown id is kept: Undo after a delete restores the profile as it was
        id: existing?.id ?? input.id?.trim() ?? crypto.randomUUID(),
        createdAt: existing?.createdAt ?? now,
        // strictly increasing so every edit makes a new credential version for the breaker
        updatedAt: Math.max(now, (existing?.updatedAt ?? 0) + 1),
        lastUsedAt: existing?.lastUsedAt ?? null,
      };
      if (s.vault.meta && !s.vault.key) return { ok: false, problems: [problem('password', 'vault-locked-edit')] };
      await persistProfile(profile, s.vault);
      await reloadProfiles();
      return { ok: true, value: profile };
    },
    'profiles/delete': async ({ id }) => {
      const existed = s.profiles.some((p) => p.id === id);
      await deleteProfile(id);
      await reloadProfiles();
      return { deleted: existed };
    },
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
      openBreakers: Object.values(s.gate.snapshot()).filter((v) => v === 'bad').length,
      profileProblems: s.problems,
    }),
    ...vaultHandlers(s),
    'settings/get': () => loadSettings(),
    'settings/save': async (input) => {
      const result = await saveSettings(input);
      await reloadSettings();
      if (result.ok) scheduleRetention(s, true);
      return result.ok ? { ok: true, value: result.settings } : result;
    },
  };
}
