// Console texts for a verdict: Chromium's (third_party/blink/renderer/platform/loader/cors/cors_error_string.cc)
// and Firefox's (dom/locales/en-US/chrome/security/security.properties), with the placeholders filled from the
// request, plus a one-line plain summary for the panel and the popup.
import { notCorsSummary } from './not-cors-summary';
import { redactUserinfo } from './origin';
import { parseTokenList } from './headers';
import type {
  BlockReason,
  ChromiumCorsError,
  FirefoxCorsReason,
  ObservedRequest,
  ResourceType,
  Verdict,
} from './types';

export interface VerdictMessages {
  /** One plain line: "preflight rejected header x-api-key". */
  summary: string;
  /** What Chromium's console prints for it (blocked verdicts only). */
  chromium?: string;
  /** What Firefox's console prints for it (blocked verdicts only). */
  firefox?: string;
}

const PREFLIGHT_PREFIX = "Response to preflight request doesn't pass access control check: ";

/** Chromium's `<kind>` word: the initiator type (fetch, XMLHttpRequest, script…). */
function chromiumKind(type: ResourceType | undefined): string {
  switch (type) {
    case 'xmlhttprequest':
      return 'XMLHttpRequest';
    case 'script':
      return 'script';
    case 'image':
      return 'image';
    case 'font':
      return 'font';
    case 'stylesheet':
      return 'CSS stylesheet';
    case 'media':
      return 'media';
    default:
      return 'fetch';
  }
}

function isPreflightAccess(e: ChromiumCorsError): boolean {
  return e.startsWith('Preflight') && e !== 'PreflightDisallowedRedirect' && e !== 'PreflightInvalidStatus';
}

function chromiumDetail(r: BlockReason, kind: string): string {
  const p = r.failedParameter;
  // Chromium 156 appends this to ACAO value errors for fetch() only (recorded console output).
  const VALID = kind === 'fetch' ? ' Have the server send the header with a valid value.' : '';
  const xhrHint =
    kind === 'XMLHttpRequest'
      ? ' The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.'
      : '';
  const pre = isPreflightAccess(r.corsError) ? PREFLIGHT_PREFIX : '';
  switch (r.corsError) {
    case 'DisallowedByMode':
      return 'Cross origin requests are not allowed by request mode.';
    case 'InvalidResponse':
      return 'The response is invalid.';
    case 'WildcardOriginNotAllowed':
    case 'PreflightWildcardOriginNotAllowed':
      return `${pre}The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.${xhrHint}`;
    case 'MissingAllowOriginHeader':
    case 'PreflightMissingAllowOriginHeader':
      // Chromium 156 no longer appends the "set the request's mode to 'no-cors'" hint (recorded console output).
      return `${pre}No 'Access-Control-Allow-Origin' header is present on the requested resource.`;
    case 'MultipleAllowOriginValues':
    case 'PreflightMultipleAllowOriginValues':
      return `${pre}The 'Access-Control-Allow-Origin' header contains multiple values '${p}', but only one is allowed.${VALID}`;
    case 'InvalidAllowOriginValue':
    case 'PreflightInvalidAllowOriginValue':
      return `${pre}The 'Access-Control-Allow-Origin' header contains the invalid value '${p}'.${VALID}`;
    case 'AllowOriginMismatch':
    case 'PreflightAllowOriginMismatch':
      return `${pre}The 'Access-Control-Allow-Origin' header has a value '${p}' that is not equal to the supplied origin.${VALID}`;
    case 'InvalidAllowCredentials':
    case 'PreflightInvalidAllowCredentials':
      return `${pre}The value of the 'Access-Control-Allow-Credentials' header in the response is '${p}' which must be 'true' when the request's credentials mode is 'include'.${xhrHint}`;
    case 'CorsDisabledScheme':
      return 'Cross origin requests are only supported for protocol schemes: chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app.';
    case 'PreflightInvalidStatus':
      return `${PREFLIGHT_PREFIX}It does not have HTTP ok status.`;
    case 'PreflightDisallowedRedirect':
      return `${PREFLIGHT_PREFIX}Redirect is not allowed for a preflight request.`;
    case 'InvalidAllowMethodsPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Methods response header field in preflight response.';
    case 'InvalidAllowHeadersPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Headers response header field in preflight response.';
    case 'MethodDisallowedByPreflightResponse':
      return `Method ${p} is not allowed by Access-Control-Allow-Methods in preflight response.`;
    case 'HeaderDisallowedByPreflightResponse':
      return `Request header field ${p} is not allowed by Access-Control-Allow-Headers in preflight response.`;
    case 'RedirectContainsCredentials':
      return `Redirect location '${p}' contains a username and password, which is disallowed for cross-origin requests.`;
    case 'InsecureLocalNetwork':
      return 'The request client is not a secure context and the resource is in more-private address space `local`.';
    case 'InvalidLocalNetworkAccess':
      return 'Request had a target IP address space of `local` yet the resource is in address space `public`.';
    case 'LocalNetworkAccessPermissionDenied':
      return 'Permission was denied for this request to access the `local` address space.';
    case 'NoCorsRedirectModeNotFollow':
      return 'Request mode is "no-cors" but the redirect mode is not "follow".';
  }
}

