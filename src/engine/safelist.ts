// CORS-safelisted methods and request headers (https://fetch.spec.whatwg.org/#cors-safelisted-request-header),
// forbidden request headers, and the CORS-unsafe request-header names that decide whether a preflight is sent.
import { asciiLower, HeaderIndex, isToken, isTokenCode, trimOws } from './headers';
import {
  isForbiddenHeaderName,
  METHOD_OVERRIDE_HEADERS,
  REQ_FORBIDDEN,
  REQ_METHOD_OVERRIDE,
  REQ_UA_ADDED,
  UA_ADDED_HEADERS,
} from './header-names';
import type { BrowserProfile } from './profiles';
import type { Header } from './types';

// The name tables live in header-names.ts (decided once per name); re-exported for existing importers.
export { isForbiddenResponseHeader, SAFELISTED_RESPONSE_HEADERS, UA_ADDED_HEADERS } from './header-names';

/** https://fetch.spec.whatwg.org/#cors-safelisted-method — byte-exact in the spec, case-insensitive in Chromium's `IsCorsSafelistedMethod`. */
export function isSafelistedMethod(method: string, caseInsensitive = false): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'POST') return true;
  if (!caseInsensitive) return false;
  const m = method.toUpperCase();
  return m === 'GET' || m === 'HEAD' || m === 'POST';
}

/** https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte */
export function isCorsUnsafeByte(c: number): boolean {
  if (c < 0x20) return c !== 0x09;
  switch (c) {
    case 0x22:
    case 0x28:
    case 0x29:
    case 0x3a:
    case 0x3c:
    case 0x3e:
    case 0x3f:
    case 0x40:
    case 0x5b:
    case 0x5c:
    case 0x5d:
    case 0x7b:
    case 0x7d:
    case 0x7f:
      return true;
    default:
      return false;
  }
}

/** isCorsUnsafeByte for 0-127 as a table: Accept and Content-Type values are checked byte by byte on every request. */
const UNSAFE_BYTE = new Uint8Array(128);
for (let c = 0; c < 128; c++) UNSAFE_BYTE[c] = isCorsUnsafeByte(c) ? 1 : 0;

function hasUnsafeByte(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 128 && UNSAFE_BYTE[c] === 1) return true;
  }
  return false;
}

/** Accept-Language / Content-Language: only 0-9 A-Z a-z space * , - . ; = */
function isLanguageValue(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c === 0x20 ||
      c === 0x2a ||
      c === 0x2c ||
      c === 0x2d ||
      c === 0x2e ||
      c === 0x3b ||
      c === 0x3d;
    if (!ok) return false;
  }
  return true;
}

function isHttpWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Strict "parse a MIME type" (https://mimesniff.spec.whatwg.org/#parse-a-mime-type), reduced to what the
 * safelist needs: the essence, or null on failure. Parameters never make parsing fail, so they are skipped.
 */
export function mimeEssence(value: string): string | null {
  let start = 0;
  let end = value.length;
  while (start < end && isHttpWs(value.charCodeAt(start))) start++;
  while (end > start && isHttpWs(value.charCodeAt(end - 1))) end--;
  const s = value.slice(start, end);
  const slash = s.indexOf('/');
  if (slash <= 0) return null;
  const type = s.slice(0, slash);
  if (!isToken(type)) return null;
  const semi = s.indexOf(';', slash + 1);
  let subtype = s.slice(slash + 1, semi === -1 ? s.length : semi);
  let e = subtype.length;
  while (e > 0 && isHttpWs(subtype.charCodeAt(e - 1))) e--;
  subtype = subtype.slice(0, e);
  if (!isToken(subtype)) return null;
  return asciiLower(`${type}/${subtype}`);
}

/** Content-Type rule of the safelist: no unsafe byte, strict parse, essence among the three form types. */
export function isSafelistedContentType(value: string): boolean {
  if (hasUnsafeByte(value)) return false;
  return safeEssence(value);
}

/** isToken on `s.slice(from, to)`, without the slice. */
function isTokenAt(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) if (!isTokenCode(s.charCodeAt(i))) return false;
  return true;
}

/**
 * Whether `mimeEssence(value)` is `application/x-www-form-urlencoded`, `multipart/form-data` or `text/plain`, without building the essence: the same strict parse, then the essence
 * — which is `value` itself between the trimmed start and the end of the subtype — compared ASCII-case-insensitively.
 * (Building `${type}/${subtype}` and lowercasing it meant two fresh strings and a hash per request with a body.)
 */
