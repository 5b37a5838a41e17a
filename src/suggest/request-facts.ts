// Facts the policy needs from one ObservedRequest: which hop failed, the origin the browser sent there,
// the method and unsafe header names it asked for, and whether cookies went along. Kept separate from
// the engine on purpose: the engine decides pass/fail, this only reads what a fix must cover.
import type { Exchange, Header, ObservedRequest, Verdict } from '../engine/types';
import { isForbiddenHeaderName, originOf } from '../engine';

/** Methods that never need to be listed in ACAM (https://fetch.spec.whatwg.org/#cors-safelisted-method). */
export const SAFELISTED_METHODS = ['GET', 'HEAD', 'POST'];

/** Response headers every CORS response exposes (https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name). */
export const SAFELISTED_RESPONSE_HEADERS = new Set([
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
]);

/** All values of a header, case-insensitively, in order. */
export function headerValues(headers: Header[] | null | undefined, name: string): string[] {
  if (!headers) return [];
  const n = name.toLowerCase();
  return headers.filter((h) => h.name.toLowerCase() === n).map((h) => h.value);
}

export function headerValue(headers: Header[] | null | undefined, name: string): string | undefined {
  return headerValues(headers, name)[0];
}

/** The origin of an http(s) URL (what a server config can name), null for any other or unparsable URL. */
export function httpOriginOf(url: string): string | null {
  const o = originOf(url);
  return o !== null && (o.startsWith('http://') || o.startsWith('https://')) ? o : null;
}

/**
 * Request headers a script cannot set, or that the browser adds itself: they never appear in ACRH and must never be
 * "allowed". The forbidden names are the engine's (Fetch standard, forbidden request-header); `priority` and
 * `x-client-data` are added by Chromium, not by the page; `:`-names are HTTP/2 pseudo-headers in some HARs.
 */
const browserHeader = (n: string): boolean =>
  isForbiddenHeaderName(n) || n === 'priority' || n === 'x-client-data' || n.startsWith(':');

/** Bytes that make Accept/Content-Type values unsafe (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte). */
// eslint-disable-next-line no-control-regex
const UNSAFE_BYTE = /[\x00-\x08\x0a-\x1f"():<>?@[\\\]{}\x7f]/;

/** Simplified https://fetch.spec.whatwg.org/#cors-safelisted-request-header (no 1024-byte total budget). */
function isSafelistedRequestHeader(name: string, value: string): boolean {
  if (value.length > 128) return false;
  switch (name) {
    case 'accept':
      return !UNSAFE_BYTE.test(value);
    case 'accept-language':
    case 'content-language':
      return /^[0-9A-Za-z *,\-.;=]*$/.test(value);
    case 'content-type': {
      if (UNSAFE_BYTE.test(value)) return false;
      const essence = value.split(';')[0].trim().toLowerCase();
      return ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'].includes(essence);
    }
    case 'range':
      return /^bytes=[0-9]+-[0-9]*$/.test(value);
    default:
      return false;
  }
}

/**
 * The CORS-unsafe request-header names the page sent (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names),
 * lowercased, as raw strings (validation happens later). The preflight's ACRH is authoritative when seen;
 * otherwise they are computed from the actual request's headers, minus everything the browser added.
 */
export function unsafeRequestHeaderNames(req: ObservedRequest, hop: Exchange | undefined): string[] {
  const preflight = req.exchanges.find(
    (e) => e.kind === 'preflight' && headerValue(e.requestHeaders, 'access-control-request-headers') !== undefined,
  );
  const acrh = preflight ? headerValue(preflight.requestHeaders, 'access-control-request-headers') : undefined;
  if (acrh !== undefined) {
    return acrh
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s.length > 0);
  }
  const main = hop && hop.kind === 'main' ? hop : req.exchanges.find((e) => e.kind === 'main');
  if (!main?.requestHeaders) return [];
  const out: string[] = [];
  for (const h of main.requestHeaders) {
    const n = h.name.toLowerCase();
    if (browserHeader(n)) continue;
    // DevTools' "Disable cache" adds these; a page setting them itself is rare and would show in ACRH.
    if ((n === 'cache-control' || n === 'pragma') && h.value === 'no-cache') continue;
    if (isSafelistedRequestHeader(n, h.value)) continue;
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** The method as the page sent it: ACRM of the preflight (case kept), else the request's method. */
export function requestMethod(req: ObservedRequest): string {
  const preflight = req.exchanges.find((e) => e.kind === 'preflight');
  const acrm = preflight ? headerValue(preflight.requestHeaders, 'access-control-request-method') : undefined;
  return acrm ?? req.method;
}

/** The exchange a verdict is about: the one at fault, else the last main exchange. */
export function exchangeAt(req: ObservedRequest, verdict: Verdict): Exchange | undefined {
  if (verdict.kind === 'blocked' && verdict.reason.exchangeIndex >= 0)
    return req.exchanges[verdict.reason.exchangeIndex];
  const mains = req.exchanges.filter((e) => e.kind === 'main');
  return mains[mains.length - 1] ?? req.exchanges[req.exchanges.length - 1];
}

/**
 * Whether the `Origin` the browser sent on `hop` is `null` because of a cross-origin redirect
 * (https://fetch.spec.whatwg.org/#concept-request-tainted-origin): a hop from u1 to u2 with
 * origin(u2) ≠ origin(u1) while the page's origin ≠ origin(u1). An observed `Origin: null` settles it.
 */
export function isRedirectTainted(req: ObservedRequest, hop: Exchange | undefined): boolean {
  if (!hop || req.initiator === null || req.initiator === 'null') return false;
  const sent = headerValue(hop.requestHeaders, 'origin');
  if (sent !== undefined) return sent === 'null';
  const mains = req.exchanges.filter((e) => e.kind === 'main');
  const idx = mains.indexOf(hop);
  const upto = idx >= 0 ? mains.slice(0, idx + 1) : mains;
  for (let i = 1; i < upto.length; i++) {
    const o1 = httpOriginOf(upto[i - 1].url);
    const o2 = httpOriginOf(upto[i].url);
    if (o1 !== o2 && req.initiator !== o1) return true;
  }
  return false;
}

/** Credentials mode, from the verdict, the hints, or (as a guess) a Cookie header on the actual request. */
export function credentialsOf(req: ObservedRequest, verdict: Verdict): { include: boolean; known: boolean } {
  const mode = verdict.credentials ?? req.hints?.credentials ?? null;
  if (mode !== null) return { include: mode === 'include', known: true };
  const sentCookie = req.exchanges.some(
    (e) => e.kind === 'main' && headerValue(e.requestHeaders, 'cookie') !== undefined,
  );
  return { include: sentCookie, known: false };
}
