// The engine's contract: what an observer of the network saw of one logical request (input) and the
// browser's CORS decision re-derived from it (output). Shared by the worker, the CLI, the HAR importer,
// the panel and the suggestion generators. Field names are stable: extend, never rename.

/** One header line as observed. Duplicates and order are kept: `MultipleAllowOriginValues` depends on them. */
export interface Header {
  name: string;
  value: string;
  /** Set by the capture layer when it truncated a very long value to bound memory: the original length. */
  originalLength?: number;
}

export type BrowserName = 'chromium' | 'firefox';

/** Fetch request modes (https://fetch.spec.whatwg.org/#concept-request-mode). */
export type RequestMode = 'cors' | 'no-cors' | 'same-origin' | 'navigate' | 'websocket';
/** Fetch credentials modes (https://fetch.spec.whatwg.org/#concept-request-credentials-mode). */
export type CredentialsMode = 'omit' | 'same-origin' | 'include';

/**
 * Resource type as webRequest reports it (Chromium and Firefox share most names; `fetch` is used when
 * a HAR or the page observer could tell a fetch() from an XHR, which webRequest cannot).
 */
export type ResourceType =
  | 'main_frame'
  | 'sub_frame'
  | 'stylesheet'
  | 'script'
  | 'image'
  | 'font'
  | 'object'
  | 'xmlhttprequest'
  | 'fetch'
  | 'ping'
  | 'csp_report'
  | 'media'
  | 'websocket'
  | 'webbundle'
  | 'beacon'
  | 'other';

export interface ObservedResponse {
  status: number;
  statusText?: string;
  /** Response headers with duplicates kept, as received on the wire (pre-CORS filtering). */
  headers: Header[];
  /** Served from the HTTP cache (webRequest `fromCache`). */
  fromCache?: boolean;
  /** Remote IP when known (webRequest `ip`). */
  ip?: string;
}

/** One network round trip: a preflight, the actual request, or one redirect hop of it. */
export interface Exchange {
  kind: 'preflight' | 'main';
  url: string;
  method: string;
  /** Request headers as sent; null when the observer never saw them (or the browser never sent them). */
  requestHeaders: Header[] | null;
  /** The response, null when none was observed (blocked before sending, network error, still pending). */
  response: ObservedResponse | null;
  /** Location followed when `response` is a redirect the browser followed. */
  redirectUrl?: string;
  /** Error string the browser signalled for this exchange (`net::ERR_FAILED`, `NS_ERROR_DOM_BAD_URI`…). */
  error?: string;
  /** Milliseconds since epoch, when known. */
  startedAt?: number;
  endedAt?: number;
  /** Header lines the capture layer did not keep (a hostile server sending 10,000 headers), per side. */
  droppedHeaders?: { request?: number; response?: number };
}

export type Outcome =
  { kind: 'completed'; status: number } | { kind: 'error'; error: string } | { kind: 'pending' } | { kind: 'unknown' };

/** IP address spaces as Chromium names them for Local Network Access (`private` is the older name of `local`). */
export type AddressSpace = 'public' | 'local' | 'loopback';

/**
 * What the page's own script saw of a call that failed (page observer): the error it got and the page-side facts
 * the network never shows. A call the browser refused before any request existed (CSP, mixed content, a CORS
 * error raised in the renderer) is known only from this.
 */
export interface PageFailure {
  /** The error's name as the page got it: `TypeError` (fetch), `AbortError`, `TimeoutError`, XHR `error`/`abort`/`timeout`. */
  name: string;
  message?: string;
  /** A `securitypolicyviolation` event for this URL: the directive the page's CSP enforced, and the policy. */
  csp?: { directive: string; policy?: string };
  /** How long after the call it failed, ms. */
  afterMs?: number;
  /** The call never reached the network (no webRequest event will ever come). */
  networkless?: boolean;
}

