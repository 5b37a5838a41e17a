// HTTP-redirect fetch for CORS requests (https://fetch.spec.whatwg.org/#http-redirect-fetch): where a hop
// goes, redirect-taint (origin becomes `null`), and the Location checks Chromium runs in
// cors_url_loader.cc `CheckRedirectLocation` (userinfo → RedirectContainsCredentials, non-HTTP → CorsDisabledScheme).
import { S_LOCATION } from './header-names';
import { HeaderIndex } from './headers';
import { isHttpScheme, OPAQUE, parseUrl, redactUserinfo } from './origin';
import type { CheckFailure } from './cors-check';
import type { Exchange, RequestMode } from './types';

/**
 * https://fetch.spec.whatwg.org/#redirect-status: 301, 302, 303, 307, 308. The one predicate every
 * "is this a redirect" decision uses (preflight, actual request, HAR import, probe). 300, 304, 305 and 306 are
 * answers, not redirects, even with a Location: Chromium net::HttpResponseHeaders::IsRedirectResponseCode, and
 * measured in Chromium 156 and Firefox ESR 153 (oracle families preflight-3xx-* and actual-3xx-*).
 */
export function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** The URL a redirect hop led to: webRequest's `redirectUrl`, else its Location resolved against the hop URL. */
export function redirectTarget(ex: Exchange, headers?: HeaderIndex): string | null {
  if (typeof ex.redirectUrl === 'string' && ex.redirectUrl) return ex.redirectUrl;
  if (!ex.response || !isRedirectStatus(ex.response.status)) return null;
  const loc = (headers ?? new HeaderIndex(ex.response.headers)).value(S_LOCATION);
  if (!loc) return null;
  try {
    return new URL(loc, ex.url).href;
  } catch {
    return null;
  }
}

/**
 * Redirect-taint (https://fetch.spec.whatwg.org/#concept-request-tainted-origin, Chromium `CheckTainted`):
 * once a hop goes from `from` to a different origin while `from` is not the request's origin, the request
 * origin serializes to `null` for the rest of the chain.
 */
export function taintAfterHop(tainted: boolean, initiator: string, fromOrigin: string, toOrigin: string): boolean {
  if (tainted) return true;
  const crossHop = fromOrigin === OPAQUE || toOrigin === OPAQUE || fromOrigin !== toOrigin;
  const fromIsInitiator = initiator !== OPAQUE && fromOrigin === initiator;
  return crossHop && !fromIsInitiator;
}

/**
 * Checks a followed redirect's Location (Fetch HTTP-redirect fetch steps 6-8): non-HTTP(S) targets of a CORS
 * request fail with CorsDisabledScheme; userinfo fails when the CORS flag is set, or the request is tainted,
 * or the target is cross-origin to the initiator.
 */
export function checkRedirectLocation(
  location: string,
  mode: RequestMode,
  initiator: string,
  corsFlag: boolean,
  tainted: boolean,
): CheckFailure | null {
  const p = parseUrl(location);
  if (!p) return null;
  if (mode === 'cors' && p.hasCredentials && (corsFlag || tainted || p.origin !== initiator)) {
    const shown = redactUserinfo(location);
    return {
      corsError: 'RedirectContainsCredentials',
      // Gecko fails this in nsCORSListenerProxy::UpdateChannel without a dedicated message.
      firefoxReason: 'CORSDidNotSucceed',
      // Chromium constructs this error without a parameter (services/network/cors/cors_url_loader.cc).
      failedParameter: '',
      header: 'location',
      expected: 'a redirect URL without user:password@',
      actual: shown,
      why: `the redirect Location ${shown} carries credentials (user:password@), which CORS requests may not follow`,
    };
  }
  if ((corsFlag || tainted) && !isHttpScheme(p.scheme)) {
    return {
      corsError: 'CorsDisabledScheme',
      firefoxReason: 'CORSRequestNotHttp',
      failedParameter: '',
      expected: 'http or https',
      actual: p.scheme,
      why: `the redirect leads to a ${p.scheme}: URL; CORS requests only work over http and https`,
    };
  }
  return null;
}

/** Method after a redirect (Fetch HTTP-redirect fetch step 12): 301/302 + POST, or 303 + non-GET/HEAD, become GET. */
export function methodAfterRedirect(status: number, method: string): string {
  if (
    ((status === 301 || status === 302) && method === 'POST') ||
    (status === 303 && method !== 'GET' && method !== 'HEAD')
  )
    return 'GET';
  return method;
}
