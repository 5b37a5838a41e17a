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

/**
 * A remembered lowercase name. Every spelling of a name (`X-A`, `x-a`) shares one entry, whose `seen` stamp lets a
 * HeaderIndex notice a repeated name while it lowercases (no second pass, no Set).
 */
interface LowerEntry {
  lower: string;
  seen: number;
}

/** Header names recur on every exchange: remember the short ones (bounded, so hostile names cannot grow it). */
const LOWER_CACHE = new Map<string, LowerEntry>();
/** Entries by lowercase name, so that all spellings of a name share one. */
const LOWER_ENTRIES = new Map<string, LowerEntry>();
const LOWER_CACHE_MAX = 4096;

function foldAscii(s: string): string {
  let ascii = true;
  let needs = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) { ascii = false; break; }
    if (c >= 0x41 && c <= 0x5a) needs = true;
  }
  if (ascii) return needs ? s.toLowerCase() : s; // identical to ASCII folding when every char is ASCII
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 32) : s[i];
  }
  return out;
}

/** The cache entry for `s`, or null when `s` is not cached (too long, or the cache is full). */
function lowerEntry(s: string): LowerEntry | null {
  const hit = LOWER_CACHE.get(s);
  if (hit !== undefined) return hit;
  if (s.length > 64 || LOWER_CACHE.size >= LOWER_CACHE_MAX) return null;
  const lower = foldAscii(s);
  let e = LOWER_ENTRIES.get(lower);
  if (e === undefined) {
    e = { lower, seen: 0 };
    LOWER_ENTRIES.set(lower, e);
  }
  LOWER_CACHE.set(s, e);
  return e;
}

/** ASCII-only lowercase: header names are byte strings, and `toLowerCase()` would fold non-ASCII too. */
export function asciiLower(s: string): string {
  return lowerEntry(s)?.lower ?? foldAscii(s);
}

/** Stamp of the HeaderIndex being built (see LowerEntry.seen). */
let stamp = 0;

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

/** Above this many lines a HeaderIndex also builds a Map; below it a linear scan beats hashing (see `HeaderIndex`). */
const SCAN_LIMIT = 24;

/**
 * A header list indexed once by lowercased name, keeping every line in order. Built per exchange and shared by
 * every check. Small lists (nearly all real ones: 5-20 lines) are two parallel arrays searched linearly, which
 * costs less than building a Map per list (the engine bench's floor is exactly that Map); lists longer than
 * SCAN_LIMIT also get a name → line-numbers Map, so 10,000 headers still cost one pass to build and O(1) per lookup.
 */
export class HeaderIndex {
  // `declare` fields, assigned in the constructor: ES2022 class fields would first define each one as undefined
  // (one HeaderIndex per header list, so this is on the hot path).
  /** Original lines, in order. */
  declare readonly lines: readonly Header[];
  /** Lowercased name of each usable line (lines without a string name are skipped, as browsers never send them). */
  declare private readonly keys: string[];
  /** The usable lines themselves (safelist.ts needs `originalLength`): `lines` itself when every line is usable. */
  declare private readonly kept: readonly Header[];
  declare private readonly map: Map<string, number[]> | null;
  declare private namesCache: string[] | undefined;
  declare private acao: string | null | undefined;
  declare private acac: string | null | undefined;

  constructor(headers: readonly Header[] | null | undefined) {
    const lines = Array.isArray(headers) ? headers : [];
    this.lines = lines;
    const n = lines.length;
    // Sized once; filled by index (no growth on push).
    const keys: string[] = new Array<string>(n);
    let kept: Header[] | null = null;
    let k = 0;
    // Repeated names are rare: note whether any occurs while lowercasing, so `names` is usually `keys` itself.
    stamp = (stamp + 1) & 0x3fffffff;
    let unique = true;
    for (let i = 0; i < n; i++) {
      const h = lines[i];
      if (h == null || typeof h.name !== 'string') {
        // First unusable line: from here on, keep the usable ones in a list of their own.
        kept ??= lines.slice(0, i);
        continue;
      }
      const e = lowerEntry(h.name);
      if (e === null) {
        keys[k++] = foldAscii(h.name);
        unique = false; // not tracked: let `names` compare
      } else {
        if (e.seen === stamp) unique = false;
        e.seen = stamp;
        keys[k++] = e.lower;
      }
      if (kept) kept.push(h);
    }
    if (k < n) keys.length = k;
    this.keys = keys;
    this.kept = kept ?? lines;
    this.map = null;
    this.namesCache = unique ? keys : undefined;
    this.acao = undefined;
    this.acac = undefined;
    if (k > SCAN_LIMIT) {
      const map = new Map<string, number[]>();
      for (let i = 0; i < k; i++) {
        const at = map.get(keys[i]);
        if (at) at.push(i);
        else map.set(keys[i], [i]);
      }
      this.map = map;
    }
  }