function badToken(value: string | null | undefined): string {
  if (!value) return '';
  const r = parseTokenList(value);
  return r.ok ? '' : r.bad;
}

function firefoxReasonText(key: FirefoxCorsReason, r: BlockReason, status: string): string {
  switch (key) {
    case 'CORSDisabled':
      return '(Reason: CORS disabled).';
    // Printed for a channel that never produced a usable response: the status is always "(null)".
    case 'CORSDidNotSucceed':
      return '(Reason: CORS request did not succeed). Status code: (null).';
    case 'CORSOriginHeaderNotAdded':
      return '(Reason: CORS header ‘Origin’ cannot be added).';
    case 'CORSExternalRedirectNotAllowed':
      return '(Reason: CORS request external redirect not allowed).';
    case 'CORSRequestNotHttp':
      return '(Reason: CORS request not http).';
    case 'CORSMissingAllowOrigin':
      return `(Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: ${status}.`;
    case 'CORSMultipleAllowOriginNotAllowed':
      return '(Reason: Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).';
    case 'CORSAllowOriginNotMatchingOrigin':
      return `(Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘${r.actual ?? ''}’).`;
    case 'CORSNotSupportingCredentials':
      return '(Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).';
    case 'CORSMissingAllowCredentials':
      return '(Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).';
    case 'CORSPreflightDidNotSucceed':
      return `(Reason: CORS preflight response did not succeed). Status code: ${status}.`;
    case 'CORSInvalidAllowMethod':
      return `(Reason: invalid token ‘${badToken(r.actual)}’ in CORS header ‘Access-Control-Allow-Methods’).`;
    case 'CORSMethodNotFound':
      return '(Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).';
    case 'CORSInvalidAllowHeader':
      return `(Reason: invalid token ‘${badToken(r.actual)}’ in CORS header ‘Access-Control-Allow-Headers’).`;
    case 'CORSMissingAllowHeaderFromPreflight':
      return `(Reason: header ‘${r.header || r.failedParameter}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).`;
  }
}

function summaryOf(r: BlockReason): string {
  const p = r.failedParameter;
  switch (r.corsError) {
    case 'DisallowedByMode':
      return 'mode same-origin forbids this cross-origin URL';
    case 'InvalidResponse':
      return 'the response is invalid';
    case 'WildcardOriginNotAllowed':
      return "Access-Control-Allow-Origin '*' cannot be used with credentials";
    case 'PreflightWildcardOriginNotAllowed':
      return "preflight: Access-Control-Allow-Origin '*' cannot be used with credentials";
    case 'MissingAllowOriginHeader':
      return r.stage === 'redirect'
        ? 'no Access-Control-Allow-Origin on the redirect'
        : 'no Access-Control-Allow-Origin on the response';
    case 'PreflightMissingAllowOriginHeader':
      return 'no Access-Control-Allow-Origin on the preflight response';
    case 'MultipleAllowOriginValues':
      return `Access-Control-Allow-Origin has several values '${p}'`;
    case 'PreflightMultipleAllowOriginValues':
      return `preflight: Access-Control-Allow-Origin has several values '${p}'`;
    case 'InvalidAllowOriginValue':
      return `Access-Control-Allow-Origin '${p}' is not a valid origin`;
    case 'PreflightInvalidAllowOriginValue':
      return `preflight: Access-Control-Allow-Origin '${p}' is not a valid origin`;
    case 'AllowOriginMismatch':
      return `Access-Control-Allow-Origin '${p}' is not the page origin ${r.expected ?? ''}`.trim();
    case 'PreflightAllowOriginMismatch':
      return `preflight: Access-Control-Allow-Origin '${p}' is not the page origin ${r.expected ?? ''}`.trim();
    case 'InvalidAllowCredentials':
      return `credentialed request needs Access-Control-Allow-Credentials: true (got ${r.actual == null ? 'none' : `'${r.actual}'`})`;
    case 'PreflightInvalidAllowCredentials':
      return `preflight: credentialed request needs Access-Control-Allow-Credentials: true (got ${r.actual == null ? 'none' : `'${r.actual}'`})`;
    case 'CorsDisabledScheme':
      return `${r.actual ?? 'this'}: URLs cannot be fetched cross-origin`;
    case 'PreflightInvalidStatus':
      return `preflight answered ${r.actual ?? 'a non-2xx status'} instead of 2xx`;
    case 'PreflightDisallowedRedirect':
      return 'preflight was redirected (never allowed)';
    case 'InvalidAllowMethodsPreflightResponse':
      return 'preflight Access-Control-Allow-Methods does not parse';
    case 'InvalidAllowHeadersPreflightResponse':
      return 'preflight Access-Control-Allow-Headers does not parse';
    case 'MethodDisallowedByPreflightResponse':
      return `preflight rejected method ${p}`;
    case 'HeaderDisallowedByPreflightResponse':
      return `preflight rejected header ${p}`;
    case 'RedirectContainsCredentials':
      return 'redirect URL contains user:password';
    case 'InsecureLocalNetwork':
      return 'insecure page may not reach the local network';
    case 'InvalidLocalNetworkAccess':
      return 'declared target address space does not match';
    case 'LocalNetworkAccessPermissionDenied':
      return 'local network access permission denied';
    case 'NoCorsRedirectModeNotFollow':
      return 'no-cors requests must follow redirects';
  }
}

