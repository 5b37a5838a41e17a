// The one builder of ObservedRequests for tests, in the engine's own type (src/engine/types.ts), so a change to the
// contract is a compile error here rather than in each test's private copy.
//  - `get(B).res(200, acao(A)).ok()`, `method('PUT', B, { headers }).pre(204, …).unsent().fail()`: the fluent builder
//    the engine tests use, one exchange per call, the browser-added Origin header filled in per hop;
//  - `browserRequest({ … })`: a request as a capture shows it (the headers the browser adds, a preflight whose
//    ACRM/ACRH follow from the method and the page's headers), for the suggestion tests.
// The component tests, the model server of the merged-fix tests and the report tests build on these.
import type {
  BrowserName,
  Exchange,
  Header,
  ObservedRequest,
  Outcome,
  RequestHints,
  ResourceType,
} from '../../src/engine/types';

export const A = 'http://127.0.0.1:8101';
export const B = 'http://127.0.0.1:8102';
export const C = 'http://127.0.0.1:8103';

export const BROWSERS: BrowserName[] = ['chromium', 'firefox'];

/** Headers as pairs, a name → value record, or already a header list. */
export type H = Array<[string, string]> | Record<string, string> | Header[];

export function hdrs(h: H | undefined): Header[] {
  if (!h) return [];
  if (Array.isArray(h)) return h.map((x) => (Array.isArray(x) ? { name: x[0], value: x[1] } : x));
  return Object.entries(h).map(([name, value]) => ({ name, value }));
}

export interface Spec {
  /** The request id (default `r1`). */
  id?: string;
  /** The page origin (default A); null for an unknown initiator. */
  from?: string | null;
  url: string;
  method?: string;
  /** Request headers the page sent (Origin is added automatically for cross-origin hops unless `noOrigin`). */
  headers?: H;
  noOrigin?: boolean;
  /** The resource type (default xmlhttprequest); null leaves it out, as a capture that missed it does. */
  type?: ResourceType | null;
  startedAt?: number;
  hints?: Omit<RequestHints, 'source'> & { source?: RequestHints['source'] };
}

/** `sent` gives a hop's request headers exactly as listed (no Origin added); null: none were captured. */
interface SentHeaders {
  sent?: H | null;
}

/** A fluent builder: add a preflight, responses, redirects, then `.ok()`, `.fail()` or `.build()`. */
export class Req {
  private ex: Exchange[] = [];
  private outcome: Outcome = { kind: 'unknown' };
  private cur: Exchange | null = null;
  constructor(private spec: Spec) {}

  private originHeader(url: string): Header[] {
    const from = this.spec.from === undefined ? A : this.spec.from;
    if (this.spec.noOrigin || from === null) return [];
    try {
      if (new URL(url).origin === from) return [];
    } catch {
      /* keep */
    }
    return [{ name: 'Origin', value: from }];
  }

  private sentOr(opts: SentHeaders, computed: () => Header[] | null): Header[] | null {
    if (opts.sent === undefined) return computed();
    return opts.sent === null ? null : hdrs(opts.sent);
  }

  /** Adds a preflight for the current URL answered with `status` and `headers`. */
  pre(status: number, headers?: H, opts: { acrh?: string; acrm?: string; url?: string } & SentHeaders = {}): this {
    const url = opts.url ?? this.nextUrl();
    const reqH = this.sentOr(opts, () => {
      const h: Header[] = [
        { name: 'Accept', value: '*/*' },
        { name: 'Access-Control-Request-Method', value: opts.acrm ?? this.spec.method ?? 'GET' },
        ...this.originHeader(url),
      ];
      if (opts.acrh !== undefined) h.push({ name: 'Access-Control-Request-Headers', value: opts.acrh });
      return h;
    });
    this.ex.push({
      kind: 'preflight',
      url,
      method: 'OPTIONS',
      requestHeaders: reqH,
      response: { status, headers: hdrs(headers) },
    });
    return this;
  }

