// The filter bar above the history table: free text, proxy, realm, outcome, decision and time range.
import type { Decision } from '../../../core/model';
import { type HistoryFilter, isFiltered, NO_FILTER, TIME_RANGES, type TimeRange } from './filter';
import { DECISION_LABELS, OUTCOME_LABELS, OUTCOMES } from './labels';

interface HistoryFiltersProps {
  filter: HistoryFilter;
  choices: { proxies: string[]; realms: string[] };
  onChange: (filter: HistoryFilter) => void;
}

export function HistoryFilters({ filter, choices, onChange }: HistoryFiltersProps) {
  const set = (key: keyof HistoryFilter) => (e: Event) => onChange({ ...filter, [key]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  const select = (key: keyof HistoryFilter, label: string, options: [string, string][]) => (
    <div class="field filter">
      <label for={`filter-${key}`}>{label}</label>
      <select id={`filter-${key}`} value={filter[key]} onChange={set(key)}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div class="filters" role="search" aria-label="Filter history">
      <div class="field filter filter--text">
        <label for="filter-text">Search</label>
        <input id="filter-text" type="search" value={filter.text} placeholder="Address, profile, diagnosis…" spellcheck={false} onInput={set('text')} />
      </div>
      {select('proxy', 'Proxy', [['', 'All proxies'], ...choices.proxies.map((p): [string, string] => [p, p])])}
      {select('realm', 'Realm', [['', 'All realms'], ...choices.realms.map((r): [string, string] => [r, r])])}
      {select('outcome', 'Outcome', [['', 'All outcomes'], ...OUTCOMES.map((o): [string, string] => [o, OUTCOME_LABELS[o]])])}
      {select('decision', 'Decision', [['', 'All decisions'], ...(Object.keys(DECISION_LABELS) as Decision[]).map((d): [string, string] => [d, DECISION_LABELS[d]])])}
      {select('range', 'Time range', (Object.keys(TIME_RANGES) as TimeRange[]).map((r): [string, string] => [r, TIME_RANGES[r].label]))}
      <button type="button" class="button filter__reset" disabled={!isFiltered(filter)} onClick={() => onChange(NO_FILTER)}>
        Reset filters
      </button>
    </div>
  );
}
