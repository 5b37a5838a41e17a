// The shapes of a derived server CORS policy, its changes and client-side advice. Framework renderers
// (./frameworks/*) turn an OriginPolicy into config text.
import type { ObservedRequest, Verdict } from '../engine/types';
import type { PolicyWarning } from './validate';

export type { PolicyWarning } from './validate';

export interface PolicyItem {
  request: ObservedRequest;
  verdict: Verdict;
}

/** One thing the server must do differently, and which requests need it. */
export interface PolicyChange {
  code:
    | 'add-allow-origin'
    | 'exact-origin-not-wildcard'
    | 'allow-credentials-true'
    | 'single-allow-origin'
    | 'remove-duplicate-layer'
    | 'fix-allow-origin-value'
    | 'preflight-2xx'
    | 'preflight-no-redirect'
    | 'fix-allow-methods-syntax'
    | 'fix-allow-headers-syntax'
    | 'allow-method'
    | 'allow-header'
    | 'authorization-by-name'
    | 'expose-headers'
    | 'cors-on-error-responses'
    | 'fix-redirect'
    | 'allow-null-origin';
  message: string;
  requestIds: string[];
}

/** The server-side CORS policy for one target origin (the API), minimal for the requests it came from. */
export interface OriginPolicy {
  /** Origin of the server that must send the headers (`https://api.example.com`). */
  targetOrigin: string;
  requestIds: string[];
  /** URL paths seen, for frameworks that scope CORS by path. */
  paths: string[];
  /** Exact page origins to allow (ACAO echoes the request's Origin when it is one of these). Never `*`. */
  allowOrigins: string[];
  /** Non-safelisted methods needed, byte-exact as sent (`patch` ≠ `PATCH`). */
  methods: string[];
  /** CORS-unsafe request header names actually sent, lowercased. */
  requestHeaders: string[];
  /** ACAC: true — only when a request was credentialed. */
  credentials: boolean;
  /** Response header names the page could not read (ACEH candidates), lowercased. */
  exposeHeaders: string[];
  /** Suggested Access-Control-Max-Age (Chromium caps at 7200, Firefox at 86400). */
  maxAge: number;
  /** Whether any request needs a preflight answered (non-safelisted method or unsafe header). */
  preflight: boolean;
  /** `Vary: Origin` must be sent: true whenever ACAO is a specific origin, which is always here. */
  varyOrigin: boolean;
  /** A failure happened on a 4xx/5xx response: CORS headers must be sent on error responses too. */
  corsOnErrors: boolean;
  changes: PolicyChange[];
  warnings: PolicyWarning[];
}

/** Something only the client (page code, URL, browser setting) can fix. */
export interface Advice {
  code:
    | 'no-cors-opaque'
    | 'same-origin-mode'
    | 'mixed-content'
    | 'local-network-access'
    | 'cors-disabled-scheme'
    | 'no-cors-redirect-mode'
    | 'request-final-url'
    | 'remove-url-credentials'
    | 'redirect-taint'
    | 'not-cors'
    | 'unknown-verdict'
    | 'unknown-page-origin'
    | 'invalid-response'
    | 'uppercase-method';
  requestIds: string[];
  targetOrigin: string | null;
  message: string;
}

export interface DerivedPolicies {
  /** One merged policy per target origin. */
  policies: OriginPolicy[];
  /** One policy per request that needs a server change (same order as the input). */
  perRequest: OriginPolicy[];
  clientSideAdvice: Advice[];
  /** Requests left out entirely because a value could not be used safely (hostile origin, bad URL…). */
  warnings: PolicyWarning[];
}
