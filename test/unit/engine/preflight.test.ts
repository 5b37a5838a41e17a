// Preflight validation: each browser's order of checks, failedParameter rules, the WPT cors-preflight-star cases,
// status codes and redirected preflights (with the measured Chromium/Firefox difference for a bare 308).
import { describe, expect, it } from 'vitest';
import { evaluate, type BlockReason, type BrowserName, type Verdict } from '../../../src/engine';
import { A, B, acao, method, type H } from '../../support/requests';

interface Case {
  m?: string;
  headers?: Array<[string, string]>;
  credentials?: boolean;
  status?: number;
  pre: H;
}

/** A preflighted request whose preflight got `pre`; the actual request never went out (Chromium ERR_FAILED). */
function run(c: Case, browser: BrowserName, actualOk = false): Verdict {
  const m = c.m ?? 'PUT';
  const names = (c.headers ?? [])
    .map(([n]) => n.toLowerCase())
    .sort()
    .join(',');
  const r = method(m, `${B}/p`, {
    headers: c.headers,
    hints: { mode: 'cors', credentials: c.credentials ? 'include' : 'same-origin' },
  }).pre(c.status ?? 204, c.pre, names ? { acrh: names } : {});
  if (actualOk)
    return evaluate(
      r
        .res(
          200,
          acao(
            c.credentials ? A : '*',
            c.credentials ? { 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' } : {},
          ),
        )
        .ok(),
      { browser },
    );
  return evaluate(r.unsent().fail(browser === 'chromium' ? 'net::ERR_FAILED' : 'NS_ERROR_DOM_BAD_URI'), { browser });
}

function reason(c: Case, browser: BrowserName): BlockReason {
  const v = run(c, browser);
  if (v.kind !== 'blocked') throw new Error(`expected blocked, got ${v.kind}: ${v.trace.join(' | ')}`);
  return v.reason;
}

const ok = (more: Record<string, string> = {}): Array<[string, string]> => [
  ['Access-Control-Allow-Origin', A],
  ...Object.entries(more),
];

describe('WPT cors-preflight-star.any.js', () => {
  const allowed: Array<[string, Case]> = [
    ['without credentials ACAM * allows SUPER', { m: 'SUPER', pre: ok({ 'Access-Control-Allow-Methods': '*' }) }],
    [
      'without credentials ACAH * allows X-Test',
      { m: 'GET', headers: [['X-Test', '1']], pre: ok({ 'Access-Control-Allow-Headers': '*' }) },
    ],
    [
      'ACAM get still lets GET, HEAD and POST through (safelisted)',
      {
        m: 'POST',
        headers: [['X-Test', '1']],
        pre: ok({ 'Access-Control-Allow-Methods': 'get', 'Access-Control-Allow-Headers': 'x-test' }),
      },
    ],
    [
      'ACAH *, Authorization passes Authorization',
      {
        m: 'GET',
        headers: [['Authorization', 'Bearer t']],
        pre: ok({ 'Access-Control-Allow-Headers': '*, Authorization' }),
      },
    ],
    ['ACAM patch allows patch', { m: 'patch', pre: ok({ 'Access-Control-Allow-Methods': 'patch' }) }],
    [
      'MEASURED: ACAH * without credentials lets Authorization through (both browsers)',
      { m: 'GET', headers: [['Authorization', 'Bearer t']], pre: ok({ 'Access-Control-Allow-Headers': '*' }) },
    ],
  ];
  for (const [name, c] of allowed) {
    for (const browser of ['chromium', 'firefox'] as const) {
      it(`${browser}: ${name}`, () => {
        const v = run(c, browser, true);
        expect(v.kind, v.trace.join('\n')).toMatch(/^allowed/);
        expect(v.preflight).toBe('sent');
      });
    }
  }
  it('Authorization through ACAH * raises the authorization-covered-by-wildcard finding', () => {
    const v = run(
      { m: 'GET', headers: [['Authorization', 'Bearer t']], pre: ok({ 'Access-Control-Allow-Headers': '*' }) },
      'chromium',
      true,
    );
    expect(v.findings.map((f) => f.code)).toContain('authorization-covered-by-wildcard');
  });

  const blockedCases: Array<[string, Case, Partial<BlockReason>]> = [
    [
      'with credentials ACAM * is literal: SUPER → MethodDisallowedByPreflightResponse',
      {
        m: 'SUPER',
        credentials: true,
        pre: ok({ 'Access-Control-Allow-Methods': '*', 'Access-Control-Allow-Credentials': 'true' }),
      },
      {
        corsError: 'MethodDisallowedByPreflightResponse',
        failedParameter: 'SUPER',
        firefoxReason: 'CORSMethodNotFound',
      },
    ],
    [
      'with credentials ACAH * is literal: X-Test → HeaderDisallowedByPreflightResponse',
      {
        m: 'GET',
        headers: [['X-Test', '1']],
        credentials: true,
        pre: ok({ 'Access-Control-Allow-Headers': '*', 'Access-Control-Allow-Credentials': 'true' }),
      },
      {
        corsError: 'HeaderDisallowedByPreflightResponse',
        failedParameter: 'x-test',
        firefoxReason: 'CORSMissingAllowHeaderFromPreflight',
        header: 'x-test',
      },
    ],
    [
      'ACAM get does not allow PUT',
      { m: 'PUT', pre: ok({ 'Access-Control-Allow-Methods': 'get' }) },
      { corsError: 'MethodDisallowedByPreflightResponse', failedParameter: 'PUT', firefoxReason: 'CORSMethodNotFound' },
    ],
    [
      'ACAM put does not allow PUT (case-sensitive)',
      { m: 'PUT', pre: ok({ 'Access-Control-Allow-Methods': 'put' }) },
      { corsError: 'MethodDisallowedByPreflightResponse', failedParameter: 'PUT' },
    ],
    [
      'ACAM PATCH does not allow patch',
      { m: 'patch', pre: ok({ 'Access-Control-Allow-Methods': 'PATCH' }) },
      { corsError: 'MethodDisallowedByPreflightResponse', failedParameter: 'patch' },
    ],
    [
      'ACAM missing for DELETE',
      { m: 'DELETE', pre: ok() },
      { corsError: 'MethodDisallowedByPreflightResponse', failedParameter: 'DELETE', actual: null },
    ],
  ];
  for (const [name, c, expected] of blockedCases) {
    for (const browser of ['chromium', 'firefox'] as const) {
      it(`${browser}: ${name}`, () => expect(reason(c, browser)).toMatchObject({ stage: 'preflight', ...expected }));
    }
  }
});

describe('preflight ACAO/ACAC → Preflight* variants', () => {
  const cases: Array<[string, Case, string, string, string]> = [
    ['no ACAO', { pre: [] }, 'PreflightMissingAllowOriginHeader', 'CORSMissingAllowOrigin', ''],
    [
      'ACAO of another origin',
      { pre: [['Access-Control-Allow-Origin', B]] },
      'PreflightAllowOriginMismatch',
      'CORSAllowOriginNotMatchingOrigin',
      B,
    ],
    [
      'ACAO list on one line',
      { pre: [['Access-Control-Allow-Origin', `${A}, ${B}`]] },
      'PreflightMultipleAllowOriginValues',
      'CORSAllowOriginNotMatchingOrigin',
      `${A}, ${B}`,
    ],
    [
      'ACAO twice',
      {
        pre: [
          ['Access-Control-Allow-Origin', A],
          ['Access-Control-Allow-Origin', A],
        ],
      },
      'PreflightMultipleAllowOriginValues',
      'CORSMultipleAllowOriginNotAllowed',
      `${A}, ${A}`,
    ],
    [
      'ACAO not a URL',
      { pre: [['Access-Control-Allow-Origin', 'example.com']] },
      'PreflightInvalidAllowOriginValue',
      'CORSAllowOriginNotMatchingOrigin',
      'example.com',
    ],
    [
      'ACAO * for a credentialed request',
      {
        credentials: true,
        pre: [
          ['Access-Control-Allow-Origin', '*'],
          ['Access-Control-Allow-Methods', 'PUT'],
        ],
      },
      'PreflightWildcardOriginNotAllowed',
      'CORSNotSupportingCredentials',
      '',
    ],
    [
      'ACAC missing for a credentialed request',
      {
        credentials: true,
        pre: [
          ['Access-Control-Allow-Origin', A],
          ['Access-Control-Allow-Methods', 'PUT'],
        ],
      },
      'PreflightInvalidAllowCredentials',
      'CORSMissingAllowCredentials',
      '',
    ],
  ];
  for (const [name, c, chromium, firefox, param] of cases) {
    it(`preflight with ${name} → ${chromium} / ${firefox}`, () => {
      for (const browser of ['chromium', 'firefox'] as const) {
        expect(reason(c, browser)).toMatchObject({
          corsError: chromium,
          firefoxReason: firefox,
          failedParameter: param,
          stage: 'preflight',
          exchangeIndex: 0,
        });
      }
    });
  }
  it('preflight 404 without ACAO → PreflightMissingAllowOriginHeader even though the status is also bad', () => {
    expect(reason({ status: 404, pre: [] }, 'chromium').corsError).toBe('PreflightMissingAllowOriginHeader');
    expect(reason({ status: 404, pre: [] }, 'firefox').firefoxReason).toBe('CORSMissingAllowOrigin');
  });
});

describe('preflight status', () => {
  for (const status of [301, 304, 400, 401, 403, 404, 405, 500, 503]) {
    it(`preflight ${status} with good CORS headers → PreflightInvalidStatus / CORSPreflightDidNotSucceed`, () => {
      const c: Case = { status, pre: ok({ 'Access-Control-Allow-Methods': 'PUT' }) };
      for (const browser of ['chromium', 'firefox'] as const) {
        expect(reason(c, browser)).toMatchObject({
          corsError: 'PreflightInvalidStatus',
          firefoxReason: 'CORSPreflightDidNotSucceed',
          failedParameter: '',
          actual: String(status),
        });
      }
    });
  }
  for (const status of [200, 204, 299]) {
    it(`preflight ${status} is an ok status`, () =>
      expect(run({ status, pre: ok({ 'Access-Control-Allow-Methods': 'PUT' }) }, 'chromium', true).kind).toMatch(
        /^allowed/,
      ));
  }
});

describe('redirected preflight', () => {
  const redirect = (status: number, cors: boolean): Case => ({
    status,
    pre: [...(cors ? ok({ 'Access-Control-Allow-Methods': 'PUT' }) : []), ['Location', `${B}/elsewhere`]],
  });
  for (const status of [301, 302, 303, 307, 308]) {
    it(`preflight ${status} with CORS headers → PreflightDisallowedRedirect / CORSExternalRedirectNotAllowed`, () => {
      for (const browser of ['chromium', 'firefox'] as const) {
        expect(reason(redirect(status, true), browser)).toMatchObject({
          corsError: 'PreflightDisallowedRedirect',
          firefoxReason: 'CORSExternalRedirectNotAllowed',
          header: 'location',
        });
      }
    });
  }
  it('MEASURED: a 308 preflight without CORS headers → PreflightDisallowedRedirect in Chromium, CORSMissingAllowOrigin in Firefox', () => {
    expect(reason(redirect(308, false), 'chromium')).toMatchObject({
      corsError: 'PreflightDisallowedRedirect',
      firefoxReason: 'CORSMissingAllowOrigin',
    });
    expect(reason(redirect(308, false), 'firefox')).toMatchObject({
      corsError: 'PreflightDisallowedRedirect',
      firefoxReason: 'CORSMissingAllowOrigin',
    });
  });
  for (const status of [300, 304, 305, 306]) {
    it(`preflight ${status} with CORS headers and a Location is not a redirect → PreflightInvalidStatus / CORSPreflightDidNotSucceed`, () => {
      // Measured (oracle preflight-3xx-*-location): only 301, 302, 303, 307, 308 are redirect statuses.
      for (const browser of ['chromium', 'firefox'] as const) {
        expect(reason(redirect(status, true), browser)).toMatchObject({
          corsError: 'PreflightInvalidStatus',
          firefoxReason: 'CORSPreflightDidNotSucceed',
          actual: String(status),
        });
      }
    });
  }
  it('a 3xx preflight without Location is just a bad status', () => {
    expect(reason({ status: 302, pre: ok({ 'Access-Control-Allow-Methods': 'PUT' }) }, 'chromium').corsError).toBe(
      'PreflightInvalidStatus',
    );
  });
});

describe('ACAM/ACAH parsing and the order of checks', () => {
  it('ACAM with a non-token → InvalidAllowMethodsPreflightResponse, failedParameter empty', () => {
    for (const browser of ['chromium', 'firefox'] as const) {
      expect(reason({ pre: ok({ 'Access-Control-Allow-Methods': 'PUT, "DELETE"' }) }, browser)).toMatchObject({
        corsError: 'InvalidAllowMethodsPreflightResponse',
        firefoxReason: 'CORSInvalidAllowMethod',
        failedParameter: '',
      });
    }
  });
  it('ACAH with a non-token → InvalidAllowHeadersPreflightResponse', () => {
    for (const browser of ['chromium', 'firefox'] as const) {
      expect(
        reason(
          {
            headers: [['X-A', '1']],
            pre: ok({ 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Allow-Headers': 'x-a, x b' }),
          },
          browser,
        ),
      ).toMatchObject({
        corsError: 'InvalidAllowHeadersPreflightResponse',
        firefoxReason: 'CORSInvalidAllowHeader',
        failedParameter: '',
      });
    }
  });
  it('lists with empty elements and surrounding whitespace parse (WPT xhr: list starting with a comma)', () => {
    const v = run(
      {
        headers: [['X-A', '1']],
        pre: ok({ 'Access-Control-Allow-Methods': ',  PUT ,', 'Access-Control-Allow-Headers': ',x-a' }),
      },
      'chromium',
      true,
    );
    expect(v.kind).toMatch(/^allowed/);
  });
  it('method missing AND ACAH malformed: Chromium parses ACAH first (InvalidAllowHeaders), Firefox checks the method first (CORSMethodNotFound)', () => {
    const c: Case = {
      headers: [['X-A', '1']],
      pre: ok({ 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Allow-Headers': 'x a' }),
    };
    expect(reason(c, 'chromium')).toMatchObject({
      corsError: 'InvalidAllowHeadersPreflightResponse',
      firefoxReason: 'CORSMethodNotFound',
    });
    expect(reason(c, 'firefox')).toMatchObject({
      corsError: 'InvalidAllowHeadersPreflightResponse',
      firefoxReason: 'CORSMethodNotFound',
    });
  });
  it('method is checked before headers: PUT and x-a both missing → MethodDisallowedByPreflightResponse', () => {
    expect(reason({ headers: [['X-A', '1']], pre: ok() }, 'chromium').corsError).toBe(
      'MethodDisallowedByPreflightResponse',
    );
  });
  it('Chromium names the refused header that sorts last, whatever the request order; Firefox the one that sorts first', () => {
    // Measured (oracle refused-headers-*): Chromium's header vector is in descending name order, Gecko walks sorted ACRH.
    const orders: Array<Array<[string, string]>> = [
      [
        ['X-Zeta', '1'],
        ['X-Alpha', '2'],
        ['X-Mid', '3'],
      ],
      [
        ['x-alpha', '1'],
        ['X-MID', '2'],
        ['x-Zeta', '3'],
      ],
      [
        ['X-Mid', '1'],
        ['X-Zeta', '2'],
        ['X-Alpha', '3'],
      ],
    ];
    for (const headers of orders) {
      const build = () =>
        method('GET', `${B}/p`, { headers, hints: { mode: 'cors', credentials: 'same-origin' } }).pre(
          204,
          ok({ 'Access-Control-Allow-Headers': 'x-other' }),
          { acrh: 'x-alpha,x-mid,x-zeta' },
        );
      const c = evaluate(build().unsent(undefined, { withHeaders: true }).fail(), { browser: 'chromium' });
      expect(c.kind === 'blocked' && c.reason.failedParameter).toBe('x-zeta');
      const f = evaluate(build().unsent(undefined, { withHeaders: true }).fail('NS_ERROR_DOM_BAD_URI'), {
        browser: 'firefox',
      });
      // failedParameter stays Chromium's; `header` is the one the profile's browser names.
      expect(f.kind === 'blocked' && [f.reason.header, f.reason.failedParameter]).toEqual(['x-alpha', 'x-zeta']);
      // The live capture never sees the refused request's headers (it is not sent): ACRH alone gives the same answer.
      const acrhOnly = evaluate(build().unsent().fail(), { browser: 'chromium' });
      expect(acrhOnly.kind === 'blocked' && acrhOnly.reason.failedParameter).toBe('x-zeta');
    }
  });
  it("the verdict lists every refused header in the order the profile's browser checks them", () => {
    const build = () =>
      method('GET', `${B}/p`, {
        headers: [
          ['X-Zeta', '1'],
          ['X-Alpha', '2'],
          ['X-Mid', '3'],
          ['X-Ok', '4'],
        ],
        hints: { mode: 'cors', credentials: 'same-origin' },
      })
        .pre(204, ok({ 'Access-Control-Allow-Headers': 'x-ok' }), { acrh: 'x-alpha,x-mid,x-ok,x-zeta' })
        .unsent()
        .fail();
    const c = evaluate(build(), { browser: 'chromium' });
    expect(c.kind === 'blocked' && c.reason.refusedHeaders).toEqual(['x-zeta', 'x-mid', 'x-alpha']);
    const f = evaluate(build(), { browser: 'firefox' });
    expect(f.kind === 'blocked' && f.reason.refusedHeaders).toEqual(['x-alpha', 'x-mid', 'x-zeta']);
  });
  it('a listed header is skipped: Chromium names the last refused one, not the last one', () => {
    const v = evaluate(
      method('GET', `${B}/p`, {
        headers: [
          ['X-Zeta', '1'],
          ['X-Alpha', '2'],
          ['X-Mid', '3'],
        ],
        hints: { mode: 'cors', credentials: 'same-origin' },
      })
        .pre(204, ok({ 'Access-Control-Allow-Headers': 'X-ZETA' }), { acrh: 'x-alpha,x-mid,x-zeta' })
        .unsent()
        .fail(),
      { browser: 'chromium' },
    );
    expect(v.kind === 'blocked' && v.reason.failedParameter).toBe('x-mid');
  });
  it('header names in ACAH match case-insensitively', () => {
    expect(
      run(
        { m: 'GET', headers: [['X-Api-Key', '1']], pre: ok({ 'Access-Control-Allow-Headers': 'X-API-KEY' }) },
        'firefox',
        true,
      ).kind,
    ).toMatch(/^allowed/);
  });
  it('status is checked before ACAM parsing: 500 with a malformed ACAM → PreflightInvalidStatus', () => {
    expect(reason({ status: 500, pre: ok({ 'Access-Control-Allow-Methods': '(' }) }, 'chromium').corsError).toBe(
      'PreflightInvalidStatus',
    );
  });
});

describe('the actual request after a passing preflight is checked too', () => {
  it('preflight ok, actual response without ACAO → MissingAllowOriginHeader at the response stage', () => {
    const v = evaluate(
      method('PUT', `${B}/p`, { hints: { mode: 'cors', credentials: 'same-origin' } })
        .pre(204, ok({ 'Access-Control-Allow-Methods': 'PUT' }))
        .res(200, [])
        .fail(),
      { browser: 'chromium' },
    );
    expect(v.kind === 'blocked' && v.reason).toMatchObject({
      corsError: 'MissingAllowOriginHeader',
      stage: 'response',
      exchangeIndex: 1,
    });
  });
});

describe('preflight failures at the network level are not CORS', () => {
  it('preflight connection refused → not-cors network-error', () => {
    const r = method('PUT', `${B}/p`, { hints: { mode: 'cors', credentials: 'same-origin' } }).build();
    r.exchanges.push({
      kind: 'preflight',
      url: `${B}/p`,
      method: 'OPTIONS',
      requestHeaders: null,
      response: null,
      error: 'net::ERR_CONNECTION_REFUSED',
    });
    r.outcome = { kind: 'error', error: 'net::ERR_CONNECTION_REFUSED' };
    const v = evaluate(r, { browser: 'chromium' });
    expect(v.kind === 'not-cors' && v.why).toBe('network-error');
  });
});