  private nextUrl(): string {
    if (this.cur?.redirectUrl) return this.cur.redirectUrl;
    return this.cur ? this.cur.url : this.spec.url;
  }

  /**
   * The actual request (or the next redirect hop) answered with `status` and `headers`. `url` answers another URL
   * than the one the last hop pointed at; `redirectTo` records where the browser went next without adding a Location;
   * `error` is the error the browser recorded on the exchange after the response.
   */
  res(
    status: number,
    headers?: H,
    opts: {
      method?: string;
      reqHeaders?: H | null;
      url?: string;
      redirectTo?: string;
      error?: string;
    } & SentHeaders = {},
  ): this {
    const url = opts.url ?? this.nextUrl();
    const method = opts.method ?? this.spec.method ?? 'GET';
    const reqH = this.sentOr(opts, () =>
      opts.reqHeaders === null ? null : [...hdrs(opts.reqHeaders ?? this.spec.headers), ...this.originHeader(url)],
    );
    const e: Exchange = {
      kind: 'main',
      url,
      method,
      requestHeaders: reqH,
      response: { status, headers: hdrs(headers) },
    };
    if (opts.redirectTo !== undefined) e.redirectUrl = opts.redirectTo;
    // A response the browser received and then failed on (Chromium's net::ERR_FAILED for a CORS block).
    if (opts.error !== undefined) e.error = opts.error;
    this.ex.push(e);
    this.cur = e;
    return this;
  }

  /** The current hop redirects to `to` with `status` (the next `.res()` answers the target). */
  redirect(status: number, to: string, headers?: H): this {
    const url = this.nextUrl();
    const method = this.spec.method ?? 'GET';
    const reqH = [...hdrs(this.spec.headers), ...this.originHeader(url)];
    const e: Exchange = {
      kind: 'main',
      url,
      method,
      requestHeaders: reqH,
      response: { status, headers: [...hdrs(headers), { name: 'Location', value: to }] },
      redirectUrl: to,
    };
    this.ex.push(e);
    this.cur = e;
    return this;
  }

  /** The actual request was never answered (blocked before sending, or by the network). */
  unsent(error?: string, opts: { withHeaders?: boolean } & SentHeaders = {}): this {
    const url = this.nextUrl();
    const requestHeaders = this.sentOr(opts, () =>
      opts.withHeaders ? [...hdrs(this.spec.headers), ...this.originHeader(url)] : null,
    );
    this.ex.push({
      kind: 'main',
      url,
      method: this.spec.method ?? 'GET',
      requestHeaders,
      response: null,
      ...(error ? { error } : {}),
    });
    return this;
  }

  ok(status = 200): ObservedRequest {
    this.outcome = { kind: 'completed', status };
    return this.build();
  }

  fail(error = 'net::ERR_FAILED'): ObservedRequest {
    this.outcome = { kind: 'error', error };
    return this.build();
  }

  /** The request as built so far; the outcome stays unknown unless `.ok()`/`.fail()` set it. */
  build(): ObservedRequest {
    const from = this.spec.from === undefined ? A : this.spec.from;
    const r: ObservedRequest = {
      id: this.spec.id ?? 'r1',
      initiator: from,
      method: this.spec.method ?? 'GET',
      url: this.spec.url,
      exchanges: this.ex,
      outcome: this.outcome,
    };
    if (this.spec.type !== null) r.type = this.spec.type ?? 'xmlhttprequest';
    if (this.spec.startedAt !== undefined) r.startedAt = this.spec.startedAt;
    if (this.spec.hints) r.hints = { source: 'test', ...this.spec.hints };
    return r;
  }
}

export const req = (spec: Spec) => new Req(spec);
export const get = (url: string, extra: Omit<Spec, 'url'> = {}) => new Req({ url, method: 'GET', ...extra });
export const method = (m: string, url: string, extra: Omit<Spec, 'url' | 'method'> = {}) =>
  new Req({ url, method: m, ...extra });

