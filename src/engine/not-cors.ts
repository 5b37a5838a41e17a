// Why a cross-origin call failed when CORS did not: the page's CSP, mixed content, Local Network Access, the
// network, another extension, the page's own abort, CORP/COEP/ORB, third-party cookies, an HTTP error. Each
// decision names its evidence: an error string the browser gave (net-errors.ts), what the page's script saw (the
// page observer's PageFailure), or the headers of a response that passed the CORS check. docs/not-cors.md lists them.
import { addressSpaceOfHost, hostOf, normalizeSpace, potentiallyTrustworthy, targetSpace } from './address-space';
import { causeOfError, classifyError } from './net-errors';
import { OPAQUE, type ParsedUrl } from './origin';
import type {
  AddressSpace,
  ChromiumCorsError,
  Header,
  NotCorsCause,
  NotCorsWhy,
  ObservedRequest,
  ObservedResponse,
} from './types';

export { addressSpaceOfHost, potentiallyTrustworthy } from './address-space';

/** A not-CORS finding: the family, the cause, what happened and what to do. */
export interface NotCors {
  why: NotCorsWhy;
  cause: NotCorsCause;
  detail: string;
  fix: string;
  /** The CorsError Chromium reports for it (Local Network Access). */
  corsError?: ChromiumCorsError;
}

const WHY: Record<NotCorsCause, NotCorsWhy> = {
  'same-origin': 'same-origin',
  navigation: 'navigation',
  'no-cors': 'no-cors',
  extension: 'extension',
  websocket: 'websocket',
  'data-url': 'data-url',
  csp: 'other-policy',
  'mixed-content': 'other-policy',
  corp: 'other-policy',
  coep: 'other-policy',
  orb: 'other-policy',
  'other-policy': 'other-policy',
  'local-network-access': 'local-network-access',
  'connection-refused': 'network-error',
  dns: 'network-error',
  tls: 'network-error',
  'network-error': 'network-error',
  'aborted-by-page': 'network-error',
  aborted: 'network-error',
  'blocked-by-client': 'blocked-by-client',
  'third-party-cookies': 'cors-passed',
  'http-error': 'cors-passed',
};

export const whyOf = (cause: NotCorsCause): NotCorsWhy => WHY[cause];

function make(cause: NotCorsCause, detail: string, fix: string, corsError?: ChromiumCorsError): NotCors {
  return corsError ? { why: WHY[cause], cause, detail, fix, corsError } : { why: WHY[cause], cause, detail, fix };
}

// ------------------------------------------------------------------------------------------------
// Before the CORS walk: the page's own word and the browser's error string

export interface EarlyInput {
  req: ObservedRequest;
  browser: 'chromium' | 'firefox';
  initiator: string | null;
  target: ParsedUrl | null;
  /** How the request ended, when it failed. */
  outcomeError: string | null;
}

function anyResponse(req: ObservedRequest): ObservedResponse | null {
  for (let i = req.exchanges.length - 1; i >= 0; i--) {
    const r = req.exchanges[i]?.response;
    if (r) return r;
  }
  return null;
}

function headerValue(hs: Header[] | undefined, name: string): string | null {
  if (!hs) return null;
  for (const h of hs) if (h.name.toLowerCase() === name) return h.value;
  return null;
}

function targetOrigin(t: ParsedUrl | null, url: string): string {
  return t && t.origin !== OPAQUE ? t.origin : url;
}

function cspFinding(directive: string, policy: string | undefined, target: string, api: string): NotCors {
  const d = directive || 'connect-src';
  const name = d.split(/\s+/)[0];
  return make(
    'csp',
    `Your page's Content-Security-Policy (${policy ? policy.slice(0, 200) : name}) blocked this ${api} before it was sent: ${target} is not allowed by ${name}. The server's CORS headers are irrelevant.`,
    `Add ${target} to ${name} in the page's Content-Security-Policy (the header or <meta> your page is served with).`,
  );
}

function mixedFinding(page: string, url: string): NotCors {
  return make(
    'mixed-content',
    `Blocked as mixed content: the https page ${page} may not load ${url} over plain http, so the browser never sent it. Not CORS.`,
    'Serve the API over https and call it with an https:// URL.',
  );
}