function safeEssence(value: string): boolean {
  let start = 0;
  let end = value.length;
  while (start < end && isHttpWs(value.charCodeAt(start))) start++;
  while (end > start && isHttpWs(value.charCodeAt(end - 1))) end--;
  const slash = value.indexOf('/', start);
  if (slash === -1 || slash >= end || slash === start) return false;
  if (!isTokenAt(value, start, slash)) return false;
  let semi = value.indexOf(';', slash + 1);
  if (semi === -1 || semi > end) semi = end;
  let e = semi;
  while (e > slash + 1 && isHttpWs(value.charCodeAt(e - 1))) e--;
  if (!isTokenAt(value, slash + 1, e)) return false;
  const len = e - start;
  return (
    (len === 10 && equalsLower(value, start, 'text/plain')) ||
    (len === 19 && equalsLower(value, start, 'multipart/form-data')) ||
    (len === 33 && equalsLower(value, start, 'application/x-www-form-urlencoded'))
  );
}

/** `value` from `at` equals `lower` (lowercase ASCII) under ASCII case folding. */
function equalsLower(value: string, at: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    let c = value.charCodeAt(at + i);
    if (c >= 0x41 && c <= 0x5a) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

const INT64_MAX = 9223372036854775807n;

function digitsValue(s: string): bigint | null {
  if (s.length === 0) return null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return null;
  }
  // Browsers parse range bounds into 64-bit integers; a bound that overflows makes the header unparsable.
  if (s.length > 40) return null;
  const v = BigInt(s);
  return v > INT64_MAX ? null : v;
}

/**
 * Simple range (https://fetch.spec.whatwg.org/#simple-range-header-value via "parse a single range header
 * value" with allowWhitespace false): `bytes=<start>-[<end>]`, start required, start ≤ end.
 */
export function isSafelistedRange(value: string): boolean {
  if (value.length < 7 || asciiLower(value.slice(0, 6)) !== 'bytes=') return false;
  const rest = value.slice(6);
  const dash = rest.indexOf('-');
  if (dash <= 0) return false;
  const start = digitsValue(rest.slice(0, dash));
  if (start === null) return false;
  const endStr = rest.slice(dash + 1);
  if (endStr.length === 0) return true;
  const end = digitsValue(endStr);
  if (end === null) return false;
  return start <= end;
}

