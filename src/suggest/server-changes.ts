// What the server must change for one blocked reason: one short function per family of Chromium's
// CorsError values (services/network/public/mojom/cors.mojom), dispatched exhaustively.
import type { BlockReason, Exchange, ObservedRequest } from '../engine/types';
import type { OriginPolicy } from './policy-types';
import { addChange, exhaustive } from './policy-edit';
import { headerValue, headerValues } from './request-facts';
import { refusedByPreflight } from './refused';
import { describeValue } from './validate';

/** Everything the messages for one blocked reason refer to. */
interface ReasonContext {
  p: OriginPolicy;
  reason: BlockReason;
  req: ObservedRequest;
  /** The page origin as sent. */
  origin: string;
  credentials: boolean;
  id: string;
  /** The page origin, escaped for display. */
  o: string;
  /** The offending header value, escaped for display (`nothing` when absent). */
  actual: string;
  /** Status of the hop at fault. */
  status: number | null;
  hop: Exchange | undefined;
  where: string;
}

/** `*` as a whole list item: a wildcard without credentials, a literal name with them. */
const STAR_ITEM = /(^|,)\s*\*\s*(,|$)/;

function contextOf(
  p: OriginPolicy,
  reason: BlockReason,
  req: ObservedRequest,
  origin: string,
  credentials: boolean,
): ReasonContext {
  const hop = req.exchanges[reason.exchangeIndex];
  return {
    p,
    reason,
    req,
    origin,
    credentials,
    id: req.id,
    hop,
    o: describeValue(origin),
    actual: reason.actual == null ? 'nothing' : describeValue(reason.actual),
    status: hop?.response?.status ?? null,
    where: reason.stage === 'preflight' ? 'the preflight (OPTIONS) response' : 'the response',
  };
}

function capitalized(s: string): string {
  return `${s[0].toUpperCase()}${s.slice(1)}`;
}

function wildcardWithCredentials({ p, o, id }: ReasonContext): void {
  addChange(
    p,
    'exact-origin-not-wildcard',
    `The request is credentialed (credentials: 'include'), so Access-Control-Allow-Origin must be the exact origin ${o}, ` +
      'never `*`, together with Access-Control-Allow-Credentials: true. Echo the Origin only when it is in the allow-list — ' +
      "reflecting any Origin with credentials lets every site read your users' data.",
    id,
  );
}

function missingAllowOrigin({ p, reason, o, status, where, id }: ReasonContext): void {
  addChange(
    p,
    'add-allow-origin',
    `${capitalized(where)} has no Access-Control-Allow-Origin: send ${o} for this origin.`,
    id,
  );
  if (reason.stage === 'preflight' && status !== null && (status < 200 || status > 299)) {
    preflightStatusChange(p, status, id);
  }
}

function multipleAllowOrigins({ p, hop, where, actual, o, id }: ReasonContext): void {
  const lines = headerValues(hop?.response?.headers, 'access-control-allow-origin');
  if (lines.length > 1) {
    addChange(
      p,
      'remove-duplicate-layer',
      `${capitalized(where)} carries ${lines.length} Access-Control-Allow-Origin lines: two layers add it ` +
        '(typically the reverse proxy/CDN and the app). Keep CORS in exactly one layer and remove it from the other ' +
        '(nginx: proxy_hide_header; Apache: Header always unset before set; Caddy: header_down -Access-Control-Allow-Origin).',
      id,
    );
  } else {
    addChange(
      p,
      'single-allow-origin',
      `Access-Control-Allow-Origin was ${actual}: it must hold one origin, not a list. Keep the list on the server and ` +
        `send back only the request's Origin when it is in it (${o} here).`,
      id,
    );
  }
}

function invalidAllowOrigin({ p, actual, o, id }: ReasonContext): void {
  addChange(
    p,
    'fix-allow-origin-value',
    `Access-Control-Allow-Origin was ${actual}, which is not an origin: it must be exactly ${o} (scheme://host[:port]).`,
    id,
  );
}