function abortFinding(name: string, afterMs: number | undefined, message: string | undefined): NotCors {
  const when = afterMs !== undefined && Number.isFinite(afterMs) ? ` after ${Math.round(afterMs)} ms` : '';
  const how =
    name === 'TimeoutError'
      ? 'its AbortSignal.timeout() fired'
      : name === 'timeout'
        ? 'the XMLHttpRequest timeout expired'
        : name === 'abort'
          ? 'xhr.abort() was called'
          : 'its AbortController aborted it';
  return make(
    'aborted-by-page',
    `Cancelled by your own code${when}: ${how} (${name}${message ? `: ${message.slice(0, 120)}` : ''}). Not CORS.`,
    name === 'TimeoutError' || name === 'timeout'
      ? 'If the server is just slow, raise the timeout; otherwise nothing to fix here.'
      : 'Nothing to fix on the server: see where your code aborts this call.',
  );
}

/**
 * `inferred`: no error string named Local Network Access; the finding rests on the shape of the failure (see
 * lnaPreflightShape), and the detail says so.
 */
function lnaFinding(i: EarlyInput, space: AddressSpace | null, inferred = false): NotCors {
  const f = lnaFindingFrom(i, space);
  if (!inferred) return f;
  return {
    ...f,
    detail: `Most likely Local Network Access: Chromium ended both the preflight and the request with a plain net::ERR_FAILED and nothing answered, which is how it reports a preflighted call it refused for Local Network Access (an extension cannot see the page's address space, so this is read from the shape of the failure). ${f.detail}`,
  };
}

function lnaFindingFrom(i: EarlyInput, space: AddressSpace | null): NotCors {
  const { req, initiator, target } = i;
  const hints = req.hints;
  const declared = hints?.targetAddressSpace ? normalizeSpace(hints.targetAddressSpace) : null;
  const tgt = targetOrigin(target, req.url);
  // net::ERR_INCONSISTENT_IP_ADDRESS_SPACE names the mismatch itself when the page's option is not known (a HAR).
  const inconsistent = i.outcomeError !== null && /INCONSISTENT_IP_ADDRESS_SPACE/i.test(i.outcomeError);
  if ((declared && space && declared !== space) || inconsistent) {
    const said = declared
      ? `declared targetAddressSpace: '${hints!.targetAddressSpace}'`
      : `declared a targetAddressSpace (${i.outcomeError})`;
    return make(
      'local-network-access',
      `Local Network Access: the call ${said} but ${tgt} is in the ${space ?? 'another'} address space, so Chromium refused it (InvalidLocalNetworkAccess). Not a server problem.`,
      `Use ${space ? `targetAddressSpace: '${space}'` : 'the targetAddressSpace that matches the target'} for this target (or leave it out).`,
      'InvalidLocalNetworkAccess',
    );
  }
  // Chromium never grants the permission to a non-secure page (InsecureLocalNetwork); Firefox asks and grants it like
  // any other (measured: test/e2e/not-cors.firefox.test.ts).
  const insecure =
    i.browser === 'chromium' &&
    (hints?.secureContext === false ||
      (initiator !== null && initiator !== OPAQUE && !potentiallyTrustworthy(initiator)));
  if (insecure) {
    return make(
      'local-network-access',
      `Local Network Access: the page ${initiator ?? ''} is not a secure context, and a non-secure page may not reach ${tgt} (${space ?? 'a more private'} address space); the permission cannot be granted to it (InsecureLocalNetwork). No server header can fix this.`,
      'Serve the page over https (a secure context can ask the user for the permission).',
      'InsecureLocalNetwork',
    );
  }
  const perm = space === 'loopback' ? 'loopback-network' : space === 'local' ? 'local-network' : null;
  const permText = perm
    ? `the ${perm} permission`
    : `the loopback-network permission (if ${tgt} resolves to 127.0.0.1 or ::1) or local-network (a LAN address)`;
  const tas = space ? `'${space}'` : "'loopback' or 'local'";
  return make(
    'local-network-access',
    `Local Network Access: a public page asked for ${tgt} (${space ?? 'local'} address space) and ${permText} was not granted to ${initiator ?? 'the page'} (LocalNetworkAccessPermissionDenied). No server header can fix this.`,
    `The user grants ${perm ?? 'the permission'} in the prompt or in site settings (an enterprise can allow it with the LocalNetworkAccessAllowedForUrls policy); call fetch(url, { targetAddressSpace: ${tas} }); in an iframe the embedder must delegate it with allow="${perm ?? 'loopback-network; local-network'}".`,
    'LocalNetworkAccessPermissionDenied',
  );
}

