// Whether a cross-origin CORS request needs a preflight (https://fetch.spec.whatwg.org/#main-fetch step
// "use-CORS-preflight flag … or unsafe-request flag and (method not safelisted or CORS-unsafe header names)"),
// as Chromium's `NeedsCorsPreflight` (services/network/cors/cors_url_loader.cc) computes it.
import type { HeaderIndex } from './headers';
import type { BrowserProfile } from './profiles';
import { isSafelistedMethod, unsafeRequestHeaderNames } from './safelist';
import type { Header } from './types';

export interface PreflightNeed {
  needed: boolean;
  /** Human-readable reasons ("method PUT is not safelisted", "header x-api-key is not safelisted"). */
  reasons: string[];
  /** CORS-unsafe request-header names, lowercased, in request order. */
  headerNames: string[];
  methodUnsafe: boolean;
  /** Names ignored because the browser adds them itself (see safelist.ts UA_ADDED_HEADERS). */
  uaAdded: string[];
}

/** `index`: the HeaderIndex of `headers` when the caller already has one (saves lowercasing the names again). */
export function preflightNeed(
  method: string,
  headers: readonly Header[] | null,
  profile: BrowserProfile,
  index?: HeaderIndex,
): PreflightNeed {
  const methodUnsafe = !isSafelistedMethod(method, profile.safelistedMethodCaseInsensitive);
  const h = unsafeRequestHeaderNames(headers, profile, index);
  const reasons: string[] = [];
  if (methodUnsafe) reasons.push(`method ${method} is not safelisted`);
  if (h.overBudget) reasons.push('safelisted request headers exceed the 1024-byte budget');
  for (let i = 0; i < h.names.length; i++) reasons.push(`request header ${h.names[i]} is not safelisted`);
  return {
    needed: methodUnsafe || h.names.length > 0,
    reasons,
    headerNames: h.names,
    methodUnsafe,
    uaAdded: h.uaAdded,
  };
}

/** Parses an Access-Control-Request-Headers value (lowercase names joined by `,`) into names. */
export function parseRequestHeaderList(value: string | null): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const part of value.split(',')) {
    const t = part.trim().toLowerCase();
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}
