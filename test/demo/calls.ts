// The demo's API calls: what the frontend sends, what the API gets wrong (or right), and the verdict CORS Lens
// must reach for each. Shared by the frontend page, the checks, and test/e2e/demo.test.ts.
import type { BrowserName, ChromiumCorsError, FirefoxCorsReason } from '../../src/engine/types';

export type Expectation =
  | {
      verdict: 'blocked';
      chromium: ChromiumCorsError;
      firefox: FirefoxCorsReason;
      /** Chromium's failedParameter; `{frontend}` stands for the frontend's origin. */
      failedParameter?: string;
    }
  | { verdict: 'allowed' }
  | { verdict: 'allowed-hidden-headers'; hidden: string[] }
  /**
   * Not CORS at all: the cause CORS Lens must name (docs/not-cors.md), and the CorsError Chromium's own CDP
   * reports for it when it reports one (Local Network Access).
   */
  | { verdict: 'not-cors'; cause: string; chromium?: ChromiumCorsError };

export interface DemoCall {
  id: string;
  title: string;
  kind: 'mistake' | 'correct';
  /** What the frontend wants, and what the server does with it, in plain words (shown on the page). */
  story: string;
  method: string;
  /** Path and query on the API; unique per call so a diagnosis can be matched to its call. */
  path: string;
  /** Called on a port where nothing listens (a service that is down) instead of the API. */
  down?: true;
  /**
   * Sent by the partner widget, an iframe served from an origin the browser is told is public
   * (--ip-address-space-overrides), so the call from it to the API on loopback is a Local Network Access request.
   */
  fromWidget?: true;
  /** The browsers that run the call (all when absent). */
  browsers?: BrowserName[];
  headers?: Record<string, string>;
  body?: string;
  credentials?: 'include';
  /** A response header the frontend reads (to show that the browser hides it). */
  readHeader?: string;
  expect: Expectation;
}

