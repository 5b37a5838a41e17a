// The exchanges a browser would run for one fetch(): the preflight when one is needed, then the actual request,
// following redirects hop by hop, asking the engine after each exchange whether the browser would go on.
import { evaluate, profileFor } from '../engine/index';
import { preflightNeed } from '../engine';
import { methodAfterRedirect, redirectTarget, taintAfterHop } from '../engine';
import type { Exchange, Header, ObservedRequest, Outcome, Verdict } from '../engine/types';
import { ProbeError, type ProbeOptions } from './probe-args';
import { send, type Answer } from './probe-send';

/** Chromium's and Firefox's redirect limit (net::ERR_TOO_MANY_REDIRECTS; Fetch "redirect count is 20"). */
const MAX_REDIRECTS = 20;
const USER_AGENT = 'cors-lens-probe (+https://fetch.spec.whatwg.org/)';
// https://fetch.spec.whatwg.org/#request-body-header-name: dropped when a redirect turns the method into GET.
const BODY_HEADERS = new Set(['content-encoding', 'content-language', 'content-location', 'content-type']);

export interface ProbeResult {
  request: ObservedRequest;
  verdict: Verdict;
}

type Sender = typeof send;

/** Lowercased, sorted, comma-joined without spaces: Chromium's `CreateAccessControlRequestHeadersHeader` (cors_util). */
export function accessControlRequestHeaders(names: string[]): string {
  return [...new Set(names.map((n) => n.toLowerCase()))].sort().join(',');
}

// https://fetch.spec.whatwg.org/#cors-preflight-fetch: OPTIONS, Accept */*, ACRM, ACRH when there are unsafe names,
// Origin; never credentials (no Cookie, no Authorization).
function preflightHeaders(method: string, unsafeNames: string[], requestOrigin: string): Header[] {
  return [
    { name: 'Accept', value: '*/*' },
    { name: 'Access-Control-Request-Method', value: method },
    ...(unsafeNames.length
      ? [{ name: 'Access-Control-Request-Headers', value: accessControlRequestHeaders(unsafeNames) }]
      : []),
    { name: 'Origin', value: requestOrigin },
    { name: 'User-Agent', value: USER_AGENT },
    { name: 'Sec-Fetch-Mode', value: 'cors' },
    { name: 'Sec-Fetch-Dest', value: 'empty' },
  ];
}

/**
 * The actual request: author headers, then what the browser adds. Origin goes on every CORS request and on
 * same-origin requests other than GET/HEAD (https://fetch.spec.whatwg.org/#append-a-request-origin-header).
 */
function actualHeaders(headers: Header[], method: string, corsFlag: boolean, requestOrigin: string): Header[] {
  const lower = new Set(headers.map((h) => h.name.toLowerCase()));
  return [
    ...headers,
    ...(lower.has('accept') ? [] : [{ name: 'Accept', value: '*/*' }]),
    ...(corsFlag || (method !== 'GET' && method !== 'HEAD') ? [{ name: 'Origin', value: requestOrigin }] : []),
    ...(lower.has('user-agent') ? [] : [{ name: 'User-Agent', value: USER_AGENT }]),
    { name: 'Sec-Fetch-Mode', value: 'cors' },
    { name: 'Sec-Fetch-Dest', value: 'empty' },
    // fetch() with a body-less PUT/POST/PATCH sends Content-Length: 0 rather than chunked encoding.
    ...(method !== 'GET' && method !== 'HEAD' ? [{ name: 'Content-Length', value: '0' }] : []),
  ];
}

/** Sends one exchange and records it as the browser's network log would. */
async function exchange(
  sender: Sender,
  kind: Exchange['kind'],
  url: URL,
  method: string,
  sent: Header[],
  timeoutMs: number,
): Promise<{ ex: Exchange; ans: Answer }> {
  const startedAt = Date.now();
  const ans = await sender(url, method, sent, timeoutMs);
  const ex: Exchange = {
    kind,
    url: url.href,
    method,
    requestHeaders: [{ name: 'Host', value: url.host }, ...sent],
    response: { status: ans.status, statusText: ans.statusText, headers: ans.headers },
    startedAt,
    endedAt: Date.now(),
  };
  return { ex, ans };
}

/** Where the chain is: the hop's URL, method and author headers, and the Fetch flags carried across hops. */
interface Hop {
  url: URL;
  method: string;
  headers: Header[];
  tainted: boolean;
  corsFlag: boolean;
  prevOrigin: string;
}

/** The request so far as the engine sees it, and its verdict. */
class Chain {
  readonly exchanges: Exchange[] = [];

