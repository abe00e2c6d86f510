// The filter bar above the history table: free text, proxy, realm, outcome, decision and time range.
import type { Decision } from '../../../core/model';
import { t } from '../../components/i18n';
import { type HistoryFilter, isFiltered, NO_FILTER, NO_REALM, TIME_RANGES, type TimeRange } from './filter';
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
    <div class="filters" role="search" aria-label={t('historyFiltersLabel')}>
      <div class="field filter filter--text">
        <label for="filter-text">{t('historySearch')}</label>
        <input id="filter-text" type="search" value={filter.text} placeholder={t('historySearchPlaceholder')} spellcheck={false} onInput={set('text')} />
      </div>
      {select('proxy', t('historyFieldProxy'), [['', t('historyAllProxies')], ...choices.proxies.map((p): [string, string] => [p, p])])}
      {select('realm', t('historyFieldRealm'), [['', t('historyAllRealms')], ...choices.realms.map((r): [string, string] => [r, r === NO_REALM ? t('historyRealmNone') : r])])}
      {select('outcome', t('historyFieldOutcome'), [['', t('historyAllOutcomes')], ...OUTCOMES.map((o): [string, string] => [o, OUTCOME_LABELS[o]])])}
      {select('decision', t('historyFieldDecision'), [['', t('historyAllDecisions')], ...(Object.keys(DECISION_LABELS) as Decision[]).map((d): [string, string] => [d, DECISION_LABELS[d]])])}
      {select('range', t('historyTimeRange'), (Object.keys(TIME_RANGES) as TimeRange[]).map((r): [string, string] => [r, t(TIME_RANGES[r].label)]))}
      <button type="button" class="button filter__reset" disabled={!isFiltered(filter)} onClick={() => onChange(NO_FILTER)}>
        {t('historyResetFilters')}
      </button>
    </div>
  );
}