// Expected reasons as Chromium 156 and Firefox ESR 153 report them: each one is a recorded oracle scenario
// (test/oracle/recordings/*/<name>.har, named in the comments).
export const CALLS: DemoCall[] = [
  {
    id: 'missing-acao',
    title: 'Weather widget: GET /api/weather',
    kind: 'mistake',
    story:
      'The weather route was registered above app.use(cors), so it answers before the CORS middleware runs: no Access-Control-Allow-Origin at all.',
    method: 'GET',
    path: '/api/weather?city=Lyon',
    // acao-missing-get
    expect: { verdict: 'blocked', chromium: 'MissingAllowOriginHeader', firefox: 'CORSMissingAllowOrigin' },
  },
  {
    id: 'trailing-slash',
    title: 'Profile: GET /api/profile',
    kind: 'mistake',
    story:
      'The profile route allows the origin someone pasted from the address bar: "http://127.0.0.1:PORT/" — with a trailing slash, which never equals an Origin.',
    method: 'GET',
    path: '/api/profile',
    // acao-mismatch-trailing-slash
    expect: {
      verdict: 'blocked',
      chromium: 'AllowOriginMismatch',
      firefox: 'CORSAllowOriginNotMatchingOrigin',
      failedParameter: '{frontend}/',
    },
  },
  {
    id: 'wildcard-credentials',
    title: 'Cart (with the session cookie): GET /api/cart',
    kind: 'mistake',
    story:
      'fetch(..., {credentials: "include"}) sends the session cookie; the cart route answers Access-Control-Allow-Origin: * (plus Allow-Credentials: true). A wildcard is never accepted for a credentialed request.',
    method: 'GET',
    path: '/api/cart',
    credentials: 'include',
    // cred-star-with-acac-true
    expect: { verdict: 'blocked', chromium: 'WildcardOriginNotAllowed', firefox: 'CORSNotSupportingCredentials' },
  },
  {
    id: 'preflight-401',
    title: 'Account (Bearer token): GET /api/account',
    kind: 'mistake',
    story:
      'The Authorization header makes the browser send a preflight first (OPTIONS, never with the token). The auth middleware sits before the OPTIONS handler and answers it 401.',
    method: 'GET',
    path: '/api/account',
    headers: { Authorization: 'Bearer demo-token' },
    // preflight-status-401-with-cors
    expect: { verdict: 'blocked', chromium: 'PreflightInvalidStatus', firefox: 'CORSPreflightDidNotSucceed' },
  },
  {
    id: 'custom-header',
    title: 'Search with an API key: GET /api/search',
    kind: 'mistake',
    story:
      'The frontend sends X-Api-Key; the CORS middleware only allows the headers Content-Type and Authorization, so the preflight refuses it.',
    method: 'GET',
    path: '/api/search?q=cors',
    headers: { 'X-Api-Key': 'demo-key-123' },
    // header-custom-missing
    expect: {
      verdict: 'blocked',
      chromium: 'HeaderDisallowedByPreflightResponse',
      firefox: 'CORSMissingAllowHeaderFromPreflight',
      failedParameter: 'x-api-key',
    },
  },
  {
    id: 'patch-not-allowed',
    title: 'Rename a todo: PATCH /api/todos/7',
    kind: 'mistake',
    story: 'Access-Control-Allow-Methods lists GET, POST, PUT, DELETE — PATCH was forgotten, so its preflight fails.',
    method: 'PATCH',
    path: '/api/todos/7',
    headers: { 'Content-Type': 'application/json' },
    body: '{"title":"Fix CORS"}',
    // method-put-acam-get-post (the same check for PATCH)
    expect: {
      verdict: 'blocked',
      chromium: 'MethodDisallowedByPreflightResponse',
      firefox: 'CORSMethodNotFound',
      failedParameter: 'PATCH',
    },
  },
  {
    id: 'error-500',
    title: 'Monthly report: GET /api/reports/monthly',
    kind: 'mistake',
    story:
      "The handler throws. The error handler (like Express's) clears every header before writing the 500, CORS headers included: the page never sees the 500, only a CORS error.",
    method: 'GET',
    path: '/api/reports/monthly',
    // acao-missing-500
    expect: { verdict: 'blocked', chromium: 'MissingAllowOriginHeader', firefox: 'CORSMissingAllowOrigin' },
  },
  {
    id: 'hidden-header',
    title: 'Orders page 1, read X-Total-Count: GET /api/orders',
    kind: 'mistake',
    story:
      'The request succeeds, but the server sends X-Total-Count without listing it in Access-Control-Expose-Headers: response.headers.get("X-Total-Count") is null for the page.',
    method: 'GET',
    path: '/api/orders?page=1',
    readHeader: 'X-Total-Count',
    // expose-request-id-hidden (the same check for another header)
    expect: { verdict: 'allowed-hidden-headers', hidden: ['x-total-count'] },
  },
  {
    id: 'redirect-null-origin',
    title: 'Latest export (redirected to the file server): GET /api/exports/latest',
    kind: 'mistake',
    story:
      "The API redirects to the file server on another origin. After a cross-origin redirect the browser sends Origin: null, so the file server's Access-Control-Allow-Origin: <frontend> no longer matches.",
    method: 'GET',
    path: '/api/exports/latest',
    // redirect-b-to-c-page-origin
    expect: {
      verdict: 'blocked',
      chromium: 'AllowOriginMismatch',
      firefox: 'CORSAllowOriginNotMatchingOrigin',
      failedParameter: '{frontend}',
    },
  },
  {
    id: 'simple-get',
    title: 'Service status: GET /api/status',
    kind: 'correct',
    story: "A simple GET answered with Access-Control-Allow-Origin set to the frontend's origin.",
    method: 'GET',
    path: '/api/status',
    // simple-get-acao-exact
    expect: { verdict: 'allowed' },
  },
  {
    id: 'credentialed-get',
    title: 'Who am I (with the session cookie): GET /api/me',
    kind: 'correct',
    story:
      'A credentialed GET answered with the exact origin, Access-Control-Allow-Credentials: true and Vary: Origin.',
    method: 'GET',
    path: '/api/me',
    credentials: 'include',
    // cred-fetch-exact-acac-cookie
    expect: { verdict: 'allowed' },
  },
  {
    id: 'preflighted-put',
    title: 'Save a todo: PUT /api/todos/3',
    kind: 'correct',
    story:
      'A JSON PUT: the preflight is answered 204 with PUT in Allow-Methods and Content-Type in Allow-Headers, then the PUT itself.',
    method: 'PUT',
    path: '/api/todos/3',
    headers: { 'Content-Type': 'application/json' },
    body: '{"title":"Write the demo","done":true}',
    // method-put-listed
    expect: { verdict: 'allowed' },
  },
  {
    id: 'service-down',
    title: 'Status badge: GET /api/health on the monitoring service',
    kind: 'mistake',
    story:
      'The monitoring service is not running: nothing listens on its port. The page gets "TypeError: Failed to fetch" and Firefox\'s console even calls it a CORS error; it is a refused connection, and no CORS header can fix it.',
    method: 'GET',
    path: '/api/health',
    down: true,
    expect: { verdict: 'not-cors', cause: 'connection-refused' },
  },
  {
    id: 'local-network',
    title: 'Partner stock widget: GET /api/stock from a public origin',
    kind: 'mistake',
    story:
      "A partner's stock widget, embedded in an iframe from a public web origin, calls the shop API on this machine. Local Network Access lets a public page reach loopback only with the user's loopback-network permission; nobody granted it, so the request never left the browser. Failed to fetch again, and no CORS header can fix it.",
    method: 'GET',
    path: '/api/stock?sku=42',
    fromWidget: true,
    // Chromium only: Firefox ESR's Local Network Access waits behind a permission prompt headless
    // (network.lna.prompt.timeout, 5 minutes) before it denies.
    browsers: ['chromium'],
    expect: { verdict: 'not-cors', cause: 'local-network-access', chromium: 'LocalNetworkAccessPermissionDenied' },
  },
];

