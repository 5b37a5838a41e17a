// The verdict in plain words for a developer ("Your page at … sent X-Api-Key; the server's preflight answered …,
// so the browser never sent the request"), and where to read more (MDN's page for the reason, the Fetch spec step).
import type { Exchange, Header, NotCorsCause, ObservedRequest, Verdict } from '../engine/types';
import { refusedByPreflight } from '../suggest';

export interface DocLink {
  label: string;
  href: string;
}

export interface Explanation {
  /** One or two sentences, no markup. */
  text: string;
  /** What to do about it, one line. */
  action: string;
  links: DocLink[];
}

const MDN_ERRORS = 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/';
const FETCH = 'https://fetch.spec.whatwg.org/';

function header(hs: Header[] | null | undefined, name: string): string | null {
  if (!hs) return null;
  const found = hs.filter((h) => h.name.toLowerCase() === name);
  return found.length ? found.map((h) => h.value).join(', ') : null;
}

function show(name: string, value: string | null): string {
  return value === null ? `no ${name} header` : `${name}: ${value.length > 120 ? `${value.slice(0, 120)}…` : value}`;
}

/** The failed parameter first, then every other name the preflight refused. */
function refusedNames(first: string, all: string[]): string[] {
  const f = first.toLowerCase();
  return f ? [f, ...all.filter((h) => h !== f)] : all;
}

function firstPreflight(req: ObservedRequest): Exchange | undefined {
  return req.exchanges.find((x) => x.kind === 'preflight');
}

const MDN = 'https://developer.mozilla.org/en-US/docs/Web/';
const NOT_CORS_LINKS: Partial<Record<NotCorsCause, DocLink>> = {
  csp: { label: 'MDN: CSP connect-src', href: `${MDN}HTTP/Reference/Headers/Content-Security-Policy/connect-src` },
  'mixed-content': { label: 'MDN: Mixed content', href: `${MDN}Security/Mixed_content` },
  'local-network-access': {
    label: 'Chrome: Local Network Access',
    href: 'https://developer.chrome.com/blog/local-network-access',
  },
  corp: {
    label: 'MDN: Cross-Origin-Resource-Policy',
    href: `${MDN}HTTP/Reference/Headers/Cross-Origin-Resource-Policy`,
  },
  coep: {
    label: 'MDN: Cross-Origin-Embedder-Policy',
    href: `${MDN}HTTP/Reference/Headers/Cross-Origin-Embedder-Policy`,
  },
  orb: { label: 'Fetch: opaque-response blocking', href: `${FETCH}#orb` },
  'third-party-cookies': { label: 'MDN: Third-party cookies', href: `${MDN}Privacy/Guides/Third-party_cookies` },
  'aborted-by-page': { label: 'MDN: AbortSignal', href: `${MDN}API/AbortSignal` },
};

function notCorsLinks(cause: NotCorsCause): DocLink[] {
  const l = NOT_CORS_LINKS[cause];
  return l ? [l] : [];
}

