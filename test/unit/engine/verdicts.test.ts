// Verdict semantics: not-cors classes, unknown when evidence is missing, inference of mode and credentials,
// and weighing the headers against how the request actually ended in each browser.
import { describe, expect, it } from 'vitest';
import { evaluate, type ObservedRequest, type Verdict } from '../../../src/engine';
import { PreflightCacheModel } from '../../support/preflight-cache-model';
import { A, B, acao, cred, get, method, req } from '../../support/requests';

const chromium = (r: ObservedRequest) => evaluate(r, { browser: 'chromium' });
const firefox = (r: ObservedRequest) => evaluate(r, { browser: 'firefox' });
const why = (v: Verdict) => (v.kind === 'not-cors' ? v.why : v.kind);
const inf = (v: Verdict, what: string) => v.inferences.find((i) => i.what === what);

describe('not CORS', () => {
  it('same-origin request → not-cors same-origin', () => {
    expect(why(chromium(get(`${A}/x`).res(200, []).ok()))).toBe('same-origin');
  });
  it('navigation (main_frame) → not-cors navigation', () => {
    expect(why(chromium(get(`${B}/`, { type: 'main_frame' }).res(200, []).ok()))).toBe('navigation');
  });
  it('sub_frame → navigation too', () =>
    expect(why(chromium(get(`${B}/`, { type: 'sub_frame' }).res(200, []).ok()))).toBe('navigation'));
  it('websocket → not-cors websocket', () =>
    expect(why(chromium(get('ws://127.0.0.1:8102/ws', { type: 'websocket' }).res(101, []).ok(101)))).toBe('websocket'));
  it('data: URL → not-cors data-url', () => expect(why(chromium(get('data:text/plain,hi').ok()))).toBe('data-url'));
  it('cross-origin <img> without Origin → no-cors, opaque, and the detail says so', () => {
    const v = chromium(
      get(`${B}/i.png`, { type: 'image', noOrigin: true, headers: { Accept: 'image/*' } })
        .res(200, [])
        .ok(),
    );
    expect(v.kind === 'not-cors' && [v.why, v.detail.includes('opaque')]).toEqual(['no-cors', true]);
    expect(inf(v, 'mode')).toMatchObject({ value: 'no-cors', confidence: 'likely' });
  });
  it('Sec-Fetch-Mode: no-cors is certain', () => {
    const v = chromium(
      get(`${B}/x`, { headers: { 'Sec-Fetch-Mode': 'no-cors' }, noOrigin: true })
        .res(200, [])
        .ok(),
    );
    expect(why(v)).toBe('no-cors');
    expect(inf(v, 'mode')?.confidence).toBe('certain');
  });
  it('net::ERR_BLOCKED_BY_CLIENT → blocked-by-client', () =>
    expect(why(chromium(get(`${B}/x`).unsent().fail('net::ERR_BLOCKED_BY_CLIENT')))).toBe('blocked-by-client'));
  it('net::ERR_BLOCKED_BY_ORB → other-policy', () =>
    expect(
      why(chromium(get(`${B}/x`, { type: 'image', noOrigin: true }).res(200, []).fail('net::ERR_BLOCKED_BY_ORB'))),
    ).toBe('other-policy'));
  it('net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin (CORP) → other-policy', () =>
    expect(why(chromium(get(`${B}/x`).res(200, acao('*')).fail('net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin')))).toBe(
      'other-policy',
    ));
  it('LNA errors → local-network-access', () => {
    expect(why(chromium(get(`${B}/x`).unsent().fail('net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS')))).toBe(
      'local-network-access',
    );
    expect(why(chromium(get(`${B}/x`).unsent().fail('net::ERR_BLOCKED_BY_PRIVATE_NETWORK_ACCESS_CHECKS')))).toBe(
      'local-network-access',
    );
  });
  it('connection refused without any CORS header problem → network-error', () => {
    expect(why(chromium(get(`${B}/x`).unsent('net::ERR_CONNECTION_REFUSED').fail('net::ERR_CONNECTION_REFUSED')))).toBe(
      'network-error',
    );
    expect(why(firefox(get(`${B}/x`).unsent('NS_ERROR_CONNECTION_REFUSED').fail('NS_ERROR_CONNECTION_REFUSED')))).toBe(
      'network-error',
    );
  });
  it('extension pages with host permissions bypass CORS: a failing response that completed in Chromium → not-cors extension', () => {
    expect(why(chromium(get(`${B}/x`, { from: 'chrome-extension://abcdefghijklmnop' }).res(200, []).ok()))).toBe(
      'extension',
    );
  });
  it('extension pages without host permissions are CORS-checked like any page', () => {
    expect(why(chromium(get(`${B}/x`, { from: 'chrome-extension://abcdefghijklmnop' }).res(200, []).fail()))).toBe(
      'blocked',
    );
    expect(why(chromium(get(`${B}/x`, { from: 'chrome-extension://abcdefghijklmnop' }).res(200, acao('*')).ok()))).toBe(
      'allowed',
    );
  });
});

