// Redirects of the actual request: CORS check on every 3xx hop, redirect-taint to Origin: null, userinfo in
// Location, non-HTTP targets, and the CORS flag turning on when a same-origin request leaves its origin.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine';
import { isRedirectStatus, redirectTarget } from '../../../src/engine/redirects';
import { importHar } from '../../../src/har/import';
import { A, B, C, acao, get } from '../../support/requests';

const hints = { mode: 'cors' as const, credentials: 'same-origin' as const };

describe('CORS check on each followed redirect', () => {
  it('a 302 without ACAO fails even though the target would allow it → MissingAllowOriginHeader at stage redirect', () => {
    const v = evaluate(get(`${B}/r`, { hints }).redirect(302, `${B}/final`).res(200, acao('*')).fail(), {
      browser: 'chromium',
    });
    expect(v.kind === 'blocked' && v.reason).toMatchObject({
      corsError: 'MissingAllowOriginHeader',
      stage: 'redirect',
      exchangeIndex: 0,
    });
  });
  it('a redirect with ACAO followed by a target with ACAO (same target origin) → allowed', () => {
    const v = evaluate(
      get(`${B}/r`, { hints })
        .redirect(307, `${B}/final`, acao(A))
        .res(200, acao(A, { Vary: 'Origin' }))
        .ok(),
      { browser: 'chromium' },
    );
    expect(v.kind).toBe('allowed');
    expect(v.trace.join('\n')).toContain('follows redirect');
  });
});

describe('redirect-taint', () => {
  it('page A → B → C: the second leg sends Origin: null, so ACAO A on C → AllowOriginMismatch (expected null)', () => {
    const v = evaluate(get(`${B}/r`, { hints }).redirect(302, `${C}/final`, acao('*')).res(200, acao(A)).fail(), {
      browser: 'chromium',
    });
    expect(v.kind === 'blocked' && v.reason).toMatchObject({
      corsError: 'AllowOriginMismatch',
      expected: 'null',
      actual: A,
      exchangeIndex: 1,
      stage: 'response',
    });
    expect(v.trace.some((l) => l.includes('Origin is now null'))).toBe(true);
  });
  it('page A → B → C with ACAO null on C → allowed', () => {
    const v = evaluate(get(`${B}/r`, { hints }).redirect(302, `${C}/final`, acao('*')).res(200, acao('null')).ok(), {
      browser: 'firefox',
    });
    expect(v.kind).toBe('allowed');
    expect(v.findings.map((f) => f.code)).toContain('null-origin-allowed');
  });
  it('page A → B → A (back home) is still tainted: needs ACAO null or *', () => {
    const blocked = evaluate(get(`${B}/r`, { hints }).redirect(302, `${A}/back`, acao('*')).res(200, acao(A)).fail(), {
      browser: 'chromium',
    });
    expect(blocked.kind === 'blocked' && blocked.reason.corsError).toBe('AllowOriginMismatch');
    const allowed = evaluate(get(`${B}/r`, { hints }).redirect(302, `${A}/back`, acao('*')).res(200, acao('*')).ok(), {
      browser: 'chromium',
    });
    expect(allowed.kind).toBe('allowed');
  });
  it('page A → B → B (same target origin) is not tainted', () => {
    const v = evaluate(
      get(`${B}/r`, { hints })
        .redirect(301, `${B}/2`, acao(A))
        .res(200, acao(A, { Vary: 'Origin' }))
        .ok(),
      { browser: 'chromium' },
    );
    expect(v.kind).toBe('allowed');
  });
  it('page A → A → B (same-origin first hop) is not tainted and turns the CORS flag on at B', () => {
    const ok = evaluate(
      get(`${A}/local`, { hints })
        .redirect(302, `${B}/api`)
        .res(200, acao(A, { Vary: 'Origin' }))
        .ok(),
      { browser: 'chromium' },
    );
    expect(ok.kind).toBe('allowed');
    expect(ok.trace.join('\n')).toContain('makes the request cross-origin');
    const blocked = evaluate(get(`${A}/local`, { hints }).redirect(302, `${B}/api`).res(200, []).fail(), {
      browser: 'chromium',
    });
    expect(blocked.kind === 'blocked' && blocked.reason).toMatchObject({
      corsError: 'MissingAllowOriginHeader',
      exchangeIndex: 1,
    });
  });
  it('a same-origin redirect chain that stays home is not CORS', () => {
    const v = evaluate(get(`${A}/a`, { hints }).redirect(302, `${A}/b`).res(200, []).ok(), { browser: 'chromium' });
    expect(v.kind === 'not-cors' && v.why).toBe('same-origin');
  });
  it('mode same-origin redirected cross-origin → DisallowedByMode', () => {
    const v = evaluate(
      get(`${A}/a`, { hints: { mode: 'same-origin', credentials: 'same-origin' } })
        .redirect(302, `${B}/b`)
        .unsent()
        .fail(),
      { browser: 'chromium' },
    );
    expect(v.kind === 'blocked' && v.reason).toMatchObject({
      corsError: 'DisallowedByMode',
      stage: 'redirect',
      failedParameter: '',
    });
  });
});

