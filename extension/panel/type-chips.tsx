// Network's request-type chips: All, Fetch/XHR, JS, CSS, Img, Font, Media, Doc, Other. Ctrl/⌘-click picks several.
import type { ResourceType } from '../../src/engine/types';

export type TypeChip = 'fetch' | 'js' | 'css' | 'img' | 'font' | 'media' | 'doc' | 'other';

const LABEL: [TypeChip, string][] = [
  ['fetch', 'Fetch/XHR'],
  ['js', 'JS'],
  ['css', 'CSS'],
  ['img', 'Img'],
  ['font', 'Font'],
  ['media', 'Media'],
  ['doc', 'Doc'],
  ['other', 'Other'],
];

export function chipOf(t: ResourceType | undefined): TypeChip {
  switch (t) {
    case 'xmlhttprequest':
    case 'fetch':
      return 'fetch';
    case 'script':
      return 'js';
    case 'stylesheet':
      return 'css';
    case 'image':
      return 'img';
    case 'font':
      return 'font';
    case 'media':
      return 'media';
    case 'main_frame':
    case 'sub_frame':
      return 'doc';
    default:
      return 'other';
  }
}

export function TypeChips({ value, onChange }: { value: TypeChip[]; onChange(v: TypeChip[]): void }) {
  const toggle = (c: TypeChip, add: boolean) =>
    onChange(add ? (value.includes(c) ? value.filter((x) => x !== c) : [...value, c]) : [c]);
  return (
    <span className="chips" role="group" aria-label="Request types">
      <button type="button" aria-pressed={value.length === 0} onClick={() => onChange([])}>
        All
      </button>
      {LABEL.map(([c, label]) => (
        <button
          key={c}
          type="button"
          aria-pressed={value.includes(c)}
          data-testid={`chip-${c}`}
          onClick={(e) => toggle(c, e.ctrlKey || e.metaKey)}>
          {label}
        </button>
      ))}
    </span>
  );
}
