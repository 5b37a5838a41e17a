// Plain words for each CORS outcome: a short label for grouping ("preflight rejected x-api-key") and a sentence
// for the diagnosis row. Written here because src/engine/messages.ts did not exist when the report was built;
// meanings follow Chromium's DevTools issue texts (front_end/models/issues_manager/descriptions/cors*.md) and
// MDN's "Reason:" pages for Firefox.
import type { BlockReason, ChromiumCorsError, NotCorsWhy } from '../engine/types';

type Words = (p: string, r: BlockReason) => { label: string; summary: string };

const q = (s: string | null | undefined) => (s === null || s === undefined ? 'none' : `"${s}"`);

/** Exhaustive over ChromiumCorsError: a new reason added to the engine's types fails typechecking here. */
const WORDS: Record<ChromiumCorsError, Words> = {
  DisallowedByMode: () => ({ label: 'cross-origin request in same-origin mode', summary: 'The page asked for mode "same-origin" but the URL is on another origin.' }),
  InvalidResponse: () => ({ label: 'invalid response', summary: 'The response could not be used for a CORS check (a network error or a malformed response).' }),
  WildcardOriginNotAllowed: () => ({ label: 'ACAO * with credentials', summary: 'Access-Control-Allow-Origin is "*", which is not allowed when the request includes credentials (cookies or HTTP auth): the server must name the origin.' }),
  MissingAllowOriginHeader: () => ({ label: 'no Access-Control-Allow-Origin', summary: 'The response has no Access-Control-Allow-Origin header.' }),
  MultipleAllowOriginValues: (p) => ({ label: 'several Access-Control-Allow-Origin values', summary: `Access-Control-Allow-Origin holds more than one value (${q(p)}); a proxy and the app often both add it.` }),
  InvalidAllowOriginValue: (p) => ({ label: `invalid Access-Control-Allow-Origin ${p}`, summary: `Access-Control-Allow-Origin has a value that is not an origin: ${q(p)}.` }),
  AllowOriginMismatch: (p) => ({ label: `Access-Control-Allow-Origin is ${p}`, summary: `Access-Control-Allow-Origin is ${q(p)}, which is not the page's origin.` }),
  InvalidAllowCredentials: (p) => ({ label: 'credentials not allowed', summary: `The request includes credentials but Access-Control-Allow-Credentials is ${q(p || null)}; it must be exactly "true".` }),
  CorsDisabledScheme: () => ({ label: 'scheme without CORS', summary: 'The URL scheme does not support CORS requests (only http and https do).' }),
  PreflightInvalidStatus: (_p, r) => ({ label: 'preflight status not 2xx', summary: `The preflight (OPTIONS) response status is ${r.actual ?? 'not 2xx'}; it must be 2xx (often the OPTIONS route is missing or needs auth).` }),
  PreflightDisallowedRedirect: () => ({ label: 'preflight redirected', summary: 'The preflight (OPTIONS) was answered with a redirect; preflights must not redirect.' }),
  PreflightWildcardOriginNotAllowed: () => ({ label: 'preflight ACAO * with credentials', summary: 'The preflight response has Access-Control-Allow-Origin "*", not allowed with credentials: the server must name the origin.' }),
  PreflightMissingAllowOriginHeader: () => ({ label: 'preflight without Access-Control-Allow-Origin', summary: 'The preflight (OPTIONS) response has no Access-Control-Allow-Origin header.' }),
  PreflightMultipleAllowOriginValues: (p) => ({ label: 'preflight with several ACAO values', summary: `The preflight response's Access-Control-Allow-Origin holds more than one value (${q(p)}).` }),
  PreflightInvalidAllowOriginValue: (p) => ({ label: `preflight invalid ACAO ${p}`, summary: `The preflight response's Access-Control-Allow-Origin is not an origin: ${q(p)}.` }),
  PreflightAllowOriginMismatch: (p) => ({ label: `preflight ACAO is ${p}`, summary: `The preflight response's Access-Control-Allow-Origin is ${q(p)}, which is not the page's origin.` }),
  PreflightInvalidAllowCredentials: (p) => ({ label: 'preflight: credentials not allowed', summary: `The request includes credentials but the preflight's Access-Control-Allow-Credentials is ${q(p || null)}; it must be "true".` }),
  InvalidAllowMethodsPreflightResponse: (p) => ({ label: 'unparsable Access-Control-Allow-Methods', summary: `The preflight's Access-Control-Allow-Methods cannot be parsed (${q(p)}).` }),
  InvalidAllowHeadersPreflightResponse: (p) => ({ label: 'unparsable Access-Control-Allow-Headers', summary: `The preflight's Access-Control-Allow-Headers cannot be parsed (${q(p)}).` }),
  MethodDisallowedByPreflightResponse: (p) => ({ label: `preflight rejected method ${p}`, summary: `The preflight response does not allow the method ${p}: add it to Access-Control-Allow-Methods.` }),
  HeaderDisallowedByPreflightResponse: (p) => ({ label: `preflight rejected ${p}`, summary: `The preflight response does not allow the request header ${p}: add it to Access-Control-Allow-Headers.` }),
  RedirectContainsCredentials: () => ({ label: 'redirect URL with credentials', summary: 'A redirect points to a URL containing a user name or password, which CORS forbids.' }),
  InsecureLocalNetwork: () => ({ label: 'insecure page to local network', summary: 'A non-secure (http) page asked for a local-network address; Local Network Access requires a secure context.' }),
  InvalidLocalNetworkAccess: () => ({ label: 'invalid local network access', summary: 'The local-network (Private Network Access) preflight answer was invalid.' }),
  LocalNetworkAccessPermissionDenied: () => ({ label: 'local network access denied', summary: 'The user or the browser denied this page access to the local network.' }),
  NoCorsRedirectModeNotFollow: () => ({ label: 'no-cors request redirected', summary: 'A no-cors request with redirect mode other than "follow" was redirected.' }),
};

export function blockWords(r: BlockReason): { label: string; summary: string } {
  const w = WORDS[r.corsError];
  if (!w) return { label: r.corsError, summary: `Blocked by CORS (${r.corsError}).` };
  return w(r.failedParameter || r.header || '', r);
}

const NOT_CORS: Record<NotCorsWhy, string> = {
  'same-origin': 'Same-origin request: CORS does not apply.',
  navigation: 'A navigation: CORS does not apply.',
  'no-cors': 'A no-cors request (image, script, form…): the browser loads it without CORS, and the page cannot read it.',
  'network-error': 'The request failed before any CORS check (network error).',
  'blocked-by-client': 'Blocked by an extension or the browser (ERR_BLOCKED_BY_CLIENT), not by CORS.',
  'other-policy': 'Blocked by another policy (mixed content, CSP, CORP/COEP…), not by CORS.',
  extension: 'Made by a browser extension: CORS rules differ.',
  websocket: 'A WebSocket: CORS does not apply (the server checks the Origin header itself).',
  'data-url': 'A data: URL: CORS does not apply.',
  'local-network-access': 'Governed by Local Network Access rather than CORS.',
};

export function notCorsWords(why: NotCorsWhy): string {
  return NOT_CORS[why] ?? 'CORS does not apply.';
}