describe('Location checks', () => {
  it('userinfo in a cross-origin redirect Location → RedirectContainsCredentials (password redacted)', () => {
    const v = evaluate(
      get(`${B}/r`, { hints }).redirect(302, 'http://user:secret@127.0.0.1:8103/x', acao('*')).fail(),
      { browser: 'chromium' },
    );
    expect(v.kind === 'blocked' && v.reason).toMatchObject({
      corsError: 'RedirectContainsCredentials',
      failedParameter: '',
      stage: 'redirect',
      header: 'location',
    });
    expect(v.kind === 'blocked' && v.reason.actual).not.toContain('secret');
  });
  it('the redirect hop is CORS-checked before its Location: no ACAO and userinfo → MissingAllowOriginHeader', () => {
    const v = evaluate(get(`${B}/r`, { hints }).redirect(302, 'http://user:pw@127.0.0.1:8102/x').fail(), {
      browser: 'chromium',
    });
    expect(v.kind === 'blocked' && v.reason.corsError).toBe('MissingAllowOriginHeader');
  });
  it('redirect of a CORS request to a non-HTTP scheme → CorsDisabledScheme / CORSRequestNotHttp', () => {
    const v = evaluate(get(`${B}/r`, { hints }).redirect(302, 'ftp://127.0.0.1:8103/x', acao('*')).fail(), {
      browser: 'chromium',
    });
    expect(v.kind === 'blocked' && v.reason).toMatchObject({
      corsError: 'CorsDisabledScheme',
      firefoxReason: 'CORSRequestNotHttp',
    });
  });
  it('a cross-origin request to a non-HTTP scheme → CorsDisabledScheme at stage request', () => {
    const v = evaluate(get('ftp://127.0.0.1:8102/x', { hints }).unsent().fail(), { browser: 'firefox' });
    expect(v.kind === 'blocked' && v.reason).toMatchObject({
      corsError: 'CorsDisabledScheme',
      firefoxReason: 'CORSRequestNotHttp',
      stage: 'request',
    });
  });
});

