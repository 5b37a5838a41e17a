// `cors-lens probe <url> --origin <origin>`: sends from Node what the browser would send (the preflight when one is
// needed, then the actual request, following redirects hop by hop), feeds the exchanges to the engine and prints what
// Chromium or Firefox would decide. Exit codes: 0 let through, 1 blocked, 2 bad input, network error or undecidable.
import http from 'node:http';
import https from 'node:https';
import { parseArgs } from 'node:util';
import { evaluate, messagesFor, profileFor } from '../engine/index';
import { preflightNeed } from '../engine/preflight-needed';
import { methodAfterRedirect, redirectTarget, taintAfterHop } from '../engine/redirects';
import { isForbiddenRequestHeader } from '../engine/safelist';
import type { BrowserName, Exchange, Header, ObservedRequest, Outcome, Verdict } from '../engine/types';
import { explain as explainVerdict } from '../report/explain';
import { redactHeaders, redactUrl } from '../report/redact';
import { cleanText, safeJson } from '../report/sanitize';
import { fixesTextLines } from '../suggest/fix-text';

export interface ProbeIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Bad input or a network failure: one line on stderr, exit status 2. */
export class ProbeError extends Error {}

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Chromium's and Firefox's redirect limit (net::ERR_TOO_MANY_REDIRECTS; Fetch "redirect count is 20"). */
const MAX_REDIRECTS = 20;
const USER_AGENT = 'cors-lens-probe (+https://fetch.spec.whatwg.org/)';
// RFC 9110 §5.6.2 token: the only valid header names and methods (fetch() throws a TypeError on anything else).
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Fetch "normalize a method": these six are upper-cased, every other method is sent as written.
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
// https://fetch.spec.whatwg.org/#forbidden-method
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
// https://fetch.spec.whatwg.org/#request-body-header-name: dropped when a redirect turns the method into GET.
const BODY_HEADERS = new Set(['content-encoding', 'content-language', 'content-location', 'content-type']);

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

function oneLine(s: string): string {
  return cleanText(s, 300);
}

function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (out.write(text)) resolve();
    else out.once('drain', resolve);
  });
}

/** Parses `Name: value` the way `new Headers([[name, value]])` would accept it, else a one-line error. */
export function parseHeaderArg(arg: string): Header {
  const colon = arg.indexOf(':');
  if (colon <= 0) throw new ProbeError(`--header must look like 'Name: value', not ${JSON.stringify(arg)}`);
  const name = arg.slice(0, colon).trim();
  // Fetch "normalize" strips leading and trailing HTTP whitespace from the value.
  const value = arg.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
  if (!TOKEN.test(name)) throw new ProbeError(`--header name ${JSON.stringify(name)} is not a valid HTTP header name`);
  // https://fetch.spec.whatwg.org/#header-value: no NUL, CR or LF.
  if (/[\0\r\n]/.test(value)) throw new ProbeError(`--header ${name}: the value may not contain CR, LF or NUL`);
  if (isForbiddenRequestHeader(name.toLowerCase(), value)) {
    // https://fetch.spec.whatwg.org/#forbidden-request-header: fetch() silently drops these, so probing with one
    // would test a request no page can make.
    throw new ProbeError(`--header ${name}: a page cannot set this header (forbidden request header), the browser would drop it`);
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

export function parseProbeArgs(args: string[]): ProbeOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      origin: { type: 'string' },
      method: { type: 'string', short: 'X' },
      header: { type: 'string', short: 'H', multiple: true },
      credentials: { type: 'boolean' },
      browser: { type: 'string' },
      framework: { type: 'string' },
      json: { type: 'boolean' },
      timeout: { type: 'string' },
    },
  });
  if (positionals.length !== 1) {
    throw new ProbeError(positionals.length ? 'probe takes exactly one URL' : 'probe needs a URL: cors-lens probe <url> --origin <page origin>');
  }
  let url: URL;
  try {
    url = new URL(positionals[0]);
  } catch {
    throw new ProbeError(`not an absolute URL: ${JSON.stringify(positionals[0])}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ProbeError(`probe speaks http and https only, not ${url.protocol}`);
  if (url.username || url.password) throw new ProbeError('the URL carries user:password@; fetch() refuses such URLs');
  url.hash = '';
  if (values.origin === undefined) throw new ProbeError('probe needs --origin <page origin> (the origin of the page that makes the request, e.g. https://app.example)');
  let origin: string;
  try {
    const o = new URL(values.origin);
    if (o.protocol !== 'http:' && o.protocol !== 'https:') throw new Error();
    if ((o.pathname !== '/' && o.pathname !== '') || o.search || o.username) throw new Error();
    origin = o.origin;
  } catch {
    throw new ProbeError(`--origin must be an origin such as https://app.example, not ${JSON.stringify(values.origin)}`);
  }
  const rawMethod = values.method ?? 'GET';
  if (!TOKEN.test(rawMethod)) throw new ProbeError(`--method ${JSON.stringify(rawMethod)} is not a valid HTTP method`);
  const upper = rawMethod.toUpperCase();
  if (FORBIDDEN_METHODS.has(upper)) throw new ProbeError(`--method ${upper} is forbidden: fetch() refuses it`);
  const method = NORMALIZED_METHODS.has(upper) ? upper : rawMethod;
  const headers = combine((values.header ?? []).map(parseHeaderArg));
  const browser = values.browser ?? 'chromium';
  if (browser !== 'chromium' && browser !== 'firefox') throw new ProbeError(`--browser must be chromium or firefox, not ${JSON.stringify(browser)}`);
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!/^\d+$/.test(values.timeout) || !Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
      throw new ProbeError(`--timeout must be a positive number of milliseconds, not ${JSON.stringify(values.timeout)}`);
    }
  }
  return { url, origin, method, headers, credentials: values.credentials === true, browser, framework: values.framework, json: values.json === true, timeoutMs };
}

