// Advice for failures only the client (page code, URL, browser setting) can fix, and which verdicts
// those are. Exhaustive over ChromiumCorsError, NotCorsWhy and Advice['code'].
import type { ChromiumCorsError, NotCorsWhy, ObservedRequest, Verdict } from '../engine/types';
import type { Advice } from './policy-types';
import { exhaustive } from './policy-edit';
import { describeValue } from './validate';

/** Client-only failure reasons, or null when the server can fix it. Exhaustive over ChromiumCorsError. */
export function clientOnlyReason(err: ChromiumCorsError): Advice['code'] | null {
  switch (err) {
    case 'DisallowedByMode':
      return 'same-origin-mode';
    case 'CorsDisabledScheme':
      return 'cors-disabled-scheme';
    case 'InsecureLocalNetwork':
    case 'InvalidLocalNetworkAccess':
    case 'LocalNetworkAccessPermissionDenied':
      return 'local-network-access';
    case 'NoCorsRedirectModeNotFollow':
      return 'no-cors-redirect-mode';
    case 'InvalidResponse':
      return 'invalid-response';
    case 'WildcardOriginNotAllowed':
    case 'PreflightWildcardOriginNotAllowed':
    case 'MissingAllowOriginHeader':
    case 'PreflightMissingAllowOriginHeader':
    case 'MultipleAllowOriginValues':
    case 'PreflightMultipleAllowOriginValues':
    case 'InvalidAllowOriginValue':
    case 'PreflightInvalidAllowOriginValue':
    case 'AllowOriginMismatch':
    case 'PreflightAllowOriginMismatch':
    case 'InvalidAllowCredentials':
    case 'PreflightInvalidAllowCredentials':
    case 'PreflightInvalidStatus':
    case 'PreflightDisallowedRedirect':
    case 'InvalidAllowMethodsPreflightResponse':
    case 'InvalidAllowHeadersPreflightResponse':
    case 'MethodDisallowedByPreflightResponse':
    case 'HeaderDisallowedByPreflightResponse':
    case 'RedirectContainsCredentials':
      return null;
    default:
      return exhaustive(err);
  }
}

interface AdviceInput {
  /** The request URL, escaped for display. */
  url: string;
  req: ObservedRequest;
  detail: string;
}

const ADVICE_TEXT: Record<Advice['code'], (input: AdviceInput) => string> = {
  'same-origin-mode': ({ url }) =>
    `The request to ${url} used mode: 'same-origin', which forbids cross-origin URLs whatever the server sends. ` +
    "Use mode: 'cors' (the default for fetch()), or call a same-origin URL (e.g. through a dev-server proxy).",
  'cors-disabled-scheme': ({ url }) =>
    `${url} is not http(s): CORS only works for http and https. Serve the resource over http(s) ` +
    '(not file:) and load the page from a local web server.',
  'local-network-access': ({ url }) =>
    `Local Network Access blocked the request to ${url} (a public page reaching a local or loopback address). ` +
    'No response header can fix this: serve the page from a secure context and grant the permission the target needs ' +
    '(loopback-network for 127.0.0.1, ::1 or localhost; local-network for a LAN address), pass ' +
    "fetch(url, { targetAddressSpace: 'loopback' }) or 'local' to match, or use a public address.",
  'no-cors-redirect-mode': () =>
    "mode: 'no-cors' requires redirect: 'follow'. Drop the redirect option, or use mode: 'cors'.",
  'invalid-response': ({ url }) =>
    `The browser reported an invalid response for ${url} (usually a network-level failure of a preflight): ` +
    'check that the server answers OPTIONS at all (connection reset, empty reply).',
  'no-cors-opaque': ({ url, req }) =>
    `The request to ${url} used mode: 'no-cors', so the response is opaque (status 0, no headers, no body) ` +
    "whatever the server sends. Remove mode: 'no-cors' (use 'cors'); the server must then send CORS headers for " +
    `${describeValue(req.initiator ?? '?')} — run the capture again to get that config.`,
  'mixed-content': ({ url }) =>
    `An https page cannot load ${url} over plain http (mixed content). Use an https URL for the API; CORS headers cannot help.`,
  'request-final-url': ({ url }) =>
    `The preflight for ${url} was redirected, and preflights may not follow redirects. ` +
    'Request the final URL directly (trailing slash, http→https, new host), so no redirect happens.',
  'remove-url-credentials': ({ url }) =>
    `A redirect from ${url} points to a URL with user:password@ in it, which browsers refuse for CORS. ` +
    'Remove the userinfo from the redirect target and send credentials in a header instead.',
  'redirect-taint': ({ url }) =>
    `${url} was redirected across origins, so the browser sends Origin: null to the final server. ` +
    'Best fix: request the final URL directly so there is no cross-origin redirect (then the real page origin is sent).',
  'not-cors': ({ detail }) => detail,
  'unknown-verdict': ({ url, detail }) =>
    `Not enough was observed to explain ${url}: missing ${detail}. Reopen DevTools before reloading, or capture a HAR.`,
  'uppercase-method': ({ detail }) =>
    `The page sends the method ${describeValue(detail)} in lowercase. fetch() only upper-cases DELETE, GET, HEAD, OPTIONS, POST ` +
    'and PUT, and Access-Control-Allow-Methods is compared byte for byte; many servers list methods upper-cased, so send it ' +
    `upper-case (${describeValue(detail.toUpperCase())}) from the page. The config below lists it exactly as sent.`,
  'unknown-page-origin': ({ url }) =>
    `The page origin of ${url} is unknown, so no origin can be allowed for it; capture it again from the page.`,
};

