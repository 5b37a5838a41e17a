// Property tests (fast-check): evaluate never throws and always terminates on arbitrary input, including
// hostile header names/values and 10,000 headers; the verdict ignores header-name case and the order of
// independent headers. Runs: env FC_RUNS (default 200; a nightly run can set 100000).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluate,
  messagesFor,
  type Exchange,
  type Header,
  type ObservedRequest,
  type Verdict,
} from '../../../src/engine';
import { A, B, acao, get, method } from '../../support/requests';

const RUNS = Math.max(1, Number(process.env.FC_RUNS) || 200);
// Generous and proportional to the run count: a loaded 2-core CI machine must not time out a nightly 100,000-run pass.
const TIMEOUT = Math.max(120_000, RUNS * 20);

const anyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '*',
    'null',
    '',
    ' ',
    A,
    B,
    `${A}, ${B}`,
    'true',
    'GET',
    'PUT',
    'x-a',
    '\x00',
    '\r\n',
    'http://',
    'bytes=1-2',
  ),
);
const headerName = fc.oneof(
  fc.constantFrom(
    'Access-Control-Allow-Origin',
    'access-control-allow-credentials',
    'Access-Control-Allow-Methods',
    'ACCESS-CONTROL-ALLOW-HEADERS',
    'Access-Control-Expose-Headers',
    'Access-Control-Max-Age',
    'Origin',
    'Cookie',
    'Authorization',
    'Content-Type',
    'Range',
    'Vary',
    'Location',
    'Sec-Fetch-Mode',
    'Access-Control-Request-Method',
    'Access-Control-Request-Headers',
    'Set-Cookie',
    'X-Api-Key',
    'DPR',
  ),
  anyString,
);
const header: fc.Arbitrary<Header> = fc.record(
  { name: headerName, value: anyString },
  { requiredKeys: ['name', 'value'] },
);
const headers = fc.array(header, { maxLength: 12 });
const url = fc.oneof(
  fc.constantFrom(
    `${A}/x`,
    `${B}/x`,
    'http://127.0.0.1:8103/y',
    'data:,x',
    'ftp://h/x',
    'ws://h/s',
    'https://u:p@h/x',
    'not a url',
    '',
  ),
  fc.webUrl(),
);
const exchange: fc.Arbitrary<Exchange> = fc.record(
  {
    kind: fc.constantFrom('preflight', 'main'),
    url,
    method: fc.constantFrom('GET', 'POST', 'PUT', 'OPTIONS', 'patch', 'HEAD', ''),
    requestHeaders: fc.option(headers, { nil: null }),
    response: fc.option(fc.record({ status: fc.integer({ min: 0, max: 999 }), headers }), { nil: null }),
    redirectUrl: fc.option(url, { nil: undefined }),
    error: fc.option(
      fc.constantFrom(
        'net::ERR_FAILED',
        'NS_ERROR_DOM_BAD_URI',
        'net::ERR_CONNECTION_REFUSED',
        'net::ERR_BLOCKED_BY_CLIENT',
        'weird',
      ),
      { nil: undefined },
    ),
    startedAt: fc.option(fc.integer(), { nil: undefined }),
  },
  { requiredKeys: ['kind', 'url', 'method', 'requestHeaders', 'response'] },
);
const observed: fc.Arbitrary<ObservedRequest> = fc.record(
  {
    id: fc.string(),
    initiator: fc.option(
      fc.constantFrom(A, B, 'null', '', 'garbage', 'chrome-extension://abc', 'http://127.0.0.1:8101/'),
      { nil: null },
    ),
    documentUrl: fc.option(url, { nil: undefined }),
    type: fc.option(
      fc.constantFrom(
        'main_frame',
        'sub_frame',
        'xmlhttprequest',
        'fetch',
        'image',
        'script',
        'font',
        'websocket',
        'other',
      ),
      { nil: undefined },
    ),
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'patch'),
    url,
    exchanges: fc.array(exchange, { maxLength: 6 }),
    outcome: fc.oneof(
      fc.record({ kind: fc.constant('completed' as const), status: fc.integer({ min: 0, max: 599 }) }),
      fc.record({
        kind: fc.constant('error' as const),
        error: fc.constantFrom(
          'net::ERR_FAILED',
          'NS_ERROR_DOM_BAD_URI',
          'net::ERR_ABORTED',
          'net::ERR_BLOCKED_BY_ORB',
          '',
        ),
      }),
      fc.constant({ kind: 'pending' as const }),
      fc.constant({ kind: 'unknown' as const }),
    ),
    hints: fc.option(
      fc.record(
        {
          mode: fc.option(fc.constantFrom('cors', 'no-cors', 'same-origin', 'navigate', 'websocket'), {
            nil: undefined,
          }),
          credentials: fc.option(fc.constantFrom('omit', 'same-origin', 'include'), { nil: undefined }),
          source: fc.constantFrom('page-observer', 'cdp', 'har', 'user', 'test'),
        },
        { requiredKeys: ['source'] },
      ),
      { nil: undefined },
    ),
  },
  { requiredKeys: ['id', 'initiator', 'method', 'url', 'exchanges', 'outcome'] },
) as fc.Arbitrary<ObservedRequest>;

