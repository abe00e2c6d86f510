// Validation of the user's settings; anything unreadable falls back to the default, field by field.
import * as v from 'valibot';
import { DEFAULT_SETTINGS, type Settings } from './model';
import { type Problem, validate } from './profile-schema';

/** The browser gives up on a waiting request after about five minutes; prompts must end first. */
export const MAX_PROMPT_TIMEOUT_SECONDS = 290;

export const SettingsSchema = v.object({
  noMatch: v.picklist(['ask', 'browser', 'cancel'], 'When nothing matches must be ask, browser or cancel'),
  promptTimeoutSeconds: v.pipe(
    v.number('Prompt timeout must be a number'),
    v.integer('Prompt timeout must be whole seconds'),
    v.minValue(1, 'Prompt timeout must be at least 1 second'),
    v.maxValue(MAX_PROMPT_TIMEOUT_SECONDS, `Prompt timeout must be under 5 minutes (at most ${MAX_PROMPT_TIMEOUT_SECONDS} s)`),
  ),
  historyRetentionDays: v.pipe(v.number('Retention must be a number'), v.integer(), v.minValue(1, 'Keep history at least 1 day'), v.maxValue(3650, 'Keep history at most 3650 days')),
  historyMaxRows: v.pipe(v.number('Max rows must be a number'), v.integer(), v.minValue(100, 'Keep at least 100 rows'), v.maxValue(1_000_000, 'Keep at most 1,000,000 rows')),
  stripQueryStrings: v.boolean('Strip query strings must be on or off'),
  vaultEnabled: v.boolean('Vault must be on or off'),
});

export function validateSettings(input: unknown): { ok: true; settings: Settings } | { ok: false; problems: Problem[] } {
  const r = validate(SettingsSchema, input);
  return r.ok ? { ok: true, settings: r.value } : r;
}

/** Reads stored settings leniently: each bad or missing field takes its default. */
export function settingsFromStored(stored: unknown): Settings {
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  if (stored && typeof stored === 'object') {
    for (const [k, schema] of Object.entries(SettingsSchema.entries)) {
      const r = v.safeParse(schema, (stored as Record<string, unknown>)[k]);
      if (r.success) out[k] = r.output;
    }
  }
  return out as unknown as Settings;
}
