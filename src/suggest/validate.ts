// Gatekeeping for every value that may end up inside a generated config file: origins, header names,
// methods. Observed traffic is hostile input (a page can choose its header names, a HAR can contain
// anything), so only values of a deliberately narrow shape are allowed through; everything else is
// dropped with a warning that shows the value escaped. Renderers re-check with the same functions.
import { isToken } from '../engine';

/** A warning about the derived policy or a rendered config. `danger` = a security risk if applied. */
export interface PolicyWarning {
  code:
    | 'invalid-origin'
    | 'invalid-header-name'
    | 'invalid-method'
    | 'null-origin'
    | 'unknown-page-origin'
    | 'credentials-unknown'
    | 'set-cookie-not-exposable'
    | 'http-origin-with-credentials'
    | 'unsafe-value'
    | 'max-age';
  severity: 'info' | 'warning' | 'danger';
  message: string;
}

/**
 * A serialized tuple origin exactly as a browser sends it in `Origin`
 * (https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin): lowercase scheme
 * and host (IDNs arrive as punycode), no default port, no path, no trailing slash. Only http(s): other
 * schemes (chrome-extension:, moz-extension:) are not web servers' business. IPv6 hosts are bracketed.
 */
const ORIGIN_RE =
  /^(https?):\/\/([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]{2,45}\])(?::([0-9]{1,5}))?$/;

/**
 * The subset of tokens we agree to write into config files. `$` (nginx/Apache/shell variables), `%`
 * (Apache format strings), `'` and `` ` `` (string delimiters in Python/JS/Ruby/PHP), and `*` (a wildcard
 * that would change the meaning of ACAH/ACEH/ACAM) are valid in a token but never appear in real header
 * names or methods, and each one can turn a rendered config into something else. `#` starts a comment in
 * nginx, Apache, Caddyfile, Python and Ruby when a value is ever written unquoted.
 */
const CONFIG_SAFE_TOKEN_RE = /^[A-Za-z0-9][A-Za-z0-9!&+.^_|~-]*$/;

/** Show a hostile value inside a message without letting it do anything (quotes, controls, length). */
export function describeValue(value: unknown): string {
  const s = typeof value === 'string' ? value : String(value);
  const cut = s.length > 80 ? `${s.slice(0, 80)}…` : s;
  // JSON.stringify escapes quotes, backslashes and C0 controls; escape the rest of non-ASCII too, so a
  // terminal or a config comment never receives raw bidi overrides or line separators.
  return JSON.stringify(cut).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** True when `origin` is a serialized http(s) origin we can safely write into any config. */
export function isSafeOrigin(origin: string): boolean {
  const m = ORIGIN_RE.exec(origin);
  if (!m) return false;
  if (m[3] !== undefined) {
    const port = Number(m[3]);
    if (port < 1 || port > 65535 || m[3].startsWith('0')) return false;
    // Browsers omit default ports when serializing, so an origin that spells one out never matches.
    if ((m[1] === 'http' && port === 80) || (m[1] === 'https' && port === 443)) return false;
  }
  return true;
}

/** True for RFC 9110 tokens that are also safe to render (see CONFIG_SAFE_TOKEN_RE). */
export function isSafeToken(token: string): boolean {
  return token.length <= 128 && isToken(token) && CONFIG_SAFE_TOKEN_RE.test(token);
}

/** `http://a` page trusted by an `https://` API with credentials: a network attacker can forge it. */
export function isHttpOrigin(origin: string): boolean {
  return origin.startsWith('http://') && !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|$)/.test(origin);
}

/** Escape a string for use inside a POSIX ERE / PCRE / RE2 pattern (origins only contain [a-z0-9.:/[\]-]). */
export function regexEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Validate a page origin; pushes a warning and returns null when it cannot go into a config. */
export function checkOrigin(origin: string, warnings: PolicyWarning[], context: string): string | null {
  if (origin === 'null') return 'null';
  if (isSafeOrigin(origin)) return origin;
  warnings.push({
    code: 'invalid-origin',
    severity: 'warning',
    message:
      `${context}: ignored origin ${describeValue(origin)}: not a serialized http(s) origin ` +
      '(scheme://host[:port], lowercase, no path, no default port), so it cannot be allowed and was left out of the config.',
  });
  return null;
}

/** Validate a header name (returned lowercased); pushes a warning and returns null when unusable. */
export function checkHeaderName(name: string, warnings: PolicyWarning[], context: string): string | null {
  if (isSafeToken(name)) return name.toLowerCase();
  warnings.push({
    code: 'invalid-header-name',
    severity: 'warning',
    message:
      `${context}: ignored header name ${describeValue(name)}: not a plain RFC 9110 token, ` +
      'so it was left out of the config (add it by hand if it is genuine).',
  });
  return null;
}

/** Validate a method (case kept: `patch` and `PATCH` differ in ACAM); null + warning when unusable. */
export function checkMethod(method: string, warnings: PolicyWarning[], context: string): string | null {
  if (isSafeToken(method)) return method;
  warnings.push({
    code: 'invalid-method',
    severity: 'warning',
    message: `${context}: ignored method ${describeValue(method)}: not a plain RFC 9110 token, so it was left out of the config.`,
  });
  return null;
}