/** Facts about the request that the network cannot show, learnt elsewhere (page observer, CDP, HAR, CLI flags). */
export interface RequestHints {
  mode?: RequestMode;
  credentials?: CredentialsMode;
  /** fetch()'s `redirect` option when it is not `follow`. */
  redirect?: 'manual' | 'error';
  /** fetch()'s `targetAddressSpace` option (Local Network Access), when given. */
  targetAddressSpace?: string;
  /** `isSecureContext` of the page that made the call. */
  secureContext?: boolean;
  /** The page's script got an error for this call. */
  failure?: PageFailure;
  /** Where the hints came from, so the verdict can say how sure it is. */
  source: 'page-observer' | 'cdp' | 'har' | 'user' | 'test';
}

/** What an observer of the network can see of one logical request, preflight and redirects folded in. */
export interface ObservedRequest {
  id: string;
  /**
   * Serialized origin of the page that made the request (`http://127.0.0.1:8101`), `'null'` for an opaque
   * origin, or null when unknown. Chromium's `initiator`; Firefox's `originUrl` reduced to its origin.
   */
  initiator: string | null;
  /** URL of the document that made the request, when known. */
  documentUrl?: string;
  type?: ResourceType;
  /** The request as the page made it (first hop). */
  method: string;
  url: string;
  /** Every exchange in time order: preflight(s), the actual request and each redirect hop. */
  exchanges: Exchange[];
  /** How the whole request ended as the browser signalled it. */
  outcome: Outcome;
  hints?: RequestHints;
  /** Milliseconds since epoch of the first event, when known. */
  startedAt?: number;
  /** Gaps in what was observed, in plain words (e.g. the worker was stopped while the request was in flight). */
  notes?: string[];
}

// ---------------------------------------------------------------------------------------------------
// Verdict

/** Chromium `network::mojom::CorsError` names as CDP reports them (`Network.CorsError`). */
export type ChromiumCorsError =
  | 'DisallowedByMode'
  | 'InvalidResponse'
  | 'WildcardOriginNotAllowed'
  | 'MissingAllowOriginHeader'
  | 'MultipleAllowOriginValues'
  | 'InvalidAllowOriginValue'
  | 'AllowOriginMismatch'
  | 'InvalidAllowCredentials'
  | 'CorsDisabledScheme'
  | 'PreflightInvalidStatus'
  | 'PreflightDisallowedRedirect'
  | 'PreflightWildcardOriginNotAllowed'
  | 'PreflightMissingAllowOriginHeader'
  | 'PreflightMultipleAllowOriginValues'
  | 'PreflightInvalidAllowOriginValue'
  | 'PreflightAllowOriginMismatch'
  | 'PreflightInvalidAllowCredentials'
  | 'InvalidAllowMethodsPreflightResponse'
  | 'InvalidAllowHeadersPreflightResponse'
  | 'MethodDisallowedByPreflightResponse'
  | 'HeaderDisallowedByPreflightResponse'
  | 'RedirectContainsCredentials'
  | 'InsecureLocalNetwork'
  | 'InvalidLocalNetworkAccess'
  | 'NoCorsRedirectModeNotFollow'
  | 'LocalNetworkAccessPermissionDenied';

/** Firefox `security.properties` keys (without trailing digits: the MDN page names). */
export type FirefoxCorsReason =
  | 'CORSDisabled'
  | 'CORSDidNotSucceed'
  | 'CORSOriginHeaderNotAdded'
  | 'CORSExternalRedirectNotAllowed'
  | 'CORSRequestNotHttp'
  | 'CORSMissingAllowOrigin'
  | 'CORSMultipleAllowOriginNotAllowed'
  | 'CORSAllowOriginNotMatchingOrigin'
  | 'CORSNotSupportingCredentials'
  | 'CORSMissingAllowCredentials'
  | 'CORSPreflightDidNotSucceed'
  | 'CORSInvalidAllowMethod'
  | 'CORSMethodNotFound'
  | 'CORSInvalidAllowHeader'
  | 'CORSMissingAllowHeaderFromPreflight';

export type Confidence = 'certain' | 'likely' | 'guess';

/** Something the engine could not observe and had to infer, with how sure it is and why. */
export interface Inference {
  what: 'mode' | 'credentials' | 'preflight-cache' | 'initiator' | 'response' | 'other';
  value: string;
  confidence: Confidence;
  because: string;
}

