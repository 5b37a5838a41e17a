// A model CORS server and page for the merged-fix tests: the server answers from a policy (exact origins or
// `*`, credentials, ACAM/ACAH/ACEH lists or `*`), the page makes calls, and the real engine judges each one
// — the same ObservedRequest + Verdict pairs the extension and the CLI feed to the suggestion code.
import type { Header, ObservedRequest, Verdict } from '../../../src/engine/types';
import { evaluate } from '../../../src/engine/index';
import type { OriginPolicy, PolicyItem } from '../../../src/suggest/index';
import { req } from '../../support/requests';

export const API = 'http://api.test:8000';

export interface ServerPolicy {
  origins: string[] | '*';
  credentials: boolean;
  methods: string[] | '*' | null;
  headers: string[] | '*' | null;
  expose: string[] | '*' | null;
  maxAge?: number;
}

export interface Call {
  id: string;
  origin: string;
  method: string;
  /** Request header names the page sets (values chosen so each is CORS-unsafe). */
  headers: string[];
  credentials: boolean;
}

/** Response headers every actual response carries besides CORS ones. */
export const APP_HEADERS: Header[] = [
  { name: 'Content-Type', value: 'application/json' },
  { name: 'X-Total-Count', value: '42' },
  { name: 'X-Request-Id', value: 'r-1' },
  { name: 'ETag', value: '"v1"' },
];

const SAFE = ['GET', 'HEAD', 'POST'];
const list = (x: string[] | '*'): string => (x === '*' ? '*' : x.join(', '));
const valueFor = (h: string): string =>
  h === 'content-type' ? 'application/json' : h === 'authorization' ? 'Bearer t' : 'v';

function corsHeaders(s: ServerPolicy, origin: string): Header[] {
  const ok = s.origins === '*' || s.origins.includes(origin);
  if (!ok) return [];
  const out: Header[] = [{ name: 'Access-Control-Allow-Origin', value: s.origins === '*' ? '*' : origin }];
  if (s.credentials) out.push({ name: 'Access-Control-Allow-Credentials', value: 'true' });
  if (s.origins !== '*') out.push({ name: 'Vary', value: 'Origin' });
  return out;
}

/** What the browser would observe for `call` against a server answering from `s`. */
export function observe(call: Call, s: ServerPolicy, path = '/api/items'): ObservedRequest {
  const r = req({
    id: call.id,
    from: call.origin,
    url: `${API}${path}`,
    method: call.method,
    type: 'fetch',
    hints: { mode: 'cors', credentials: call.credentials ? 'include' : 'same-origin' },
  });
  const needsPreflight = !SAFE.includes(call.method) || call.headers.length > 0;
  if (needsPreflight) {
    const res = corsHeaders(s, call.origin);
    if (res.length) {
      if (s.methods) res.push({ name: 'Access-Control-Allow-Methods', value: list(s.methods) });
      if (s.headers) res.push({ name: 'Access-Control-Allow-Headers', value: list(s.headers) });
      if (s.maxAge !== undefined) res.push({ name: 'Access-Control-Max-Age', value: String(s.maxAge) });
    }
    r.pre(204, res, {
      sent: [
        { name: 'Access-Control-Request-Method', value: call.method },
        { name: 'Origin', value: call.origin },
        ...(call.headers.length
          ? [{ name: 'Access-Control-Request-Headers', value: [...call.headers].sort().join(',') }]
          : []),
      ],
    });
  }
  const res = corsHeaders(s, call.origin);
  if (res.length && s.expose) res.push({ name: 'Access-Control-Expose-Headers', value: list(s.expose) });
  r.res(200, [...APP_HEADERS, ...res], {
    sent: [
      ...call.headers.map((h) => ({ name: h, value: valueFor(h) })),
      { name: 'Origin', value: call.origin },
      ...(call.credentials ? [{ name: 'Cookie', value: 'sid=1' }] : []),
    ],
  });
  // The outcome is left to the engine: it decides from the headers, as for a capture that missed the outcome.
  return r.build();
}

export function judge(call: Call, s: ServerPolicy): PolicyItem & { verdict: Verdict } {
  const request = observe(call, s);
  const verdict = evaluate(request, { browser: 'chromium' });
  if (verdict.kind !== 'blocked' || verdict.reason.stage !== 'preflight') return { request, verdict };
  // A refused preflight means the actual request was never sent: observe it that way.
  const main = request.exchanges.length - 1;
  request.exchanges[main] = { ...request.exchanges[main], response: null };
  request.outcome = { kind: 'error', error: 'net::ERR_FAILED' };
  return { request, verdict: evaluate(request, { browser: 'chromium' }) };
}

/** Whether the page's request went through, and which app headers script could read. */
export function outcome(v: Verdict): { passes: boolean; readable: string[] } {
  if (v.kind !== 'allowed' && v.kind !== 'allowed-hidden-headers') return { passes: false, readable: [] };
  const hidden = v.kind === 'allowed-hidden-headers' ? v.hiddenHeaders.map((h) => h.toLowerCase()) : [];
  return { passes: true, readable: APP_HEADERS.map((h) => h.name.toLowerCase()).filter((h) => !hidden.includes(h)) };
}

/** The server configured from a merged policy, as a renderer's config would make it answer. */
export function serverFrom(p: OriginPolicy): ServerPolicy {
  return {
    origins: p.allowOrigins,
    credentials: p.credentials,
    methods: p.methods.length ? p.methods : null,
    headers: p.requestHeaders.length ? p.requestHeaders : null,
    expose: p.exposeHeaders.length ? p.exposeHeaders : null,
    maxAge: p.maxAge,
  };
}
