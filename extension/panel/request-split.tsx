// The request list and the selected request's details, laid out for the dock size: the list alone until a row is
// selected; then side by side with the list collapsed to URL, verdict and status (as Network collapses to Name),
// or stacked, the list on top, when the panel is narrow (docked right). Esc closes the details.
import { useCallback, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { sortedBy, START_ORDER, type Sort } from './filtering';
import type { WireEntry } from '../protocol/messages';
import { RequestList } from './request-list';
import { DetailView } from './detail-view';
import { ErrorBoundary } from '../ui/error-boundary';
import { RowMenu, type MenuAt } from './row-menu';

interface Props {
  entries: WireEntry[];
  all: WireEntry[];
  selectedSeq: number | null;
  onSelect(seq: number | null): void;
  framework: string | null;
  onFramework(id: string): void;
  /** Shown instead of the list when no row is left (a filter that matches nothing). */
  empty?: ReactNode;
  /** The entries come from a HAR file. */
  fromFile?: boolean;
}

export function RequestSplit({ entries, all, selectedSeq, onSelect, framework, onFramework, empty, fromFile }: Props) {
  const selected = selectedSeq === null ? null : (all.find((e) => e.seq === selectedSeq) ?? null);
  const [sort, setSort] = useState<Sort>(START_ORDER);
  // `entries` come in start order; another column's order is applied here.
  const shown = useMemo(() => (sort === START_ORDER ? entries : sortedBy(entries, sort)), [entries, sort]);
  const [listWidth, setListWidth] = useState(38);
  const [menu, setMenu] = useState<MenuAt | null>(null);
  const openMenu = useCallback((seq: number, x: number, y: number) => setMenu({ seq, x, y }), []);
  const closeMenu = useCallback(() => setMenu(null), []);
  const menuEntry = menu ? all.find((e) => e.seq === menu.seq) : undefined;
  return (
    <div
      className={`split${selected ? ' has-selection' : ''}`}
      data-testid="split"
      style={{ '--list-w': `${listWidth}%` } as CSSProperties}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && selected) {
          e.preventDefault();
          onSelect(null);
        }
      }}>
      {entries.length === 0 && empty ? (
        empty
      ) : (
        <ErrorBoundary label="request list">
          <RequestList
            entries={shown}
            selectedSeq={selectedSeq}
            onSelect={onSelect}
            onMenu={openMenu}
            sort={sort}
            onSort={setSort}
            edge={selected && <Splitter percent={listWidth} onPercent={setListWidth} />}
          />
        </ErrorBoundary>
      )}
      {menu && menuEntry && <RowMenu at={menu} entry={menuEntry} framework={framework} onClose={closeMenu} />}
      {selected && (
        <ErrorBoundary label="request details" resetKey={selectedSeq}>
          <DetailView
            entry={selected}
            all={all}
            framework={framework}
            onFramework={onFramework}
            onClose={() => onSelect(null)}
            fromFile={fromFile}
          />
        </ErrorBoundary>
      )}
    </div>
  );
}

/** Drag (or ←/→ on it) to give the list or the details more room, as Network's split does. */
function Splitter({ percent, onPercent }: { percent: number; onPercent(p: number): void }) {
  const clamp = (p: number) => Math.round(Math.max(20, Math.min(75, p)));
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    const split = e.currentTarget.closest('.split');
    if (!split) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const r = split.getBoundingClientRect();
    const move = (ev: PointerEvent) => onPercent(clamp(((ev.clientX - r.left) / r.width) * 100));
    const up = () => {
      removeEventListener('pointermove', move);
      removeEventListener('pointerup', up);
    };
    addEventListener('pointermove', move);
    addEventListener('pointerup', up);
  };
  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the request list"
      tabIndex={0}
      aria-valuenow={percent}
      aria-valuemin={20}
      aria-valuemax={75}
      onPointerDown={onPointerDown}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
          e.preventDefault();
          onPercent(clamp(percent + (e.key === 'ArrowLeft' ? -5 : 5)));
        }
      }}
    />
  );
}
