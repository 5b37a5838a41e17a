// Origins (https://html.spec.whatwg.org/multipage/browsers.html#origin): parse a URL's origin, serialize it,
// compare two origins, and the opaque origin that serializes to `null`.

/** The string an opaque origin serializes to (https://html.spec.whatwg.org/#ascii-serialisation-of-an-origin). */
export const OPAQUE = 'null';

export interface ParsedUrl {
  /** Lowercase scheme without the colon (`https`). */
  scheme: string;
  /** Serialized origin, or `null` for an opaque one (data:, file:, about:, malformed URLs). */
  origin: string;
  hasCredentials: boolean;
  url: URL;
}

/** Schemes whose URLs have tuple origins under the URL Standard's special-scheme rules. */
const TUPLE_SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'ftp']);
/**
 * Extension schemes: the URL Standard treats them as non-special (origin opaque), but Chromium and Gecko
 * give extension pages a tuple origin (`chrome-extension://<id>`), and that is what `initiator` reports.
 */
const EXTENSION_SCHEMES = new Set(['chrome-extension', 'moz-extension', 'safari-web-extension']);

/** ASCII letter, digit, `+`, `-` or `.`: what a scheme continues with (https://url.spec.whatwg.org/#scheme-state). */
function isSchemeChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2b ||
    c === 0x2d ||
    c === 0x2e
  );
}

/**
 * True when `s` cannot start with a scheme, so the URL parser without a base must fail
 * (https://url.spec.whatwg.org/#scheme-start-state: a first code point that is not an ASCII letter, or a scheme
 * never ended by `:`, leads to the no-scheme state, which fails without a base). Decided without `new URL`, whose
 * failure is a thrown TypeError: ~5 µs each, and invalid ACAO values (`example.com`, `'*'`) reach it on every
 * Chromium-style check. Any code point ≤ U+0020 in the prefix (stripped or removed by the parser) leaves it to `new URL`.
 */
function cannotHaveScheme(s: string): boolean {
  const n = s.length;
  if (n === 0) return true;
  const c0 = s.charCodeAt(0);
  if (c0 <= 0x20) return false;
  if (!((c0 >= 0x61 && c0 <= 0x7a) || (c0 >= 0x41 && c0 <= 0x5a))) return true;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3a) return false;
    if (c <= 0x20) return false;
    if (!isSchemeChar(c)) return true;
  }
  return true;
}

/** Parses `url`; null when it does not parse. Never throws. */
export function parseUrl(url: string): ParsedUrl | null {
  if (typeof url !== 'string' || url.length === 0) return null;
  const fast = parseHttpFast(url);
  if (fast !== null) return fast;
  if (cannotHaveScheme(url)) return null;
  // Not URL.canParse: on Node 20 (20.20.2, measured) it starts answering false for IDN hosts such as http://é after
  // ~2,000 calls, once V8 optimizes the call; the property test in test/unit/engine/origin-fast.test.ts caught it.
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const scheme = u.protocol.slice(0, -1).toLowerCase();
  let origin = OPAQUE;
  if (TUPLE_SCHEMES.has(scheme)) {
    // URL#origin already drops default ports and lowercases the host.
    origin = u.origin;
  } else if (EXTENSION_SCHEMES.has(scheme) && u.host) {
    origin = `${scheme}://${u.host}`;
  } else if (scheme === 'blob') {
    // A blob: URL's origin is the origin of the URL inside it (https://url.spec.whatwg.org/#concept-url-origin).
    const inner = parseUrl(u.pathname);
    origin = inner && (inner.scheme === 'http' || inner.scheme === 'https') ? inner.origin : OPAQUE;
  }
  return { scheme, origin, hasCredentials: u.username !== '' || u.password !== '', url: u };
}

/** A fast-path parse result: the `URL` object is only built if a caller asks for it (redactUserinfo does). */
class LazyParsedUrl implements ParsedUrl {
  // `declare` fields, assigned in the constructor: ES2022 class fields would first define each one as undefined.
  declare readonly scheme: string;
  declare readonly origin: string;
  declare readonly hasCredentials: boolean;
  declare private readonly href: string;
  declare private u: URL | undefined;
  constructor(scheme: string, origin: string, hasCredentials: boolean, href: string) {
    this.scheme = scheme;
    this.origin = origin;
    this.hasCredentials = hasCredentials;
    this.href = href;
    this.u = undefined;
  }

  get url(): URL {
    return (this.u ??= new URL(this.href));
  }
}