/** Near-real requests: a cross-origin call with CORS headers drawn from pools of good and bad values. */
const corsValue = fc.constantFrom(
  '*',
  A,
  B,
  'null',
  `${A}, ${B}`,
  '',
  'true',
  'True',
  'PUT',
  'put, GET',
  'x-a',
  'x-a, X-B',
  '*, authorization',
  '(bad)',
  '600',
  'Origin',
);
const corsName = fc.constantFrom(
  'Access-Control-Allow-Origin',
  'Access-Control-Allow-Credentials',
  'Access-Control-Allow-Methods',
  'Access-Control-Allow-Headers',
  'Access-Control-Expose-Headers',
  'Access-Control-Max-Age',
  'Vary',
  'X-Request-Id',
  'Set-Cookie',
  'ETag',
);
const corsHeaders = fc.array(fc.record({ name: corsName, value: corsValue }), { maxLength: 8 });
const realistic: fc.Arbitrary<ObservedRequest> = fc
  .record({
    m: fc.constantFrom('GET', 'POST', 'PUT', 'patch'),
    reqHeaders: fc.subarray([
      { name: 'X-A', value: '1' },
      { name: 'X-B', value: '2' },
      { name: 'Authorization', value: 'Bearer t' },
      { name: 'Cookie', value: 's=1' },
      { name: 'Content-Type', value: 'application/json' },
    ]),
    pre: fc.option(fc.record({ status: fc.constantFrom(200, 204, 302, 404), headers: corsHeaders })),
    res: fc.record({ status: fc.constantFrom(200, 201, 301, 500), headers: corsHeaders }),
    outcome: fc.constantFrom('ok', 'fail', 'ff'),
    credentials: fc.option(
      fc.constantFrom('omit', 'same-origin', 'include') as fc.Arbitrary<'omit' | 'same-origin' | 'include'>,
    ),
  })
  .map(({ m, reqHeaders, pre, res, outcome, credentials }) => {
    const r = method(m, `${B}/x`, {
      headers: reqHeaders.map((h) => [h.name, h.value] as [string, string]),
      ...(credentials ? { hints: { credentials } } : {}),
    });
    if (pre)
      r.pre(
        pre.status,
        pre.headers.map((h) => [h.name, h.value] as [string, string]),
        {
          acrh: reqHeaders
            .map((h) => h.name.toLowerCase())
            .filter((n) => n !== 'cookie')
            .sort()
            .join(','),
        },
      );
    r.res(
      res.status,
      res.headers.map((h) => [h.name, h.value] as [string, string]),
    );
    return outcome === 'ok' ? r.ok() : r.fail(outcome === 'ff' ? 'NS_ERROR_DOM_BAD_URI' : 'net::ERR_FAILED');
  });
const requests = fc.oneof(observed, realistic);

function wellFormed(v: Verdict): void {
  expect(['allowed', 'allowed-hidden-headers', 'blocked', 'not-cors', 'unknown']).toContain(v.kind);
  expect(Array.isArray(v.trace)).toBe(true);
  // The engine's own last-resort catch must never be what answered.
  expect(v.trace.some((l) => l.startsWith('internal error'))).toBe(false);
  if (v.kind === 'blocked') {
    expect(typeof v.reason.corsError).toBe('string');
    expect(typeof v.reason.firefoxReason).toBe('string');
  }
}

