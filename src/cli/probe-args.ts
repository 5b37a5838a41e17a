// `cors-lens probe` options, checked the way fetch() would check them: a request no page can make is refused with
// one line rather than probed.
import { parseArgs } from 'node:util';
import { isForbiddenMethod, isForbiddenRequestHeader, isToken } from '../engine';
import type { BrowserName, Header } from '../engine/types';

/** Bad input or a network failure: one line on stderr, exit status 2. */
export class ProbeError extends Error {}

export const DEFAULT_TIMEOUT_MS = 10_000;
// Fetch "normalize a method": these six are upper-cased, every other method is sent as written.
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

export interface ProbeOptions {
  url: URL;
  origin: string;
  method: string;
  /** Author headers, as fetch() would combine them (duplicates joined with ", "). */
  headers: Header[];
  credentials: boolean;
  browser: BrowserName;
  framework?: string;
  json: boolean;
  timeoutMs: number;
}

const OPTIONS = {
  origin: { type: 'string' },
  method: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  credentials: { type: 'boolean' },
  browser: { type: 'string' },
  framework: { type: 'string' },
  json: { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

/** Parses `Name: value` the way `new Headers([[name, value]])` would accept it, else a one-line error. */
export function parseHeaderArg(arg: string): Header {
  const colon = arg.indexOf(':');
  if (colon <= 0) throw new ProbeError(`--header must look like 'Name: value', not ${JSON.stringify(arg)}`);
  const name = arg.slice(0, colon).trim();
  // Fetch "normalize" strips leading and trailing HTTP whitespace from the value.
  const value = arg.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
  if (!isToken(name)) throw new ProbeError(`--header name ${JSON.stringify(name)} is not a valid HTTP header name`);
  // https://fetch.spec.whatwg.org/#header-value: no NUL, CR or LF.
  if (/[\0\r\n]/.test(value)) throw new ProbeError(`--header ${name}: the value may not contain CR, LF or NUL`);
  if (isForbiddenRequestHeader(name.toLowerCase(), value)) {
    // https://fetch.spec.whatwg.org/#forbidden-request-header: fetch() silently drops these, so probing with one
    // would test a request no page can make.
    throw new ProbeError(
      `--header ${name}: a page cannot set this header (forbidden request header), the browser would drop it`,
    );
  }
  return { name, value };
}

/** Appends like `Headers.append`: a repeated name (any case) is combined into one line `a, b`. */
function combine(headers: Header[]): Header[] {
  const out: Header[] = [];
  for (const h of headers) {
    const prev = out.find((x) => x.name.toLowerCase() === h.name.toLowerCase());
    if (prev) prev.value = `${prev.value}, ${h.value}`;
    else out.push({ ...h });
  }
  return out;
}

function urlArg(positionals: string[]): URL {
  if (positionals.length !== 1) {
    throw new ProbeError(
      positionals.length
        ? 'probe takes exactly one URL'
        : 'probe needs a URL: cors-lens probe <url> --origin <page origin>',
    );
  }
  let url: URL;
  try {
    url = new URL(positionals[0]);
  } catch {
    throw new ProbeError(`not an absolute URL: ${JSON.stringify(positionals[0])}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ProbeError(`probe speaks http and https only, not ${url.protocol}`);
  if (url.username || url.password) throw new ProbeError('the URL carries user:password@; fetch() refuses such URLs');
  url.hash = '';
  return url;
}

function originArg(origin: string | undefined): string {
  if (origin === undefined)
    throw new ProbeError(
      'probe needs --origin <page origin> (the origin of the page that makes the request, e.g. https://app.example)',
    );
  try {
    const o = new URL(origin);
    if (o.protocol !== 'http:' && o.protocol !== 'https:') throw new Error();
    if ((o.pathname !== '/' && o.pathname !== '') || o.search || o.username) throw new Error();
    return o.origin;
  } catch {
    throw new ProbeError(`--origin must be an origin such as https://app.example, not ${JSON.stringify(origin)}`);
  }
}

function methodArg(rawMethod: string): string {
  if (!isToken(rawMethod)) throw new ProbeError(`--method ${JSON.stringify(rawMethod)} is not a valid HTTP method`);
  const upper = rawMethod.toUpperCase();
  if (isForbiddenMethod(upper)) throw new ProbeError(`--method ${upper} is forbidden: fetch() refuses it`);
  return NORMALIZED_METHODS.has(upper) ? upper : rawMethod;
}

function browserArg(browser: string): BrowserName {
  if (browser !== 'chromium' && browser !== 'firefox')
    throw new ProbeError(`--browser must be chromium or firefox, not ${JSON.stringify(browser)}`);
  return browser;
}

function timeoutArg(timeout: string | undefined): number {
  if (timeout === undefined) return DEFAULT_TIMEOUT_MS;
  const timeoutMs = Number(timeout);
  if (!/^\d+$/.test(timeout) || !Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new ProbeError(`--timeout must be a positive number of milliseconds, not ${JSON.stringify(timeout)}`);
  }
  return timeoutMs;
}

export function parseProbeArgs(args: string[]): ProbeOptions {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const url = urlArg(positionals);
  const origin = originArg(values.origin);
  const method = methodArg(values.method ?? 'GET');
  const headers = combine((values.header ?? []).map(parseHeaderArg));
  const browser = browserArg(values.browser ?? 'chromium');
  const timeoutMs = timeoutArg(values.timeout);
  return {
    url,
    origin,
    method,
    headers,
    credentials: values.credentials === true,
    browser,
    framework: values.framework,
    json: values.json === true,
    timeoutMs,
  };
}