/** Console texts and a plain summary for `verdict` about `req`. */
export function messagesFor(req: ObservedRequest, verdict: Verdict): VerdictMessages {
  switch (verdict.kind) {
    case 'allowed':
      return { summary: 'allowed by CORS' };
    case 'allowed-hidden-headers':
      return { summary: `allowed; hidden from script: ${verdict.hiddenHeaders.join(', ')}` };
    case 'not-cors':
      return {
        summary:
          notCorsSummary(req, verdict.cause, verdict.corsError) ?? `not CORS (${verdict.why}): ${verdict.detail}`,
      };
    case 'unknown':
      return { summary: `cannot tell: missing ${verdict.missing.join('; ')}` };
    case 'blocked':
      break;
  }
  const r = verdict.reason;
  const exchanges = Array.isArray(req.exchanges) ? req.exchanges : [];
  const at = exchanges[r.exchangeIndex];
  // The URL the console names is the hop that failed (for a preflight: the URL it was for; for a redirect to a
  // non-HTTP scheme: the redirect target).
  const target = r.corsError === 'CorsDisabledScheme' && r.stage === 'redirect' ? at?.redirectUrl : undefined;
  const lastUrl = redactUserinfo(target ?? at?.url ?? req.url);
  const firstUrl = redactUserinfo(req.url);
  const origin = req.initiator ?? 'null';
  const kind = chromiumKind(req.type);
  const redirected = lastUrl !== firstUrl ? `(redirected from '${firstUrl}') ` : '';
  let chromium = `Access to ${kind} at '${lastUrl}' ${redirected}from origin '${origin}' has been blocked by CORS policy: ${chromiumDetail(r, kind)}`;
  // Errors the renderer raises before a request exists have their own wording (fetch_manager.cc; recorded on Chromium 156).
  const modeUrl = r.corsError === 'DisallowedByMode' && r.actual ? redactUserinfo(r.actual) : lastUrl;
  if (r.corsError === 'NoCorsRedirectModeNotFollow') {
    chromium = `Fetch API cannot load ${lastUrl}. Request mode is "no-cors" but the redirect mode is not "follow".`;
  } else if (r.corsError === 'DisallowedByMode') {
    chromium =
      r.stage === 'redirect'
        ? `Unsafe attempt to load URL ${modeUrl} from frame with URL ${req.documentUrl ?? origin}. Domains, protocols and ports must match.\n`
        : `Fetch API cannot load ${modeUrl}. Request mode is "same-origin" but the URL's origin is not same as the request origin ${origin}.`;
  } else if (r.corsError === 'CorsDisabledScheme' && r.stage === 'request' && kind === 'fetch') {
    chromium = `Fetch API cannot load ${lastUrl}. URL scheme "${r.actual ?? r.failedParameter}" is not supported.`;
  }
  const status = at?.response ? String(at.response.status) : '(null)';
  const url = r.firefoxReason === 'CORSNotSupportingCredentials' ? `‘${lastUrl}’` : lastUrl;
  if (r.corsError === 'DisallowedByMode') {
    // Gecko reports mode same-origin violations as a security error, not a CORS message (recorded, Firefox ESR 153).
    const doc = req.documentUrl ?? origin;
    return {
      summary: summaryOf(r),
      chromium,
      firefox: `Security Error: Content at ${doc} may not load data from ${modeUrl}.`,
    };
  }
  const firefox = `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${url}. ${firefoxReasonText(r.firefoxReason, r, status)}`;
  return { summary: summaryOf(r), chromium, firefox };
}