/**
 * `a.b.c.d` with four decimal parts 0-255 written without leading zeros: the IPv4 parser
 * (https://url.spec.whatwg.org/#concept-ipv4-parser) serializes such a host back unchanged. Any other numeric
 * host (octal `010`, hex `0x7f`, fewer parts, a trailing dot) is rewritten by it and left to `new URL`.
 */
function isDottedQuad(s: string, start: number, end: number): boolean {
  let parts = 0;
  let i = start;
  while (i <= end) {
    const ps = i;
    let v = 0;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      v = v * 10 + (c - 0x30);
      i++;
    }
    const len = i - ps;
    if (len === 0 || len > 3 || v > 255 || (len > 1 && s.charCodeAt(ps) === 0x30)) return false;
    parts++;
    if (i === end) break;
    if (s.charCodeAt(i) !== 0x2e) return false;
    i++;
  }
  return parts === 4;
}

// Host characters the fast path accepts, by class (one table lookup per character).
const OTHER = 0;
const LOWER_OR_DIGIT = 1;
const DASH = 2;
const DOT = 3;
const UPPER = 4;
const HOST_CHAR = new Uint8Array(128);
for (let c = 0x61; c <= 0x7a; c++) HOST_CHAR[c] = LOWER_OR_DIGIT;
for (let c = 0x30; c <= 0x39; c++) HOST_CHAR[c] = LOWER_OR_DIGIT;
for (let c = 0x41; c <= 0x5a; c++) HOST_CHAR[c] = UPPER;
HOST_CHAR[0x2d] = DASH;
HOST_CHAR[0x2e] = DOT;

/** 8 for a URL starting `https://`, 7 for `http://` (lowercase), else 0; by char codes, as startsWith showed in the profile. */
function httpPrefixLength(url: string): number {
  if (
    url.length < 8 ||
    url.charCodeAt(0) !== 0x68 ||
    url.charCodeAt(1) !== 0x74 ||
    url.charCodeAt(2) !== 0x74 ||
    url.charCodeAt(3) !== 0x70
  )
    return 0;
  const c4 = url.charCodeAt(4);
  if (c4 === 0x73 && url.charCodeAt(5) === 0x3a && url.charCodeAt(6) === 0x2f && url.charCodeAt(7) === 0x2f) return 8;
  if (c4 === 0x3a && url.charCodeAt(5) === 0x2f && url.charCodeAt(6) === 0x2f) return 7;
  return 0;
}

/**
 * The common case without the WHATWG URL parser (`new URL` dominated the engine's profile): `http://` or
 * `https://` (lowercase) followed by an authority made only of ASCII letters, digits, `-` and `.`, an optional
 * port without leading zeros, ending at `/`, `\`, `?`, `#` or the end. For such a URL the URL Standard's host
 * parser (https://url.spec.whatwg.org/#host-parsing) only lowercases: no percent-decoding, no IDNA (hosts
 * containing `--`, so every `xn--` label, are left to the full parser, which validates Punycode), no IPv4 rewriting (a last label starting
 * with a digit could be an IPv4 number, https://url.spec.whatwg.org/#ends-in-a-number-checker: only a canonical
 * dotted quad stays on the fast path). Anything else (userinfo, IPv6, `%`, non-ASCII, tabs, odd ports) returns null: use `new URL`.
 * Agreement with `new URL(u).origin` is a property test (test/unit/engine/origin-fast.test.ts).
 */
function parseHttpFast(url: string): ParsedUrl | null {
  const n = url.length;
  const start = httpPrefixLength(url);
  if (start === 0) return null;
  const scheme = start === 8 ? 'https' : 'http';
  let i = start;
  let upper = false;
  // `--` anywhere in the host: possibly a Punycode label (`xn--`), which only the full parser validates.
  let dashes = false;
  let labelStart = start;
  let prevLabelStart = start;
  for (; i < n; i++) {
    const c = url.charCodeAt(i);
    const k = c < 128 ? HOST_CHAR[c] : OTHER;
    if (k === LOWER_OR_DIGIT) continue;
    if (k === DASH) {
      if (i > start && url.charCodeAt(i - 1) === 0x2d) dashes = true;
      continue;
    }
    if (k === DOT) {
      prevLabelStart = labelStart;
      labelStart = i + 1;
      continue;
    }
    if (k === UPPER) {
      upper = true;
      continue;
    }
    break;
  }
  const hostEnd = i;
  if (hostEnd === start || dashes) return null;
  // A trailing dot: the label before it is the one the ends-in-a-number checker looks at.
  const checked = labelStart === hostEnd ? prevLabelStart : labelStart;
  if (checked < hostEnd) {
    const c0 = url.charCodeAt(checked);
    if (c0 >= 0x30 && c0 <= 0x39 && !isDottedQuad(url, start, hostEnd)) return null;
  }
  let port = -1;
  if (i < n && url.charCodeAt(i) === 0x3a) {
    const ps = ++i;
    let v = 0;
    for (; i < n; i++) {
      const c = url.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      v = v * 10 + (c - 0x30);
    }
    const len = i - ps;
    // Empty, leading-zero and overlong ports are legal or errors in odd ways: the full parser decides.
    if (len === 0 || len > 5 || url.charCodeAt(ps) === 0x30 || v > 65535) return null;
    if (!(scheme === 'http' ? v === 80 : v === 443)) port = v;
  }
  if (i < n) {
    const c = url.charCodeAt(i);
    if (c !== 0x2f && c !== 0x5c && c !== 0x3f && c !== 0x23) return null;
  }
  // Without uppercase the serialization is the URL's own prefix, up to the port or (default port) the host.
  const origin = upper
    ? `${scheme}://${url.slice(start, hostEnd).toLowerCase()}${port === -1 ? '' : `:${port}`}`
    : url.slice(0, port === -1 ? hostEnd : i);
  return new LazyParsedUrl(scheme, origin, false, url);
}