function networkFinding(cause: NotCors['cause'], err: string, i: EarlyInput, preflighted: boolean): NotCors {
  const tgt = targetOrigin(i.target, i.req.url);
  const host = i.target ? i.target.url.host : tgt;
  const pf = preflighted
    ? ' (the browser reports the preflight as a plain net::ERR_FAILED; the request itself tells the real error)'
    : '';
  switch (cause) {
    case 'connection-refused':
      return make(
        cause,
        `Nothing listens on ${host}: the connection was refused (${err})${pf}. Not CORS: no request reached a server.`,
        `Start the server on ${host}, or fix the port in the URL.`,
      );
    case 'dns':
      return make(
        cause,
        `${i.target?.url.hostname ?? tgt} does not resolve (${err})${pf}. Not CORS: no request reached a server.`,
        'Fix the host name in the URL (a typo?), or its DNS record.',
      );
    case 'tls':
      return make(
        cause,
        `The TLS connection to ${host} failed (${err}). Not CORS.`,
        "Fix the server's certificate (or call it over the scheme it speaks).",
      );
    default:
      return make(
        'network-error',
        `The request failed at the network level (${err})${pf}. Not CORS: no header can fix this.`,
        'Check that the server is up and reachable from this machine.',
      );
  }
}

function policyFinding(cause: NotCorsCause, err: string, i: EarlyInput): NotCors {
  const { req, target } = i;
  const tgt = targetOrigin(target, req.url);
  const res = anyResponse(req);
  const corp = headerValue(res?.headers, 'cross-origin-resource-policy');
  switch (cause) {
    case 'blocked-by-client':
      return make(
        cause,
        `Cancelled by a browser extension (an ad or tracker blocker?) before it was sent (${err}). Not CORS.`,
        'Disable the blocking extension for this site, or allow this URL in it.',
      );
    case 'orb': {
      const ct = headerValue(res?.headers, 'content-type');
      const json = ct !== null && /json/i.test(ct);
      return make(
        cause,
        `Opaque Response Blocking: ${json ? 'a JSON' : `a ${ct ?? 'non-media'}`} response to a no-cors request cannot be used as an image, script or style (${err}). The URL or the element is wrong.`,
        req.type === 'fetch' || req.type === 'xmlhttprequest'
          ? 'Make a CORS request (drop mode: "no-cors"; note that no-cors also replaced a Content-Type: application/json with text/plain) and have the server send CORS headers.'
          : 'Point the element at the real media URL, or fetch the data with a CORS request.',
      );
    }
    case 'corp':
    case 'coep':
      if (corp !== null) {
        return make(
          'corp',
          `The server sent Cross-Origin-Resource-Policy: ${corp}, which forbids ${i.initiator ?? 'this page'} from loading ${tgt} in no-cors mode (${err}). Not CORS.`,
          'Have the server send Cross-Origin-Resource-Policy: cross-origin for this resource, or load it with CORS (crossorigin attribute / mode: "cors") and CORS headers.',
        );
      }
      return make(
        'coep',
        `Your page is cross-origin isolated (Cross-Origin-Embedder-Policy: require-corp), and ${tgt} sent no Cross-Origin-Resource-Policy, so the browser refused it (${err}). Not CORS.`,
        'Have the server send Cross-Origin-Resource-Policy: cross-origin, or load the resource with CORS (add the crossorigin attribute) and CORS headers.',
      );
    case 'csp':
      return cspFinding(
        req.type === 'image' ? 'img-src' : req.type === 'script' ? 'script-src' : 'connect-src',
        undefined,
        tgt,
        'request',
      );
    case 'mixed-content':
      return mixedFinding(i.initiator ?? 'page', req.url);
    default:
      return make(
        'other-policy',
        `Another policy blocked it (${err}): tracking protection, an administrator policy or the like. Not CORS.`,
        'See the Console and the Issues tab for the policy that blocked it.',
      );
  }
}