export type FindingCode =
  | 'reflected-origin-with-credentials'
  | 'null-origin-allowed'
  | 'missing-vary-origin'
  | 'wildcard-on-credentialed-api'
  | 'duplicate-acao-proxy'
  | 'authorization-covered-by-wildcard'
  | 'preflight-cache-may-hide-fix'
  | 'http-origin-trusted-by-https';

export interface SecurityFinding {
  code: FindingCode;
  severity: 'info' | 'warning' | 'danger';
  message: string;
  header?: string;
}

export interface BlockReason {
  /** Chromium's name for it; with a Firefox profile, the nearest Chromium equivalent. */
  corsError: ChromiumCorsError;
  /** Chromium's `failedParameter` ('' when Chromium gives none). */
  failedParameter: string;
  /** Firefox's key; with a Chromium profile, the nearest Firefox equivalent. */
  firefoxReason: FirefoxCorsReason;
  /** Index into `ObservedRequest.exchanges` of the exchange at fault (-1 when it never happened). */
  exchangeIndex: number;
  /** Which step failed. */
  stage: 'request' | 'preflight' | 'response' | 'redirect';
  /** The header at fault, lowercased (`access-control-allow-origin`, `x-api-key`), when there is one. */
  header?: string;
  /** What the browser needed to see, and what it saw (null: absent). */
  expected?: string;
  actual?: string | null;
  /** HeaderDisallowedByPreflightResponse: every refused request header, lowercased, in the order the profile's
   *  browser checks them (`header` is the first). */
  refusedHeaders?: string[];
}

interface VerdictBase {
  /** The browser profile the verdict was computed for. */
  browser: BrowserName;
  /** Effective mode and credentials the verdict rests on. */
  mode: RequestMode | null;
  credentials: CredentialsMode | null;
  inferences: Inference[];
  findings: SecurityFinding[];
  /** Whether a preflight was needed, seen, or presumably served from the preflight cache. */
  preflight: 'not-needed' | 'sent' | 'cached' | 'missing';
  /** Human-readable trace of the checks run, in order (for the panel's "how we decided"). */
  trace: string[];
}

export type NotCorsWhy =
  | 'same-origin'
  | 'navigation'
  | 'no-cors'
  | 'network-error'
  | 'blocked-by-client'
  | 'other-policy'
  | 'extension'
  | 'websocket'
  | 'data-url'
  | 'local-network-access'
  | 'cors-passed';

/**
 * What made a call fail when CORS did not (docs/not-cors.md lists each with its evidence). `why` is the coarse
 * family (network, another policy, …); `cause` names the thing to fix.
 */
export type NotCorsCause =
  | 'same-origin'
  | 'navigation'
  | 'no-cors'
  | 'extension'
  | 'websocket'
  | 'data-url'
  | 'csp'
  | 'mixed-content'
  | 'local-network-access'
  | 'connection-refused'
  | 'dns'
  | 'tls'
  | 'network-error'
  | 'blocked-by-client'
  | 'aborted-by-page'
  | 'aborted'
  | 'corp'
  | 'coep'
  | 'orb'
  | 'other-policy'
  | 'third-party-cookies'
  | 'http-error';

export type Verdict =
  | (VerdictBase & { kind: 'allowed' })
  | (VerdictBase & { kind: 'allowed-hidden-headers'; hiddenHeaders: string[] })
  | (VerdictBase & { kind: 'blocked'; reason: BlockReason })
  | (VerdictBase & {
      kind: 'not-cors';
      why: NotCorsWhy;
      cause: NotCorsCause;
      detail: string;
      fix?: string;
      corsError?: ChromiumCorsError;
    })
  | (VerdictBase & { kind: 'unknown'; missing: string[] });

export type VerdictKind = Verdict['kind'];

export interface EvaluateOptions {
  browser: BrowserName;
  /** A model of the browser's preflight cache, when the caller keeps one (the oracle tests do); without it a request
   * that needed a preflight and went out with none visible is inferred a likely cache hit. */
  preflightCache?: PreflightCacheView;
}

/** Read-only view of the browser's preflight cache as modelled by the caller. */
export interface PreflightCacheView {
  /** True when a cached preflight for (origin, url, credentials) would allow this method and these headers. */
  covers(origin: string, url: string, credentials: boolean, method: string, headerNames: string[], at: number): boolean;
}
