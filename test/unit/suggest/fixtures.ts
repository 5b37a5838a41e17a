// Builders for ObservedRequest/Verdict pairs used by the suggestion tests (shapes as the engine emits them).
import type {
  BlockReason, ChromiumCorsError, CredentialsMode, Exchange, Header, NotCorsWhy, ObservedRequest, Verdict,
} from '../../../src/engine/types';
import type { PolicyItem } from '../../../src/suggest/policy';

export const PAGE = 'http://localhost:5173';
export const API = 'https://api.example.com';

const hdrs = (h: Record<string, string> | Header[] | undefined): Header[] =>
  Array.isArray(h) ? h : Object.entries(h ?? {}).map(([name, value]) => ({ name, value }));

export interface RequestSpec {
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

const SAFE_CT = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

export function request(spec: RequestSpec = {}): ObservedRequest {
  const id = spec.id ?? 'r1';
  const initiator = spec.initiator === undefined ? PAGE : spec.initiator;
  const method = spec.method ?? 'GET';
  const url = spec.url ?? `${API}/api/items`;
  const pageHeaders = spec.headers ?? {};
  const exchanges: Exchange[] = [];
  if (spec.preflight) {
    const unsafe = Object.entries(pageHeaders)
      .filter(([n, v]) => !(n.toLowerCase() === 'content-type' && SAFE_CT.includes(v.split(';')[0].trim().toLowerCase())))
      .map(([n]) => n.toLowerCase()).sort();
    const acrh = spec.preflight.acrh ?? unsafe.join(',');
    const reqHeaders: Header[] = [
      { name: 'Accept', value: '*/*' },
      { name: 'Access-Control-Request-Method', value: method },
      ...(acrh ? [{ name: 'Access-Control-Request-Headers', value: acrh }] : []),
      { name: 'Origin', value: initiator ?? 'null' },
      { name: 'Sec-Fetch-Mode', value: 'cors' },
      { name: 'User-Agent', value: 'Mozilla/5.0' },
    ];
    exchanges.push({ kind: 'preflight', url, method: 'OPTIONS', requestHeaders: reqHeaders, response: { status: spec.preflight.status, headers: hdrs(spec.preflight.headers) } });
  }
  const mainHeaders: Header[] = [
    ...hdrs(pageHeaders),
    { name: 'Origin', value: initiator ?? 'null' },
    { name: 'User-Agent', value: 'Mozilla/5.0' },
    { name: 'Sec-Fetch-Mode', value: 'cors' },
    { name: 'Accept-Encoding', value: 'gzip, deflate, br' },
    ...(spec.cookie ? [{ name: 'Cookie', value: 'sid=1' }] : []),
  ];
  if (spec.response !== null) {
    const r = spec.response ?? { status: 200 };
    exchanges.push({ kind: 'main', url, method, requestHeaders: mainHeaders, response: { status: r.status, headers: hdrs(r.headers) }, ...(spec.hops?.length ? { redirectUrl: spec.hops[0].url } : {}) });
  }
  for (const [i, hop] of (spec.hops ?? []).entries()) {
    const next = spec.hops?.[i + 1];
    exchanges.push({
      kind: 'main', url: hop.url, method,
      requestHeaders: hop.origin ? [{ name: 'Origin', value: hop.origin }] : null,
      response: { status: hop.status, headers: hdrs(hop.headers) },
      ...(next ? { redirectUrl: next.url } : {}),
    });
  }
  return {
    id, initiator, method, url, exchanges, type: 'fetch',
    outcome: { kind: 'error', error: 'net::ERR_FAILED' },
  };
}

const base = (credentials: CredentialsMode | null) => ({
  browser: 'chromium' as const, mode: 'cors' as const, credentials, inferences: [], findings: [],
  preflight: 'sent' as const, trace: [],
});

export function blocked(
  corsError: ChromiumCorsError,
  opts: Partial<BlockReason> & { credentials?: CredentialsMode | null } = {},
): Verdict {
  const stage = opts.stage ?? (corsError.startsWith('Preflight') || /Preflight|Disallowed/.test(corsError) ? 'preflight' : 'response');
  return {
    ...base(opts.credentials === undefined ? 'same-origin' : opts.credentials),
    kind: 'blocked',
    reason: {
      corsError, failedParameter: opts.failedParameter ?? '', firefoxReason: opts.firefoxReason ?? 'CORSMissingAllowOrigin',
      exchangeIndex: opts.exchangeIndex ?? 0, stage,
      ...(opts.header !== undefined ? { header: opts.header } : {}),
      ...(opts.expected !== undefined ? { expected: opts.expected } : {}),
      ...(opts.actual !== undefined ? { actual: opts.actual } : {}),
    },
  };
}

export function hidden(names: string[], credentials: CredentialsMode | null = 'same-origin'): Verdict {
  return { ...base(credentials), kind: 'allowed-hidden-headers', hiddenHeaders: names };
}

export function allowed(credentials: CredentialsMode | null = 'same-origin'): Verdict {
  return { ...base(credentials), kind: 'allowed' };
}

export function notCors(why: NotCorsWhy, detail = ''): Verdict {
  return { ...base(null), kind: 'not-cors', why, cause: why === 'cors-passed' ? 'http-error' : why, detail };
}

export function unknown(missing: string[]): Verdict {
  return { ...base(null), kind: 'unknown', missing };
}

export const item = (request: ObservedRequest, verdict: Verdict): PolicyItem => ({ request, verdict });

/** The representative scenarios the golden files are rendered from. */
export function goldenScenarios(): Record<'simple' | 'multi', PolicyItem[]> {
  // simple: one uncredentialed PUT with a JSON body from one page, blocked because ACAM lacks PUT.
  const simple = [item(
    request({ id: 's1', method: 'PUT', headers: { 'Content-Type': 'application/json' }, preflight: { status: 204, headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'GET, POST' } }, response: null }),
    blocked('MethodDisallowedByPreflightResponse', { failedParameter: 'PUT', actual: 'GET, POST', stage: 'preflight' }),
  )];
  // multi: two page origins, credentialed, custom header + Authorization, PATCH, an exposed header, a 500.
  const multi = [
    item(
      request({ id: 'm1', method: 'PATCH', headers: { 'X-Api-Key': 'k', Authorization: 'Bearer t', 'Content-Type': 'application/json' }, preflight: { status: 204, headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': '*', 'Access-Control-Allow-Headers': '*' } }, response: null, cookie: true }),
      blocked('PreflightWildcardOriginNotAllowed', { credentials: 'include', stage: 'preflight' }),
    ),
    item(
      request({ id: 'm2', initiator: 'https://admin.example.com', cookie: true, response: { status: 200, headers: { 'Access-Control-Allow-Origin': 'https://admin.example.com', 'Access-Control-Allow-Credentials': 'true', 'X-Total-Count': '42', 'X-Request-Id': 'abc' } } }),
      hidden(['X-Total-Count', 'X-Request-Id'], 'include'),
    ),
    item(
      request({ id: 'm3', method: 'DELETE', url: `${API}/api/items/7`, cookie: true, preflight: { status: 204, headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Allow-Methods': 'DELETE' } }, response: { status: 500, headers: {} } }),
      blocked('MissingAllowOriginHeader', { credentials: 'include', stage: 'response', exchangeIndex: 1 }),
    ),
  ];
  return { simple, multi };
}