export function clientAdviceText(code: Advice['code'], req: ObservedRequest, detail: string): string {
  return ADVICE_TEXT[code]({ url: describeValue(req.url), req, detail });
}

/** Appends one piece of advice for one request. */
export function advise(
  advice: Advice[],
  code: Advice['code'],
  req: ObservedRequest,
  targetOrigin: string | null,
  detail = '',
): void {
  advice.push({ code, requestIds: [req.id], targetOrigin, message: clientAdviceText(code, req, detail) });
}

export function notCorsAdvice(why: NotCorsWhy, req: ObservedRequest, detail: string): Advice['code'] | null {
  switch (why) {
    case 'same-origin':
    case 'navigation':
    case 'data-url':
    case 'extension':
      return null; // nothing to fix: CORS does not apply
    case 'no-cors':
      return 'no-cors-opaque';
    case 'local-network-access':
      return 'local-network-access';
    case 'other-policy': {
      const mixed = req.initiator?.startsWith('https:') && req.url.startsWith('http:');
      return mixed || /mixed/i.test(detail) ? 'mixed-content' : 'not-cors';
    }
    case 'network-error':
    case 'blocked-by-client':
    case 'websocket':
    case 'cors-passed':
      return 'not-cors';
    default:
      return exhaustive(why);
  }
}

const NOT_CORS_TEXT: Record<'network-error' | 'blocked-by-client' | 'websocket' | 'other-policy', string> = {
  'network-error':
    'The request failed at the network level (DNS, refused connection, TLS): not a CORS problem, no header will fix it.',
  'blocked-by-client':
    'An extension or the browser blocked the request before it left (ad blocker, enterprise policy): not a CORS problem.',
  websocket:
    'WebSockets are not subject to CORS: the server must check the Origin header itself, and the client sees no CORS error.',
  'other-policy': 'Another policy blocked the response (CORP, ORB, CSP): not fixable with CORS headers.',
};

/**
 * The message for not-CORS advice: the engine's own detail and fix when it has them (src/engine/not-cors.ts names the
 * permission, the directive, the port), else the fixed sentence for plain not-CORS causes, else the advice text.
 */
export function notCorsMessage(
  code: Advice['code'],
  verdict: Extract<Verdict, { kind: 'not-cors' }>,
  req: ObservedRequest,
): string {
  if (verdict.fix) return `${verdict.detail} ${verdict.fix}`;
  const why = verdict.why;
  return code === 'not-cors' && why in NOT_CORS_TEXT
    ? NOT_CORS_TEXT[why as keyof typeof NOT_CORS_TEXT]
    : clientAdviceText(code, req, '');
}
