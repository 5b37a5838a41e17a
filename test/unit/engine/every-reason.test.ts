// One minimal exchange per CORS failure reason, in both vocabularies: every Chromium CorsError and every Firefox
// reason that headers can produce has a test here (the Record types make a forgotten one a type error).
import { describe, expect, it } from 'vitest';
import { evaluate, type ChromiumCorsError, type FirefoxCorsReason, type ObservedRequest } from '../../../src/engine';
import { A, B, C, acao, get, method } from '../../support/requests';

const hints = { mode: 'cors' as const, credentials: 'same-origin' as const };
const cred = { mode: 'cors' as const, credentials: 'include' as const };
const put = (h: { mode: 'cors'; credentials: 'same-origin' | 'include' } = hints) =>
  method('PUT', `${B}/x`, { hints: h });

/** An example request per Chromium error; null = not reachable from headers (why in the string). */
const chromiumExamples: Record<ChromiumCorsError, (() => ObservedRequest) | string> = {
  DisallowedByMode: () =>
    get(`${B}/x`, { hints: { mode: 'same-origin', credentials: 'same-origin' } })
      .unsent()
      .fail(),
  InvalidResponse: 'only a DevTools warning for PNA warning-mode preflights; never a CORS verdict',
  WildcardOriginNotAllowed: () => get(`${B}/x`, { hints: cred }).res(200, acao('*')).fail(),
  MissingAllowOriginHeader: () => get(`${B}/x`, { hints }).res(200, []).fail(),
  MultipleAllowOriginValues: () =>
    get(`${B}/x`, { hints })
      .res(200, acao(`${A} ${C}`))
      .fail(),
  InvalidAllowOriginValue: () => get(`${B}/x`, { hints }).res(200, acao('example.com')).fail(),
  AllowOriginMismatch: () => get(`${B}/x`, { hints }).res(200, acao(C)).fail(),
  InvalidAllowCredentials: () => get(`${B}/x`, { hints: cred }).res(200, acao(A)).fail(),
  CorsDisabledScheme: () => get('ftp://127.0.0.1:8102/x', { hints, type: 'fetch' }).unsent().fail(),
  PreflightInvalidStatus: () =>
    put()
      .pre(403, acao(A, { 'Access-Control-Allow-Methods': 'PUT' }))
      .unsent()
      .fail(),
  PreflightDisallowedRedirect: () =>
    put()
      .pre(307, [['Location', `${C}/x`]])
      .unsent()
      .fail(),
  PreflightWildcardOriginNotAllowed: () => put(cred).pre(204, acao('*')).unsent().fail(),
  PreflightMissingAllowOriginHeader: () => put().pre(204, []).unsent().fail(),
  PreflightMultipleAllowOriginValues: () =>
    put()
      .pre(204, [
        ['Access-Control-Allow-Origin', A],
        ['Access-Control-Allow-Origin', C],
      ])
      .unsent()
      .fail(),
  PreflightInvalidAllowOriginValue: () => put().pre(204, acao('-')).unsent().fail(),
  PreflightAllowOriginMismatch: () =>
    put()
      .pre(204, acao(`${A}/`))
      .unsent()
      .fail(),
  PreflightInvalidAllowCredentials: () =>
    put(cred)
      .pre(204, acao(A, { 'Access-Control-Allow-Credentials': 'TRUE' }))
      .unsent()
      .fail(),
  InvalidAllowMethodsPreflightResponse: () =>
    put()
      .pre(204, acao(A, { 'Access-Control-Allow-Methods': 'PUT;' }))
      .unsent()
      .fail(),
  InvalidAllowHeadersPreflightResponse: () =>
    put()
      .pre(204, acao(A, { 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Allow-Headers': 'a b' }))
      .unsent()
      .fail(),
  MethodDisallowedByPreflightResponse: () =>
    put()
      .pre(204, acao(A, { 'Access-Control-Allow-Methods': 'POST' }))
      .unsent()
      .fail(),
  HeaderDisallowedByPreflightResponse: () =>
    method('GET', `${B}/x`, { hints, headers: { 'X-Api-Key': 'k' } })
      .pre(204, acao(A), { acrh: 'x-api-key' })
      .unsent()
      .fail(),
  RedirectContainsCredentials: () =>
    get(`${B}/x`, { hints }).redirect(302, 'http://u:p@127.0.0.1:8103/x', acao('*')).fail(),
  InsecureLocalNetwork:
    'Local Network Access: a net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS error, reported as not-cors local-network-access',
  InvalidLocalNetworkAccess: 'Local Network Access, as above',
  LocalNetworkAccessPermissionDenied: 'Local Network Access, as above',
  NoCorsRedirectModeNotFollow: () =>
    get(`${B}/x`, { hints: { mode: 'no-cors', credentials: 'include' } })
      .unsent()
      .fail(),
};

const firefoxExamples: Record<FirefoxCorsReason, (() => ObservedRequest) | string> = {
  CORSDisabled: 'only with the content.cors.disable pref, invisible on the wire',
  CORSDidNotSucceed: () =>
    get(`${B}/x`, { hints }).redirect(302, 'http://u:p@127.0.0.1:8103/x', acao('*')).fail('NS_ERROR_DOM_BAD_URI'),
  CORSOriginHeaderNotAdded: 'expanded principals (some content scripts): no Origin can be sent, nothing on the wire',
  CORSExternalRedirectNotAllowed: () =>
    put()
      .pre(302, acao(A, { Location: `${C}/x` }))
      .unsent()
      .fail('NS_ERROR_DOM_BAD_URI'),
  CORSRequestNotHttp: () =>
    get(`${B}/x`, { hints }).redirect(302, 'ftp://127.0.0.1:8103/x', acao('*')).fail('NS_ERROR_DOM_BAD_URI'),
  CORSMissingAllowOrigin: () => get(`${B}/x`, { hints }).res(200, []).ok(),
  CORSMultipleAllowOriginNotAllowed: () =>
    get(`${B}/x`, { hints })
      .res(200, [
        ['Access-Control-Allow-Origin', A],
        ['Access-Control-Allow-Origin', A],
      ])
      .ok(),
  CORSAllowOriginNotMatchingOrigin: () =>
    get(`${B}/x`, { hints })
      .res(200, acao(`${A}, ${C}`))
      .ok(),
  CORSNotSupportingCredentials: () => get(`${B}/x`, { hints: cred }).res(200, acao('*')).ok(),
  CORSMissingAllowCredentials: () =>
    get(`${B}/x`, { hints: cred })
      .res(200, acao(A, { 'Access-Control-Allow-Credentials': 'yes' }))
      .ok(),
  CORSPreflightDidNotSucceed: () =>
    put()
      .pre(500, acao(A, { 'Access-Control-Allow-Methods': 'PUT' }))
      .unsent()
      .fail('NS_ERROR_DOM_BAD_URI'),
  CORSInvalidAllowMethod: () =>
    put()
      .pre(204, acao(A, { 'Access-Control-Allow-Methods': 'P U T' }))
      .unsent()
      .fail('NS_ERROR_DOM_BAD_URI'),
  CORSMethodNotFound: () =>
    put()
      .pre(204, acao(A, { 'Access-Control-Allow-Methods': 'put' }))
      .unsent()
      .fail('NS_ERROR_DOM_BAD_URI'),
  CORSInvalidAllowHeader: () =>
    method('GET', `${B}/x`, { hints })
      .pre(204, acao(A, { 'Access-Control-Allow-Headers': 'x-a, @' }), { acrh: 'x-a' })
      .unsent()
      .fail('NS_ERROR_DOM_BAD_URI'),
  CORSMissingAllowHeaderFromPreflight: () =>
    method('GET', `${B}/x`, { hints })
      .pre(204, acao(A, { 'Access-Control-Allow-Headers': 'x-b' }), { acrh: 'x-a' })
      .unsent()
      .fail('NS_ERROR_DOM_BAD_URI'),
};

describe('every Chromium CorsError reachable from headers', () => {
  for (const [name, ex] of Object.entries(chromiumExamples)) {
    // A string documents why the reason cannot come from headers (the Record type makes every reason appear here).
    if (typeof ex === 'string') continue;
    it(`→ ${name}`, () => {
      const v = evaluate(ex(), { browser: 'chromium' });
      expect(v.kind === 'blocked' ? v.reason.corsError : `${v.kind} ${v.trace.join(' | ')}`).toBe(name);
    });
  }
});

describe('every Firefox reason reachable from headers', () => {
  for (const [name, ex] of Object.entries(firefoxExamples)) {
    // A string documents why the reason cannot come from headers (the Record type makes every reason appear here).
    if (typeof ex === 'string') continue;
    it(`→ ${name}`, () => {
      const v = evaluate(ex(), { browser: 'firefox' });
      expect(v.kind === 'blocked' ? v.reason.firefoxReason : `${v.kind} ${v.trace.join(' | ')}`).toBe(name);
    });
  }
});

describe('requests refused before CORS are network errors, not CORS blocks (measured)', () => {
  const cases: Array<[string, () => ObservedRequest]> = [
    [
      'XHR to file: from an http page',
      () => get('file:///etc/hostname', { hints, type: 'xmlhttprequest' }).unsent().build(),
    ],
    [
      'XHR to ftp: in Chromium (renderer error event)',
      () =>
        get('ftp://127.0.0.1:8102/x', { hints, type: 'xmlhttprequest' }).unsent().fail('XMLHttpRequest error event'),
    ],
    [
      'a redirect to a data: URL',
      () => get(`${B}/x`, { hints }).redirect(302, 'data:text/plain,hi', acao('*')).fail('net::ERR_UNSAFE_REDIRECT'),
    ],
    [
      'a same-origin redirect to user:pass@ the same origin',
      () => get(`${A}/x`, { hints }).redirect(302, 'http://u:p@127.0.0.1:8101/y').fail('net::ERR_ABORTED'),
    ],
    [
      'a CORS-valid redirect whose target was never requested (redirect: "error")',
      () => get(`${B}/x`, { hints }).redirect(302, `${B}/y`, acao('*')).fail(),
    ],
    [
      'a preflighted PUT to a closed port',
      () => put().unsent('net::ERR_CONNECTION_REFUSED').fail('net::ERR_CONNECTION_REFUSED'),
    ],
  ];
  for (const [name, build] of cases) {
    it(`${name} → not-cors network-error`, () => {
      const v = evaluate(build(), { browser: 'chromium' });
      expect(v.kind === 'not-cors' ? v.why : v.kind).toBe('network-error');
    });
  }
  it('fetch() to ftp: in Chromium → CorsDisabledScheme naming the scheme', () => {
    const v = evaluate(get('ftp://127.0.0.1:8102/x', { hints, type: 'fetch' }).unsent().fail(), {
      browser: 'chromium',
    });
    expect(v.kind === 'blocked' && [v.reason.corsError, v.reason.failedParameter]).toEqual([
      'CorsDisabledScheme',
      'ftp',
    ]);
  });
  it('a same-origin URL redirecting to user:pass@ another origin → RedirectContainsCredentials', () => {
    const v = evaluate(get(`${A}/x`, { hints }).redirect(302, 'http://u:p@127.0.0.1:8102/y').fail(), {
      browser: 'chromium',
    });
    expect(v.kind === 'blocked' && v.reason.corsError).toBe('RedirectContainsCredentials');
  });
});

describe('file: pages', () => {
  it('XHR from a file: page (Origin null) to a file: URL → CorsDisabledScheme, the classic message', () => {
    const r = get('file:///home/me/data.json', { from: 'null', hints, type: 'xmlhttprequest' }).unsent().fail();
    const v = evaluate(r, { browser: 'chromium' });
    expect(v.kind === 'blocked' && [v.reason.corsError, v.reason.failedParameter]).toEqual(['CorsDisabledScheme', '']);
  });
});
