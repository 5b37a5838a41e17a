// The virtualised request list: stays smooth with 50,000 rows; ↑/↓/Home/End/PageUp/PageDown move the selection.
import { memo, useRef, useCallback, type KeyboardEvent, type ReactElement, type ReactNode } from 'react';
import { useVirtualizer, type VirtualItem } from '@tanstack/react-virtual';
import type { WireEntry } from '../protocol/messages';
import { VerdictBadge } from '../ui/verdict-badge';
import { shortReason, initiatorType, statusOf, durationOf } from '../ui/describe';
import { START_ORDER, type Sort, type SortKey } from './filtering';
import { ColumnResizer, useColumnWidths, widthStyle, type Widths } from './column-widths';

const ROW = 22;

interface Props {
  entries: WireEntry[];
  selectedSeq: number | null;
  onSelect(seq: number): void;
  /** The context menu for a row (right-click, or the context-menu key on the selected one). */
  onMenu?(seq: number, x: number, y: number): void;
  /** Column sort: a header click sorts by it, a second click reverses, a third goes back to start order. */
  sort?: Sort;
  onSort?(s: Sort): void;
  /** Drawn on the list's right edge (the splitter beside the details). */
  edge?: ReactNode;
}

export function RequestList({ entries, selectedSeq, onSelect, onMenu, sort, onSort, edge }: Props) {
  const parent = useRef<HTMLDivElement>(null);
  // initialRect: rows before the first measurement (and in jsdom, which has no layout).
  // eslint-disable-next-line react-hooks/incompatible-library -- a note for the React Compiler (it would skip memoizing this component), which this build does not run.
  const v = useVirtualizer({
    count: entries.length,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW,
    overscan: 12,
    initialRect: { width: 800, height: 600 },
  });
  const items = v.getVirtualItems();
  // Row elements are recycled: the row at index i always takes slot i mod the pool size, so the row scrolling in takes
  // over the elements of a row that scrolled out and React only rewrites their text, instead of unmounting one subtree
  // and mounting another every frame. The garbage those subtrees made set off major GCs while scrolling
  // (test/bench/trace-scroll.ts), each one a dropped frame when it landed on one. A slot with no row in the window keeps
  // its last row as it is, a real row at its own offset beyond the overscan (off screen), until a row scrolling in
  // takes the slot: hiding or blanking it would cost a render per row that scrolls out (blanking would even make React
  // replace every text node twice: a text node is only rewritten in place from one non-empty text to another). Those
  // rows only live while the list is the same: a new list (filter, clear, new requests) unmounts them, so no stale row
  // stays in the DOM. The pool only grows (a taller window).
  const pool = useRef(64);
  while (pool.current < items.length) pool.current *= 2;
  const inWindow: (VirtualItem | undefined)[] = new Array(pool.current).fill(undefined);
  for (const vi of items) inWindow[vi.index % pool.current] = vi;
  const slots = useRef<{ of: WireEntry[]; slots: (Slot | undefined)[] }>({ of: entries, slots: [] });
  if (slots.current.of !== entries) {
    slots.current.of = entries;
    slots.current.slots = slots.current.slots.map((x, k) => (inWindow[k] ? x : undefined));
  }
  const index = selectedSeq === null ? -1 : entries.findIndex((e) => e.seq === selectedSeq);

  const move = useCallback(
    (to: number) => {
      if (entries.length === 0) return;
      const i = Math.max(0, Math.min(entries.length - 1, to));
      onSelect(entries[i].seq);
      v.scrollToIndex(i, { align: 'auto' });
    },
    [entries, onSelect, v],
  );

  const onKey = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((parent.current?.clientHeight ?? 300) / ROW) - 1);
    // Enter opens the details of the row the keyboard is on (the first row when none is yet).
    const keys: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: entries.length - 1,
      PageDown: index + page,
      PageUp: index - page,
      Enter: Math.max(0, index),
    };
    if (e.key in keys) {
      e.preventDefault();
      move(keys[e.key]);
      return;
    }
    if (onMenu && index >= 0 && (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey))) {
      e.preventDefault();
      const r = document.getElementById(`req-${entries[index].seq}`)?.getBoundingClientRect();
      onMenu(entries[index].seq, r ? r.left + 24 : 0, r ? r.bottom : 0);
    }
  };
  // One listener for every row: rows are recycled, and their elements are handed back unchanged when nothing changed.
  const onContextMenu = (e: React.MouseEvent) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('[role=option]');
    if (!onMenu || !row) return;
    e.preventDefault();
    const seq = Number(row.id.slice(4));
    onSelect(seq);
    onMenu(seq, e.clientX, e.clientY);
  };

  const activeId = index >= 0 ? `req-${entries[index].seq}` : undefined;
  const widths = useColumnWidths();
  return (
    <div className="list-wrap" style={widthStyle(widths)}>
      {onSort ? <ListHead sort={sort ?? START_ORDER} onSort={onSort} widths={widths} /> : LIST_HEAD}
      <div
        ref={parent}
        className="list"
        role="listbox"
        tabIndex={0}
        aria-label="Cross-origin requests"
        aria-activedescendant={activeId}
        onKeyDown={onKey}
        onContextMenu={onContextMenu}>
        <div className="list-body" style={{ height: v.getTotalSize() }}>
          {inWindow.map((vi, slot) => slotElement(slots.current.slots, slot, vi, entries, selectedSeq, onSelect))}
        </div>
      </div>
      {edge}
    </div>
  );
}

// One element for every render: React skips an element it has already rendered (a list render per scroll frame).
// The verdict comes right after the URL: it is what a user scans the list for.
const COLUMNS: [SortKey, string][] = [
  ['method', 'Method'],
  ['url', 'URL'],
  ['verdict', 'Verdict'],
  ['status', 'Status'],
  ['reason', 'Reason'],
  ['type', 'Type'],
  ['time', 'Time'],
];