export function explain(req: ObservedRequest, v: Verdict): Explanation {
  const page = req.initiator ?? 'an unknown origin';
  const links: DocLink[] = [];
  switch (v.kind) {
    case 'allowed':
      return {
        text: `Your page at ${page} made this ${req.method} request and the server's CORS headers allowed it${v.preflight === 'cached' ? " (the preflight came from the browser's preflight cache)" : v.preflight === 'sent' ? ' after a successful preflight' : ''}.`,
        action: v.findings.length ? 'Allowed, but see the security findings below.' : 'Nothing to fix.',
        links: [{ label: 'MDN: CORS', href: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS' }],
      };
    case 'allowed-hidden-headers':
      return {
        text: `The request succeeded, but script on ${page} cannot read the response headers ${v.hiddenHeaders.join(', ')}: only the CORS-safelisted ones and those named in Access-Control-Expose-Headers are visible (response.headers.get() returns null for the others).`,
        action: `Have the server send Access-Control-Expose-Headers: ${v.hiddenHeaders.join(', ')} (only those your code reads).`,
        links: [
          {
            label: 'MDN: Access-Control-Expose-Headers',
            href: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Access-Control-Expose-Headers',
          },
          {
            label: 'Fetch: CORS-safelisted response-header name',
            href: `${FETCH}#cors-safelisted-response-header-name`,
          },
        ],
      };
    case 'not-cors':
      // Causes found by src/engine/not-cors.ts carry their own fix and say "not CORS" themselves.
      if (v.fix) return { text: v.detail, action: v.fix, links: notCorsLinks(v.cause) };
      return {
        text: `This is not a CORS matter (${v.why}): ${v.detail}`,
        action:
          v.why === 'no-cors'
            ? 'If your script needs to read the response, make a CORS request (drop mode: "no-cors") and have the server send CORS headers.'
            : "Look at the browser's Network panel for the real cause.",
        links:
          v.why === 'no-cors'
            ? [{ label: 'Fetch: opaque filtered response', href: `${FETCH}#concept-filtered-response-opaque` }]
            : [],
      };
    case 'unknown':
      return {
        text: `CORS Lens cannot tell what the browser decided: ${v.missing.join('; ')}.`,
        action: 'Reload the page with DevTools open so every exchange is captured.',
        links: [],
      };
    case 'blocked':
      break;
  }
  const r = v.reason;
  const at = req.exchanges[r.exchangeIndex];
  const pf = firstPreflight(req);
  links.push({ label: `MDN: ${r.firefoxReason}`, href: MDN_ERRORS + r.firefoxReason });
  const acao = header(at?.response?.headers, 'access-control-allow-origin');
  const creds = v.credentials === 'include';
  // Chromium's failedParameter names the first refusal only; the preflight exchange shows all of them.
  const refused = refusedByPreflight(req, creds);
  let text: string;
  let action: string;
  switch (r.corsError) {
    case 'HeaderDisallowedByPreflightResponse': {
      const acah = header(pf?.response?.headers, 'access-control-allow-headers');
      const names = refusedNames(r.failedParameter, refused.headers);
      const list = names.join(', ');
      text =
        `Your page at ${page} sent the header${names.length > 1 ? 's' : ''} ${list}; the server's preflight answered ${show('Access-Control-Allow-Headers', acah)}, so the browser never sent the ${req.method} request.` +
        (names.length > 1
          ? ` The browser names only ${r.failedParameter}, but the preflight response refuses all ${names.length}.`
          : '') +
        (refused.method ? ` The method ${refused.method} is not allowed either.` : '');
      action =
        `Add ${list} to Access-Control-Allow-Headers in the preflight (OPTIONS) response${names.includes('authorization') ? ' (Authorization by name — a * never covers it)' : ''}` +
        `${refused.method ? `, and ${refused.method} to Access-Control-Allow-Methods` : ''}.`;
      links.push({ label: 'Fetch: CORS-preflight fetch', href: `${FETCH}#cors-preflight-fetch` });
      break;
    }
    case 'MethodDisallowedByPreflightResponse': {
      const acam = header(pf?.response?.headers, 'access-control-allow-methods');
      text = `Your page at ${page} asked for method ${r.failedParameter}; the server's preflight answered ${show('Access-Control-Allow-Methods', acam)}, so the browser never sent the request.${r.failedParameter !== r.failedParameter.toUpperCase() ? ` Methods are compared case-sensitively: ${r.failedParameter} is not ${r.failedParameter.toUpperCase()}.` : ''}`;
      const also = refused.headers;
      if (also.length)
        text += ` The preflight does not allow the header${also.length > 1 ? 's' : ''} ${also.join(', ')} either.`;
      action =
        `Add ${r.failedParameter} to Access-Control-Allow-Methods in the preflight response` +
        `${also.length ? `, and ${also.join(', ')} to Access-Control-Allow-Headers` : ''}.`;
      links.push({ label: 'Fetch: CORS-preflight fetch', href: `${FETCH}#cors-preflight-fetch` });
      break;
    }
    case 'PreflightInvalidStatus':
      text = `The browser asked the server for permission first (an OPTIONS preflight, which never carries cookies or Authorization) and the server answered ${at?.response?.status ?? 'a non-2xx status'}. A preflight must get a 2xx status, so the ${req.method} request was never sent.`;
      action = 'Answer OPTIONS preflights with 204 before any authentication or routing rejects them.';
      // A CORS layer that refuses by status (Starlette's 400) still lists what it allows: name what it refused.
      if (refused.method || refused.headers.length) {
        const what = [
          refused.method ? `the method ${refused.method}` : '',
          refused.headers.length
            ? `the header${refused.headers.length > 1 ? 's' : ''} ${refused.headers.join(', ')}`
            : '',
        ]
          .filter(Boolean)
          .join(' and ');
        text += ` Its Access-Control-Allow-Methods/-Headers do not cover ${what}.`;
        action = `Allow ${what} in the CORS configuration, so the preflight is answered with 2xx.`;
      }
      links.push({ label: 'Fetch: CORS-preflight fetch', href: `${FETCH}#cors-preflight-fetch` });
      break;
    case 'PreflightDisallowedRedirect':
      text = `The server answered the preflight with a redirect to ${at?.redirectUrl ?? 'another URL'}. Browsers never follow redirects for preflights.`;
      action =
        'Serve the preflight at the URL the page calls (fix trailing-slash or http→https redirects), or call the final URL directly.';
      break;
    case 'MissingAllowOriginHeader':
    case 'PreflightMissingAllowOriginHeader': {
      const where =
        r.stage === 'preflight'
          ? 'preflight response'
          : r.stage === 'redirect'
            ? `redirect (${at?.response?.status})`
            : `response (${at?.response?.status ?? '?'})`;
      text = `Your page at ${page} made a cross-origin request and the server's ${where} had no Access-Control-Allow-Origin header, so the browser ${r.stage === 'preflight' ? 'never sent the request' : 'hid the response from your script'}.`;
      action = `Send Access-Control-Allow-Origin: ${r.expected ?? req.initiator ?? '<your page origin>'}${(at?.response?.status ?? 0) >= 400 ? ' — also on error responses: the real problem may be this ' + at?.response?.status : ''}.`;
      links.push({ label: 'Fetch: CORS check', href: `${FETCH}#cors-check` });
      break;
    }
    case 'WildcardOriginNotAllowed':
    case 'PreflightWildcardOriginNotAllowed':
      text = `This request includes credentials (cookies or HTTP auth), and with credentials the browser refuses Access-Control-Allow-Origin: *.`;
      action = `Send the exact origin (Access-Control-Allow-Origin: ${req.initiator ?? '<origin>'}), Access-Control-Allow-Credentials: true and Vary: Origin — never reflect any origin.`;
      links.push({ label: 'Fetch: CORS protocol and credentials', href: `${FETCH}#cors-protocol-and-credentials` });
      break;
    case 'InvalidAllowCredentials':
    case 'PreflightInvalidAllowCredentials':
      text = `This request includes credentials, so the browser also needs Access-Control-Allow-Credentials: true; it got ${r.actual == null ? 'none' : `'${r.actual}'`}.`;
      action =
        'Send Access-Control-Allow-Credentials: true (exactly, lowercase) — or drop credentials on the client if you do not need cookies.';
      links.push({ label: 'Fetch: CORS check', href: `${FETCH}#cors-check` });
      break;
    case 'MultipleAllowOriginValues':
    case 'PreflightMultipleAllowOriginValues':
      text = `Access-Control-Allow-Origin must hold exactly one origin; the server sent '${r.failedParameter}'. Two header lines usually mean a proxy and the application both add it.`;
      action = 'Set the header in one layer only, with the single origin of the request.';
      break;
    case 'AllowOriginMismatch':
    case 'PreflightAllowOriginMismatch':
      text = `The server allowed '${r.failedParameter}', but the page's origin is ${r.expected ?? page}. The comparison is byte for byte: scheme, host, port, no trailing slash${r.failedParameter === 'null' ? '' : ''}.`;
      action = `Send Access-Control-Allow-Origin: ${r.expected ?? page}.`;
      if ((r.expected ?? '') === 'null')
        action =
          'The request origin became null after a cross-origin redirect: call the final URL directly, or (only without credentials) allow null or *.';
      links.push({ label: 'Fetch: CORS check', href: `${FETCH}#cors-check` });
      break;
    case 'InvalidAllowOriginValue':
    case 'PreflightInvalidAllowOriginValue':
      text = `Access-Control-Allow-Origin '${r.failedParameter}' is not an origin (it needs a scheme, e.g. http://).`;
      action = `Send Access-Control-Allow-Origin: ${r.expected ?? page}.`;
      break;
    case 'InvalidAllowMethodsPreflightResponse':
    case 'InvalidAllowHeadersPreflightResponse':
      text = `The preflight's ${r.corsError.startsWith('InvalidAllowMethods') ? 'Access-Control-Allow-Methods' : 'Access-Control-Allow-Headers'} header is not a comma-separated list of tokens, so the browser rejected it.`;
      action = 'Send a plain comma-separated list (no quotes, slashes or other separators).';
      break;
    case 'RedirectContainsCredentials':
      text =
        'The server redirected a cross-origin request to a URL containing a user name and password, which browsers refuse.';
      action = 'Redirect to a URL without user:password@.';
      break;
    case 'DisallowedByMode':
      text = 'The request was made with mode "same-origin" but goes (or was redirected) to another origin.';
      action = 'Client side: drop mode: "same-origin" or call a same-origin URL.';
      break;
    case 'CorsDisabledScheme':
      text = 'Cross-origin requests are only allowed to http(s) URLs.';
      action = 'Client side: serve the resource over http(s).';
      break;
    default:
      text = `The browser blocked this request (${r.corsError}).`;
      action = 'See the console message below.';
  }
  if (
    creds &&
    r.corsError !== 'WildcardOriginNotAllowed' &&
    r.corsError !== 'PreflightWildcardOriginNotAllowed' &&
    acao === '*'
  ) {
    text += ' Note: with credentials a * origin will not work either.';
  }
  return { text, action, links };
}
