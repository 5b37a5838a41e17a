// How long each browser keeps a CORS preflight in its cache (https://fetch.spec.whatwg.org/#concept-cache), used
// by findings.ts to warn that a cached preflight can hide a server fix. Chromium: services/network/cors/
// preflight_result.cc; Gecko: netwerk/protocol/http/nsCORSListenerProxy.cpp.
import { trimOws } from './headers';
import type { BrowserProfile } from './profiles';

/**
 * Access-Control-Max-Age in seconds as the browser would store it, or null when nothing is cached.
 * Chromium: absent or not an integer ⇒ 5 s, negative ⇒ 0, capped at 7200. Gecko: absent/empty ⇒ 5 s,
 * anything but ASCII digits ⇒ not cached, 0 ⇒ not cached, capped at 86400.
 */
export function effectiveMaxAge(value: string | null, profile: BrowserProfile): number | null {
  const v = value === null ? null : trimOws(value);
  if (v === null || v === '') return profile.preflightCacheDefaultSeconds;
  if (profile.maxAgeParsing === 'no-cache-on-invalid') {
    if (!/^[0-9]+$/.test(v)) return null;
    const n = Number(v);
    return n === 0 ? null : Math.min(n, profile.preflightCacheCapSeconds);
  }
  // base::StringToInt64 fails on non-integers and on overflow; both fall back to the default.
  if (!/^-?[0-9]+$/.test(v) || v.replace('-', '').length > 18) return profile.preflightCacheDefaultSeconds;
  const n = Number(v);
  if (n <= 0) return null;
  return Math.min(n, profile.preflightCacheCapSeconds);
}