  constructor(private readonly opts: ProbeOptions) {}

  observed(outcome: Outcome): ObservedRequest {
    const { opts, exchanges } = this;
    const hints = {
      mode: 'cors' as const,
      credentials: opts.credentials ? ('include' as const) : ('same-origin' as const),
      source: 'user' as const,
    };
    return {
      id: 'probe',
      initiator: opts.origin,
      type: 'fetch',
      method: opts.method,
      url: opts.url.href,
      exchanges: exchanges.map((x) => ({ ...x })),
      outcome,
      hints,
      startedAt: exchanges[0]?.startedAt,
    };
  }

  /** With the outcome left unknown the engine decides from the headers alone; a still-open chain is `unknown`. */
  decided(): ProbeResult | null {
    const req = this.observed({ kind: 'unknown' });
    const v = evaluate(req, { browser: this.opts.browser });
    return v.kind === 'unknown' ? null : { request: req, verdict: v };
  }

  /**
   * The verdict once the last hop answered without redirecting. Decided from the headers alone first: a `completed`
   * outcome would tell the engine the browser let the response through, which is exactly what we are asking.
   */
  final(status: number): ProbeResult {
    const blind = this.observed({ kind: 'unknown' });
    const v = evaluate(blind, { browser: this.opts.browser });
    if (v.kind === 'blocked') return { request: blind, verdict: v };
    const req = this.observed({ kind: 'completed', status });
    return { request: req, verdict: evaluate(req, { browser: this.opts.browser }) };
  }
}

/** Follows the redirect (https://fetch.spec.whatwg.org/#http-redirect-fetch): the next hop's URL, method, headers. */
function followRedirect(hop: Hop, next: string, status: number): void {
  const nextUrl = new URL(next);
  if (nextUrl.protocol !== 'http:' && nextUrl.protocol !== 'https:') {
    throw new ProbeError(`network error: the redirect leads to ${nextUrl.protocol} which probe cannot follow`);
  }
  const newMethod = methodAfterRedirect(status, hop.method);
  if (newMethod !== hop.method) hop.headers = hop.headers.filter((h) => !BODY_HEADERS.has(h.name.toLowerCase()));
  // Step 13: a cross-origin redirect removes Authorization (Chromium 124+, Firefox 111+).
  if (nextUrl.origin !== hop.url.origin)
    hop.headers = hop.headers.filter((h) => h.name.toLowerCase() !== 'authorization');
  hop.method = newMethod;
  hop.prevOrigin = hop.url.origin;
  hop.url = nextUrl;
}

/** Runs the exchanges a browser would run for the request, asking the engine after each whether to go on. */
export async function runProbe(opts: ProbeOptions, sender: Sender = send): Promise<ProbeResult> {
  const profile = profileFor(opts.browser);
  const chain = new Chain(opts);
  const hop: Hop = {
    url: opts.url,
    method: opts.method,
    headers: opts.headers.map((h) => ({ ...h })),
    tainted: false,
    corsFlag: false,
    prevOrigin: opts.origin,
  };
  for (let n = 0; ; n++) {
    if (n > MAX_REDIRECTS)
      throw new ProbeError(
        `network error: more than ${MAX_REDIRECTS} redirects (the browser fails with net::ERR_TOO_MANY_REDIRECTS)`,
      );
    const hopOrigin = hop.url.origin;
    // https://fetch.spec.whatwg.org/#concept-request-tainted-origin: the same rule the engine applies.
    if (n > 0) hop.tainted = taintAfterHop(hop.tainted, opts.origin, hop.prevOrigin, hopOrigin);
    const requestOrigin = hop.tainted ? 'null' : opts.origin;
    if (hop.tainted || hopOrigin !== opts.origin) hop.corsFlag = true;

    const need = hop.corsFlag ? preflightNeed(hop.method, hop.headers, profile) : null;
    if (need?.needed) {
      const pf = preflightHeaders(hop.method, need.headerNames, requestOrigin);
      chain.exchanges.push((await exchange(sender, 'preflight', hop.url, 'OPTIONS', pf, opts.timeoutMs)).ex);
      const d = chain.decided();
      if (d) return d;
    }

    const sent = actualHeaders(hop.headers, hop.method, hop.corsFlag, requestOrigin);
    const { ex, ans } = await exchange(sender, 'main', hop.url, hop.method, sent, opts.timeoutMs);
    const next = redirectTarget(ex);
    if (next) ex.redirectUrl = next;
    chain.exchanges.push(ex);
    if (!next) return chain.final(ans.status);
    const d = chain.decided();
    if (d) return d;
    followRedirect(hop, next, ans.status);
  }
}
