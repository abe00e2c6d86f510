// The chart's time axis in the UI language (uPlot's own labels are English: "11:30am", "12/3/26").

const DAY_S = 86_400;

/**
 * Labels for ticks at `ticks` (seconds since the epoch) `step` seconds apart: times of day while
 * ticks are less than a day apart, with the date under the first tick and under each new day; whole
 * days as day and month; a month or more as month and year.
 */
export function timeAxisLabels(ticks: readonly number[], step: number, locale: string): string[] {
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const day = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });
  const month = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric' });
  let lastDay = '';
  return ticks.map((tick) => {
    const at = new Date(tick * 1000);
    if (step >= 28 * DAY_S) return month.format(at);
    const date = day.format(at);
    if (step >= DAY_S) return date;
    const label = date === lastDay ? time.format(at) : `${time.format(at)}\n${date}`;
    lastDay = date;
    return label;
  });
}