interface Answer { status: number; statusText: string; headers: Header[] }

/** Words for a Node network error code, so the one-line message says what went wrong. */
function networkWords(err: NodeJS.ErrnoException, timeoutMs: number): string {
  switch (err.code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'cannot resolve the host name (DNS)';
    case 'ECONNRESET': return 'the server closed the connection';
    case 'ETIMEDOUT': return `no answer within ${timeoutMs} ms`;
    case 'EHOSTUNREACH': case 'ENETUNREACH': return 'host unreachable';
    default: return err.message || String(err.code ?? err);
  }
}

/**
 * One HTTP exchange with node:http(s). The response's header lines are read from `rawHeaders`, so duplicates stay
 * separate lines (Chromium's MultipleAllowOriginValues and Firefox's line count depend on them). No cookie jar, no
 * connection reuse, no redirect following: the caller follows redirects itself, as the browser's CORS loader does.
 */
function send(url: URL, method: string, headers: Header[], timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const obj: Record<string, string> = {};
    for (const h of headers) obj[h.name] = h.value;
    let settled = false;
    // Chromium accepts up to 256 KiB of response headers (net::HttpStreamParser kMaxHeaderBufSize); Node's default
    // 16 KiB would turn a big-but-valid response into a network error the browser never sees.
    const req = lib.request(url, { method, headers: obj, agent: false, setHost: true, maxHeaderSize: 256 * 1024 });
    const timer = setTimeout(() => {
      const e = new Error('timeout') as NodeJS.ErrnoException;
      e.code = 'ETIMEDOUT';
      req.destroy(e);
    }, timeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      settled = true;
      const raw = res.rawHeaders;
      const out: Header[] = [];
      for (let i = 0; i + 1 < raw.length; i += 2) out.push({ name: raw[i], value: raw[i + 1] });
      resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: out });
      // The body does not matter to CORS: drop it and the connection.
      res.destroy();
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      reject(new ProbeError(`network error: ${method} ${redactUrl(url.href)}: ${networkWords(err, timeoutMs)}${err.code ? ` (${err.code})` : ''}`));
    });
    req.end();
  });
}

export interface ProbeResult {
  request: ObservedRequest;
  verdict: Verdict;
}

/** Lowercased, sorted, comma-joined without spaces: Chromium's `CreateAccessControlRequestHeadersHeader` (cors_util). */
export function accessControlRequestHeaders(names: string[]): string {
  return [...new Set(names.map((n) => n.toLowerCase()))].sort().join(',');
}