  /** Lowercased names in order of first appearance (read only: it may be the index's own key list). */
  get names(): string[] {
    if (this.namesCache) return this.namesCache;
    let out: string[];
    if (this.map) out = [...this.map.keys()];
    else {
      out = [];
      for (const k of this.keys) if (!out.includes(k)) out.push(k);
    }
    this.namesCache = out;
    return out;
  }

  /** Value of usable line `i` as a string (read when asked: most values are never looked at). */
  private val(i: number): string {
    const v = this.kept[i].value;
    return typeof v === 'string' ? v : String(v ?? '');
  }

  /** Positions (into the usable lines) carrying `name`, in order; null when absent. */
  private at(name: string): number[] | null {
    if (this.map) return this.map.get(name) ?? null;
    const keys = this.keys;
    let first = keys.indexOf(name);
    if (first === -1) return null;
    const out = [first];
    while ((first = keys.indexOf(name, first + 1)) !== -1) out.push(first);
    return out;
  }

  has(name: string): boolean {
    return this.map ? this.map.has(name) : this.keys.includes(name);
  }

  /** Number of lines carrying `name` (lowercase). Firefox's CheckOriginHeader counts ACAO lines this way. */
  count(name: string): number {
    if (this.map) return this.map.get(name)?.length ?? 0;
    let n = 0;
    for (const k of this.keys) if (k === name) n++;
    return n;
  }

  /** Every value of `name`, each OWS-trimmed, in order. */
  all(name: string): string[] {
    const at = this.at(name);
    return at ? at.map((i) => trimOws(this.val(i))) : [];
  }

  /**
   * The combined value (lines joined with ", " after trimming each), or null when absent — what
   * Chromium's `HttpResponseHeaders::GetNormalizedHeader` and Fetch "get" (https://fetch.spec.whatwg.org/#concept-header-list-get) return.
   */
  get(name: string): string | null {
    // The CORS check, the walk's trace and the findings all read ACAO and ACAC of the same response.
    if (name === 'access-control-allow-origin') return this.acao !== undefined ? this.acao : (this.acao = this.lookup(name));
    if (name === 'access-control-allow-credentials') return this.acac !== undefined ? this.acac : (this.acac = this.lookup(name));
    return this.lookup(name);
  }

  private lookup(name: string): string | null {
    if (!this.map) {
      // The common case, one line, without allocating.
      const keys = this.keys;
      const first = keys.indexOf(name);
      if (first === -1) return null;
      if (keys.indexOf(name, first + 1) === -1) return trimOws(this.val(first));
    }
    const at = this.at(name);
    if (!at) return null;
    if (at.length === 1) return trimOws(this.val(at[0]));
    return at.map((i) => trimOws(this.val(i))).join(', ');
  }

  /** Number of usable lines. */
  get size(): number {
    return this.keys.length;
  }

  /** Lowercased name of usable line `i`. */
  keyAt(i: number): string {
    return this.keys[i];
  }

  /** Usable line `i` as given. */
  lineAt(i: number): Header {
    return this.kept[i];
  }

  /** The usable lines named `name`, in order (for callers that need more than the value, like `originalLength`). */
  linesOf(name: string): readonly Header[] {
    const at = this.at(name);
    return at ? at.map((i) => this.kept[i]) : [];
  }
}