// Chromium client-hint value shapes (cors.cc `IsSimilarToDoubleABNF` / `IsSimilarToIntABNF`).
function isIntLike(v: string): boolean {
  if (v.length === 0) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
function isDoubleLike(v: string): boolean {
  const dot = v.indexOf('.');
  if (dot === -1) return isIntLike(v);
  return isIntLike(v.slice(0, dot)) && isIntLike(v.slice(dot + 1));
}
const ECT_VALUES = new Set(['slow-2g', '2g', '3g', '4g']);

/** Chromium-only safelisted names beyond the spec (client hints and `intervention`). */
function chromiumExtraSafelisted(name: string, value: string): boolean | null {
  switch (name) {
    case 'device-memory':
    case 'dpr':
    case 'downlink':
      return isDoubleLike(value);
    case 'width':
    case 'viewport-width':
    case 'rtt':
      return isIntLike(value);
    case 'ect':
      return ECT_VALUES.has(asciiLower(value));
    case 'save-data':
      return asciiLower(value) === 'on';
    case 'intervention':
      return true;
    default:
      if (name.startsWith('sec-ch-')) return true;
      return null;
  }
}

/** Byte length of a header value as the browser had it (the capture layer may have truncated it). */
export function valueLength(h: Header): number {
  return typeof h.originalLength === 'number' && h.originalLength > h.value.length ? h.originalLength : h.value.length;
}

/**
 * https://fetch.spec.whatwg.org/#cors-safelisted-request-header for one (name, value), name lowercased.
 * `length` is the value's byte length (≤ 128 required).
 */
export function isSafelistedRequestHeader(
  name: string,
  value: string,
  profile: BrowserProfile,
  length = value.length,
): boolean {
  if (length > 128) return false;
  switch (name) {
    case 'accept':
      return !hasUnsafeByte(value);
    case 'accept-language':
    case 'content-language':
      return isLanguageValue(value);
    case 'content-type':
      return isSafelistedContentType(value);
    case 'range':
      return isSafelistedRange(value);
    default:
      if (profile.clientHintSafelist) return chromiumExtraSafelisted(name, value) === true;
      return false;
  }
}

// https://fetch.spec.whatwg.org/#forbidden-method (a byte-case-insensitive match)
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

export function isForbiddenMethod(method: string): boolean {
  return FORBIDDEN_METHODS.has(method.toUpperCase());
}

/** Forbidden request header (name lowercased): scripts cannot set it, so it never triggers a preflight. */
export function isForbiddenRequestHeader(name: string, value: string): boolean {
  if (isForbiddenHeaderName(name)) return true;
  if (METHOD_OVERRIDE_HEADERS.has(name)) {
    for (const m of value.split(',')) if (isForbiddenMethod(trimOws(m))) return true;
  }
  return false;
}

export interface UnsafeHeaderAnalysis {
  /** CORS-unsafe request-header names, lowercased, deduplicated, in request order (over-budget ones last). */
  names: string[];
  /** Names skipped because the browser adds them itself. */
  uaAdded: string[];
  /** True when the 1024-byte budget made otherwise safelisted headers unsafe. */
  overBudget: boolean;
}

/**
 * The CORS-unsafe request-header names of a request (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names),
 * with Chromium's ordering (`CorsUnsafeNotForbiddenRequestHeaderNames`: unsafe names in request order,
 * then the safelisted ones when the 1024-byte budget is exceeded). Values of repeated names are combined
 * first, as the browser sends them on one line.
 */
export function unsafeRequestHeaderNames(
  headers: readonly Header[] | null,
  profile: BrowserProfile,
  index?: HeaderIndex,
): UnsafeHeaderAnalysis {
  const out: UnsafeHeaderAnalysis = { names: [], uaAdded: [], overBudget: false };
  if (!headers) return out;
  // Names come lowercased from the exchange's HeaderIndex (built once per exchange, shared with every other check).
  let idx = index;
  if (!idx) {
    // for-of, not Array.isArray: any iterable is accepted, and a non-iterable fails here as it always did.
    const list: Header[] = [];
    for (const h of headers) list.push(h);
    idx = new HeaderIndex(list);
  }
  if (!idx.repeats) return unsafeSingleLines(idx, profile, out);
  const order = idx.names;
  const values: string[] = [];
  const lengths: number[] = [];
  // Combine per name, as the browser sends repeated names on one line.
  for (const name of order) {
    let value = '';
    let length = 0;
    let first = true;
    for (const h of idx.linesOf(name)) {
      const raw = typeof h.value === 'string' ? h.value : '';
      const v = trimOws(raw);
      const len = valueLength(h) - (raw.length - v.length);
      if (first) {
        value = v;
        length = len;
        first = false;
      } else {
        value = `${value}, ${v}`;
        length += 2 + len;
      }
    }
    values.push(value);
    lengths.push(length);
  }
  const safelisted: string[] = [];
  let budget = 0;
  for (let k = 0; k < order.length; k++) {
    const name = order[k];
    const value = values[k];
    const length = lengths[k];
    if (isForbiddenRequestHeader(name, value)) continue;
    if (UA_ADDED_HEADERS.has(name)) {
      out.uaAdded.push(name);
      continue;
    }
    if (isSafelistedRequestHeader(name, value, profile, length)) {
      safelisted.push(name);
      budget += length;
    } else {
      out.names.push(name);
    }
  }
  return withBudget(out, safelisted, budget);
}

/** Fetch's 1,024-byte rule: safelisted values longer than that in total make every one of them unsafe. */
function withBudget(out: UnsafeHeaderAnalysis, safelisted: string[], budget: number): UnsafeHeaderAnalysis {
  if (budget > 1024) {
    out.overBudget = true;
    for (const n of safelisted) out.names.push(n);
  }
  return out;
}

/**
 * unsafeRequestHeaderNames when no name repeats (the usual case): the same decisions in the same order, but a
 * value is only trimmed and measured for the names whose verdict depends on it (most request headers are forbidden
 * or browser-added and are decided by name alone).
 */
function unsafeSingleLines(idx: HeaderIndex, profile: BrowserProfile, out: UnsafeHeaderAnalysis): UnsafeHeaderAnalysis {
  // A line without a value made the combined form throw (valueLength reads value.length): keep that failure, for the
  // first such line as before (the index noted it while building, so forbidden lines are not read again here).
  if (idx.nullValueAt !== -1) valueLength(idx.lineAt(idx.nullValueAt));
  const safelisted: string[] = [];
  let budget = 0;
  for (let i = 0; i < idx.size; i++) {
    // The class was decided when the index lowercased the name (header-names.ts).
    const facts = idx.factsAt(i);
    const cls = facts.req;
    if (cls === REQ_FORBIDDEN) continue;
    const name = facts.lower;
    if (cls === REQ_UA_ADDED) {
      out.uaAdded.push(name);
      continue;
    }
    const h = idx.lineAt(i);
    const raw = typeof h.value === 'string' ? h.value : '';
    const value = trimOws(raw);
    if (cls === REQ_METHOD_OVERRIDE && isForbiddenRequestHeader(name, value)) continue;
    const length = valueLength(h) - (raw.length - value.length);
    if (isSafelistedRequestHeader(name, value, profile, length)) {
      safelisted.push(name);
      budget += length;
    } else {
      out.names.push(name);
    }
  }
  return withBudget(out, safelisted, budget);
}