/** Runs the exchanges a browser would run for the request, asking the engine after each whether to go on. */
export async function runProbe(opts: ProbeOptions, sender = send): Promise<ProbeResult> {
  const profile = profileFor(opts.browser);
  const exchanges: Exchange[] = [];
  const hints = { mode: 'cors' as const, credentials: opts.credentials ? 'include' as const : 'same-origin' as const, source: 'user' as const };
  const observed = (outcome: Outcome): ObservedRequest => ({
    id: 'probe', initiator: opts.origin, type: 'fetch', method: opts.method, url: opts.url.href,
    exchanges: exchanges.map((x) => ({ ...x })), outcome, hints, startedAt: exchanges[0]?.startedAt,
  });
  // With the outcome left unknown the engine decides from the headers alone; a still-open chain is `unknown`.
  const decided = () => {
    const req = observed({ kind: 'unknown' });
    const v = evaluate(req, { browser: opts.browser });
    return v.kind === 'unknown' ? null : { request: req, verdict: v };
  };

  let url = opts.url;
  let method = opts.method;
  let headers = opts.headers.map((h) => ({ ...h }));
  let tainted = false;
  let corsFlag = false;
  let prevOrigin = opts.origin;
  for (let hop = 0; ; hop++) {
    if (hop > MAX_REDIRECTS) throw new ProbeError(`network error: more than ${MAX_REDIRECTS} redirects (the browser fails with net::ERR_TOO_MANY_REDIRECTS)`);
    const hopOrigin = url.origin;
    // https://fetch.spec.whatwg.org/#concept-request-tainted-origin: the same rule the engine applies.
    if (hop > 0) tainted = taintAfterHop(tainted, opts.origin, prevOrigin, hopOrigin);
    const requestOrigin = tainted ? 'null' : opts.origin;
    if (tainted || hopOrigin !== opts.origin) corsFlag = true;

    if (corsFlag) {
      const need = preflightNeed(method, headers, profile);
      if (need.needed) {
        // https://fetch.spec.whatwg.org/#cors-preflight-fetch: OPTIONS, Accept */*, ACRM, ACRH when there are unsafe
        // names, Origin; never credentials (no Cookie, no Authorization).
        const pfHeaders: Header[] = [
          { name: 'Accept', value: '*/*' },
          { name: 'Access-Control-Request-Method', value: method },
          ...(need.headerNames.length ? [{ name: 'Access-Control-Request-Headers', value: accessControlRequestHeaders(need.headerNames) }] : []),
          { name: 'Origin', value: requestOrigin },
          { name: 'User-Agent', value: USER_AGENT },
          { name: 'Sec-Fetch-Mode', value: 'cors' },
          { name: 'Sec-Fetch-Dest', value: 'empty' },
        ];
        const startedAt = Date.now();
        const ans = await sender(url, 'OPTIONS', pfHeaders, opts.timeoutMs);
        exchanges.push({
          kind: 'preflight', url: url.href, method: 'OPTIONS', requestHeaders: [{ name: 'Host', value: url.host }, ...pfHeaders],
          response: { status: ans.status, statusText: ans.statusText, headers: ans.headers }, startedAt, endedAt: Date.now(),
        });
        const d = decided();
        if (d) return d;
      }
    }

    // The actual request: author headers, then what the browser adds. Origin goes on every CORS request and on
    // same-origin requests other than GET/HEAD (https://fetch.spec.whatwg.org/#append-a-request-origin-header).
    const lower = new Set(headers.map((h) => h.name.toLowerCase()));
    const sent: Header[] = [
      ...headers,
      ...(lower.has('accept') ? [] : [{ name: 'Accept', value: '*/*' }]),
      ...(corsFlag || (method !== 'GET' && method !== 'HEAD') ? [{ name: 'Origin', value: requestOrigin }] : []),
      ...(lower.has('user-agent') ? [] : [{ name: 'User-Agent', value: USER_AGENT }]),
      { name: 'Sec-Fetch-Mode', value: 'cors' },
      { name: 'Sec-Fetch-Dest', value: 'empty' },
      // fetch() with a body-less PUT/POST/PATCH sends Content-Length: 0 rather than chunked encoding.
      ...(method !== 'GET' && method !== 'HEAD' ? [{ name: 'Content-Length', value: '0' }] : []),
    ];
    const startedAt = Date.now();
    const ans = await sender(url, method, sent, opts.timeoutMs);
    const ex: Exchange = {
      kind: 'main', url: url.href, method, requestHeaders: [{ name: 'Host', value: url.host }, ...sent],
      response: { status: ans.status, statusText: ans.statusText, headers: ans.headers }, startedAt, endedAt: Date.now(),
    };
    const next = redirectTarget(ex);
    if (next) ex.redirectUrl = next;
    exchanges.push(ex);
    if (!next) {
      // Decide from the headers alone first: a `completed` outcome would tell the engine the browser let the
      // response through, which is exactly what we are asking.
      const blind = observed({ kind: 'unknown' });
      const v = evaluate(blind, { browser: opts.browser });
      if (v.kind === 'blocked') return { request: blind, verdict: v };
      const req = observed({ kind: 'completed', status: ans.status });
      return { request: req, verdict: evaluate(req, { browser: opts.browser }) };
    }
    const d = decided();
    if (d) return d;
    // Follow the redirect (https://fetch.spec.whatwg.org/#http-redirect-fetch).
    const nextUrl = new URL(next);
    if (nextUrl.protocol !== 'http:' && nextUrl.protocol !== 'https:') {
      throw new ProbeError(`network error: the redirect leads to ${nextUrl.protocol} which probe cannot follow`);
    }
    const newMethod = methodAfterRedirect(ans.status, method);
    if (newMethod !== method) headers = headers.filter((h) => !BODY_HEADERS.has(h.name.toLowerCase()));
    // Step 13: a cross-origin redirect removes Authorization (Chromium 124+, Firefox 111+).
    if (nextUrl.origin !== url.origin) headers = headers.filter((h) => h.name.toLowerCase() !== 'authorization');
    method = newMethod;
    prevOrigin = hopOrigin;
    url = nextUrl;
  }
}

