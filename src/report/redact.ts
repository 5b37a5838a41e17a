// Removes secrets before anything leaves the machine (export, copy, bug-ticket Markdown): credential-bearing header
// values, URL userinfo and token-like query parameters. Header NAMES are kept (CORS decisions depend on them), and
// cookie names and Set-Cookie attributes are kept (SameSite/Secure explain credentialed-CORS failures).
import type { Exchange, Header, ObservedRequest } from '../engine/types';

export const REDACTED = 'REDACTED';

const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'cookie2',
  'set-cookie',
  'set-cookie2',
  'x-api-key',
  'api-key',
  'apikey',
  'x-apikey',
  'x-auth-token',
  'x-access-token',
  'x-refresh-token',
  'x-csrf-token',
  'x-xsrf-token',
  'x-csrftoken',
  'x-amz-security-token',
  'x-goog-api-key',
  'x-functions-key',
  'ocp-apim-subscription-key',
  'private-token',
  'x-vault-token',
  'dpop',
  'x-hub-signature',
  'x-hub-signature-256',
  'x-shopify-access-token',
  'x-forwarded-authorization',
  'x-ms-authorization-auxiliary',
  'x-client-secret',
]);
// Names that merely mention a credential concept but carry none: CORS headers list header *names*, Sec-* are
// browser-set, WWW-Authenticate is a challenge.
const NEVER_SENSITIVE = /^(access-control-|sec-|www-authenticate$|proxy-authenticate$|vary$|accept)/;
const SENSITIVE_PATTERN =
  /token|secret|session|passw(or)?d|credential|signature|(^|[-_])(api|access|auth|private|client|subscription|app|master)[-_]?key$|(^|[-_])auth($|[-_])|^x-.*-key$/;

export function isSensitiveHeader(name: string): boolean {
  const n = name.trim().toLowerCase();
  if (SENSITIVE_HEADERS.has(n)) return true;
  if (NEVER_SENSITIVE.test(n)) return false;
  return SENSITIVE_PATTERN.test(n);
}

/** `a=1; b=2` → `a=REDACTED; b=REDACTED`. */
function redactCookieList(value: string): string {
  return value
    .split(';')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? part : `${part.slice(0, eq)}=${REDACTED}`;
    })
    .join(';');
}

/** `sid=abc; Path=/; Secure; SameSite=None` → `sid=REDACTED; Path=/; Secure; SameSite=None`. */
function redactSetCookie(value: string): string {
  const semi = value.indexOf(';');
  const first = semi < 0 ? value : value.slice(0, semi);
  const eq = first.indexOf('=');
  const name = eq < 0 ? '' : first.slice(0, eq);
  return `${eq < 0 ? REDACTED : `${name}=${REDACTED}`}${semi < 0 ? '' : value.slice(semi)}`;
}

export function redactHeaderValue(name: string, value: string): string {
  const n = name.trim().toLowerCase();
  if (n === 'cookie' || n === 'cookie2') return redactCookieList(value);
  if (n === 'set-cookie' || n === 'set-cookie2') return redactSetCookie(value);
  if (n === 'authorization' || n === 'proxy-authorization') {
    // Keep the scheme ("Bearer", "Basic"): whether a request carries HTTP auth matters to CORS, the secret does not.
    const m = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s+\S/.exec(value);
    return m ? `${m[1]} ${REDACTED}` : REDACTED;
  }
  if (isSensitiveHeader(n)) return REDACTED;
  // A JWT in any other header is a credential whatever the header is called.
  return value.replace(JWT, REDACTED);
}

export function redactHeaders(headers: Header[]): Header[];
export function redactHeaders(headers: Header[] | null): Header[] | null;
export function redactHeaders(headers: Header[] | null): Header[] | null {
  if (!headers) return headers;
  return headers.map((h) => ({ ...h, value: redactHeaderValue(h.name, h.value) }));
}

const SENSITIVE_PARAM =
  /token|secret|passw(or)?d|^pwd$|api[-_]?key|^key$|^sig$|signature|session|^sid$|^auth|credential|^code$|jwt|access[-_]?key|^x-amz-(credential|signature|security-token)$|^x-goog-(credential|signature)$/i;
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Redacts sensitive `k=v` pairs in a query or fragment string, leaving every other byte as it was. */
function redactParams(params: string): string {
  return params
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair.replace(JWT, REDACTED);
      const key = pair.slice(0, eq);
      if (SENSITIVE_PARAM.test(safeDecode(key))) return `${key}=${REDACTED}`;
      return pair.replace(JWT, REDACTED);
    })
    .join('&');
}

/** Userinfo → REDACTED, token-like query/fragment parameters → REDACTED. Unparsable input is returned unchanged. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.replace(JWT, REDACTED);
  }
  if (u.username) u.username = REDACTED;
  if (u.password) u.password = REDACTED;
  if (u.search) u.search = redactParams(u.search.slice(1));
  if (u.hash && u.hash.includes('=')) u.hash = redactParams(u.hash.slice(1));
  return u.href;
}

function redactExchange(x: Exchange): Exchange {
  const out: Exchange = { ...x, url: redactUrl(x.url), requestHeaders: redactHeaders(x.requestHeaders) };
  if (x.response) out.response = { ...x.response, headers: redactHeaders(x.response.headers) };
  if (x.redirectUrl) out.redirectUrl = redactUrl(x.redirectUrl);
  return out;
}

/** A copy of the request with every secret removed (the original is not touched). */
export function redactRequest(req: ObservedRequest): ObservedRequest {
  const out: ObservedRequest = { ...req, url: redactUrl(req.url), exchanges: req.exchanges.map(redactExchange) };
  if (req.documentUrl) out.documentUrl = redactUrl(req.documentUrl);
  return out;
}
