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

/** Parses `url`; null when it does not parse. Never throws. */
export function parseUrl(url: string): ParsedUrl | null {
  if (typeof url !== 'string' || url.length === 0) return null;
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

/** Serialized origin of `url`, `null` (the string) when opaque or unparsable. */
export function originOf(url: string): string {
  return parseUrl(url)?.origin ?? OPAQUE;
}

/**
 * Normalizes an initiator as reported by webRequest/HAR: `http://a:80/` → `http://a`. `null` stays `null`.
 * Returns null when the value is not an origin at all.
 */
export function normalizeOrigin(value: string | null | undefined): string | null {
  if (value == null) return null;
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
