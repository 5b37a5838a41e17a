// Verdicts → the minimal server CORS policy that makes the observed requests pass, per target origin,
// plus advice for failures only the client can fix. Framework renderers (./frameworks/*) turn an
// OriginPolicy into config text; nothing here knows about any framework.
import type { BlockReason, ChromiumCorsError, NotCorsWhy, ObservedRequest, Verdict } from '../engine/types';
import {
  SAFELISTED_METHODS, SAFELISTED_RESPONSE_HEADERS, credentialsOf, exchangeAt, headerValue, headerValues,
  isRedirectTainted, originOf, requestMethod, unsafeRequestHeaderNames,
} from './request-facts';
import { refusedByPreflight } from './refused';
import {
  checkHeaderName, checkMethod, checkOrigin, describeValue, isHttpOrigin, type PolicyWarning,
} from './validate';

export type { PolicyWarning } from './validate';

export interface PolicyItem {
  request: ObservedRequest;
  verdict: Verdict;
}

/** One thing the server must do differently, and which requests need it. */
export interface PolicyChange {
  code:
    | 'add-allow-origin' | 'exact-origin-not-wildcard' | 'allow-credentials-true' | 'single-allow-origin'
    | 'remove-duplicate-layer' | 'fix-allow-origin-value' | 'preflight-2xx' | 'preflight-no-redirect'
    | 'fix-allow-methods-syntax' | 'fix-allow-headers-syntax' | 'allow-method' | 'allow-header'
    | 'authorization-by-name' | 'expose-headers' | 'cors-on-error-responses' | 'fix-redirect' | 'allow-null-origin';
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
    | 'no-cors-opaque' | 'same-origin-mode' | 'mixed-content' | 'local-network-access' | 'cors-disabled-scheme'
    | 'no-cors-redirect-mode' | 'request-final-url' | 'remove-url-credentials' | 'redirect-taint'
    | 'not-cors' | 'unknown-verdict' | 'unknown-page-origin' | 'invalid-response' | 'uppercase-method';
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

/** Hop-by-hop headers (RFC 9110 §7.6.1): connection-level, never worth exposing to a script. */
const NOT_EXPOSABLE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-connection']);

/** Suggested max-age: long enough to save round trips, short enough that a later fix shows up quickly. */
export const SUGGESTED_MAX_AGE = 600;

const MAX_AGE_NOTE = `Access-Control-Max-Age ${SUGGESTED_MAX_AGE}: preflights are cached for 10 minutes ` +
  '(Chromium caps any value at 7200 s, Firefox at 86400 s; without the header the browser caches 5 s).';

function exhaustive(x: never): never {
  throw new Error(`unhandled case: ${String(x)}`);
}

/** Client-only failure reasons, or null when the server can fix it. Exhaustive over ChromiumCorsError. */
function clientOnlyReason(err: ChromiumCorsError): Advice['code'] | null {
  switch (err) {
    case 'DisallowedByMode': return 'same-origin-mode';
    case 'CorsDisabledScheme': return 'cors-disabled-scheme';
    case 'InsecureLocalNetwork':
    case 'InvalidLocalNetworkAccess':
    case 'LocalNetworkAccessPermissionDenied': return 'local-network-access';
    case 'NoCorsRedirectModeNotFollow': return 'no-cors-redirect-mode';
    case 'InvalidResponse': return 'invalid-response';
    case 'WildcardOriginNotAllowed': case 'PreflightWildcardOriginNotAllowed':
    case 'MissingAllowOriginHeader': case 'PreflightMissingAllowOriginHeader':
    case 'MultipleAllowOriginValues': case 'PreflightMultipleAllowOriginValues':
    case 'InvalidAllowOriginValue': case 'PreflightInvalidAllowOriginValue':
    case 'AllowOriginMismatch': case 'PreflightAllowOriginMismatch':
    case 'InvalidAllowCredentials': case 'PreflightInvalidAllowCredentials':
    case 'PreflightInvalidStatus': case 'PreflightDisallowedRedirect':
    case 'InvalidAllowMethodsPreflightResponse': case 'InvalidAllowHeadersPreflightResponse':
    case 'MethodDisallowedByPreflightResponse': case 'HeaderDisallowedByPreflightResponse':
    case 'RedirectContainsCredentials':
      return null;
    default: return exhaustive(err);
  }
}

function clientAdviceText(code: Advice['code'], req: ObservedRequest, detail: string): string {
  const url = describeValue(req.url);
  switch (code) {
    case 'same-origin-mode':
      return `The request to ${url} used mode: 'same-origin', which forbids cross-origin URLs whatever the server sends. ` +
        "Use mode: 'cors' (the default for fetch()), or call a same-origin URL (e.g. through a dev-server proxy).";
    case 'cors-disabled-scheme':
      return `${url} is not http(s): CORS only works for http and https. Serve the resource over http(s) ` +
        '(not file:) and load the page from a local web server.';
    case 'local-network-access':
      return `Local Network Access blocked the request to ${url} (a public page reaching a local or loopback address). ` +
        'No response header can fix this: serve the page from a secure context and grant the permission the target needs ' +
        '(loopback-network for 127.0.0.1, ::1 or localhost; local-network for a LAN address), pass ' +
        "fetch(url, { targetAddressSpace: 'loopback' }) or 'local' to match, or use a public address.";
    case 'no-cors-redirect-mode':
      return "mode: 'no-cors' requires redirect: 'follow'. Drop the redirect option, or use mode: 'cors'.";
    case 'invalid-response':
      return `The browser reported an invalid response for ${url} (usually a network-level failure of a preflight): ` +
        'check that the server answers OPTIONS at all (connection reset, empty reply).';
    case 'no-cors-opaque':
      return `The request to ${url} used mode: 'no-cors', so the response is opaque (status 0, no headers, no body) ` +
        "whatever the server sends. Remove mode: 'no-cors' (use 'cors'); the server must then send CORS headers for " +
        `${describeValue(req.initiator ?? '?')} — run the capture again to get that config.`;
    case 'mixed-content':
      return `An https page cannot load ${url} over plain http (mixed content). Use an https URL for the API; CORS headers cannot help.`;
    case 'request-final-url':
      return `The preflight for ${url} was redirected, and preflights may not follow redirects. ` +
        'Request the final URL directly (trailing slash, http→https, new host), so no redirect happens.';
    case 'remove-url-credentials':
      return `A redirect from ${url} points to a URL with user:password@ in it, which browsers refuse for CORS. ` +
        'Remove the userinfo from the redirect target and send credentials in a header instead.';
    case 'redirect-taint':
      return `${url} was redirected across origins, so the browser sends Origin: null to the final server. ` +
        'Best fix: request the final URL directly so there is no cross-origin redirect (then the real page origin is sent).';
    case 'not-cors':
      return detail;
    case 'unknown-verdict':
      return `Not enough was observed to explain ${url}: missing ${detail}. Reopen DevTools before reloading, or capture a HAR.`;
    case 'uppercase-method':
      return `The page sends the method ${describeValue(detail)} in lowercase. fetch() only upper-cases DELETE, GET, HEAD, OPTIONS, POST ` +
        'and PUT, and Access-Control-Allow-Methods is compared byte for byte; many servers list methods upper-cased, so send it ' +
        `upper-case (${describeValue(detail.toUpperCase())}) from the page. The config below lists it exactly as sent.`;
    case 'unknown-page-origin':
      return `The page origin of ${url} is unknown, so no origin can be allowed for it; capture it again from the page.`;
    default: return exhaustive(code);
  }
}

function notCorsAdvice(why: NotCorsWhy, req: ObservedRequest, detail: string): Advice['code'] | null {
  switch (why) {
    case 'same-origin': case 'navigation': case 'data-url': case 'extension':
      return null; // nothing to fix: CORS does not apply
    case 'no-cors':
      return 'no-cors-opaque';
    case 'local-network-access':
      return 'local-network-access';
    case 'other-policy': {
      const mixed = req.initiator?.startsWith('https:') && req.url.startsWith('http:');
      return mixed || /mixed/i.test(detail) ? 'mixed-content' : 'not-cors';
    }
    case 'network-error': case 'blocked-by-client': case 'websocket': case 'cors-passed':
      return 'not-cors';
    default: return exhaustive(why);
  }
}

const NOT_CORS_TEXT: Record<'network-error' | 'blocked-by-client' | 'websocket' | 'other-policy', string> = {
  'network-error': 'The request failed at the network level (DNS, refused connection, TLS): not a CORS problem, no header will fix it.',
  'blocked-by-client': 'An extension or the browser blocked the request before it left (ad blocker, enterprise policy): not a CORS problem.',
  websocket: 'WebSockets are not subject to CORS: the server must check the Origin header itself, and the client sees no CORS error.',
  'other-policy': 'Another policy blocked the response (CORP, ORB, CSP): not fixable with CORS headers.',
};

/** A policy under construction for one request. */
interface Draft {
  policy: OriginPolicy;
}

function emptyPolicy(targetOrigin: string, requestId: string, path: string | null): OriginPolicy {
  return {
    targetOrigin, requestIds: [requestId], paths: path ? [path] : [], allowOrigins: [], methods: [], requestHeaders: [],
    credentials: false, exposeHeaders: [], maxAge: SUGGESTED_MAX_AGE, preflight: false, varyOrigin: true,
    corsOnErrors: false, changes: [], warnings: [],
  };
}

function addChange(p: OriginPolicy, code: PolicyChange['code'], message: string, id: string): void {
  const same = p.changes.find((c) => c.code === code && c.message === message);
  if (same) {
    if (!same.requestIds.includes(id)) same.requestIds.push(id);
  } else {
    p.changes.push({ code, message, requestIds: [id] });
  }
}

function addWarning(p: OriginPolicy, w: PolicyWarning): void {
  if (!p.warnings.some((x) => x.code === w.code && x.message === w.message)) p.warnings.push(w);
}

function pushUnique<T>(list: T[], v: T): void {
  if (!list.includes(v)) list.push(v);
}

/** Status text of the hop at fault, for messages. */
function statusOf(reason: BlockReason, req: ObservedRequest): number | null {
  return req.exchanges[reason.exchangeIndex]?.response?.status ?? null;
}

/** What to change for one blocked reason (server side). Exhaustive over ChromiumCorsError. */
function reasonChanges(p: OriginPolicy, reason: BlockReason, req: ObservedRequest, origin: string, credentials: boolean): void {
  const id = req.id;
  const o = describeValue(origin);
  const actual = reason.actual == null ? 'nothing' : describeValue(reason.actual);
  const status = statusOf(reason, req);
  const hop = req.exchanges[reason.exchangeIndex];
  const where = reason.stage === 'preflight' ? 'the preflight (OPTIONS) response' : 'the response';
  const err = reason.corsError;
  switch (err) {
    case 'WildcardOriginNotAllowed':
    case 'PreflightWildcardOriginNotAllowed':
      addChange(p, 'exact-origin-not-wildcard',
        `The request is credentialed (credentials: 'include'), so Access-Control-Allow-Origin must be the exact origin ${o}, ` +
        'never `*`, together with Access-Control-Allow-Credentials: true. Echo the Origin only when it is in the allow-list — ' +
        'reflecting any Origin with credentials lets every site read your users\' data.', id);
      return;
    case 'MissingAllowOriginHeader':
    case 'PreflightMissingAllowOriginHeader':
      addChange(p, 'add-allow-origin', `${where[0].toUpperCase()}${where.slice(1)} has no Access-Control-Allow-Origin: send ${o} for this origin.`, id);
      if (reason.stage === 'preflight' && status !== null && (status < 200 || status > 299)) {
        preflightStatusChange(p, status, id);
      }
      return;
    case 'MultipleAllowOriginValues':
    case 'PreflightMultipleAllowOriginValues': {
      const lines = headerValues(hop?.response?.headers, 'access-control-allow-origin');
      if (lines.length > 1) {
        addChange(p, 'remove-duplicate-layer',
          `${where[0].toUpperCase()}${where.slice(1)} carries ${lines.length} Access-Control-Allow-Origin lines: two layers add it ` +
          '(typically the reverse proxy/CDN and the app). Keep CORS in exactly one layer and remove it from the other ' +
          '(nginx: proxy_hide_header; Apache: Header always unset before set; Caddy: header_down -Access-Control-Allow-Origin).', id);
      } else {
        addChange(p, 'single-allow-origin',
          `Access-Control-Allow-Origin was ${actual}: it must hold one origin, not a list. Keep the list on the server and ` +
          `send back only the request's Origin when it is in it (${o} here).`, id);
      }
      return;
    }
    case 'InvalidAllowOriginValue':
    case 'PreflightInvalidAllowOriginValue':
      addChange(p, 'fix-allow-origin-value',
        `Access-Control-Allow-Origin was ${actual}, which is not an origin: it must be exactly ${o} (scheme://host[:port]).`, id);
      return;
    case 'AllowOriginMismatch':
    case 'PreflightAllowOriginMismatch': {
      const a = reason.actual ?? '';
      let why = 'the server sends a fixed origin to every caller; echo the request\'s Origin when it is in the allow-list instead';
      if (a === `${origin}/` || a.replace(/\/+$/, '') === origin) why = 'remove the trailing slash/path: an origin has none';
      else if (a.toLowerCase() === origin) why = 'the comparison is byte-exact: use lowercase, as browsers serialize origins';
      else if (a === 'null') why = '`null` only matches opaque origins (sandboxed iframes, file:)';
      addChange(p, 'fix-allow-origin-value', `Access-Control-Allow-Origin was ${actual} but the page origin is ${o}: ${why}.`, id);
      return;
    }
    case 'InvalidAllowCredentials':
    case 'PreflightInvalidAllowCredentials':
      addChange(p, 'allow-credentials-true',
        `The request is credentialed, so ${where} must carry Access-Control-Allow-Credentials: true (exactly, lowercase); it had ${actual}.`, id);
      return;
    case 'PreflightInvalidStatus':
      preflightStatusChange(p, status, id);
      return;
    case 'PreflightDisallowedRedirect':
      addChange(p, 'preflight-no-redirect',
        `The preflight got a redirect${status ? ` (${status})` : ''}${hop?.redirectUrl ? ` to ${describeValue(hop.redirectUrl)}` : ''}; ` +
        'preflights may not be redirected. Answer OPTIONS with 2xx before any redirect rule (slash, https, auth redirects), ' +
        'or have the page call the final URL.', id);
      return;
    case 'InvalidAllowMethodsPreflightResponse':
      addChange(p, 'fix-allow-methods-syntax',
        `Access-Control-Allow-Methods was ${actual}: it must be a comma-separated list of method tokens (\`PUT, DELETE\`).`, id);
      return;
    case 'InvalidAllowHeadersPreflightResponse':
      addChange(p, 'fix-allow-headers-syntax',
        `Access-Control-Allow-Headers was ${actual}: it must be a comma-separated list of header names (\`content-type, x-api-key\`).`, id);
      return;
    case 'MethodDisallowedByPreflightResponse': {
      const m = describeValue(reason.failedParameter || req.method);
      const star = credentials && /(^|,)\s*\*\s*(,|$)/.test(reason.actual ?? '') ?
        ' With credentials a `*` in Access-Control-Allow-Methods is a literal name, not a wildcard.' : '';
      const alsoHeaders = refusedByPreflight(req, credentials).headers;
      addChange(p, 'allow-method', `Add ${m} to Access-Control-Allow-Methods, byte for byte (methods are case-sensitive there).${star}` +
        (alsoHeaders.length ? ` The preflight refuses ${alsoHeaders.map((x) => describeValue(x)).join(', ')} too: add ${alsoHeaders.length > 1 ? 'them' : 'it'} to Access-Control-Allow-Headers.` : ''), id);
      return;
    }
    case 'HeaderDisallowedByPreflightResponse': {
      const h = (reason.failedParameter || reason.header || '').toLowerCase();
      const acah = reason.actual ?? headerValue(hop?.response?.headers, 'access-control-allow-headers') ?? '';
      if (h === 'authorization' && /(^|,)\s*\*\s*(,|$)/.test(acah)) {
        addChange(p, 'authorization-by-name', 'Authorization is never covered by `Access-Control-Allow-Headers: *`: list it by name.', id);
      } else {
        // Chromium names the first refused header only; the preflight exchange shows every one.
        const all = [h, ...refusedByPreflight(req, credentials).headers.filter((x) => x !== h)].filter(Boolean);
        addChange(p, 'allow-header', `Add ${all.map((x) => describeValue(x)).join(', ')} to Access-Control-Allow-Headers.` +
          (credentials && acah.includes('*') ? ' With credentials `*` is a literal name, not a wildcard.' : ''), id);
      }
      return;
    }
    case 'RedirectContainsCredentials':
      addChange(p, 'fix-redirect',
        'The server redirects to a URL containing user:password@: remove the userinfo from the Location header.', id);
      return;
    case 'DisallowedByMode': case 'CorsDisabledScheme': case 'InsecureLocalNetwork': case 'InvalidLocalNetworkAccess':
    case 'LocalNetworkAccessPermissionDenied': case 'NoCorsRedirectModeNotFollow': case 'InvalidResponse':
      return; // client-only: handled by clientOnlyReason
    default:
      exhaustive(err);
  }
}

function preflightStatusChange(p: OriginPolicy, status: number | null, id: string): void {
  let why: string;
  if (status === 401 || status === 403) {
    why = 'An auth layer rejects it: preflights never carry cookies or Authorization, so let OPTIONS through before ' +
      'authentication (put the CORS middleware first / exempt OPTIONS).';
  } else if (status === 404 || status === 405 || status === 501) {
    why = 'No route answers OPTIONS: let the CORS layer answer preflights itself (or add an OPTIONS handler).';
  } else if (status === 400) {
    why = 'The CORS layer itself refused it (Starlette answers 400 "Disallowed CORS origin/method/headers"): allow the origin, method and headers below.';
  } else if (status !== null && status >= 300 && status < 400) {
    why = 'It was redirected: answer OPTIONS before any redirect rule.';
  } else if (status !== null && status >= 500) {
    why = 'The server failed on OPTIONS: answer it from the CORS layer before application code runs.';
  } else {
    why = 'Answer OPTIONS from the CORS layer.';
  }
  addChange(p, 'preflight-2xx', `The preflight must be answered with a 2xx status (204 is usual)${status !== null ? `, not ${status}` : ''}. ${why}`, id);
}

/** Build the policy for one server-fixable request (null + advice when it cannot be). */
function draftFor(item: PolicyItem, advice: Advice[], rejected: PolicyWarning[]): Draft | null {
  const { request: req, verdict } = item;
  const hop = exchangeAt(req, verdict);
  const hopUrl = hop?.url ?? req.url;
  const targetOrigin = originOf(hopUrl);
  if (targetOrigin === null) {
    advice.push({ code: 'cors-disabled-scheme', requestIds: [req.id], targetOrigin: null, message: clientAdviceText('cors-disabled-scheme', req, '') });
    return null;
  }
  // WHATWG URL hosts may contain $ ' ; { } and more (only a few code points are forbidden), and the
  // target ends up in server_name / Caddy site addresses: only plain hosts go through.
  if (checkOrigin(targetOrigin, rejected, `request ${describeValue(req.id)} target`) === null || targetOrigin === 'null') return null;
  let path: string | null = null;
  try { path = new URL(hopUrl).pathname; } catch { /* originOf already parsed it */ }
  const p = emptyPolicy(targetOrigin, req.id, path);
  const ctx = `request ${describeValue(req.id)}`;

  // Page origin: the one the browser sent on the failing hop (null after a cross-origin redirect).
  const tainted = isRedirectTainted(req, hop);
  let pageOrigin: string | null;
  if (tainted) {
    pageOrigin = 'null';
    advice.push({ code: 'redirect-taint', requestIds: [req.id], targetOrigin, message: clientAdviceText('redirect-taint', req, '') });
  } else {
    const raw = req.initiator ?? headerValue(req.exchanges.find((e) => e.kind === 'main')?.requestHeaders, 'origin') ?? null;
    if (raw === null) {
      advice.push({ code: 'unknown-page-origin', requestIds: [req.id], targetOrigin, message: clientAdviceText('unknown-page-origin', req, '') });
      return null;
    }
    pageOrigin = checkOrigin(raw, rejected, ctx);
    if (pageOrigin === null) return null;
  }
  if (pageOrigin === 'null') {
    addChange(p, 'allow-null-origin', tainted ?
      'The browser sends Origin: null after a cross-origin redirect; allowing `null` is the only server-side fix.' :
      'The page has an opaque origin (sandboxed iframe, file:, data:), so it sends Origin: null.', req.id);
    addWarning(p, {
      code: 'null-origin', severity: 'danger',
      message: 'Allowing the origin `null` lets ANY sandboxed iframe or file: page on any site read these responses' +
        ' — prefer removing the redirect / serving the page from a real origin.',
    });
  }
  p.allowOrigins.push(pageOrigin);

  const cred = credentialsOf(req, verdict);
  p.credentials = cred.include;
  if (!cred.known) {
    addWarning(p, {
      code: 'credentials-unknown', severity: 'info',
      message: `${ctx}: the credentials mode was not observed; ${cred.include ? 'a Cookie header was sent, so credentials are assumed' : 'assumed not credentialed (no Cookie header seen)'}.`,
    });
  }
  if (p.credentials && pageOrigin !== 'null' && isHttpOrigin(pageOrigin) && targetOrigin.startsWith('https:')) {
    addWarning(p, {
      code: 'http-origin-with-credentials', severity: 'warning',
      message: `${describeValue(pageOrigin)} is plain http: trusting it with credentials on an https API lets a network attacker act as that page.`,
    });
  }

  // Method and headers the preflight has to allow.
  const method = checkMethod(requestMethod(req), p.warnings, ctx);
  if (method !== null && !SAFELISTED_METHODS.includes(method)) {
    pushUnique(p.methods, method);
    if (method !== method.toUpperCase()) {
      advice.push({ code: 'uppercase-method', requestIds: [req.id], targetOrigin, message: clientAdviceText('uppercase-method', req, method) });
    }
  }
  for (const raw of unsafeRequestHeaderNames(req, hop)) {
    const n = checkHeaderName(raw, p.warnings, ctx);
    if (n !== null) pushUnique(p.requestHeaders, n);
  }
  p.preflight = p.methods.length > 0 || p.requestHeaders.length > 0 ||
    req.exchanges.some((e) => e.kind === 'preflight');

  // Failures on error responses: the fix is "CORS headers on every status", not only on 2xx.
  const failedStatus = hop?.response?.status ?? null;
  if (failedStatus !== null && failedStatus >= 400 && (verdict.kind !== 'blocked' || verdict.reason.stage !== 'preflight')) {
    p.corsOnErrors = true;
    addChange(p, 'cors-on-error-responses',
      `The response was a ${failedStatus}: send the CORS headers on error responses too (nginx \`always\`, Apache \`Header always\`, ` +
      'framework exception handlers), or the page sees a CORS error instead of the real status.', req.id);
  }

  if (verdict.kind === 'allowed-hidden-headers') {
    const names: string[] = [];
    for (const raw of verdict.hiddenHeaders) {
      const lower = raw.toLowerCase();
      if (lower === 'set-cookie' || lower === 'set-cookie2') {
        addWarning(p, { code: 'set-cookie-not-exposable', severity: 'info', message: 'Set-Cookie can never be exposed to scripts, whatever Access-Control-Expose-Headers says.' });
        continue;
      }
      // Already readable, or meaningless to expose: CORS headers themselves and hop-by-hop headers.
      if (SAFELISTED_RESPONSE_HEADERS.has(lower) || lower.startsWith('access-control-') || NOT_EXPOSABLE.has(lower)) continue;
      const n = checkHeaderName(raw, p.warnings, ctx);
      if (n !== null) pushUnique(names, n);
    }
    for (const n of names) pushUnique(p.exposeHeaders, n);
    if (names.length) {
      addChange(p, 'expose-headers',
        `The page cannot read ${names.map((n) => describeValue(n)).join(', ')}: list the ones it needs in Access-Control-Expose-Headers` +
        (p.credentials ? ' (by name: with credentials `*` is literal).' : '.'), req.id);
    }
  }
  if (verdict.kind === 'blocked') {
    reasonChanges(p, verdict.reason, req, pageOrigin, p.credentials);
    if (verdict.reason.corsError === 'PreflightDisallowedRedirect') {
      advice.push({ code: 'request-final-url', requestIds: [req.id], targetOrigin, message: clientAdviceText('request-final-url', req, '') });
    }
    if (verdict.reason.corsError === 'RedirectContainsCredentials') {
      advice.push({ code: 'remove-url-credentials', requestIds: [req.id], targetOrigin, message: clientAdviceText('remove-url-credentials', req, '') });
    }
  }
  return { policy: p };
}

/** Decide, for one item, whether it yields a server policy or only advice. Exhaustive over Verdict['kind']. */
function classify(item: PolicyItem, advice: Advice[], rejected: PolicyWarning[]): Draft | null {
  const { request: req, verdict } = item;
  const kind = verdict.kind;
  switch (kind) {
    case 'allowed':
      return null; // already passes; see mergePolicies for why it still counts when merging
    case 'allowed-hidden-headers':
      return draftFor(item, advice, rejected);
    case 'blocked': {
      const client = clientOnlyReason(verdict.reason.corsError);
      if (client !== null) {
        advice.push({ code: client, requestIds: [req.id], targetOrigin: originOf(req.url), message: clientAdviceText(client, req, '') });
        return null;
      }
      return draftFor(item, advice, rejected);
    }
    case 'not-cors': {
      const code = notCorsAdvice(verdict.why, req, verdict.detail);
      if (code !== null) {
        const why = verdict.why;
        // The engine's own fix names the cause (not-cors.ts: the permission, the directive, the port).
        const text = verdict.fix ? `${verdict.detail} ${verdict.fix}` : code === 'not-cors' && why in NOT_CORS_TEXT ?
          NOT_CORS_TEXT[why as keyof typeof NOT_CORS_TEXT] : clientAdviceText(code, req, '');
        advice.push({ code, requestIds: [req.id], targetOrigin: originOf(req.url), message: text });
      }
      return null;
    }
    case 'unknown':
      advice.push({
        code: 'unknown-verdict', requestIds: [req.id], targetOrigin: originOf(req.url),
        message: clientAdviceText('unknown-verdict', req, verdict.missing.join(', ') || 'data'),
      });
      return null;
    default:
      return exhaustive(kind);
  }
}

/** Merge per-request policies for the same target origin (union of everything; credentials if any). */
function mergeInto(into: OriginPolicy, p: OriginPolicy): void {
  for (const id of p.requestIds) pushUnique(into.requestIds, id);
  for (const x of p.paths) pushUnique(into.paths, x);
  for (const x of p.allowOrigins) pushUnique(into.allowOrigins, x);
  for (const x of p.methods) pushUnique(into.methods, x);
  for (const x of p.requestHeaders) pushUnique(into.requestHeaders, x);
  for (const x of p.exposeHeaders) pushUnique(into.exposeHeaders, x);
  into.credentials ||= p.credentials;
  into.preflight ||= p.preflight;
  into.corsOnErrors ||= p.corsOnErrors;
  for (const c of p.changes) for (const id of c.requestIds) addChange(into, c.code, c.message, id);
  for (const w of p.warnings) addWarning(into, w);
}

function clonePolicy(p: OriginPolicy): OriginPolicy {
  return {
    ...p, requestIds: [...p.requestIds], paths: [...p.paths], allowOrigins: [...p.allowOrigins], methods: [...p.methods],
    requestHeaders: [...p.requestHeaders], exposeHeaders: [...p.exposeHeaders],
    changes: p.changes.map((c) => ({ ...c, requestIds: [...c.requestIds] })), warnings: p.warnings.map((w) => ({ ...w })),
  };
}

/** Sort list fields so the merged config does not depend on capture order. */
function normalize(p: OriginPolicy): OriginPolicy {
  p.allowOrigins.sort();
  p.methods.sort();
  p.requestHeaders.sort();
  p.exposeHeaders.sort();
  p.paths.sort();
  if (p.preflight) {
    p.warnings = p.warnings.filter((w) => w.message !== MAX_AGE_NOTE);
    p.warnings.push({ code: 'max-age', severity: 'info', message: MAX_AGE_NOTE });
  }
  return p;
}

/**
 * From verdicts, the minimal server policy per target origin that makes the blocked requests pass and
 * the hidden headers readable, plus per-request policies and client-side advice.
 *
 * Requests that already pass (`allowed`) to an origin that needs a fix are folded into that origin's
 * merged policy too: a replacement config must keep them working.
 */
export function derivePolicy(items: PolicyItem[]): DerivedPolicies {
  const advice: Advice[] = [];
  const rejected: PolicyWarning[] = [];
  const perRequest: OriginPolicy[] = [];
  const merged = new Map<string, OriginPolicy>();
  const allowedItems: PolicyItem[] = [];
  for (const item of items) {
    if (item.verdict.kind === 'allowed') allowedItems.push(item);
    const d = classify(item, advice, rejected);
    if (!d) continue;
    perRequest.push(normalize(clonePolicy(d.policy)));
    const existing = merged.get(d.policy.targetOrigin);
    if (existing) mergeInto(existing, d.policy);
    else merged.set(d.policy.targetOrigin, clonePolicy(d.policy));
  }
  for (const item of allowedItems) {
    const target = originOf(exchangeAt(item.request, item.verdict)?.url ?? item.request.url);
    const into = target ? merged.get(target) : undefined;
    if (!into) continue;
    const d = draftFor({ request: item.request, verdict: { ...item.verdict, kind: 'allowed-hidden-headers', hiddenHeaders: [] } }, [], rejected);
    if (d) {
      d.policy.changes = [];
      mergeInto(into, d.policy);
    }
  }
  // Merge advice with the same code and message.
  const mergedAdvice: Advice[] = [];
  for (const a of advice) {
    const same = mergedAdvice.find((x) => x.code === a.code && x.message === a.message && x.targetOrigin === a.targetOrigin);
    if (same) for (const id of a.requestIds) pushUnique(same.requestIds, id);
    else mergedAdvice.push({ ...a, requestIds: [...a.requestIds] });
  }
  return { policies: [...merged.values()].map(normalize), perRequest, clientSideAdvice: mergedAdvice, warnings: rejected };
}
