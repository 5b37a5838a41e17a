// Header-list helpers: case-insensitive lookup with duplicates kept, Chromium-style value combining, and
// the HTTP token / `#token` list grammar used by ACAM, ACAH and ACEH.
import type { Header } from './types';

/** HTTP whitespace stripped from header values by both browsers' parsers (RFC 9110 OWS = SP / HTAB). */
function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** Strips leading and trailing SP/HTAB, as the HTTP layer does before CORS sees a value. */
export function trimOws(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isOws(s.charCodeAt(start))) start++;
  while (end > start && isOws(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

// tchar per RFC 9110 §5.6.2: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA.
const TCHAR = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;
for (const ch of "!#$%&'*+-.^_`|~") TCHAR[ch.charCodeAt(0)] = 1;

/** True when `s` is a non-empty HTTP token (https://fetch.spec.whatwg.org/#concept-method uses the same grammar). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TCHAR[c] !== 1) return false;
  }
  return true;
}

/** Header names recur on every exchange: remember the short ones (bounded, so hostile names cannot grow it). */
const LOWER_CACHE = new Map<string, string>();

/** ASCII-only lowercase: header names are byte strings, and `toLowerCase()` would fold non-ASCII too. */
export function asciiLower(s: string): string {
  const hit = LOWER_CACHE.get(s);
  if (hit !== undefined) return hit;
  let ascii = true;
  let needs = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) { ascii = false; break; }
    if (c >= 0x41 && c <= 0x5a) needs = true;
  }
  let out: string;
  if (ascii) out = needs ? s.toLowerCase() : s; // identical to ASCII folding when every char is ASCII
  else {
    out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 32) : s[i];
    }
  }
  if (s.length <= 64 && LOWER_CACHE.size < 4096) LOWER_CACHE.set(s, out);
  return out;
}

/**
 * Parses a `#token` list (ACAM, ACAH, ACEH): comma-separated, OWS around elements and empty elements
 * tolerated, every element must be a token. Returns the elements (case kept) or the first bad element.
 * Mirrors Chromium `ParseAccessControlAllowList` (services/network/cors/preflight_result.cc) and Gecko's
 * tokenizer loop in `nsCORSPreflightListener::CheckPreflightRequestApproved`.
 */
export function parseTokenList(value: string): { ok: true; items: string[] } | { ok: false; bad: string } {
  const items: string[] = [];
  let start = 0;
  const n = value.length;
  while (start <= n) {
    let end = value.indexOf(',', start);
    if (end === -1) end = n;
    const item = trimOws(value.slice(start, end));
    if (item.length > 0) {
      if (!isToken(item)) return { ok: false, bad: item };
      items.push(item);
    }
    start = end + 1;
  }
  return { ok: true, items };
}

/**
 * A header list indexed once by lowercased name (O(n) to build, O(1) per lookup), keeping every line
 * in order. Built per exchange so that 10,000 headers cost one pass, not one pass per check.
 */
export class HeaderIndex {
  private readonly map = new Map<string, string[]>();
  /** Lowercased names in order of first appearance. */
  readonly names: string[] = [];
  /** Original lines, in order. */
  readonly lines: readonly Header[];

  constructor(headers: readonly Header[] | null | undefined) {
    this.lines = Array.isArray(headers) ? headers : [];
    for (const h of this.lines) {
      if (h == null || typeof h.name !== 'string') continue;
      const name = asciiLower(h.name);
      const value = typeof h.value === 'string' ? h.value : String(h.value ?? '');
      const list = this.map.get(name);
      if (list) list.push(value);
      else {
        this.map.set(name, [value]);
        this.names.push(name);
      }
    }
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  /** Number of lines carrying `name` (lowercase). Firefox's CheckOriginHeader counts ACAO lines this way. */
  count(name: string): number {
    return this.map.get(name)?.length ?? 0;
  }

  /** Every value of `name`, each OWS-trimmed, in order. */
  all(name: string): string[] {
    const list = this.map.get(name);
    return list ? list.map(trimOws) : [];
  }

  /**
   * The combined value (lines joined with ", " after trimming each), or null when absent — what
   * Chromium's `HttpResponseHeaders::GetNormalizedHeader` and Fetch "get" (https://fetch.spec.whatwg.org/#concept-header-list-get) return.
   */
  get(name: string): string | null {
    const list = this.map.get(name);
    if (!list) return null;
    if (list.length === 1) return trimOws(list[0]);
    return list.map(trimOws).join(', ');
  }
}