describe('preflight per hop', () => {
  it('a preflighted PUT redirected to another origin needs a fresh preflight there, with Origin null', () => {
    const r = get(`${B}/r`, { method: 'PUT', hints })
      .pre(204, acao(A, { 'Access-Control-Allow-Methods': 'PUT' }))
      .redirect(307, `${C}/x`, acao(A));
    const req = r.build();
    req.method = 'PUT';
    req.exchanges.forEach((e) => {
      if (e.kind === 'main') e.method = 'PUT';
    });
    req.exchanges.push({
      kind: 'preflight',
      url: `${C}/x`,
      method: 'OPTIONS',
      requestHeaders: [
        { name: 'Origin', value: 'null' },
        { name: 'Access-Control-Request-Method', value: 'PUT' },
      ],
      response: { status: 204, headers: [{ name: 'Access-Control-Allow-Origin', value: A }] },
    });
    req.outcome = { kind: 'error', error: 'net::ERR_FAILED' };
    const v = evaluate(req, { browser: 'chromium' });
    expect(v.kind === 'blocked' && v.reason).toMatchObject({
      corsError: 'PreflightAllowOriginMismatch',
      expected: 'null',
      exchangeIndex: 2,
      stage: 'preflight',
    });
  });
});

describe('redirect mode manual', () => {
  it('a CORS-passing 302 that the page did not follow (completed) → allowed, the 3xx is final', () => {
    const v = evaluate(get(`${B}/r`, { hints }).redirect(302, `${C}/x`, acao('*')).ok(302), { browser: 'chromium' });
    expect(v.kind).toMatch(/^allowed/);
    expect(v.trace.join('\n')).toContain('not followed');
  });
});

describe('only the Fetch redirect statuses are redirects (https://fetch.spec.whatwg.org/#redirect-status)', () => {
  it('301, 302, 303, 307, 308 are; every other 3xx is not', () => {
    const redirects = [];
    for (let s = 300; s <= 308; s++) if (isRedirectStatus(s)) redirects.push(s);
    expect(redirects).toEqual([301, 302, 303, 307, 308]);
  });
  it('a 300 with a Location has no redirect target; a 307 has one', () => {
    const ex = (status: number) => ({
      kind: 'main' as const,
      url: `${B}/r`,
      method: 'GET',
      requestHeaders: [],
      response: { status, headers: [{ name: 'Location', value: '/next' }] },
    });
    expect(redirectTarget(ex(300))).toBeNull();
    expect(redirectTarget(ex(304))).toBeNull();
    expect(redirectTarget(ex(307))).toBe(`${B}/next`);
  });
  it('an actual request answered 300 with ACAO * and a Location is the response: allowed (measured: actual-3xx-300-location)', () => {
    const v = evaluate(
      get(`${B}/r`, { hints })
        .res(300, { ...acao('*'), Location: `${B}/next` })
        .ok(300),
      { browser: 'chromium' },
    );
    expect(v.kind).toBe('allowed');
  });
  it('the HAR import chains a 302 hop but not a 300 with a Location', () => {
    const entry = (url: string, status: number, location?: string) => ({
      startedDateTime: '2026-01-01T00:00:00.000Z',
      time: 1,
      request: {
        method: 'GET',
        url,
        httpVersion: 'HTTP/1.1',
        headers: [{ name: 'Origin', value: A }],
        cookies: [],
        queryString: [],
        headersSize: -1,
        bodySize: -1,
      },
      response: {
        status,
        statusText: '',
        httpVersion: 'HTTP/1.1',
        headers: [
          { name: 'Access-Control-Allow-Origin', value: '*' },
          ...(location ? [{ name: 'Location', value: location }] : []),
        ],
        cookies: [],
        content: { size: 0, mimeType: '' },
        redirectURL: location ?? '',
        headersSize: -1,
        bodySize: -1,
      },
      cache: {},
      timings: { send: 0, wait: 0, receive: 0 },
    });
    const har = (status: number) =>
      JSON.stringify({
        log: {
          version: '1.2',
          creator: { name: 't', version: '1' },
          entries: [entry(`${B}/r`, status, `${B}/next`), entry(`${B}/next`, 200)],
        },
      });
    expect(importHar(har(302)).requests.map((q) => q.exchanges.length)).toEqual([2]);
    const notFollowed = importHar(har(300)).requests;
    expect(notFollowed.map((q) => q.exchanges.length)).toEqual([1, 1]);
    expect(notFollowed[0].exchanges[0].redirectUrl).toBeUndefined();
  });
});