/** True when a preflight of this request failed without an answer, and its error says which network failure. */
function preflightNetworkError(req: ObservedRequest): string | null {
  for (const ex of req.exchanges) {
    if (!ex || ex.kind !== 'preflight' || ex.response || !ex.error) continue;
    const c = causeOfError(ex.error);
    if (c !== null && c !== 'aborted') return ex.error;
  }
  return null;
}

/**
 * A preflighted call to a loopback or LAN target whose preflight ended with a plain net::ERR_FAILED and no answer:
 * what Chromium reports for a preflighted call Local Network Access refused (measured, Chromium 156,
 * test/e2e/not-cors.chromium.test.ts). A preflight refused by CORS has a response, and a network
 * failure names itself on the request (connection refused, DNS), so neither looks like this.
 */
function lnaPreflightShape(req: ObservedRequest, space: AddressSpace | null): boolean {
  if (space !== 'loopback' && space !== 'local') return false;
  const pfs = req.exchanges.filter((x) => x?.kind === 'preflight');
  return pfs.length > 0 && pfs.every((x) => !x.response && x.error !== undefined && classifyError(x.error) === 'cors');
}

const ABORT_NAMES = new Set(['AbortError', 'TimeoutError', 'abort', 'timeout']);

/**
 * The not-CORS cause decided before any CORS check: the page observer's view of a rejected call, then the
 * error string the browser ended the request with. Null when CORS has to be checked.
 */
export function earlyNotCors(i: EarlyInput): NotCors | null {
  const { req, initiator, target, outcomeError } = i;
  const hints = req.hints;
  const failure = hints?.failure;
  const tgt = targetOrigin(target, req.url);
  const api = req.type === 'xmlhttprequest' ? 'XMLHttpRequest' : 'fetch()';
  // The page's own word first: nothing on the network can contradict it.
  if (failure?.csp) return cspFinding(failure.csp.directive, failure.csp.policy, tgt, api);
  if (failure && ABORT_NAMES.has(failure.name)) return abortFinding(failure.name, failure.afterMs, failure.message);
  const preflighted = req.exchanges.some((x) => x?.kind === 'preflight');
  const noResponse = anyResponse(req) === null;
  // Mixed content (https://w3c.github.io/webappsec-mixed-content/#should-block-fetch): an https page, a plain-http
  // target that is not potentially trustworthy, and nothing came back. Declaring a targetAddressSpace turns the
  // block into a warning for LNA targets, so then the failure lies elsewhere.
  // Chromium exempts private IP literals and .local names from it (Local Network Access handles them instead).
  const space = targetSpace(req, target);
  const cls = outcomeError !== null ? classifyError(outcomeError) : null;
  if (
    initiator?.startsWith('https:') &&
    target &&
    (target.scheme === 'http' || target.scheme === 'ws') &&
    !potentiallyTrustworthy(req.url) &&
    noResponse &&
    (failure || outcomeError !== null) &&
    !hints?.targetAddressSpace &&
    cls !== 'local-network-access' &&
    space !== 'local' &&
    !target.url.hostname.endsWith('.local')
  ) {
    return mixedFinding(initiator, req.url);
  }
  // Local Network Access. Chromium reports a wrong targetAddressSpace as plain net::ERR_FAILED, and a preflighted
  // request it denied as net::ERR_FAILED on both the OPTIONS and the request (measured, Chromium 156).
  if (
    cls === 'cors' &&
    hints?.targetAddressSpace &&
    space &&
    normalizeSpace(hints.targetAddressSpace) !== space &&
    noResponse
  )
    return lnaFinding(i, space);
  if (i.browser === 'chromium' && cls === 'cors' && noResponse && lnaPreflightShape(req, space))
    return lnaFinding(i, space, true);
  if (outcomeError === null) return null;
  let cause = causeOfError(outcomeError);
  let shown = outcomeError;
  if (cause === null) {
    // Gecko fails the request with NS_ERROR_DOM_BAD_URI when its preflight could not connect: the OPTIONS has the truth.
    const pfErr = preflightNetworkError(req);
    if (pfErr === null) return null;
    cause = causeOfError(pfErr);
    shown = pfErr;
    if (cause === null) return null;
  }
  switch (cause) {
    case 'connection-refused':
    case 'dns':
    case 'tls':
      return networkFinding(cause, shown, i, preflighted);
    case 'network-error':
    case 'aborted':
      // Not decisive alone: Chromium also aborts a same-origin-mode request redirected away (DisallowedByMode) and
      // fails unsafe redirects with their own net errors; the CORS walk sorts those out.
      return null;
    case 'local-network-access':
      return lnaFinding(i, space);
    default:
      return policyFinding(cause, shown, i);
  }
}