/** Common response header sets. */
export const acao = (v: string, more?: Record<string, string>): Array<[string, string]> => [
  ['Access-Control-Allow-Origin', v],
  ...Object.entries(more ?? {}),
];
export const cred = (origin = A, more?: Record<string, string>) =>
  acao(origin, { 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin', ...more });

// ── A request as a capture shows it ───────────────────────────────────────────────────────────────────────────

export const PAGE = 'http://localhost:5173';
export const API = 'https://api.example.com';

export interface BrowserRequestSpec {
  id?: string;
  initiator?: string | null;
  method?: string;
  url?: string;
  /** Headers the page set on the actual request (browser-added ones are added here automatically). */
  headers?: Record<string, string>;
  /** A preflight was sent (ACRM/ACRH derived from method and headers unless given). */
  preflight?: { status: number; headers?: Record<string, string> | Header[]; acrh?: string } | null;
  /** The actual response; null when it was never sent (preflight failed). */
  response?: { status: number; headers?: Record<string, string> | Header[] } | null;
  /** Extra main exchanges (redirect hops) after the first. */
  hops?: { url: string; status: number; headers?: Record<string, string> | Header[]; origin?: string }[];
  cookie?: boolean;
}

/** Content types a page may send without a preflight (https://fetch.spec.whatwg.org/#cors-safelisted-request-header). */
const SAFE_CT = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

function unsafeHeaderNames(pageHeaders: Record<string, string>): string {
  return Object.entries(pageHeaders)
    .filter(([n, v]) => !(n.toLowerCase() === 'content-type' && SAFE_CT.includes(v.split(';')[0].trim().toLowerCase())))
    .map(([n]) => n.toLowerCase())
    .sort()
    .join(',');
}

/** A fetch() from `initiator` (default PAGE) to `url` (default API/api/items) that Chromium reported as failed. */
export function browserRequest(spec: BrowserRequestSpec = {}): ObservedRequest {
  const initiator = spec.initiator === undefined ? PAGE : spec.initiator;
  const method = spec.method ?? 'GET';
  const pageHeaders = spec.headers ?? {};
  const r = req({ id: spec.id ?? 'r1', from: initiator, url: spec.url ?? `${API}/api/items`, method, type: 'fetch' });
  const origin = { name: 'Origin', value: initiator ?? 'null' };
  if (spec.preflight) {
    const acrh = spec.preflight.acrh ?? unsafeHeaderNames(pageHeaders);
    r.pre(spec.preflight.status, spec.preflight.headers, {
      sent: [
        { name: 'Accept', value: '*/*' },
        { name: 'Access-Control-Request-Method', value: method },
        ...(acrh ? [{ name: 'Access-Control-Request-Headers', value: acrh }] : []),
        origin,
        { name: 'Sec-Fetch-Mode', value: 'cors' },
        { name: 'User-Agent', value: 'Mozilla/5.0' },
      ],
    });
  }
  const hops = spec.hops ?? [];
  if (spec.response !== null) {
    const res = spec.response ?? { status: 200 };
    r.res(res.status, res.headers, {
      sent: [
        ...hdrs(pageHeaders),
        origin,
        { name: 'User-Agent', value: 'Mozilla/5.0' },
        { name: 'Sec-Fetch-Mode', value: 'cors' },
        { name: 'Accept-Encoding', value: 'gzip, deflate, br' },
        ...(spec.cookie ? [{ name: 'Cookie', value: 'sid=1' }] : []),
      ],
      ...(hops.length ? { redirectTo: hops[0].url } : {}),
    });
  }
  for (const [i, hop] of hops.entries()) {
    const next = hops[i + 1];
    r.res(hop.status, hop.headers, {
      url: hop.url,
      sent: hop.origin ? [{ name: 'Origin', value: hop.origin }] : null,
      ...(next ? { redirectTo: next.url } : {}),
    });
  }
  return r.fail();
}