/** Exit status for a verdict: 0 let through, 1 blocked, 2 undecidable or a network failure. */
export function exitCodeFor(v: Verdict): number {
  switch (v.kind) {
    case 'allowed': case 'allowed-hidden-headers': return 0;
    case 'blocked': return 1;
    case 'not-cors': return v.why === 'same-origin' ? 0 : 2;
    default: return 2;
  }
}

function verdictWord(v: Verdict): string {
  switch (v.kind) {
    case 'allowed': return 'ALLOWED';
    case 'allowed-hidden-headers': return 'ALLOWED (some response headers hidden from script)';
    case 'blocked': return 'BLOCKED';
    case 'not-cors': return `NOT CORS (${v.why})`;
    default: return 'UNKNOWN';
  }
}

type Fixes = import('../suggest/index').MergedFixes;

function exchangesForOutput(req: ObservedRequest) {
  return req.exchanges.map((x) => ({
    kind: x.kind,
    method: x.method,
    url: redactUrl(x.url),
    requestHeaders: redactHeaders(x.requestHeaders),
    status: x.response?.status ?? null,
    statusText: x.response?.statusText ?? null,
    responseHeaders: x.response ? redactHeaders(x.response.headers) : null,
    ...(x.redirectUrl ? { redirectUrl: redactUrl(x.redirectUrl) } : {}),
  }));
}