// ------------------------------------------------------------------------------------------------
// After a passing CORS check: the call still did not do what the page wanted

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function siteOf(host: string): string {
  if (addressSpaceOfHost(host) !== null) return host; // an IP literal or localhost is its own site
  const labels = host.toLowerCase().split('.');
  // Without the public suffix list: the last two labels (three under a two-letter second-level like co.uk).
  const n =
    labels.length >= 3 && labels[labels.length - 2].length <= 3 && labels[labels.length - 1].length === 2 ? 3 : 2;
  return labels.slice(-n).join('.');
}

/** Same site under the HTML definition, approximated without the public suffix list (ports and schemes aside). */
export function sameSite(a: string, b: string): boolean {
  const ha = hostOf(a);
  const hb = hostOf(b);
  if (ha === null || hb === null) return false;
  return ha === hb || siteOf(ha) === siteOf(hb);
}

export interface PassedInput {
  req: ObservedRequest;
  initiator: string;
  credentials: string;
  /** The response the CORS check passed. */
  final: ObservedResponse;
  /** Whether any hop carried a Cookie header. */
  carriedCookie: boolean;
  hiddenHeaders: string[];
}

/** A call whose CORS check passed but which still failed the page: withheld cookies, an HTTP error status. */
export function passedNotCors(p: PassedInput): NotCors | null {
  const { req, initiator, final } = p;
  const setCookie = final.headers.filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
  if (p.credentials === 'include' && setCookie.length > 0 && !p.carriedCookie && !sameSite(initiator, req.url)) {
    const names = setCookie
      .map((c) => c.split('=')[0].trim())
      .filter(Boolean)
      .slice(0, 3)
      .join(', ');
    const lax = setCookie.some((c) => !/;\s*samesite\s*=\s*none/i.test(c));
    return make(
      'third-party-cookies',
      `CORS passed, but the browser sent no Cookie and will not store the Set-Cookie (${names}): for ${initiator} the API is a third party, and ${lax ? 'a cookie without SameSite=None is SameSite=Lax, never sent on cross-site calls' : 'the browser blocks third-party cookies'}. Set-Cookie is never readable by script, whatever Access-Control-Expose-Headers says.`,
      'Deploy the API on the same site as the page (api.example.com for app.example.com), or set the cookie with SameSite=None; Secure; Partitioned (CHIPS), or use the Storage Access API. Do not try to expose Set-Cookie.',
    );
  }
  if (final.status >= 400) {
    const text = final.statusText || STATUS_TEXT[final.status] || '';
    const kind =
      final.status >= 500
        ? "a server error: see the server's logs"
        : final.status === 401 || final.status === 403
          ? 'an application error: check the credentials the call sends'
          : 'an application error: check the route and the request';
    const hidden = p.hiddenHeaders.length ? ` (script cannot read ${p.hiddenHeaders.join(', ')})` : '';
    return make(
      'http-error',
      `CORS passed; your script got the response${hidden}. The server answered ${final.status}${text ? ` ${text}` : ''} — ${kind}.`,
      final.status >= 500
        ? 'Fix the server-side error (its logs say why).'
        : final.status === 404
          ? "Check the route: the URL, the method and the API's base path."
          : `Check what the server expects for this ${req.method} request.`,
    );
  }
  return null;
}
