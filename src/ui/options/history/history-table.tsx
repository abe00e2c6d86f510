// The history table, virtualised: fixed-height rows, and only those in view (plus a few) are in the DOM.
import { isManagedId } from '../../../core/managed-policy';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import './table.css';
import type { HistoryEntry } from '../../../core/model';
import { profileText } from '../../components/codes-text';
import { t } from '../../components/i18n';
import { DECISION_LABELS, formatShortTime, formatTime, OUTCOME_LABELS, proxyLabel } from './labels';

export const ROW_HEIGHT = 34;
const OVERSCAN = 8;

/** Message keys of the column headers. */
const COLUMNS = ['historyFieldTime', 'historyFieldPage', 'historyFieldProxy', 'historyFieldRealm', 'historyFieldScheme', 'historyFieldProfile', 'historyFieldDecision', 'historyFieldOutcome', 'historyFieldAttempts'] as const;

interface HistoryTableProps {
  rows: readonly HistoryEntry[];
  selectedId: string | null;
  onOpen: (entry: HistoryEntry) => void;
}

export function HistoryTable({ rows, selectedId, onOpen }: HistoryTableProps) {
  const body = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const frame = useRef(0);

  useLayoutEffect(() => {
    const el = body.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight || 600);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A shorter list (a new filter) must not leave the view scrolled past its end.
  useLayoutEffect(() => {
    const el = body.current;
    if (el && el.scrollTop > rows.length * ROW_HEIGHT) el.scrollTop = 0;
  }, [rows]);

  const onScroll = () => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => setScrollTop(body.current?.scrollTop ?? 0));
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);

  return (
    <div class="vtable" role="table" aria-label={t('historyTableLabel')} aria-rowcount={rows.length + 1}>
      <div class="vtable__head" role="rowgroup">
        <div class="vtable__row" role="row" aria-rowindex={1}>
          {COLUMNS.map((c) => (
            <div key={c} role="columnheader" class="vtable__cell">
              {t(c)}
            </div>
          ))}
        </div>
      </div>
      <div class="vtable__body" role="rowgroup" ref={body} onScroll={onScroll}>
        <div class="vtable__spacer" style={{ height: `${rows.length * ROW_HEIGHT}px` }}>
          {visible.map((e, i) => (
            <Row key={e.id} entry={e} index={first + i} selected={e.id === selectedId} onOpen={onOpen} />
          ))}
        </div>
      </div>
    </div>
  );
}

function Row({ entry: e, index, selected, onOpen }: { entry: HistoryEntry; index: number; selected: boolean; onOpen: (e: HistoryEntry) => void }) {
  return (
    <div
      class={`vtable__row vtable__row--body${selected ? ' is-selected' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      data-id={e.id}
      data-at={e.at}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      onClick={() => onOpen(e)}
    >
      <div role="cell" class="vtable__cell">
        <button type="button" class="vtable__open" title={formatTime(e.at)} aria-current={selected ? 'true' : undefined} onClick={(ev) => (ev.stopPropagation(), onOpen(e))}>
          {formatShortTime(e.at)}
        </button>
      </div>
      <div role="cell" class="vtable__cell vtable__cell--url" title={e.url}>
        {e.url || (e.private ? t('historyPrivate') : '')}
      </div>
      <div role="cell" class="vtable__cell" title={proxyLabel(e)}>
        {proxyLabel(e)}
      </div>
      <div role="cell" class="vtable__cell" title={e.realm ?? ''}>
        {e.realm ?? '—'}
      </div>
      <div role="cell" class="vtable__cell">
        {e.scheme || '—'}
      </div>
      <div role="cell" class="vtable__cell" title={profileText(e)}>
        {profileText(e) || '—'}
        {e.profileId !== null && isManagedId(e.profileId) && (
          <span class="badge badge--managed history-managed" title={t('historyManagedTitle')}>
            {t('historyManagedMark')}
          </span>
        )}
      </div>
      <div role="cell" class="vtable__cell vtable__cell--label" title={e.decision} data-decision={e.decision}>
        {DECISION_LABELS[e.decision] ?? e.decision}
      </div>
      <div role="cell" class="vtable__cell vtable__cell--label">
        <span class={`outcome outcome--${e.outcome}`} data-outcome={e.outcome}>{OUTCOME_LABELS[e.outcome] ?? e.outcome}</span>
      </div>
      <div role="cell" class="vtable__cell vtable__cell--num">
        {e.attempts}
      </div>
    </div>
  );
}
