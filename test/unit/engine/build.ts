// Terse builders for ObservedRequests in engine tests: `get(B).res(200, acao(A))`, `put(B, hdrs).pre(204, …)`.
import type { BrowserName, Exchange, Header, ObservedRequest, Outcome, RequestHints, ResourceType } from '../../../src/engine/types';

export const A = 'http://127.0.0.1:8101';
export const B = 'http://127.0.0.1:8102';
export const C = 'http://127.0.0.1:8103';

export type H = Array<[string, string]> | Record<string, string>;

export function hdrs(h: H | undefined): Header[] {
  if (!h) return [];
  const list = Array.isArray(h) ? h : Object.entries(h);
  return list.map(([name, value]) => ({ name, value }));
}

export interface Spec {
  from?: string | null;
  url: string;
  method?: string;
  /** Request headers the page sent (Origin is added automatically for cross-origin hops unless `noOrigin`). */
  headers?: H;
  noOrigin?: boolean;
  type?: ResourceType;
  hints?: Omit<RequestHints, 'source'> & { source?: RequestHints['source'] };
}

/** A fluent builder: add a preflight, responses, redirects, then `.done(outcome)`. */
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
    } catch { /* keep */ }
    return [{ name: 'Origin', value: from }];
  }

  /** Adds a preflight for the current URL answered with `status` and `headers`. */
  pre(status: number, headers?: H, opts: { acrh?: string; acrm?: string; url?: string } = {}): this {
    const url = opts.url ?? this.nextUrl();
    const reqH: Header[] = [
      { name: 'Accept', value: '*/*' },
      { name: 'Access-Control-Request-Method', value: opts.acrm ?? this.spec.method ?? 'GET' },
      ...this.originHeader(url),
    ];
    if (opts.acrh !== undefined) reqH.push({ name: 'Access-Control-Request-Headers', value: opts.acrh });
    this.ex.push({ kind: 'preflight', url, method: 'OPTIONS', requestHeaders: reqH, response: { status, headers: hdrs(headers) } });
    return this;
  }

  private nextUrl(): string {
    if (this.cur?.redirectUrl) return this.cur.redirectUrl;
    return this.cur ? this.cur.url : this.spec.url;
  }

  /** The actual request (or the next redirect hop) answered with `status` and `headers`. */
  res(status: number, headers?: H, opts: { method?: string; reqHeaders?: H | null } = {}): this {
    const url = this.nextUrl();
    const method = opts.method ?? this.spec.method ?? 'GET';
    const reqH = opts.reqHeaders === null ? null : [...hdrs(opts.reqHeaders ?? this.spec.headers), ...this.originHeader(url)];
    const e: Exchange = { kind: 'main', url, method, requestHeaders: reqH, response: { status, headers: hdrs(headers) } };
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
      kind: 'main', url, method, requestHeaders: reqH,
      response: { status, headers: [...hdrs(headers), { name: 'Location', value: to }] }, redirectUrl: to,
    };
    this.ex.push(e);
    this.cur = e;
    return this;
  }

  /** The actual request was never answered (blocked before sending, or by the network). */
  unsent(error?: string, opts: { withHeaders?: boolean } = {}): this {
    const url = this.nextUrl();
    const requestHeaders = opts.withHeaders ? [...hdrs(this.spec.headers), ...this.originHeader(url)] : null;
    this.ex.push({ kind: 'main', url, method: this.spec.method ?? 'GET', requestHeaders, response: null, ...(error ? { error } : {}) });
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

  /** Outcome decided per browser the way each reports a CORS block (Chromium ERR_FAILED; Firefox completed for response-side blocks). */
  build(): ObservedRequest {
    const from = this.spec.from === undefined ? A : this.spec.from;
    const r: ObservedRequest = {
      id: 'r1', initiator: from, method: this.spec.method ?? 'GET', url: this.spec.url, exchanges: this.ex,
      outcome: this.outcome, type: this.spec.type ?? 'xmlhttprequest',
    };
    if (this.spec.hints) r.hints = { source: 'test', ...this.spec.hints };
    return r;
  }
}

export const req = (spec: Spec) => new Req(spec);
export const get = (url: string, extra: Omit<Spec, 'url'> = {}) => new Req({ url, method: 'GET', ...extra });
export const method = (m: string, url: string, extra: Omit<Spec, 'url' | 'method'> = {}) => new Req({ url, method: m, ...extra });

/** Common response header sets. */
export const acao = (v: string, more?: Record<string, string>): Array<[string, string]> => [['Access-Control-Allow-Origin', v], ...Object.entries(more ?? {})];
export const cred = (origin = A, more?: Record<string, string>) => acao(origin, { 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin', ...more });

export const BROWSERS: BrowserName[] = ['chromium', 'firefox'];