/** Why the sent origin does not match the page's, from the most specific likely cause. */
function mismatchCause(sent: string, origin: string): string {
  if (sent === `${origin}/` || sent.replace(/\/+$/, '') === origin)
    return 'remove the trailing slash/path: an origin has none';
  if (sent.toLowerCase() === origin)
    return 'the comparison is byte-exact: use lowercase, as browsers serialize origins';
  if (sent === 'null') return '`null` only matches opaque origins (sandboxed iframes, file:)';
  return "the server sends a fixed origin to every caller; echo the request's Origin when it is in the allow-list instead";
}

function allowOriginMismatch({ p, reason, origin, actual, o, id }: ReasonContext): void {
  const why = mismatchCause(reason.actual ?? '', origin);
  addChange(
    p,
    'fix-allow-origin-value',
    `Access-Control-Allow-Origin was ${actual} but the page origin is ${o}: ${why}.`,
    id,
  );
}

function invalidAllowCredentials({ p, where, actual, id }: ReasonContext): void {
  addChange(
    p,
    'allow-credentials-true',
    `The request is credentialed, so ${where} must carry Access-Control-Allow-Credentials: true (exactly, lowercase); it had ${actual}.`,
    id,
  );
}

function preflightRedirected({ p, status, hop, id }: ReasonContext): void {
  addChange(
    p,
    'preflight-no-redirect',
    `The preflight got a redirect${status ? ` (${status})` : ''}${hop?.redirectUrl ? ` to ${describeValue(hop.redirectUrl)}` : ''}; ` +
      'preflights may not be redirected. Answer OPTIONS with 2xx before any redirect rule (slash, https, auth redirects), ' +
      'or have the page call the final URL.',
    id,
  );
}

function invalidAllowMethods({ p, actual, id }: ReasonContext): void {
  addChange(
    p,
    'fix-allow-methods-syntax',
    `Access-Control-Allow-Methods was ${actual}: it must be a comma-separated list of method tokens (\`PUT, DELETE\`).`,
    id,
  );
}

function invalidAllowHeaders({ p, actual, id }: ReasonContext): void {
  addChange(
    p,
    'fix-allow-headers-syntax',
    `Access-Control-Allow-Headers was ${actual}: it must be a comma-separated list of header names (\`content-type, x-api-key\`).`,
    id,
  );
}

function methodRefused({ p, reason, req, credentials, id }: ReasonContext): void {
  const m = describeValue(reason.failedParameter || req.method);
  const star =
    credentials && STAR_ITEM.test(reason.actual ?? '')
      ? ' With credentials a `*` in Access-Control-Allow-Methods is a literal name, not a wildcard.'
      : '';
  const alsoHeaders = refusedByPreflight(req, credentials).headers;
  const also = alsoHeaders.length
    ? ` The preflight refuses ${alsoHeaders.map((x) => describeValue(x)).join(', ')} too: add ${alsoHeaders.length > 1 ? 'them' : 'it'} to Access-Control-Allow-Headers.`
    : '';
  addChange(
    p,
    'allow-method',
    `Add ${m} to Access-Control-Allow-Methods, byte for byte (methods are case-sensitive there).${star}${also}`,
    id,
  );
}

function headerRefused({ p, reason, req, credentials, hop, id }: ReasonContext): void {
  const h = (reason.failedParameter || reason.header || '').toLowerCase();
  const acah = reason.actual ?? headerValue(hop?.response?.headers, 'access-control-allow-headers') ?? '';
  if (h === 'authorization' && STAR_ITEM.test(acah)) {
    addChange(
      p,
      'authorization-by-name',
      'Authorization is never covered by `Access-Control-Allow-Headers: *`: list it by name.',
      id,
    );
    return;
  }
  // Chromium names the first refused header only; the preflight exchange shows every one.
  const all = [h, ...refusedByPreflight(req, credentials).headers.filter((x) => x !== h)].filter(Boolean);
  addChange(
    p,
    'allow-header',
    `Add ${all.map((x) => describeValue(x)).join(', ')} to Access-Control-Allow-Headers.` +
      (credentials && acah.includes('*') ? ' With credentials `*` is a literal name, not a wildcard.' : ''),
    id,
  );
}