/** `cors-lens probe …`: returns the exit status; bad input and network errors are one line on stderr. */
export async function probe(args: string[], io: ProbeIo): Promise<number> {
  try {
    const opts = parseProbeArgs(args);
    let suggest: typeof import('../suggest/index') | null = null;
    if (opts.framework !== undefined) {
      suggest = await import('../suggest/index').catch(() => null);
      if (!suggest) throw new ProbeError('--framework is not available in this build');
      const ids = suggest.listFrameworks().map((f) => f.id);
      if (!ids.includes(opts.framework)) throw new ProbeError(`unknown framework ${JSON.stringify(opts.framework)}; known: ${ids.join(', ')}`);
    }
    const { request, verdict } = await runProbe(opts);
    const messages = messagesFor(request, verdict);
    const why = explainVerdict(request, verdict);
    const needsFix = verdict.kind === 'blocked' || verdict.kind === 'allowed-hidden-headers';
    const fixes: Fixes | null = suggest && opts.framework && needsFix ? suggest.suggestMergedFix([{ request, verdict }], opts.framework) : null;
    const reason = verdict.kind === 'blocked' ? verdict.reason : null;
    const code = exitCodeFor(verdict);

    if (opts.json) {
      const fix = opts.framework === undefined ? undefined : fixes ? {
        framework: opts.framework,
        perOrigin: fixes.perOrigin.map((f) => ({
          targetOrigin: f.targetOrigin, diff: f.diff, narrowing: f.narrowing, replacement: f.replacement, code: f.config.code,
          filename: f.config.filename ?? null, notes: f.notes, responseHeaders: f.responseHeaders, warnings: f.config.warnings, defaults: f.defaults,
        })),
        clientSideAdvice: fixes.clientSideAdvice.map((a) => a.message),
      } : null;
      const out = {
        url: redactUrl(opts.url.href), origin: opts.origin, method: opts.method, browser: opts.browser,
        credentials: opts.credentials ? 'include' : 'same-origin',
        verdict: verdict.kind,
        reason: reason?.corsError ?? null,
        failedParameter: reason ? reason.failedParameter : null,
        firefoxReason: reason?.firefoxReason ?? null,
        stage: reason?.stage ?? null,
        summary: messages.summary,
        explanation: why.text,
        action: why.action,
        console: verdict.kind === 'blocked' ? (opts.browser === 'firefox' ? messages.firefox : messages.chromium) ?? null : null,
        preflight: verdict.preflight,
        ...(verdict.kind === 'allowed-hidden-headers' ? { hiddenHeaders: verdict.hiddenHeaders } : {}),
        findings: verdict.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message })),
        exchanges: exchangesForOutput(request),
        ...(fix !== undefined ? { fix } : {}),
      };
      await write(io.stdout, `${safeJson(out, 2)}\n`);
      return code;
    }

    const browserName = opts.browser === 'firefox' ? 'Firefox' : 'Chromium';
    const lines: string[] = [];
    lines.push(`${browserName} verdict: ${verdictWord(verdict)} — ${cleanText(messages.summary, 300)}`);
    if (reason) {
      lines.push(`  Chromium CorsError: ${reason.corsError}${reason.failedParameter ? ` (failedParameter: ${cleanText(reason.failedParameter, 200)})` : ''}`);
      lines.push(`  Firefox reason:     ${reason.firefoxReason}`);
    }
    lines.push('', cleanText(why.text, 1500), `What to do: ${cleanText(why.action, 600)}`);
    const consoleText = verdict.kind === 'blocked' ? (opts.browser === 'firefox' ? messages.firefox : messages.chromium) : undefined;
    if (consoleText) lines.push(`${browserName} console: ${cleanText(consoleText, 1000)}`);
    for (const f of verdict.findings) lines.push(`${f.severity === 'danger' ? 'DANGER' : f.severity === 'warning' ? 'Warning' : 'Note'}: ${cleanText(f.message, 600)}`);
    lines.push('', 'Exchanges:');
    exchangesForOutput(request).forEach((x, i) => {
      lines.push(`  ${i + 1}. ${x.kind === 'preflight' ? 'preflight ' : ''}${x.method} ${cleanText(x.url, 300)} → ${x.status ?? 'no response'} ${cleanText(x.statusText ?? '', 60)}`.trimEnd());
      for (const h of x.requestHeaders ?? []) lines.push(`       > ${cleanText(h.name, 100)}: ${cleanText(h.value, 300)}`);
      for (const h of x.responseHeaders ?? []) lines.push(`       < ${cleanText(h.name, 100)}: ${cleanText(h.value, 300)}`);
      if (x.redirectUrl) lines.push(`       redirects to ${cleanText(x.redirectUrl, 300)}`);
    });
    if (opts.framework !== undefined) {
      lines.push('');
      if (!fixes) lines.push(`Fix (${opts.framework}): nothing to fix.`);
      else lines.push(...fixesTextLines(fixes, cleanText));
    }
    await write(io.stdout, lines.join('\n') + '\n');
    if (code === 2) await write(io.stderr, `cors-lens: ${oneLine(verdict.kind === 'unknown' ? `cannot tell what the browser would decide: ${verdict.missing.join('; ')}` : `not a CORS decision: ${verdict.kind === 'not-cors' ? verdict.detail : ''}`)}\n`);
    return code;
  } catch (err) {
    if (err instanceof ProbeError) {
      await write(io.stderr, `cors-lens: ${oneLine(err.message)}\n`);
      return 2;
    }
    throw err;
  }
}
