// Console messages per reason (Chromium and Firefox templates with placeholders filled) and the preflight-cache model.
import { describe, expect, it } from 'vitest';
import { evaluate, messagesFor } from '../../../src/engine';
import { HeaderIndex } from '../../../src/engine/headers';
import { effectiveMaxAge } from '../../../src/engine/preflight-cache';
import { PreflightCacheModel } from '../../support/preflight-cache-model';
import { CHROMIUM, FIREFOX } from '../../../src/engine/profiles';
import { A, B, acao, get, hdrs, method } from '../../support/requests';

const hints = { mode: 'cors' as const, credentials: 'same-origin' as const };

describe('messages', () => {
  it('missing ACAO on fetch: Chromium 156 text (no no-cors hint any more), Firefox text with the status code', () => {
    const r = get(`${B}/x`, { hints, type: 'fetch' }).res(200, []).fail();
    const m = messagesFor(r, evaluate(r, { browser: 'chromium' }));
    expect(m.chromium).toBe(
      `Access to fetch at '${B}/x' from origin '${A}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    );
    expect(m.firefox).toBe(
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${B}/x. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.`,
    );
    expect(m.summary).toBe('no Access-Control-Allow-Origin on the response');
  });
  it('header rejected by the preflight: summary names the header', () => {
    const r = method('PUT', `${B}/x`, { hints, headers: { 'X-Api-Key': 'k' } })
      .pre(204, acao(A, { 'Access-Control-Allow-Methods': 'PUT' }), { acrh: 'x-api-key' })
      .unsent()
      .fail();
    const m = messagesFor(r, evaluate(r, { browser: 'chromium' }));
    expect(m.summary).toBe('preflight rejected header x-api-key');
    expect(m.chromium).toContain(
      'Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response.',
    );
    expect(m.firefox).toContain(
      '(Reason: header ‘x-api-key’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).',
    );
  });
  it('preflight status: Chromium prefix, Firefox preflight reason with the status', () => {
    const r = method('PUT', `${B}/x`, { hints })
      .pre(401, acao(A, { 'Access-Control-Allow-Methods': 'PUT' }))
      .unsent()
      .fail();
    const m = messagesFor(r, evaluate(r, { browser: 'firefox' }));
    expect(m.chromium).toContain(
      "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
    );
    expect(m.firefox).toContain('(Reason: CORS preflight response did not succeed). Status code: 401.');
  });
  it('redirected requests name both URLs in Chromium; fetch() ACAO value errors end with the valid-value hint', () => {
    const r = get(`${B}/x`, { hints, type: 'fetch' }).redirect(302, `${B}/y`, acao('*')).res(200, acao('nope')).fail();
    const m = messagesFor(r, evaluate(r, { browser: 'chromium' }));
    expect(m.chromium).toContain(`at '${B}/y' (redirected from '${B}/x') from origin`);
    expect(m.chromium).toContain(
      "contains the invalid value 'nope'. Have the server send the header with a valid value.",
    );
  });
  it('XHR wildcard-with-credentials adds the withCredentials hint; Firefox quotes the URL', () => {
    const r = get(`${B}/x`, { hints: { mode: 'cors', credentials: 'include' }, type: 'xmlhttprequest' })
      .res(200, acao('*'))
      .fail();
    const m = messagesFor(r, evaluate(r, { browser: 'chromium' }));
    expect(m.chromium).toContain('controlled by the withCredentials attribute');
    expect(m.firefox).toContain(`resource at ‘${B}/x’. (Reason: Credential is not supported`);
  });
  it('invalid ACAM token is named in the Firefox text', () => {
    const r = method('PUT', `${B}/x`, { hints })
      .pre(204, acao(A, { 'Access-Control-Allow-Methods': 'PUT, (x)' }))
      .unsent()
      .fail();
    const m = messagesFor(r, evaluate(r, { browser: 'firefox' }));
    expect(m.firefox).toContain('invalid token ‘(x)’');
  });
  it('non-blocked verdicts get a summary only', () => {
    const r = get(`${A}/x`).res(200, []).ok();
    const m = messagesFor(r, evaluate(r, { browser: 'chromium' }));
    expect(m.chromium).toBeUndefined();
    expect(m.summary).toContain('same-origin');
  });
});

describe('Access-Control-Max-Age per browser', () => {
  const cases: Array<[string | null, number | null, number | null]> = [
    [null, 5, 5],
    ['', 5, 5],
    ['600', 600, 600],
    ['10000', 7200, 10000],
    ['100000', 7200, 86400],
    ['0', null, null],
    ['-1', null, null],
    ['10s', 5, null],
    ['1.5', 5, null],
    ['+5', 5, null],
  ];
  for (const [v, c, f] of cases) {
    it(`Max-Age ${JSON.stringify(v)} → Chromium ${c}, Firefox ${f}`, () => {
      expect(effectiveMaxAge(v, CHROMIUM)).toBe(c);
      expect(effectiveMaxAge(v, FIREFOX)).toBe(f);
    });
  }
});