function redirectWithCredentials({ p, id }: ReasonContext): void {
  addChange(
    p,
    'fix-redirect',
    'The server redirects to a URL containing user:password@: remove the userinfo from the Location header.',
    id,
  );
}

/** What to change for one blocked reason (server side). Exhaustive over ChromiumCorsError. */
export function reasonChanges(
  p: OriginPolicy,
  reason: BlockReason,
  req: ObservedRequest,
  origin: string,
  credentials: boolean,
): void {
  const ctx = contextOf(p, reason, req, origin, credentials);
  const err = reason.corsError;
  switch (err) {
    case 'WildcardOriginNotAllowed':
    case 'PreflightWildcardOriginNotAllowed':
      return wildcardWithCredentials(ctx);
    case 'MissingAllowOriginHeader':
    case 'PreflightMissingAllowOriginHeader':
      return missingAllowOrigin(ctx);
    case 'MultipleAllowOriginValues':
    case 'PreflightMultipleAllowOriginValues':
      return multipleAllowOrigins(ctx);
    case 'InvalidAllowOriginValue':
    case 'PreflightInvalidAllowOriginValue':
      return invalidAllowOrigin(ctx);
    case 'AllowOriginMismatch':
    case 'PreflightAllowOriginMismatch':
      return allowOriginMismatch(ctx);
    case 'InvalidAllowCredentials':
    case 'PreflightInvalidAllowCredentials':
      return invalidAllowCredentials(ctx);
    case 'PreflightInvalidStatus':
      return preflightStatusChange(p, ctx.status, ctx.id);
    case 'PreflightDisallowedRedirect':
      return preflightRedirected(ctx);
    case 'InvalidAllowMethodsPreflightResponse':
      return invalidAllowMethods(ctx);
    case 'InvalidAllowHeadersPreflightResponse':
      return invalidAllowHeaders(ctx);
    case 'MethodDisallowedByPreflightResponse':
      return methodRefused(ctx);
    case 'HeaderDisallowedByPreflightResponse':
      return headerRefused(ctx);
    case 'RedirectContainsCredentials':
      return redirectWithCredentials(ctx);
    case 'DisallowedByMode':
    case 'CorsDisabledScheme':
    case 'InsecureLocalNetwork':
    case 'InvalidLocalNetworkAccess':
    case 'LocalNetworkAccessPermissionDenied':
    case 'NoCorsRedirectModeNotFollow':
    case 'InvalidResponse':
      return; // client-only: handled by clientOnlyReason
    default:
      exhaustive(err);
  }
}

/** Why a preflight's status is refused, by the usual cause behind each status. */
function preflightStatusCause(status: number | null): string {
  if (status === 401 || status === 403) {
    return (
      'An auth layer rejects it: preflights never carry cookies or Authorization, so let OPTIONS through before ' +
      'authentication (put the CORS middleware first / exempt OPTIONS).'
    );
  }
  if (status === 404 || status === 405 || status === 501) {
    return 'No route answers OPTIONS: let the CORS layer answer preflights itself (or add an OPTIONS handler).';
  }
  if (status === 400) {
    return 'The CORS layer itself refused it (Starlette answers 400 "Disallowed CORS origin/method/headers"): allow the origin, method and headers below.';
  }
  if (status !== null && status >= 300 && status < 400)
    return 'It was redirected: answer OPTIONS before any redirect rule.';
  if (status !== null && status >= 500)
    return 'The server failed on OPTIONS: answer it from the CORS layer before application code runs.';
  return 'Answer OPTIONS from the CORS layer.';
}

function preflightStatusChange(p: OriginPolicy, status: number | null, id: string): void {
  const why = preflightStatusCause(status);
  addChange(
    p,
    'preflight-2xx',
    `The preflight must be answered with a 2xx status (204 is usual)${status !== null ? `, not ${status}` : ''}. ${why}`,
    id,
  );
}
