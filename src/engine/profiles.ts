// Per-browser differences as data: what Chromium 156 and Firefox ESR 153 do where the Fetch spec leaves room,
// or where the browser departs from it. Source: each browser's CORS code (Chromium services/network/cors/,
// Firefox nsCORSListenerProxy.cpp), settled by the recorded scenarios in test/oracle/.
import type { BrowserName } from './types';

export interface BrowserProfile {
  name: BrowserName;
  /**
   * Chromium also treats legacy client hints (`dpr`, `width`, `rtt`…) as safelisted request headers
   * (services/network/public/cpp/cors/cors.cc `IsCorsSafelistedHeader`); Firefox preflights them (measured).
   */
  clientHintSafelist: boolean;
  /** Preflight cache lifetime when Access-Control-Max-Age is absent (both: 5 s). */
  preflightCacheDefaultSeconds: number;
  /** Upper bound on Access-Control-Max-Age (Chromium preflight_result.cc: 2 h; Gecko nsCORSListenerProxy: 24 h). */
  preflightCacheCapSeconds: number;
  /**
   * How a non-integer Max-Age is handled: Chromium falls back to the default, Gecko caches nothing.
   */
  maxAgeParsing: 'default-on-invalid' | 'no-cache-on-invalid';
  /** One cache entry per (origin, URL) replaced wholesale (Chromium) or one entry per method/header (Gecko). */
  cacheGranularity: 'entry' | 'per-token';
  /** Methods a cache lookup never needs an entry for (Gecko leaves HEAD out). */
  cacheExemptMethods: readonly string[];
  /** Measured: Firefox under automation never reused a cached preflight, even with Max-Age: 600. */
  reusesCachedPreflightsUnderAutomation: boolean;
  /**
   * ACAO classification. Chromium `CheckAccess`: exact `*` → missing → equal → space/comma (Multiple) →
   * `null` (Mismatch) → invalid URL (Invalid) → Mismatch. Gecko `CheckRequestApproved`: two or more ACAO
   * *lines* (Multiple) → missing → `*` with credentials → not equal (NotMatching, one-line lists included).
   */
  acaoClassification: 'chromium' | 'firefox';
  /**
   * Whether `Access-Control-Allow-Headers: *` (no credentials) lets an `Authorization` header through.
   * The spec and Chromium's code say no; MEASURED on Chromium 156 and Firefox ESR 153: both say yes.
   */
  authorizationCoveredByWildcard: boolean;
  /** Preflight check order (Chromium preflight_result.cc vs Gecko CheckPreflightRequestApproved). */
  preflightOrder: 'chromium' | 'firefox';
  /**
   * A redirected preflight: Chromium rejects it before looking at CORS headers (`PreflightDisallowedRedirect`);
   * Gecko's CORS proxy checks the 3xx's ACAO first (measured: 308 without CORS headers → CORSMissingAllowOrigin).
   */
  preflightRedirectCheckedBeforeAcao: boolean;
  /** Which unsafe header a failed ACAH check names: Chromium walks request order, Gecko a sorted list. */
  disallowedHeaderOrder: 'request' | 'sorted';
  /** Method comparison for "is this method safelisted": Chromium compares case-insensitively. */
  safelistedMethodCaseInsensitive: boolean;
  /**
   * How a response-side CORS block shows to webRequest: Chromium fails it (`net::ERR_FAILED`); Firefox
   * reports `onCompleted(200)` (measured), so only preflight failures are visible as errors there.
   */
  responseBlockVisibleInOutcome: boolean;
  /** Error strings the browser signals for a CORS failure. */
  corsErrorStrings: readonly string[];
}

export const CHROMIUM: BrowserProfile = {
  name: 'chromium',
  clientHintSafelist: true,
  preflightCacheDefaultSeconds: 5,
  preflightCacheCapSeconds: 7200,
  maxAgeParsing: 'default-on-invalid',
  cacheGranularity: 'entry',
  cacheExemptMethods: ['GET', 'HEAD', 'POST'],
  reusesCachedPreflightsUnderAutomation: true,
  acaoClassification: 'chromium',
  authorizationCoveredByWildcard: true,
  preflightOrder: 'chromium',
  preflightRedirectCheckedBeforeAcao: true,
  disallowedHeaderOrder: 'request',
  safelistedMethodCaseInsensitive: true,
  responseBlockVisibleInOutcome: true,
  corsErrorStrings: ['net::ERR_FAILED'],
};

export const FIREFOX: BrowserProfile = {
  name: 'firefox',
  clientHintSafelist: false,
  preflightCacheDefaultSeconds: 5,
  preflightCacheCapSeconds: 86400,
  maxAgeParsing: 'no-cache-on-invalid',
  cacheGranularity: 'per-token',
  cacheExemptMethods: ['GET', 'POST'],
  reusesCachedPreflightsUnderAutomation: false,
  acaoClassification: 'firefox',
  authorizationCoveredByWildcard: true,
  preflightOrder: 'firefox',
  preflightRedirectCheckedBeforeAcao: false,
  disallowedHeaderOrder: 'sorted',
  safelistedMethodCaseInsensitive: false,
  responseBlockVisibleInOutcome: false,
  corsErrorStrings: ['NS_ERROR_DOM_BAD_URI'],
};

export function profileFor(browser: BrowserName | string | undefined): BrowserProfile {
  return browser === 'firefox' ? FIREFOX : CHROMIUM;
}
