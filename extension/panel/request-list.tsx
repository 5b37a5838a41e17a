// The virtualised request list: stays smooth with 50,000 rows; ↑/↓/Home/End/PageUp/PageDown move the selection.
import { memo, useRef, useCallback, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { WireEntry } from '../protocol/messages';
import { VerdictBadge } from '../ui/verdict-badge';
import { shortReason, initiatorType } from '../ui/describe';

const ROW = 22;

interface Props {
  entries: WireEntry[];
  selectedSeq: number | null;
  onSelect(seq: number): void;
}

export function RequestList({ entries, selectedSeq, onSelect }: Props) {
  const parent = useRef<HTMLDivElement>(null);
  // initialRect: rows before the first measurement (and in jsdom, which has no layout).
  const v = useVirtualizer({ count: entries.length, getScrollElement: () => parent.current, estimateSize: () => ROW, overscan: 12, initialRect: { width: 800, height: 600 } });
  const index = selectedSeq === null ? -1 : entries.findIndex((e) => e.seq === selectedSeq);

  const move = useCallback((to: number) => {
    if (entries.length === 0) return;
    const i = Math.max(0, Math.min(entries.length - 1, to));
    onSelect(entries[i].seq);
    v.scrollToIndex(i, { align: 'auto' });
  }, [entries, onSelect, v]);

  const onKey = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((parent.current?.clientHeight ?? 300) / ROW) - 1);
    const keys: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: entries.length - 1, PageDown: index + page, PageUp: index - page };
    if (e.key in keys) { e.preventDefault(); move(keys[e.key]); }
  };

  const activeId = index >= 0 ? `req-${entries[index].seq}` : undefined;
  return (
    <div className="list-wrap">
      <div className="list-head" aria-hidden="true">
        <span className="c-method">Method</span><span className="c-url">URL</span><span className="c-type">Type</span>
        <span className="c-status">Status</span><span className="c-verdict">Verdict</span><span className="c-reason">Reason</span>
      </div>
      <div ref={parent} className="list" role="listbox" tabIndex={0} aria-label="Cross-origin requests"
        aria-activedescendant={activeId} onKeyDown={onKey}>
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((vi) => {
            const e = entries[vi.index];
            return <Row key={e.seq} entry={e} top={vi.start} selected={e.seq === selectedSeq} onSelect={onSelect} />;
          })}
        </div>
      </div>
    </div>
  );
}

// Memoised: a row's props do not change while the list scrolls (its offset is fixed by its index), so a scroll
// frame renders only the rows that come into view, not the whole window (bench "panel": dropped frames).
const Row = memo(function Row({ entry, top, selected, onSelect }: { entry: WireEntry; top: number; selected: boolean; onSelect(seq: number): void }) {
  const { request: r, verdict } = entry;
  const { host, path } = splitUrl(r.url);
  const status = r.outcome.kind === 'completed' ? String(r.outcome.status) : r.outcome.kind === 'error' ? '(failed)' : r.outcome.kind;
  return (
    <div id={`req-${entry.seq}`} role="option" aria-selected={selected} className={`row ${verdict.kind}${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW }} onClick={() => onSelect(entry.seq)}>
      <span className="c-method mono">{clip(r.method, 12)}</span>
      <span className="c-url" title={clip(r.url, 2000)}><span className="path">{clip(path, 300)}</span> <span className="host">{clip(host, 200)}</span></span>
      <span className="c-type">{initiatorType(r.type)}</span>
      <span className="c-status">{status}</span>
      <span className="c-verdict"><VerdictBadge kind={verdict.kind} /></span>
      <span className="c-reason">{clip(shortReason(verdict), 200)}</span>
    </div>
  );
});

function splitUrl(url: string): { host: string; path: string } {
  try {
    const u = new URL(url);
    return { host: u.host, path: u.pathname + u.search };
  } catch {
    return { host: '', path: url };
  }
}

export function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