// One element for every render when the list is not sortable: React skips an element it has already rendered.
const LIST_HEAD = (
  <div className="list-head" aria-hidden="true">
    {COLUMNS.map(([k, label]) => (
      <span key={k} className={`c-${k}`}>
        {label}
      </span>
    ))}
  </div>
);

// Every column but the last has a resizer on its right edge (the last one ends at the list's edge). memo: the list
// renders on every scroll frame, and the resizers measure their cells after they render (a forced layout).
const ListHead = memo(function ListHead({
  sort,
  onSort,
  widths,
}: {
  sort: Sort;
  onSort(s: Sort): void;
  widths: Widths;
}) {
  const next = (k: SortKey): Sort =>
    sort.key !== k ? { key: k, descending: false } : sort.descending ? START_ORDER : { key: k, descending: true };
  return (
    <div className="list-head" role="toolbar" aria-label="Sort by column">
      {COLUMNS.map(([k, label], i) => {
        const on = sort.key === k;
        return (
          <div key={k} className={`c-${k} head-cell`}>
            <button
              type="button"
              className="sort"
              aria-pressed={on}
              data-testid={`sort-${k}`}
              title={
                on
                  ? sort.descending
                    ? 'Sorted descending: click for request order'
                    : 'Sorted ascending: click to reverse'
                  : `Sort by ${label}`
              }
              onClick={() => onSort(next(k))}>
              {label}
              {on ? (sort.descending ? ' ▼' : ' ▲') : ''}
            </button>
            {i < COLUMNS.length - 1 && <ColumnResizer k={k} label={label} width={widths[k]} />}
          </div>
        );
      })}
    </div>
  );
});

interface Slot {
  props: RowProps;
  el: ReactElement;
}

/**
 * The element for one slot of the pool, or null for a slot that holds no row of this list yet. A slot whose row and
 * state are unchanged returns the very element it returned last time, which React skips without comparing props: of
 * the 64 slots only the rows that scrolled in render (allocation profile of a scroll frame: the per-slot elements
 * and memo's prop comparisons were over a quarter of it). Writing `slots` during render is idempotent (the same inputs give
 * the same slot), so a repeated render is harmless.
 */
function slotElement(
  slots: (Slot | undefined)[],
  slot: number,
  vi: VirtualItem | undefined,
  entries: WireEntry[],
  selectedSeq: number | null,
  onSelect: (seq: number) => void,
): ReactElement | null {
  const prev = slots[slot]?.props;
  if (!vi && !prev) return null;
  // Out of the window, the slot's last row stays (and re-renders only if its selection changed).
  const entry = vi ? entries[vi.index] : prev!.entry;
  const index = vi ? vi.index : prev!.index,
    top = vi ? vi.start : prev!.top;
  const total = entries.length,
    selected = entry.seq === selectedSeq;
  if (
    prev &&
    prev.entry === entry &&
    prev.index === index &&
    prev.top === top &&
    prev.total === total &&
    prev.selected === selected &&
    prev.onSelect === onSelect
  )
    return slots[slot]!.el;
  const props: RowProps = { entry, index, top, total, selected, onSelect };
  const el = <Row key={slot} {...props} />;
  slots[slot] = { props, el };
  return el;
}

interface RowProps {
  entry: WireEntry;
  /** Position in the list (the DOM order of recycled rows is not the visual order: aria-posinset says it). */
  index: number;
  total: number;
  top: number;
  selected: boolean;
  onSelect(seq: number): void;
}

// Not memo(): slotElement already hands React the same element when nothing changed.
function Row({ entry, index, total, top, selected, onSelect }: RowProps) {
  const { request: r, verdict } = entry;
  const { host, path } = splitUrl(r.url);
  const status = statusOf(r, verdict);
  return (
    <div
      id={`req-${entry.seq}`}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={total}
      className={`row ${verdict.kind}${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW }}
      onClick={() => onSelect(entry.seq)}>
      <span className="c-method mono">{clip(r.method, 12)}</span>
      <span className="c-url" title={clip(r.url, 2000)}>
        <span className="path">{clip(path, 300)}</span> <span className="host">{clip(host, 200)}</span>
      </span>
      <span className="c-verdict">
        <VerdictBadge kind={verdict.kind} />
      </span>
      <span className="c-status" title={status.title}>
        {status.code}
        {status.corsError && <span className="cors-error">{status.code ? ' ' : ''}CORS error</span>}
      </span>
      <span className="c-reason">{clip(shortReason(r, verdict), 200)}</span>
      <span className="c-type">{initiatorType(r.type)}</span>
      <span className="c-time">{durationOf(r)}</span>
    </div>
  );
}

// Host and path for display, without a URL object per row per frame: a capture's URL is already serialised by the
// browser (scheme://host[:port]/path?query#fragment), so splitting at the first '/', '?' or '#' after '://' gives
// what URL gives for it; anything else (a HAR's odd URL) shows whole as the path.
export function splitUrl(url: string): { host: string; path: string } {
  const s = url.indexOf('://');
  if (s <= 0) return { host: '', path: url };
  const hostStart = s + 3;
  let end = hostStart;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    if (c === 47 || c === 63 || c === 35) break;
    end++;
  } // / ? #
  const at = url.lastIndexOf('@', end);
  const host = url.slice(at >= hostStart ? at + 1 : hostStart, end);
  const rest = url.slice(end);
  const hash = rest.indexOf('#');
  const path = hash >= 0 ? rest.slice(0, hash) : rest;
  return { host, path: path === '' || path[0] !== '/' ? `/${path}` : path };
}

export function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
