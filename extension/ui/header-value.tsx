// Shows a hostile header value inert: React text only, invisible and bidi-control characters made visible,
// long values truncated with a way to see the whole value.
import { useState } from 'react';

const LIMIT = 300;
// C0/C1 controls, zero-width and bidi override/isolate characters: shown as ⟨U+XXXX⟩ so they cannot hide or reorder text.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** Header values: every control shown. Code and prose (`multiline`): line feeds kept as line feeds. */
export function visible(s: string, multiline = false): string {
  return s.replace(INVISIBLE, (c) =>
    multiline && c === '\n' ? c : `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`,
  );
}

export function HeaderValue({ value, originalLength }: { value: string; originalLength?: number }) {
  const [open, setOpen] = useState(false);
  const shown = visible(open ? value : value.slice(0, LIMIT));
  const long = value.length > LIMIT;
  return (
    <span className="hv">
      {shown}
      {long && !open && '…'}
      {long && (
        <button type="button" className="link" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? 'show less' : `show all ${value.length} characters`}
        </button>
      )}
      {originalLength !== undefined && (
        <span className="dim"> (cut from {originalLength} characters when captured)</span>
      )}
    </span>
  );
}