/**
 * The origin of a URL: its serialization (Fetch "ASCII serialization of an origin"), `'null'` for an opaque one
 * (`data:`, `file:`), and `null` when there is no URL or it does not parse. The one origin helper of the codebase:
 * callers that want only tuple origins, or only http(s), filter its answer.
 */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  return parseUrl(url)?.origin ?? null;
}

/**
 * Normalizes an initiator as reported by webRequest/HAR: `http://a:80/` → `http://a`. `null` stays `null`.
 * Returns null when the value is not an origin at all.
 */
export function normalizeOrigin(value: string | null | undefined): string | null {
  if (value == null) return null;
  // A page makes many requests from one origin: the same few initiator strings come back all the time.
  if (typeof value === 'string' && value.length <= ORIGIN_KEY_MAX) {
    const hit = ORIGIN_CACHE.get(value);
    if (hit !== undefined) return hit;
    const got = normalizeUncached(value);
    if (ORIGIN_CACHE.size >= ORIGIN_CACHE_MAX) ORIGIN_CACHE.clear();
    ORIGIN_CACHE.set(value, got);
    return got;
  }
  return normalizeUncached(value);
}

/** normalizeOrigin's results by input (a pure function of the string); bounded, emptied when full. */
const ORIGIN_CACHE = new Map<string, string | null>();
const ORIGIN_CACHE_MAX = 256;
const ORIGIN_KEY_MAX = 256;

function normalizeUncached(value: string): string | null {
  const v = value.trim();
  if (v === '') return null;
  if (v === OPAQUE) return OPAQUE;
  const p = parseUrl(v);
  if (!p) return null;
  return p.origin;
}

/**
 * Same origin (https://html.spec.whatwg.org/#same-origin): tuple origins compare by serialization;
 * an opaque origin is only the same as itself, and two `null` strings cannot be proven to be the same one,
 * so they are never same-origin here (a request from an opaque origin is always cross-origin).
 */
export function sameOrigin(a: string, b: string): boolean {
  return a !== OPAQUE && b !== OPAQUE && a === b;
}

/** True when `scheme` is one the Fetch CORS protocol works over (https://fetch.spec.whatwg.org/#http-scheme). */
export function isHttpScheme(scheme: string): boolean {
  return scheme === 'http' || scheme === 'https';
}

/** Hides the password of a URL with userinfo, so console-like messages never echo a secret. */
export function redactUserinfo(url: string): string {
  const p = parseUrl(url);
  if (!p || !p.hasCredentials) return url;
  if (p.url.password) p.url.password = '***';
  return p.url.href;
}

/**
 * Whether Chromium's `GURL` would accept `value` as a valid URL, used to tell `InvalidAllowOriginValue`
 * from `AllowOriginMismatch` (services/network/public/cpp/cors/cors.cc `CheckAccessInternal`). GURL needs a
 * scheme; for standard schemes it also needs a host. WHATWG URL parsing is close enough for that split.
 */
export function isValidUrlLikeGurl(value: string): boolean {
  if (value.length === 0) return false;
  // A plain http(s) URL with a non-empty host: valid without building a URL; garbage fails without a throw.
  if (parseHttpFast(value) !== null) return true;
  if (cannotHaveScheme(value)) return false;
  // Not URL.canParse: see parseUrl.
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return false;
  }
  const scheme = u.protocol.slice(0, -1).toLowerCase();
  if (TUPLE_SCHEMES.has(scheme) && u.host === '') return false;
  return true;
}