describe('preflight cache model', () => {
  const res = (h: Record<string, string>) => new HeaderIndex(hdrs(h));
  it('covers the method and headers of a fresh entry, not after expiry', () => {
    const c = new PreflightCacheModel('chromium');
    c.record(
      A,
      `${B}/x`,
      false,
      res({
        'Access-Control-Allow-Methods': 'PUT',
        'Access-Control-Allow-Headers': 'x-a',
        'Access-Control-Max-Age': '10',
      }),
      0,
    );
    expect(c.covers(A, `${B}/x`, false, 'PUT', ['x-a'], 9_000)).toBe(true);
    expect(c.covers(A, `${B}/x`, false, 'PUT', ['x-a'], 11_000)).toBe(false);
    expect(c.covers(A, `${B}/x`, false, 'DELETE', [], 1000)).toBe(false);
    expect(c.covers(A, `${B}/x`, false, 'PUT', ['x-b'], 1000)).toBe(false);
    expect(c.covers(A, `${B}/y`, false, 'PUT', [], 1000)).toBe(false);
  });
  it('an entry stored without credentials cannot serve a credentialed request; the reverse works', () => {
    const c = new PreflightCacheModel('chromium');
    c.record(A, `${B}/x`, false, res({ 'Access-Control-Allow-Methods': 'PUT' }), 0);
    expect(c.covers(A, `${B}/x`, true, 'PUT', [], 1)).toBe(false);
    c.record(A, `${B}/z`, true, res({ 'Access-Control-Allow-Methods': 'PUT' }), 0);
    expect(c.covers(A, `${B}/z`, false, 'PUT', [], 1)).toBe(true);
  });
  it('Chromium replaces the entry on each preflight; Firefox keeps per-token entries', () => {
    for (const [browser, expectPut] of [
      ['chromium', false],
      ['firefox', true],
    ] as const) {
      const c = new PreflightCacheModel(browser);
      c.record(A, `${B}/x`, false, res({ 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Max-Age': '100' }), 0);
      c.record(
        A,
        `${B}/x`,
        false,
        res({ 'Access-Control-Allow-Methods': 'DELETE', 'Access-Control-Max-Age': '100' }),
        1000,
      );
      expect(c.covers(A, `${B}/x`, false, 'PUT', [], 2000)).toBe(expectPut);
      expect(c.covers(A, `${B}/x`, false, 'DELETE', [], 2000)).toBe(true);
    }
  });
  it('MEASURED: Firefox under automation never reuses a cached preflight', () => {
    const c = new PreflightCacheModel('firefox', { automation: true });
    c.record(A, `${B}/x`, false, res({ 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Max-Age': '600' }), 0);
    expect(c.covers(A, `${B}/x`, false, 'PUT', [], 1000)).toBe(false);
    const chrome = new PreflightCacheModel('chromium', { automation: true });
    chrome.record(
      A,
      `${B}/x`,
      false,
      res({ 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Max-Age': '600' }),
      0,
    );
    expect(chrome.covers(A, `${B}/x`, false, 'PUT', [], 1000)).toBe(true);
  });
  it('Firefox needs a HEAD entry for HEAD; Chromium exempts it', () => {
    const ff = new PreflightCacheModel('firefox');
    ff.record(A, `${B}/x`, false, res({ 'Access-Control-Allow-Headers': 'x-a' }), 0);
    expect(ff.covers(A, `${B}/x`, false, 'HEAD', ['x-a'], 1)).toBe(false);
    expect(ff.covers(A, `${B}/x`, false, 'GET', ['x-a'], 1)).toBe(true);
    const cr = new PreflightCacheModel('chromium');
    cr.record(A, `${B}/x`, false, res({ 'Access-Control-Allow-Headers': 'x-a' }), 0);
    expect(cr.covers(A, `${B}/x`, false, 'HEAD', ['x-a'], 1)).toBe(true);
  });
  it('a header entry * covers other headers without credentials only', () => {
    const c = new PreflightCacheModel('chromium');
    c.record(A, `${B}/x`, true, res({ 'Access-Control-Allow-Headers': '*' }), 0);
    expect(c.covers(A, `${B}/x`, false, 'GET', ['x-q'], 1)).toBe(true);
    expect(c.covers(A, `${B}/x`, true, 'GET', ['x-q'], 1)).toBe(false);
  });
});
