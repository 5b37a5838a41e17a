// Header-list helpers: case-insensitive lookup with duplicates kept, Chromium-style value combining, and
// the HTTP token / `#token` list grammar used by ACAM, ACAH and ACEH.
import { requestNameClass, responseNameClass, S_ACAC, S_ACAO, SLOT_OF, slotOf } from './header-names';
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

/** True when char code `c` is a tchar. */
export function isTokenCode(c: number): boolean {
  return c < 128 && TCHAR[c] === 1;
}

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
 * A remembered lowercase name and what the name alone says (header-names.ts), decided once per distinct name. Every
 * spelling of a name (`X-A`, `x-a`) shares one entry, whose `seen` stamp lets a HeaderIndex notice a repeated name
 * while it lowercases (no second pass, no Set).
 */
interface LowerEntry extends NameFacts {
  seen: number;
}

/** What a HeaderIndex line's name says, read by the checks instead of looking the name up again. */
export interface NameFacts {
  readonly lower: string;
  /** CORS-relevant header (header-names.ts `S_*`), or -1. */
  readonly slot: number;
  /** Request-side class (`REQ_*`): forbidden and browser-added names are decided without their value. */
  readonly req: number;
  /** Response-side class for exposure (`RES_*`). */
  readonly res: number;
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
    if (c >= 128) {
      ascii = false;
      break;
    }
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

function newEntry(lower: string): LowerEntry {
  return { lower, seen: 0, slot: slotOf(lower), req: requestNameClass(lower), res: responseNameClass(lower) };
}

/** The cache entry for `s`, or null when `s` is not cached (too long, or the cache is full). */
function lowerEntry(s: string): LowerEntry | null {
  const hit = LOWER_CACHE.get(s);
  if (hit !== undefined) return hit;
  if (s.length > 64 || LOWER_CACHE.size >= LOWER_CACHE_MAX) return null;
  const lower = foldAscii(s);
  let e = LOWER_ENTRIES.get(lower);
  if (e === undefined) {
    e = newEntry(lower);
    LOWER_ENTRIES.set(lower, e);
  }
  LOWER_CACHE.set(s, e);
  return e;
}

/** ASCII-only lowercase: header names are byte strings, and `toLowerCase()` would fold non-ASCII too. */
export function asciiLower(s: string): string {
  return lowerEntry(s)?.lower ?? foldAscii(s);
}

/** Written by touchNames so that its loop is not optimized away. */
let _touchedChars = 0;

/**
 * The first touch of each line and of its name costs more than the rest of HeaderIndex's indexing (the header objects
 * were allocated long before and are rarely in a near cache). A tight loop of independent loads lets those cache
 * misses overlap; the indexing loop chains, per line, the line, its name and a Map lookup, and would wait for each
 * miss in turn (docs/performance.md, Engine).
 */
function touchNames(lines: readonly Header[]): void {
  let touched = 0;
  for (let i = 0; i < lines.length; i++) {
    const name = lines[i]?.name;
    if (typeof name === 'string') touched += name.length;
  }
  _touchedChars = touched;
}

/** Line positions by lowercase name, for header lists too long to scan. */
function positionsByName(ents: readonly LowerEntry[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (let i = 0; i < ents.length; i++) {
    const key = ents[i].lower;
    const at = map.get(key);
    if (at) at.push(i);
    else map.set(key, [i]);
  }
  return map;
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

/** Lowercase name of each slot (header-names.ts), for the Map of long lists. */
const SLOT_NAMES: string[] = [];
for (const [name, slot] of SLOT_OF) SLOT_NAMES[slot] = name;

/**
 * A header list indexed once, keeping every line in order. Built per exchange and shared by every check. The one
 * pass that lowercases the names also records which CORS-relevant headers (slots) occur, once or more,
 * so the checks read `value(S_ACAO)`, `hasSlot(S_COOKIE)` without scanning the list again (each list used to be
 * scanned ~20 times by name). Lists longer than SCAN_LIMIT also get a name → line-numbers Map, so 10,000 headers
 * still cost one pass to build and O(1) per lookup by name.
 */
export class HeaderIndex {
  // `declare` fields, assigned in the constructor: ES2022 class fields would first define each one as undefined
  // (one HeaderIndex per header list, so this is on the hot path).
  /** Original lines, in order. */
  declare readonly lines: readonly Header[];
  /** Name facts of each usable line (lines without a string name are skipped, as browsers never send them). */
  declare private readonly ents: LowerEntry[];
  /** The usable lines themselves (safelist.ts needs `originalLength`): `lines` itself when every line is usable. */
  declare private readonly kept: readonly Header[];
  declare private readonly map: Map<string, number[]> | null;
  /** No name repeats (false also when some name was too long to be tracked: `names` then compares). */
  declare private readonly uniq: boolean;
  declare private namesCache: string[] | undefined;
  /** Bit `s` set: some line has slot `s` (`present`), more than one does (`multi`). */
  declare private readonly present: number;
  declare private readonly multi: number;
  /** First usable line whose value is null or undefined, or -1 (see `nullValueAt`). */
  declare readonly nullValueAt: number;
  declare private acao: string | null | undefined;
  declare private acac: string | null | undefined;

  constructor(headers: readonly Header[] | null | undefined) {
    const lines = Array.isArray(headers) ? headers : [];
    this.lines = lines;
    const n = lines.length;
    touchNames(lines);
    // Sized once; filled by index (no growth on push).
    const ents: LowerEntry[] = new Array<LowerEntry>(n);
    let kept: Header[] | null = null;
    let k = 0;
    // Repeated names are rare: note whether any occurs while lowercasing, so `names` needs no dedupe.
    stamp = (stamp + 1) & 0x3fffffff;
    let unique = true;
    let present = 0;
    let multi = 0;
    let nullValueAt = -1;
    for (let i = 0; i < n; i++) {
      const h = lines[i];
      const name = h?.name;
      if (typeof name !== 'string') {
        // A line without a string name (or no line at all): from here on, keep the usable ones in a list of their own.
        kept ??= lines.slice(0, i);
        continue;
      }
      if (nullValueAt === -1 && h.value == null) nullValueAt = k;
      let e = lowerEntry(name);
      if (e === null) {
        e = newEntry(foldAscii(name));
        unique = false; // not tracked: let `names` compare
      } else {
        if (e.seen === stamp) unique = false;
        e.seen = stamp;
      }
      const slot = e.slot;
      if (slot >= 0) {
        const bit = 1 << slot;
        if ((present & bit) !== 0) multi |= bit;
        present |= bit;
      }
      ents[k++] = e;
      if (kept) kept.push(h);
    }
    if (k < n) ents.length = k;
    this.ents = ents;
    this.kept = kept ?? lines;
    this.map = null;
    this.uniq = unique;
    this.namesCache = undefined;
    this.present = present;
    this.multi = multi;
    this.nullValueAt = nullValueAt;
    this.acao = undefined;
    this.acac = undefined;
    if (k > SCAN_LIMIT) this.map = positionsByName(ents);
  }

  /** Lowercased names in order of first appearance (read only: shared by every caller). */
  get names(): string[] {
    if (this.namesCache) return this.namesCache;
    const ents = this.ents;
    let out: string[];
    if (this.uniq) {
      out = new Array<string>(ents.length);
      for (let i = 0; i < ents.length; i++) out[i] = ents[i].lower;
    } else if (this.map) out = [...this.map.keys()];
    else {
      out = [];
      for (const e of ents) if (!out.includes(e.lower)) out.push(e.lower);
    }
    this.namesCache = out;
    return out;
  }

  /** True when some name occurs on more than one line. */
  get repeats(): boolean {
    return !this.uniq && this.names.length !== this.ents.length;
  }

  /** Value of usable line `i` as a string (read when asked: most values are never looked at). */
  private val(i: number): string {
    const v = this.kept[i].value;
    return typeof v === 'string' ? v : String(v ?? '');
  }

  /** Positions (into the usable lines) carrying `name`, in order; null when absent. */
  private at(name: string): number[] | null {
    if (this.map) return this.map.get(name) ?? null;
    const ents = this.ents;
    let out: number[] | null = null;
    for (let i = 0; i < ents.length; i++) {
      if (ents[i].lower !== name) continue;
      if (out === null) out = [i];
      else out.push(i);
    }
    return out;
  }

  /** Positions of the lines with slot `s`, in order; null when absent. */
  private slotAt(s: number): number[] | null {
    if ((this.present & (1 << s)) === 0) return null;
    if (this.map) return this.map.get(SLOT_NAMES[s]) ?? null;
    const ents = this.ents;
    const out: number[] = [];
    for (let i = 0; i < ents.length; i++) if (ents[i].slot === s) out.push(i);
    return out;
  }

  /** Position of the only line with slot `s` (the caller checked it is present and not repeated). */
  private single(s: number): number {
    // The entries are shared per name and were just read: a scan of small integers, no list of positions kept.
    const ents = this.ents;
    let i = 0;
    while (ents[i].slot !== s) i++;
    return i;
  }

  has(name: string): boolean {
    const s = SLOT_OF.get(name);
    if (s !== undefined) return (this.present & (1 << s)) !== 0;
    if (this.map) return this.map.has(name);
    for (const e of this.ents) if (e.lower === name) return true;
    return false;
  }

  /** A line with slot `s` (header-names.ts) exists. */
  hasSlot(s: number): boolean {
    return (this.present & (1 << s)) !== 0;
  }

  /** Number of lines carrying `name` (lowercase). Firefox's CheckOriginHeader counts ACAO lines this way. */
  count(name: string): number {
    const s = SLOT_OF.get(name);
    if (s !== undefined) return this.countSlot(s);
    return this.at(name)?.length ?? 0;
  }

  /** Number of lines with slot `s`. */
  countSlot(s: number): number {
    const bit = 1 << s;
    if ((this.present & bit) === 0) return 0;
    if ((this.multi & bit) === 0) return 1;
    return this.slotAt(s)!.length;
  }

  /** Every value of `name`, each OWS-trimmed, in order. */
  all(name: string): string[] {
    const s = SLOT_OF.get(name);
    const at = s !== undefined ? this.slotAt(s) : this.at(name);
    return at ? at.map((i) => trimOws(this.val(i))) : [];
  }

  /**
   * The combined value (lines joined with ", " after trimming each), or null when absent — what
   * Chromium's `HttpResponseHeaders::GetNormalizedHeader` and Fetch "get" (https://fetch.spec.whatwg.org/#concept-header-list-get) return.
   */
  get(name: string): string | null {
    const s = SLOT_OF.get(name);
    if (s !== undefined) return this.value(s);
    return this.combine(this.at(name));
  }

  /** `get` for slot `s` (header-names.ts): the combined value, or null when absent. */
  value(s: number): string | null {
    // The CORS check, the walk's trace and the findings all read ACAO and ACAC of the same response.
    if (s === S_ACAO) return this.acao !== undefined ? this.acao : (this.acao = this.slotValue(S_ACAO));
    if (s === S_ACAC) return this.acac !== undefined ? this.acac : (this.acac = this.slotValue(S_ACAC));
    return this.slotValue(s);
  }

  private slotValue(s: number): string | null {
    const bit = 1 << s;
    if ((this.present & bit) === 0) return null;
    // The common case, one line, without allocating.
    if ((this.multi & bit) === 0 && !this.map) return trimOws(this.val(this.single(s)));
    return this.combine(this.slotAt(s));
  }

  private combine(at: number[] | null): string | null {
    if (!at) return null;
    if (at.length === 1) return trimOws(this.val(at[0]));
    return at.map((i) => trimOws(this.val(i))).join(', ');
  }

  /** Number of usable lines. */
  get size(): number {
    return this.ents.length;
  }

  /** Lowercased name of usable line `i`. */
  keyAt(i: number): string {
    return this.ents[i].lower;
  }

  /** What the name of usable line `i` says (header-names.ts). */
  factsAt(i: number): NameFacts {
    return this.ents[i];
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
