// "3 minutes ago" from a timestamp, in the browser's language (Intl.RelativeTimeFormat).
import { uiLanguage } from './i18n';

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** Relative time of `at` seen from `now`, e.g. "now", "5 minutes ago", "yesterday". */
export function formatRelativeTime(at: number, now: number, locale = uiLanguage()): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  let amount = (at - now) / 1000;
  if (Math.abs(amount) < 45) return format.format(0, 'second');
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return format.format(Math.trunc(amount), unit);
    amount /= size;
  }
  return format.format(Math.trunc(amount), 'year');
}