describe('unknown when the evidence is insufficient', () => {
  it('Chromium net::ERR_FAILED with no response seen and nothing to blame → unknown', () => {
    const v = chromium(get(`${B}/x`).unsent().fail());
    expect(v.kind).toBe('unknown');
    expect(v.kind === 'unknown' && v.missing[0]).toContain('response headers');
  });
  it('a PUT that needed a preflight, none seen, no cache model, request failed → unknown, preflight missing', () => {
    const v = chromium(method('PUT', `${B}/x`).unsent().fail());
    expect(v.kind).toBe('unknown');
    expect(v.preflight).toBe('missing');
  });
  it('the same PUT that completed → allowed with preflight cached and an inference saying so', () => {
    const v = chromium(method('PUT', `${B}/x`).res(200, acao('*')).ok());
    expect(v.kind).toBe('allowed');
    expect(v.preflight).toBe('cached');
    expect(inf(v, 'preflight-cache')).toMatchObject({ value: 'hit' });
    expect(v.findings.map((f) => f.code)).toContain('preflight-cache-may-hide-fix');
  });
  it('a cache model that covers the request explains a missing preflight even when the request failed later', () => {
    const cache = new PreflightCacheModel('chromium');
    const first = method('PUT', `${B}/x`, { hints: { mode: 'cors', credentials: 'same-origin' } })
      .pre(204, acao(A, { 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Max-Age': '60' }))
      .res(200, acao('*'))
      .ok();
    first.exchanges.forEach((e) => {
      e.startedAt = 1000;
      e.endedAt = 1000;
    });
    cache.observe(first, evaluate(first, { browser: 'chromium' }));
    const second = method('PUT', `${B}/x`, { hints: { mode: 'cors', credentials: 'same-origin' } })
      .res(200, [])
      .fail();
    second.exchanges[0].startedAt = 30_000;
    const v = evaluate(second, { browser: 'chromium', preflightCache: cache });
    expect(v.preflight).toBe('cached');
    expect(v.kind === 'blocked' && v.reason.corsError).toBe('MissingAllowOriginHeader');
  });
  it('unknown initiator → unknown', () => {
    const r = get(`${B}/x`, { from: null }).res(200, acao('*')).ok();
    expect(chromium(r).kind).toBe('unknown');
  });
  it('initiator taken from the Origin header when webRequest gave none', () => {
    const r = get(`${B}/x`)
      .res(200, acao(A, { Vary: 'Origin' }))
      .ok();
    r.initiator = null;
    const v = chromium(r);
    expect(v.kind).toBe('allowed');
    expect(inf(v, 'initiator')?.value).toBe(A);
  });
});

describe('credentials inference and the outcome', () => {
  it('a Cookie on the cross-origin request → credentials include (likely) → ACAO * is WildcardOriginNotAllowed', () => {
    const v = chromium(
      get(`${B}/x`, { headers: { Cookie: 'sid=1' } })
        .res(200, acao('*'))
        .fail(),
    );
    expect(v.credentials).toBe('include');
    expect(inf(v, 'credentials')?.because).toContain('Cookie');
    expect(v.kind === 'blocked' && v.reason.corsError).toBe('WildcardOriginNotAllowed');
  });
  it('Chromium: error outcome with ACAO * and no cookie → only credentials include explains it', () => {
    const v = chromium(get(`${B}/x`).res(200, acao('*')).fail());
    expect(v.kind === 'blocked' && v.reason.corsError).toBe('WildcardOriginNotAllowed');
    expect(inf(v, 'credentials')).toMatchObject({ value: 'include', confidence: 'likely' });
  });
  it('Chromium: error outcome with ACAO = origin and no ACAC → InvalidAllowCredentials via include', () => {
    const v = chromium(get(`${B}/x`).res(200, acao(A)).fail());
    expect(v.kind === 'blocked' && v.reason.corsError).toBe('InvalidAllowCredentials');
  });
  it('Chromium: completed with ACAO * despite a Cookie → credentials were not include (the outcome wins)', () => {
    const v = chromium(
      get(`${B}/x`, { headers: { Cookie: 'sid=1' } })
        .res(200, acao('*'))
        .ok(),
    );
    expect(v.kind).toBe('allowed');
    expect(v.credentials).toBe('same-origin');
    expect(inf(v, 'credentials')?.because).toContain('completed');
  });
  it('Chromium: completed although ACAO is missing and mode was only inferred → it was no-cors', () => {
    const v = chromium(method('POST', `${B}/x`).res(200, []).ok());
    expect(v.kind === 'not-cors' && v.why).toBe('no-cors');
    expect(v.inferences.some((i) => i.what === 'mode' && i.value === 'no-cors')).toBe(true);
  });
  it('Chromium: completed although ACAO is missing with Sec-Fetch-Mode: cors → allowed, with an inference that the headers differ', () => {
    const v = chromium(
      get(`${B}/x`, { headers: { 'Sec-Fetch-Mode': 'cors' } })
        .res(200, [])
        .ok(),
    );
    expect(v.kind).toBe('allowed');
    expect(inf(v, 'response')?.confidence).toBe('guess');
  });
  it('Firefox reports response-side blocks as completed(200): headers alone decide', () => {
    const v = firefox(
      get(`${B}/x`, { hints: { mode: 'cors', credentials: 'same-origin' } })
        .res(200, [])
        .ok(),
    );
    expect(v.kind === 'blocked' && v.reason.firefoxReason).toBe('CORSMissingAllowOrigin');
  });
  it('Firefox preflight failure (NS_ERROR_DOM_BAD_URI) with ACAO * on the preflight → credentials include', () => {
    const v = firefox(
      method('PUT', `${B}/x`)
        .pre(204, acao('*', { 'Access-Control-Allow-Methods': 'PUT' }))
        .unsent()
        .fail('NS_ERROR_DOM_BAD_URI'),
    );
    expect(v.kind === 'blocked' && v.reason).toMatchObject({
      corsError: 'PreflightWildcardOriginNotAllowed',
      firefoxReason: 'CORSNotSupportingCredentials',
    });
  });
  it('ACAO * with credentials unknown: allowed, and the inference warns that include would be blocked', () => {
    const v = chromium(get(`${B}/x`).res(200, acao('*')).ok());
    expect(v.kind).toBe('allowed');
    expect(inf(v, 'credentials')?.because).toContain('WildcardOriginNotAllowed');
  });
  it('hints from the page observer override header evidence', () => {
    const v = chromium(
      get(`${B}/x`, {
        headers: { Cookie: 'a=1' },
        hints: { mode: 'cors', credentials: 'omit', source: 'page-observer' },
      })
        .res(200, acao('*'))
        .ok(),
    );
    expect(v.credentials).toBe('omit');
    expect(v.kind).toBe('allowed');
  });
  it('Authorization the page did not set (absent from ACRH) → HTTP auth → credentials include', () => {
    const r = method('PUT', `${B}/x`, { headers: { Authorization: 'Basic eA==' } })
      .pre(204, acao(A, { 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Allow-Credentials': 'true' }), {
        acrh: '',
      })
      .res(200, acao(A))
      .fail();
    const v = chromium(r);
    expect(v.credentials).toBe('include');
    expect(v.kind === 'blocked' && v.reason.corsError).toBe('InvalidAllowCredentials');
  });
  it('a credentialed request that passes: ACAO = origin + ACAC true', () => {
    const v = chromium(
      get(`${B}/x`, { headers: { Cookie: 'a=1' } })
        .res(200, cred())
        .ok(),
    );
    expect(v.kind).toBe('allowed');
    expect(v.credentials).toBe('include');
  });
});

describe('mode inference', () => {
  it('a preflight seen → mode cors, certain', () => {
    const v = chromium(
      method('PUT', `${B}/x`)
        .pre(204, acao('*', { 'Access-Control-Allow-Methods': 'PUT' }))
        .res(200, acao('*'))
        .ok(),
    );
    expect(inf(v, 'mode')).toMatchObject({ value: 'cors', confidence: 'certain' });
  });
  it('Origin on a cross-origin GET → cors, likely', () => {
    expect(inf(chromium(get(`${B}/x`, { type: 'other' }).res(200, acao('*')).ok()), 'mode')).toMatchObject({
      value: 'cors',
      confidence: 'likely',
    });
  });
  it('<script crossorigin> (Origin present) is cors', () => {
    const v = chromium(get(`${B}/s.js`, { type: 'script' }).res(200, []).fail());
    expect(v.kind === 'blocked' && v.reason.corsError).toBe('MissingAllowOriginHeader');
  });
  it('no type, no headers → cors as a guess', () => {
    const r = req({ url: `${B}/x` })
      .unsent()
      .build();
    r.type = undefined;
    expect(inf(chromium(r), 'mode')?.confidence).toBe('guess');
  });
});

describe('trace', () => {
  it('reads as the checks run, in order', () => {
    const v = chromium(
      method('PUT', `${B}/x`, { headers: { 'X-Api-Key': 'k' } })
        .pre(204, acao(A, { 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Allow-Headers': 'x-api-key' }), {
          acrh: 'x-api-key',
        })
        .res(200, acao(A, { Vary: 'Origin' }))
        .ok(),
    );
    const t = v.trace.join('\n');
    expect(t.indexOf('cross-origin: http://127.0.0.1:8101 → http://127.0.0.1:8102')).toBeGreaterThanOrEqual(0);
    expect(t.indexOf('preflight needed: method PUT is not safelisted')).toBeGreaterThan(t.indexOf('cross-origin'));
    expect(t.indexOf('request headers x-api-key allowed')).toBeGreaterThan(t.indexOf('preflight needed'));
    expect(t.indexOf('response 200')).toBeGreaterThan(t.indexOf('request headers x-api-key allowed'));
  });
});

describe('opaque initiators reported as URLs', () => {
  it('Firefox: a sandboxed iframe (originUrl looks like a tuple origin) sends Origin: null, so ACAO null is what matches', () => {
    const r = get(`${B}/x`, {
      hints: { mode: 'cors', credentials: 'same-origin' },
      noOrigin: true,
      headers: { Origin: 'null' },
    })
      .res(200, acao('null'))
      .ok();
    const v = firefox(r);
    expect(v.kind).toBe('allowed');
    expect(inf(v, 'initiator')?.value).toBe('null');
    const mismatch = firefox(
      get(`${B}/x`, {
        hints: { mode: 'cors', credentials: 'same-origin' },
        noOrigin: true,
        headers: { Origin: 'null' },
      })
        .res(200, acao(A))
        .ok(),
    );
    expect(mismatch.kind === 'blocked' && mismatch.reason.firefoxReason).toBe('CORSAllowOriginNotMatchingOrigin');
  });
});
