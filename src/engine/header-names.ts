// What a header's (lowercase) name alone says, decided once per distinct name and kept on headers.ts's name cache:
// which CORS-relevant header it is (a "slot"), how the request-side safelist treats it and how exposure does.
// One pass over a header list then yields every fact the engine needs, with no lookup by name afterwards.

// --- Slots: the headers the engine reads by name. Bit positions (< 31) of HeaderIndex's presence masks.
export const S_ACAO = 0;
export const S_ACAC = 1;
export const S_ACAM = 2;
export const S_ACAH = 3;
export const S_ACEH = 4;
export const S_ACMA = 5;
export const S_VARY = 6;
export const S_LOCATION = 7;
export const S_ORIGIN = 8;
export const S_COOKIE = 9;
export const S_AUTHORIZATION = 10;
export const S_ACRM = 11;
export const S_ACRH = 12;
export const S_SEC_FETCH_MODE = 13;
export const S_HOST = 14;
export const S_ACCEPT_ENCODING = 15;
export const S_CONNECTION = 16;

/** Lowercase name → slot. Names not listed have no slot (-1). */
export const SLOT_OF: ReadonlyMap<string, number> = new Map([
  ['access-control-allow-origin', S_ACAO],
  ['access-control-allow-credentials', S_ACAC],
  ['access-control-allow-methods', S_ACAM],
  ['access-control-allow-headers', S_ACAH],
  ['access-control-expose-headers', S_ACEH],
  ['access-control-max-age', S_ACMA],
  ['vary', S_VARY],
  ['location', S_LOCATION],
  ['origin', S_ORIGIN],
  ['cookie', S_COOKIE],
  ['authorization', S_AUTHORIZATION],
  ['access-control-request-method', S_ACRM],
  ['access-control-request-headers', S_ACRH],
  ['sec-fetch-mode', S_SEC_FETCH_MODE],
  ['host', S_HOST],
  ['accept-encoding', S_ACCEPT_ENCODING],
  ['connection', S_CONNECTION],
]);

export function slotOf(lower: string): number {
  return SLOT_OF.get(lower) ?? -1;
}

// --- Request side (https://fetch.spec.whatwg.org/#forbidden-request-header and the preflight decision).

// https://fetch.spec.whatwg.org/#forbidden-request-header — plus `user-agent`, which Chromium's
// net::HttpUtil::IsSafeHeader still treats as unsafe-to-set, and which both UAs add themselves.
export const FORBIDDEN_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'access-control-request-private-network',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
  'user-agent',
]);
/** Names whose forbidden-ness depends on the value (a forbidden method inside): `isForbiddenRequestHeader`. */
export const METHOD_OVERRIDE_HEADERS: ReadonlySet<string> = new Set([
  'x-http-method',
  'x-http-method-override',
  'x-method-override',
]);

/**
 * Headers the browser or its network stack add on its own (so they are on the wire without being author-set),
 * which a passive observer must not count when predicting a preflight: `priority` (Firefox, Chromium over
 * HTTP/1.1), cache revalidation headers (Chromium's CorsUnsafeNotForbiddenRequestHeaderNames skips
 * `if-modified-since`, `if-none-match`, `cache-control` for revalidations), `pragma` (DevTools "Disable cache").
 */
export const UA_ADDED_HEADERS: ReadonlySet<string> = new Set([
  'priority',
  'pragma',
  'cache-control',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'upgrade-insecure-requests',
  'alt-used',
  'x-client-data',
  'purpose',
  'service-worker-navigation-preload',
]);

/** Request-name classes: decided by name alone (forbidden, browser-added), or by the value too. */
export const REQ_FORBIDDEN = 0;
export const REQ_METHOD_OVERRIDE = 1;
export const REQ_UA_ADDED = 2;
export const REQ_OTHER = 3;

/**
 * Forbidden by name alone: the Fetch standard's list and the `proxy-` / `sec-` prefixes. A method-override header is
 * forbidden by its value too (safelist.ts, isForbiddenRequestHeader). `lower` must be lowercase.
 */
export function isForbiddenHeaderName(lower: string): boolean {
  return FORBIDDEN_REQUEST_HEADERS.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-');
}

export function requestNameClass(lower: string): number {
  return isForbiddenHeaderName(lower)
    ? REQ_FORBIDDEN
    : METHOD_OVERRIDE_HEADERS.has(lower)
      ? REQ_METHOD_OVERRIDE
      : UA_ADDED_HEADERS.has(lower)
        ? REQ_UA_ADDED
        : REQ_OTHER;
}

// --- Response side (https://fetch.spec.whatwg.org/#concept-filtered-response-cors).

// https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name
export const SAFELISTED_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
]);

/** https://fetch.spec.whatwg.org/#forbidden-response-header-name — never exposed to script. */
export function isForbiddenResponseHeader(name: string): boolean {
  return name === 'set-cookie' || name === 'set-cookie2';
}

/**
 * Headers that scripts practically never read and that nearly every response carries (transport, hop-by-hop
 * and browser-policy headers): listing them as "hidden" on every response would bury the useful ones
 * (`x-request-id`, `etag`, `location`, `link`…). They are hidden all the same; this only keeps the list readable.
 */
const EXPOSURE_NOISE: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-connection',
  'date',
  'server',
  'via',
  'vary',
  'age',
  'alt-svc',
  'strict-transport-security',
  'content-security-policy',
  'content-security-policy-report-only',
  'x-content-type-options',
  'x-frame-options',
  'x-xss-protection',
  'referrer-policy',
  'permissions-policy',
  'cross-origin-resource-policy',
  'cross-origin-opener-policy',
  'cross-origin-embedder-policy',
  'timing-allow-origin',
  'report-to',
  'nel',
  'reporting-endpoints',
  'origin-agent-cluster',
  'x-powered-by',
  'content-encoding',
]);

/** Response-name classes for exposure: not listed as hidden (safelisted, access-control-*, noise), always hidden, or hidden unless exposed. */
export const RES_SKIPPED = 0;
export const RES_FORBIDDEN = 1;
export const RES_CANDIDATE = 2;

export function responseNameClass(lower: string): number {
  return SAFELISTED_RESPONSE_HEADERS.has(lower) || lower.startsWith('access-control-') || EXPOSURE_NOISE.has(lower)
    ? RES_SKIPPED
    : isForbiddenResponseHeader(lower)
      ? RES_FORBIDDEN
      : RES_CANDIDATE;
}