describe('evaluate is total', () => {
  it(
    'never throws and returns a well-formed verdict for arbitrary ObservedRequests (both browsers)',
    () => {
      fc.assert(
        fc.property(requests, fc.constantFrom('chromium', 'firefox'), (r, browser) => {
          const v = evaluate(r, { browser });
          wellFormed(v);
          messagesFor(r, v);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it('survives structurally broken input (nulls where objects belong)', () => {
    const broken = [
      { id: 'x' },
      { id: 'x', exchanges: [null, 1, 'a', { kind: 'main' }] },
      {
        id: 'x',
        url: 5,
        method: null,
        exchanges: [
          {
            kind: 'main',
            url: 'http://b/',
            method: 'GET',
            requestHeaders: [null, { name: 1 }],
            response: { status: 'x', headers: null },
          },
        ],
        outcome: null,
      },
    ] as unknown as ObservedRequest[];
    for (const r of broken) {
      const v = evaluate(r, { browser: 'chromium' });
      expect(v.kind).toBeTruthy();
      expect(() => messagesFor(r, v)).not.toThrow();
    }
  });

  it('handles huge values and control bytes in every header', () => {
    const huge = 'a'.repeat(1_000_000);
    const r = get(`${B}/x`, { headers: { 'X-Big': huge, Accept: `\x00\x01${huge}` } })
      .res(200, [
        ['Access-Control-Allow-Origin', huge],
        ['Access-Control-Allow-Headers', `${huge},\x7f`],
        ['X', '\r\n\t'],
      ])
      .fail();
    const v = evaluate(r, { browser: 'chromium' });
    expect(v.kind === 'blocked' && v.reason.corsError).toBe('InvalidAllowOriginValue');
  });

  it('10,000 request and response headers are fine', () => {
    const many: Array<[string, string]> = Array.from({ length: 10_000 }, (_, i) => [`X-H${i}`, `v${i}`]);
    const r = method('PUT', `${B}/x`, { headers: many })
      .pre(204, [
        ...acao(A),
        ['Access-Control-Allow-Methods', 'PUT'],
        ['Access-Control-Allow-Headers', many.map(([n]) => n).join(',')],
        ...many,
      ])
      .res(200, [...acao(A, { Vary: 'Origin' }), ...many])
      .ok();
    for (const browser of ['chromium', 'firefox'] as const) {
      const v = evaluate(r, { browser });
      expect(v.kind).toBe('allowed-hidden-headers');
      expect(v.kind === 'allowed-hidden-headers' && v.hiddenHeaders.length).toBe(10_000);
    }
    // 10,000 lines of the same header.
    const dup = get(`${B}/x`)
      .res(
        200,
        Array.from({ length: 10_000 }, (): [string, string] => ['Access-Control-Allow-Origin', A]),
      )
      .fail();
    const v = evaluate(dup, { browser: 'firefox' });
    expect(v.kind === 'blocked' && v.reason.firefoxReason).toBe('CORSMultipleAllowOriginNotAllowed');
  });
});

describe('long chains terminate', () => {
  it('a 2,000-hop redirect chain with a preflight before every hop is evaluated hop by hop', () => {
    const ex: Exchange[] = [];
    const n = 2000;
    for (let i = 0; i < n; i++) {
      ex.push({
        kind: 'preflight',
        url: `${B}/h${i}`,
        method: 'OPTIONS',
        requestHeaders: [{ name: 'Access-Control-Request-Method', value: 'PUT' }],
        response: {
          status: 204,
          headers: [
            { name: 'Access-Control-Allow-Origin', value: '*' },
            { name: 'Access-Control-Allow-Methods', value: 'PUT' },
          ],
        },
      });
      const last = i === n - 1;
      ex.push({
        kind: 'main',
        url: `${B}/h${i}`,
        method: 'PUT',
        requestHeaders: [{ name: 'Origin', value: A }],
        response: {
          status: last ? 200 : 307,
          headers: [
            { name: 'Access-Control-Allow-Origin', value: last ? 'nope' : '*' },
            ...(last ? [] : [{ name: 'Location', value: `${B}/h${i + 1}` }]),
          ],
        },
        ...(last ? {} : { redirectUrl: `${B}/h${i + 1}` }),
      });
    }
    const r: ObservedRequest = {
      id: 'x',
      initiator: A,
      method: 'PUT',
      url: `${B}/h0`,
      exchanges: ex,
      outcome: { kind: 'error', error: 'net::ERR_FAILED' },
    };
    const v = evaluate(r, { browser: 'chromium' });
    expect(v.kind === 'blocked' && [v.reason.corsError, v.reason.exchangeIndex]).toEqual([
      'InvalidAllowOriginValue',
      2 * n - 1,
    ]);
  });
});

/** Random ASCII case for a header name (header names are byte strings: only A-Z/a-z fold). */
const recase = (s: string, bits: number[]) =>
  [...s]
    .map((ch, i) => (/^[a-zA-Z]$/.test(ch) ? (bits[i % bits.length] ? ch.toUpperCase() : ch.toLowerCase()) : ch))
    .join('');

function stable(v: Verdict) {
  return {
    kind: v.kind,
    preflight: v.preflight,
    credentials: v.credentials,
    mode: v.mode,
    reason: v.kind === 'blocked' ? v.reason : null,
    hidden: v.kind === 'allowed-hidden-headers' ? [...v.hiddenHeaders].sort() : null,
    findings: v.findings.map((f) => f.code).sort(),
  };
}

describe('invariances', () => {
  it(
    'the verdict does not depend on header-name case',
    () => {
      fc.assert(
        fc.property(
          requests,
          fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 8 }),
          fc.constantFrom('chromium', 'firefox'),
          (r, bits, browser) => {
            const recased: ObservedRequest = {
              ...r,
              exchanges: r.exchanges.map((e) => ({
                ...e,
                requestHeaders: e.requestHeaders?.map((h) => ({ ...h, name: recase(h.name, bits) })) ?? null,
                response: e.response
                  ? { ...e.response, headers: e.response.headers.map((h) => ({ ...h, name: recase(h.name, bits) })) }
                  : null,
              })),
            };
            const a = stable(evaluate(r, { browser }));
            const b = stable(evaluate(recased, { browser }));
            // Only hidden-header names and header-at-fault are lowercased already, so everything must match.
            expect(b).toEqual(a);
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'reordering response headers with different names does not change the verdict',
    () => {
      fc.assert(
        fc.property(requests, fc.integer(), fc.constantFrom('chromium', 'firefox'), (r, seed, browser) => {
          const shuffled: ObservedRequest = {
            ...r,
            exchanges: r.exchanges.map((e) =>
              e.response ? { ...e, response: { ...e.response, headers: shuffleGroups(e.response.headers, seed) } } : e,
            ),
          };
          const a = stable(evaluate(r, { browser }));
          const b = stable(evaluate(shuffled, { browser }));
          expect({ ...b, hidden: null }).toEqual({ ...a, hidden: null });
          expect(b.hidden).toEqual(a.hidden);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});

describe('request header order', () => {
  it(
    'reordering request headers changes at most which disallowed header Chromium names first, never the verdict',
    () => {
      fc.assert(
        fc.property(requests, fc.integer(), fc.constantFrom('chromium', 'firefox'), (r, seed, browser) => {
          const shuffled: ObservedRequest = {
            ...r,
            exchanges: r.exchanges.map((e) =>
              e.requestHeaders ? { ...e, requestHeaders: shuffleGroups(e.requestHeaders, seed) } : e,
            ),
          };
          const a = stable(evaluate(r, { browser }));
          const b = stable(evaluate(shuffled, { browser }));
          const strip = (x: ReturnType<typeof stable>) => ({
            ...x,
            reason: x.reason ? { ...x.reason, failedParameter: null, header: null, expected: null } : null,
          });
          expect(strip(b)).toEqual(strip(a));
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});

/**
 * Reorders header lines while keeping the relative order of lines that share a name (those are not independent:
 * their combined value depends on order).
 */
function shuffleGroups(hs: Header[], seed: number): Header[] {
  const groups = new Map<string, Header[]>();
  for (const h of hs) {
    const k = h.name.toLowerCase();
    const g = groups.get(k);
    if (g) g.push(h);
    else groups.set(k, [h]);
  }
  const keys = [...groups.keys()];
  let s = seed | 0;
  for (let i = keys.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) | 0;
    const j = Math.abs(s) % (i + 1);
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  // Interleave: take one line per group round-robin, in the shuffled group order.
  const out: Header[] = [];
  const iters = keys.map((k) => [...groups.get(k)!]);
  while (out.length < hs.length) for (const it of iters) if (it.length) out.push(it.shift()!);
  return out;
}

describe('bounded output', () => {
  it('trace lines and inference texts stay short even for megabyte header values and thousands of headers', () => {
    const huge = 'x'.repeat(100_000);
    const many: Array<[string, string]> = Array.from({ length: 5_000 }, (_, i) => [`X-H${i}`, 'v']);
    const r = method('PUT', `${B}/x`, { headers: [...many, ['X-Huge', huge]] })
      .pre(204, [
        ['Access-Control-Allow-Origin', huge],
        ['Access-Control-Allow-Origin', huge],
      ])
      .unsent()
      .fail();
    const v = evaluate(r, { browser: 'chromium' });
    expect(v.kind === 'blocked' && v.reason.failedParameter).toBe(`${huge}, ${huge}`);
    expect(v.findings.map((f) => f.code)).toContain('duplicate-acao-proxy');
    expect(Math.max(...v.findings.map((f) => f.message.length))).toBeLessThanOrEqual(600);
    expect(Math.max(...v.trace.map((l) => l.length))).toBeLessThanOrEqual(600);
    expect(Math.max(...v.inferences.map((i) => i.because.length))).toBeLessThanOrEqual(600);
  });
});
