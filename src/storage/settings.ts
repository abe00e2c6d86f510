// Settings in storage.sync (they follow the user; never a secret in here).
import browser from 'webextension-polyfill';
import { setSync } from './copied-areas';
import type { Settings } from '../core/model';
import { settingsFromStored, validateSettings } from '../core/settings-schema';
import type { Problem } from '../core/profile-schema';

const KEY = 'settings';

export async function loadSettings(): Promise<Settings> {
  const items = await browser.storage.sync.get(KEY);
  return settingsFromStored(items[KEY]);
}

export async function saveSettings(input: unknown): Promise<{ ok: true; settings: Settings } | { ok: false; problems: Problem[] }> {
  const result = validateSettings(input);
  if (result.ok) await setSync({ [KEY]: result.settings });
  return result;
}

export const SETTINGS_KEY = KEY;
