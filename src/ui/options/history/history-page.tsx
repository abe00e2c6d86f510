// The History section: chart, filters, the virtualised table of every proxy challenge, its diagnosis, export and clear.
import { useEffect, useMemo, useState } from 'preact/hooks';
import './history.css';
import { entriesNear, findingsOf } from '../../../core/diagnose';
import { historyToCsv, historyToJson } from '../../../core/history-export';
import type { HistoryEntry, ProfileView } from '../../../core/model';
import { send } from '../../../messaging/send';
import { findingLine, profileLabelText } from '../../components/codes-text';
import type { ProfileLabel } from '../../../core/profile-label';
import { t, uiLanguage } from '../../components/i18n';
import { downloadText, fileName } from '../download';
import { ClearHistory } from './clear-history';
import { EntryDetail } from './entry-detail';
import { EXPORT_LANGUAGES, type ExportLanguage, exportCatalog, languageName } from './export-language';
import { filterChoices, filterHistory, type HistoryFilter, NO_FILTER, prepareSearch } from './filter';
import { HistoryChart } from './history-chart';
import { HistoryFilters } from './history-filters';
import { HistoryTable } from './history-table';
import { useHistory } from './use-history';

/** Rows prepared for the free-text search per idle slice once the history has loaded. */
const PREPARE_SLICE = 2_000;

/** "1,500 challenges", or "42 of 1,500 challenges" while filtered: the noun agrees with the total. */
function countText(shown: number, total: number): string {
  const n = (x: number) => x.toLocaleString(uiLanguage());
  if (shown === total) return total === 1 ? t('historyCountOne') : t('historyCountMany', n(total));
  return total === 1 ? t('historyCountOfOne', n(shown)) : t('historyCountOfMany', n(shown), n(total));
}

export function HistoryPage() {
  const { entries, complete, error } = useHistory();
  const [filter, setFilter] = useState<HistoryFilter>(NO_FILTER);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [profiles, setProfiles] = useState<ProfileView[]>([]);
  const [notice, setNotice] = useState('');
  const [exportLanguage, setExportLanguage] = useState<ExportLanguage>('en');

  // every keystroke filters at once: the search text of each row is prepared while the page is idle,
  // after that a search over 100,000 rows is a few milliseconds (scripts/bench-history.ts measures it)
  useEffect(() => {
    if (!complete) return;
    let next = 0;
    let handle = 0;
    const slice = (idle: IdleDeadline) => {
      while (next < entries.length && idle.timeRemaining() > 1) {
        next += PREPARE_SLICE;
        prepareSearch(entries, next);
      }
      if (next < entries.length) handle = requestIdleCallback(slice);
    };
    handle = requestIdleCallback(slice);
    return () => cancelIdleCallback(handle);
  }, [entries, complete]);

  useEffect(() => {
    send('profiles/list').then((r) => setProfiles(r.profiles), () => {});
  }, [selectedId]);

  const rows = useMemo(() => filterHistory(entries, filter, Date.now()), [entries, filter]);
  const choices = useMemo(() => filterChoices(entries), [entries]);
  const selected = useMemo(() => (selectedId ? (entries.find((e) => e.id === selectedId) ?? null) : null), [entries, selectedId]);
  const context = (e: HistoryEntry) => ({ profiles, recent: entriesNear(entries, e.at) });

  const exportAs = async (format: 'csv' | 'json') => {
    let catalog;
    try {
      catalog = await exportCatalog(exportLanguage);
    } catch (err) {
      return setNotice(t('historyExportFailed', err instanceof Error ? err.message : String(err)));
    }
    const withDiagnosis = rows.map((e) => ({ ...e, diagnosis: findingsOf(e, context(e)) }));
    const describe = (f: Parameters<typeof findingLine>[0]) => findingLine(f, catalog);
    const profile = (l: ProfileLabel) => profileLabelText(l, catalog);
    const text = format === 'csv' ? historyToCsv(withDiagnosis, describe, profile) : historyToJson(withDiagnosis, describe, profile);
    downloadText(fileName('history', format), text, format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json');
    setNotice(t('historyExported', rows.length.toLocaleString(uiLanguage()), format.toUpperCase()));
  };

  const clear = async () => {
    await send('history/clear');
    setSelectedId(null);
    setNotice(t('historyCleared'));
  };

  return (
    <div class={`history${selected ? ' has-detail' : ''}`}>
      <div class="history__content">
        {error && (
          <p class="notice notice--error" role="alert">
            {t('historyLoadFailed', error)}
          </p>
        )}
        <HistoryChart entries={rows} />
        <HistoryFilters filter={filter} choices={choices} onChange={setFilter} />
        <div class="history__bar">
          <p class="history__count" role="status" data-count={rows.length}>
            {countText(rows.length, entries.length)}
            {complete ? '' : ` ${t('historyStillLoading')}`}
            {notice && <span class="muted"> · {notice}</span>}
          </p>
          <div class="actions">
            <label class="history__language">
              <span>{t('historyExportLanguage')}</span>
              <select value={exportLanguage} onChange={(ev) => setExportLanguage((ev.target as HTMLSelectElement).value as ExportLanguage)}>
                {EXPORT_LANGUAGES.map((lang) => (
                  <option key={lang} value={lang} lang={lang}>
                    {languageName(lang)}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" class="button" disabled={!complete} onClick={() => exportAs('csv')}>
              {t('historyExport', 'CSV')}
            </button>
            <button type="button" class="button" disabled={!complete} onClick={() => exportAs('json')}>
              {t('historyExport', 'JSON')}
            </button>
            <ClearHistory count={entries.length} onClear={clear} />
          </div>
        </div>
        {entries.length === 0 && complete ? (
          <div class="empty">
            <p class="empty__title">{t('historyEmptyTitle')}</p>
            <p>{t('historyEmptyBody')}</p>
          </div>
        ) : (
          <HistoryTable rows={rows} selectedId={selectedId} onOpen={(e) => setSelectedId(e.id)} />
        )}
      </div>
      {selected && <EntryDetail entry={selected} findings={findingsOf(selected, context(selected))} onClose={() => setSelectedId(null)} />}
    </div>
  );
}
