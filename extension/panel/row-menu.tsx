// The request list's context menu, as Network's: copy the URL, the request as curl or as fetch, or its fix.
// Opened by right-click, or by the context-menu key / Shift+F10 on the selected row; Esc or a click elsewhere closes it.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { WireEntry } from '../protocol/messages';
import { toCurl } from '../../src/report';
import { toFetch } from '../../src/report';
import { copyText } from '../ui/copy';
import { quickFix } from './quick-fix';

export interface MenuAt {
  seq: number;
  x: number;
  y: number;
}

interface Props {
  at: MenuAt;
  entry: WireEntry;
  framework: string | null;
  onClose(): void;
}

export function RowMenu({ at, entry, framework, onClose }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState({ left: at.x, top: at.y });
  // Kept inside the panel: a menu opened near the right or bottom edge opens leftwards or upwards.
  useLayoutEffect(() => {
    const r = ref.current?.getBoundingClientRect();
    if (!r) return;
    setPos({
      left: Math.max(0, Math.min(at.x, innerWidth - r.width - 2)),
      top: Math.max(0, Math.min(at.y, innerHeight - r.height - 2)),
    });
    ref.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
  }, [at]);
  useEffect(() => {
    const away = (e: Event) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    addEventListener('mousedown', away, true);
    addEventListener('blur', onClose);
    return () => {
      removeEventListener('mousedown', away, true);
      removeEventListener('blur', onClose);
    };
  }, [onClose]);
  const fix = quickFix(entry, framework);
  const items: [string, () => string][] = [
    ['Copy URL', () => entry.request.url],
    ['Copy as cURL', () => toCurl(entry.request, { redact: true })],
    ['Copy as fetch', () => toFetch(entry.request, { redact: true })],
    ...(fix ? [[`Copy fix (${fix.label})`, () => fix.code] as [string, () => string]] : []),
  ];
  const onKey = (e: React.KeyboardEvent) => {
    const all = [...(ref.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];
    const i = all.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      all[(i + 1) % all.length]?.focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      all[(i - 1 + all.length) % all.length]?.focus();
    }
  };
  return (
    <div
      ref={ref}
      className="row-menu"
      role="menu"
      aria-label="Request actions"
      style={pos}
      onKeyDown={onKey}
      data-testid="row-menu">
      {items.map(([label, text]) => (
        <button
          key={label}
          type="button"
          role="menuitem"
          onClick={() => {
            void copyText(text());
            onClose();
          }}>
          {label}
        </button>
      ))}
      <div className="dim hint">Secrets are redacted; Details → Copy as curl can include them.</div>
    </div>
  );
}
