// Resizable list columns, as Network's: drag a header's right edge, or focus it and press ←/→ (Shift for bigger steps).
// The widths go on the list's container as CSS custom properties that the header's and every row's grid read
// (panel.css), so a resize restyles the rows without rendering one of them: rows are recycled elements that React
// skips when their row is unchanged (request-list.tsx).
import {
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type CSSProperties,
  type KeyboardEvent,
  type PointerEvent,
} from 'react';
import type { SortKey } from './filtering';

export type Widths = Partial<Record<SortKey, number>>;

export const MIN_WIDTH = 32;
export const MAX_WIDTH = 1600;
const STEP = 8;

// Kept in the panel page for as long as DevTools stays open: a remounted list (the HAR tab and back, a new
// selection) keeps the widths the user chose.
let widths: Widths = {};
const listeners = new Set<() => void>();
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
};

export function setColumnWidth(k: SortKey, px: number): void {
  const w = Math.round(Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, px)));
  if (widths[k] === w) return;
  widths = { ...widths, [k]: w };
  for (const l of listeners) l();
}

/** Forget every chosen width (tests start from the stylesheet's widths). */
export function resetColumnWidths(): void {
  widths = {};
  for (const l of listeners) l();
}

export function useColumnWidths(): Widths {
  return useSyncExternalStore(subscribe, () => widths);
}

/** The custom properties for the list container: `--w-url: 320px`, … (panel.css falls back to its own widths). */
export function widthStyle(w: Widths): CSSProperties {
  const style: Record<string, string> = {};
  for (const [k, px] of Object.entries(w)) style[`--w-${k}`] = `${px}px`;
  return style as CSSProperties;
}

/** The focusable separator on a header cell's right edge. */
export function ColumnResizer({ k, label, width }: { k: SortKey; label: string; width: number | undefined }) {
  const ref = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; w: number } | null>(null);
  const [measured, setMeasured] = useState(0);
  const cellWidth = () => ref.current?.parentElement?.getBoundingClientRect().width ?? 0;
  // A focusable separator says its position (aria-valuenow): the column's width as laid out, followed with a
  // ResizeObserver on the header cell (a flexible column changes with the panel's width) and measured again on focus.
  useLayoutEffect(() => {
    const cell = ref.current?.parentElement;
    if (!cell || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setMeasured(Math.round(cell.getBoundingClientRect().width)));
    ro.observe(cell);
    return () => ro.disconnect();
  }, []);
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.stopPropagation();
    drag.current = { x: e.clientX, w: cellWidth() };
    e.currentTarget.setPointerCapture?.(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current) setColumnWidth(k, drag.current.w + e.clientX - drag.current.x);
  };
  const endDrag = () => {
    drag.current = null;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const d = e.key === 'ArrowLeft' ? -1 : e.key === 'ArrowRight' ? 1 : 0;
    if (!d) return;
    e.preventDefault();
    setColumnWidth(k, (width ?? cellWidth()) + d * STEP * (e.shiftKey ? 4 : 1));
  };
  return (
    <div
      ref={ref}
      className="col-resize"
      role="separator"
      aria-orientation="vertical"
      tabIndex={0}
      aria-label={`Resize ${label} column`}
      aria-valuemin={MIN_WIDTH}
      aria-valuemax={MAX_WIDTH}
      aria-valuenow={width ?? measured}
      data-testid={`resize-${k}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onKeyDown={onKeyDown}
      onFocus={() => setMeasured(Math.round(cellWidth()))}
      onClick={(e) => e.stopPropagation()}
    />
  );
}
