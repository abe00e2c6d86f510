// Validation of the user's settings; anything unreadable falls back to the default, field by field.
import * as v from 'valibot';
import { DEFAULT_SETTINGS, type Settings } from './model';
import { type Problem, validate } from './profile-schema';
import { problem } from './problems';

/** The browser gives up on a waiting request after about five minutes; prompts must end first. */
export const MAX_PROMPT_TIMEOUT_SECONDS = 290;
/** Auto-lock: at most a day of idle minutes (0 turns it off). */
export const MAX_AUTO_LOCK_MINUTES = 1440;

export const SettingsSchema = v.object({
  noMatch: v.picklist(['ask', 'browser', 'cancel'], 'no-match-invalid'),
  promptTimeoutSeconds: v.pipe(
    v.number('prompt-timeout-not-number'),
    v.integer('prompt-timeout-not-whole'),
    v.minValue(1, 'prompt-timeout-too-short'),
    v.maxValue(MAX_PROMPT_TIMEOUT_SECONDS, 'prompt-timeout-too-long'),
  ),
  historyRetentionDays: v.pipe(v.number('retention-not-number'), v.integer('retention-not-whole'), v.minValue(1, 'retention-too-short'), v.maxValue(3650, 'retention-too-long')),
  historyMaxRows: v.pipe(v.number('max-rows-not-number'), v.integer('max-rows-not-whole'), v.minValue(100, 'max-rows-too-few'), v.maxValue(1_000_000, 'max-rows-too-many')),
  stripQueryStrings: v.boolean('strip-query-not-boolean'),
  vaultAutoLockMinutes: v.pipe(
    v.number('auto-lock-not-number'),
    v.integer('auto-lock-not-whole'),
    v.minValue(0, 'auto-lock-out-of-range'),
    v.maxValue(MAX_AUTO_LOCK_MINUTES, 'auto-lock-out-of-range'),
  ),
});

export function validateSettings(input: unknown): { ok: true; settings: Settings } | { ok: false; problems: Problem[] } {
  const r = validate(SettingsSchema, input);
  if (r.ok) return { ok: true, settings: r.value };
  // the limit is a constant here, so the message takes it as a parameter
  return { ok: false, problems: r.problems.map((p) => (p.code === 'prompt-timeout-too-long' ? problem(p.path, p.code, { max: MAX_PROMPT_TIMEOUT_SECONDS }) : p.code === 'auto-lock-out-of-range' ? problem(p.path, p.code, { max: MAX_AUTO_LOCK_MINUTES }) : p)) };
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
