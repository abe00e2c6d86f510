// The options page: History, Profiles and Settings as ARIA tabs, each deep-linkable (options.html#history).
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../components/i18n';
import { HistoryPage } from './history/history-page';
import { ProfilesPage } from './profiles/profiles-page';
import { SettingsPage } from './settings/settings-page';
import { PolicyBanner } from './policy-banner';

/** Each label is a message key. */
const SECTIONS = [
  { id: 'history', label: 'tabHistory', Page: HistoryPage },
  { id: 'profiles', label: 'tabProfiles', Page: ProfilesPage },
  { id: 'settings', label: 'tabSettings', Page: SettingsPage },
] as const;
type SectionId = (typeof SECTIONS)[number]['id'];

const sectionOf = (hash: string): SectionId => SECTIONS.find((s) => `#${s.id}` === hash)?.id ?? 'history';

export function App() {
  const [current, setCurrent] = useState<SectionId>(() => sectionOf(location.hash));
  // a section stays mounted once opened: History keeps its 100,000 rows when you come back
  const [opened, setOpened] = useState<Set<SectionId>>(() => new Set([current]));
  const tabs = useRef<Record<string, HTMLButtonElement | null>>({});

  useEffect(() => {
    const onHash = () => setCurrent(sectionOf(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    setOpened((o) => (o.has(current) ? o : new Set([...o, current])));
    const section = SECTIONS.find((s) => s.id === current) ?? SECTIONS[0];
    document.title = t('optionsDocumentTitle', t(section.label), t('extName'));
  }, [current]);

  const select = (id: SectionId, focus = false) => {
    if (location.hash !== `#${id}`) location.hash = id;
    setCurrent(id);
    if (focus) tabs.current[id]?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const i = SECTIONS.findIndex((s) => s.id === current);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: SECTIONS.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    select(SECTIONS[(to + SECTIONS.length) % SECTIONS.length]!.id, true);
  };

  return (
    <div class="options">
      <header class="options__header">
        <h1>{t('extName')}</h1>
        <div class="tabs" role="tablist" aria-label={t('optionsTabsLabel')} onKeyDown={onKeyDown}>
          {SECTIONS.map((s) => (
            <button
              key={s.id}
              ref={(el) => {
                tabs.current[s.id] = el;
              }}
              type="button"
              role="tab"
              id={`tab-${s.id}`}
              class="tab"
              aria-selected={current === s.id}
              aria-controls={`panel-${s.id}`}
              tabIndex={current === s.id ? 0 : -1}
              onClick={() => select(s.id)}
            >
              {t(s.label)}
            </button>
          ))}
        </div>
      </header>
      <PolicyBanner />
      {SECTIONS.map(({ id, label, Page }) => (
        <section key={id} id={`panel-${id}`} role="tabpanel" aria-labelledby={`tab-${id}`} class="panel" hidden={current !== id} tabIndex={0}>
          <h2 class="visually-hidden">{t(label)}</h2>
          {opened.has(id) && <Page />}
        </section>
      ))}
    </div>
  );
}
