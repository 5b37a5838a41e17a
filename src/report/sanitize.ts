// Makes hostile server-supplied text safe to print: no terminal escapes, no bidi tricks, bounded length, and
// Markdown that cannot break out of a table cell. Values are cut BEFORE cleaning so a 1 MB header costs nothing.

// C0 and C1 controls and DEL: ESC starts terminal escape sequences (CVE class "terminal injection").
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// Bidi embeddings/overrides/isolates and marks (Trojan Source, CVE-2021-42574), zero-width characters and line/
// paragraph separators that some renderers treat as newlines.
const INVISIBLE = /[\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** One line of plain text: whitespace controls become spaces, other controls and bidi/invisible marks are removed. */
export function cleanText(value: unknown, max = 2000): string {
  let s = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
  const cut = s.length > max * 2 + 16;
  if (cut) s = s.slice(0, max * 2 + 16);
  s = s
    .replace(/[\t\n\r\v\f]/g, ' ')
    .replace(CONTROL, '')
    .replace(INVISIBLE, '');
  return truncateEnd(s, max, cut);
}

/** Cuts to `max` characters with an ellipsis (never splitting a surrogate pair). */
export function truncateEnd(s: string, max: number, forceMark = false): string {
  if (s.length <= max && !forceMark) return s;
  if (max <= 1) return '…';
  let end = Math.min(s.length, max - 1);
  if (end > 0 && isHighSurrogate(s.charCodeAt(end - 1))) end--;
  return s.slice(0, end) + '…';
}

/** Cuts the middle out of a long string (URLs: keep the host and the end of the path). */
export function truncateMiddle(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 3) return truncateEnd(s, max);
  const head = Math.ceil((max - 1) * 0.6);
  const tail = max - 1 - head;
  let h = head;
  if (h > 0 && isHighSurrogate(s.charCodeAt(h - 1))) h--;
  let t = s.length - tail;
  if (t < s.length && isLowSurrogate(s.charCodeAt(t))) t++;
  return s.slice(0, h) + '…' + s.slice(t);
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Text for a Markdown table cell or paragraph: cleaned, then every character with Markdown/HTML meaning escaped
 * (CommonMark §2.4 backslash escapes for the inline ones; `<`/`>`/`&` as entities since GitHub renders inline HTML),
 * pipes included. Line-start markers (`#`, `-`, `1.`) need no escape: the text never starts a line.
 */
export function markdownText(value: unknown, max = 500): string {
  return cleanText(value, max)
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * Inline code for Markdown: cleaned, and fenced with more backticks than the longest run inside it
 * (CommonMark §6.1), so a value cannot close the span. Pipes are escaped for table cells (GFM tables split on `|`
 * even inside code spans).
 */
export function markdownCode(value: unknown, max = 500, inTable = true): string {
  let s = cleanText(value, max);
  if (inTable) s = s.replace(/\|/g, '\\|');
  let longest = 0;
  for (const m of s.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || s === '' ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

const BIDI = /[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const BIDI_ALL = /[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** JSON text with its bidi controls and line separators \u-escaped (JSON.stringify leaves them raw). */
export function escapeBidi(json: string): string {
  return BIDI.test(json) ? json.replace(BIDI_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

/** JSON text where bidi controls and line separators are \u-escaped (JSON.stringify leaves them raw). */
export function safeJson(value: unknown, indent?: number): string {
  return escapeBidi(JSON.stringify(value, null, indent));
}