/** The calls a browser runs. */
export function callsFor(browser: BrowserName): DemoCall[] {
  return CALLS.filter((c) => !c.browsers || c.browsers.includes(browser));
}

/** Where a call goes: the API, or the port of a service that is down. */
export function originForCall(call: DemoCall, o: { api: string; down: string }): string {
  return call.down ? o.down : o.api;
}

/** The reason a blocked call must be diagnosed with, in the vocabulary of the browser that ran it. */
export function expectedReason(e: Expectation, browser: BrowserName): string | null {
  return e.verdict === 'blocked' ? (browser === 'firefox' ? e.firefox : e.chromium) : null;
}

/** What a diagnosis row must look like for this call (the subset of src/report's DiagnosisRow the checks read). */
export interface RowLike {
  url: string;
  method: string;
  verdict: string;
  reason: string | null;
  failedParameter: string | null;
  hiddenHeaders?: string[];
  notCorsCause?: string;
}

/** Rows of the report that belong to a call: same method, same API path and query. */
export function rowsForCall<R extends RowLike>(rows: R[], call: DemoCall, origins: { api: string; down: string }): R[] {
  return rows.filter((r) => r.method === call.method && r.url === originForCall(call, origins) + call.path);
}

/** Empty when the row is what the call expects; otherwise what differs, in words. */
export function mismatches(row: RowLike, call: DemoCall, browser: BrowserName, frontendOrigin: string): string[] {
  const e = call.expect;
  const out: string[] = [];
  if (row.verdict !== e.verdict) out.push(`verdict ${row.verdict}, expected ${e.verdict}`);
  if (e.verdict === 'blocked') {
    const want = expectedReason(e, browser);
    if (row.reason !== want) out.push(`reason ${row.reason}, expected ${want}`);
    // Firefox has no failedParameter of its own; the row carries Chromium's for both.
    if (browser === 'chromium' && e.failedParameter !== undefined) {
      const fp = e.failedParameter.replace('{frontend}', frontendOrigin);
      if (row.failedParameter !== fp)
        out.push(`failedParameter ${JSON.stringify(row.failedParameter)}, expected ${JSON.stringify(fp)}`);
    }
  }
  if (e.verdict === 'not-cors' && row.notCorsCause !== e.cause)
    out.push(`cause ${row.notCorsCause}, expected ${e.cause}`);
  if (e.verdict === 'allowed-hidden-headers') {
    const missing = e.hidden.filter((h) => !(row.hiddenHeaders ?? []).includes(h));
    if (missing.length)
      out.push(`hidden headers [${(row.hiddenHeaders ?? []).join(', ')}], expected to include ${missing.join(', ')}`);
  }
  return out;
}
