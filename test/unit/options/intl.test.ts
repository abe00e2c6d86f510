// Dates, times and numbers on the pages follow the browser's UI language: the chart's time axis, numbers in messages, relative times.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { t } from '../../../src/ui/components/i18n';
import { formatRelativeTime } from '../../../src/ui/components/relative-time';
import { timeAxisLabels } from '../../../src/ui/options/history/chart-time';
import { fakeBrowser } from '../../support/fake-browser';

const at = (h: number, m: number, day = 3) => new Date(2026, 11, day, h, m).getTime() / 1000;

describe('the chart time axis', () => {
  const ticks = [at(23, 50, 2), at(23, 55, 2), at(0, 0), at(0, 5)];
  it('writes times of day the way the language does, the date under the first tick and each new day', () => {
    expect(timeAxisLabels(ticks, 300, 'de')).toEqual(['23:50\n2. Dez.', '23:55', '00:00\n3. Dez.', '00:05']);
    expect(timeAxisLabels(ticks, 300, 'fr')).toEqual(['23:50\n2 déc.', '23:55', '00:00\n3 déc.', '00:05']);
    expect(timeAxisLabels(ticks, 300, 'en')).toEqual(['11:50 PM\nDec 2', '11:55 PM', '12:00 AM\nDec 3', '12:05 AM']);
  });
  it('days and months once ticks are that far apart', () => {
    expect(timeAxisLabels([at(0, 0, 3), at(0, 0, 4)], 86_400, 'de')).toEqual(['3. Dez.', '4. Dez.']);
    expect(timeAxisLabels([new Date(2026, 10, 1).getTime() / 1000, new Date(2026, 11, 1).getTime() / 1000], 30 * 86_400, 'fr')).toEqual(['nov. 2026', 'déc. 2026']);
  });
});

describe('numbers and relative times in the UI language', () => {
  afterEach(() => vi.restoreAllMocks());
  it('a number given to a message is written the way the UI language writes numbers', () => {
    vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue('de');
    const getMessage = vi.spyOn(fakeBrowser.i18n, 'getMessage');
    t('waitingMany', 1234);
    expect(getMessage).toHaveBeenLastCalledWith('waitingMany', ['1.234']);
    t('profileDeleted', '1234');
    expect(getMessage).toHaveBeenLastCalledWith('profileDeleted', ['1234']);
  });
  it('English groups with commas', () => {
    expect(t('waitingMany', 1234)).toBe('1,234 requests are waiting.');
  });
  it('relative times in the UI language', () => {
    vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue('fr');
    const now = Date.now();
    expect(formatRelativeTime(now - 5 * 60_000, now)).toBe('il y a 5 minutes');
    expect(formatRelativeTime(now - 26 * 3_600_000, now, 'de')).toBe('gestern');
  });
});
