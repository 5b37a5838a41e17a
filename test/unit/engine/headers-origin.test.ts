// Building blocks: header lookup/combining, token lists, origins and redirect-taint.
import { describe, expect, it } from 'vitest';
import { HeaderIndex, isToken, parseTokenList, trimOws } from '../../../src/engine/headers';
import { isValidUrlLikeGurl, normalizeOrigin, originOf, redactUserinfo, sameOrigin } from '../../../src/engine/origin';
import { methodAfterRedirect, taintAfterHop } from '../../../src/engine/redirects';
import { evaluate } from '../../../src/engine';
import { A, B, acao, method } from '../../support/requests';

describe('headers', () => {
  it('lookup is case-insensitive and keeps duplicates; values combine with ", " after trimming (GetNormalizedHeader)', () => {
    const h = new HeaderIndex([
      { name: 'X-A', value: ' 1 ' },
      { name: 'x-a', value: '\t2' },
      { name: 'Y', value: '' },
    ]);
    expect(h.get('x-a')).toBe('1, 2');
    expect(h.count('x-a')).toBe(2);
    expect(h.all('x-a')).toEqual(['1', '2']);
    expect(h.get('y')).toBe('');
    expect(h.get('z')).toBeNull();
    expect(h.names).toEqual(['x-a', 'y']);
  });
  it('tokens are RFC 9110 tchar runs', () => {
    expect(isToken("!#$%&'*+-.^_`|~09azAZ")).toBe(true);
    for (const bad of ['', 'a b', 'a,b', '"a"', 'a;', 'é', '(a)', 'a/b', 'a@b']) expect(isToken(bad)).toBe(false);
  });
  it('#token lists skip empty elements and OWS, and name the first bad element', () => {
    expect(parseTokenList(' , PUT ,,\tDELETE ,')).toEqual({ ok: true, items: ['PUT', 'DELETE'] });
    expect(parseTokenList('')).toEqual({ ok: true, items: [] });
    expect(parseTokenList('a, b c, d')).toEqual({ ok: false, bad: 'b c' });
  });
  it('trimOws only strips spaces and tabs', () => {
    expect(trimOws(' \t a \t ')).toBe('a');
    expect(trimOws('\na\n')).toBe('\na\n');
  });
});

describe('origins', () => {
  it('serialize without default port, path or trailing slash, lowercased', () => {
    expect(originOf('HTTP://Example.COM:80/a?b#c')).toBe('http://example.com');
    expect(originOf('https://a.test:8443/')).toBe('https://a.test:8443');
    expect(originOf('data:,x')).toBe('null');
    expect(originOf('file:///etc/passwd')).toBe('null');
    expect(originOf('chrome-extension://abc/page.html')).toBe('chrome-extension://abc');
    expect(originOf('blob:https://a.test/uuid')).toBe('https://a.test');
    // The one contract (src/engine/origin.ts): no URL or an unparsable one has no origin at all.
    expect(originOf('nonsense')).toBeNull();
    expect(originOf('')).toBeNull();
    expect(originOf(undefined)).toBeNull();
  });
  it('normalizes initiators as webRequest and HAR give them', () => {
    expect(normalizeOrigin('http://127.0.0.1:8101/')).toBe('http://127.0.0.1:8101');
    expect(normalizeOrigin('null')).toBe('null');
    expect(normalizeOrigin('')).toBeNull();
    expect(normalizeOrigin(undefined)).toBeNull();
  });
  it('same origin needs scheme, host and port; opaque origins are never provably the same', () => {
    expect(sameOrigin('http://a.test', 'http://a.test')).toBe(true);
    expect(sameOrigin('http://a.test', 'https://a.test')).toBe(false);
    expect(sameOrigin('http://a.test', 'http://www.a.test')).toBe(false);
    expect(sameOrigin('null', 'null')).toBe(false);
  });
  it('GURL-like validity splits InvalidAllowOriginValue from AllowOriginMismatch', () => {
    for (const ok of ['http://a.test', 'https://a.test/', 'HTTP://A.TEST', 'foo:bar'])
      expect(isValidUrlLikeGurl(ok)).toBe(true);
    for (const bad of ['', 'a.test', '*', '**', '-', 'http://', 'http://a:99999'])
      expect(isValidUrlLikeGurl(bad)).toBe(false);
  });
  it('redacts passwords in URLs shown to users', () => {
    expect(redactUserinfo('http://u:secret@h/x')).toBe('http://u:***@h/x');
    expect(redactUserinfo('http://h/x')).toBe('http://h/x');
  });
});

describe('redirect helpers', () => {
  it('taint: a hop between two origins that are not the initiator taints; leaving the initiator does not', () => {
    expect(taintAfterHop(false, A, A, B)).toBe(false);
    expect(taintAfterHop(false, A, B, 'http://c')).toBe(true);
    expect(taintAfterHop(false, A, B, A)).toBe(true);
    expect(taintAfterHop(false, A, B, B)).toBe(false);
    expect(taintAfterHop(true, A, A, A)).toBe(true);
  });
  it('method rewriting: 301/302 POST → GET, 303 non-GET/HEAD → GET, 307/308 keep it', () => {
    expect(methodAfterRedirect(301, 'POST')).toBe('GET');
    expect(methodAfterRedirect(302, 'PUT')).toBe('PUT');
    expect(methodAfterRedirect(303, 'PUT')).toBe('GET');
    expect(methodAfterRedirect(303, 'HEAD')).toBe('HEAD');
    expect(methodAfterRedirect(307, 'POST')).toBe('POST');
  });
});

describe('outcome contradictions', () => {
  it('Firefox: a preflight the headers reject but a request that completed → the outcome wins (preflight failures are visible in Firefox)', () => {
    const r = method('PUT', `${B}/x`).pre(204, acao(A)).res(200, acao('*')).ok();
    const v = evaluate(r, { browser: 'firefox' });
    expect(v.kind).not.toBe('blocked');
    expect(v.inferences.some((i) => i.what === 'response' || (i.what === 'mode' && i.value === 'no-cors'))).toBe(true);
  });
  it('Firefox: a response-side block with a completed outcome stays blocked (Firefox reports those as completed)', () => {
    const r = method('GET', `${B}/x`, { hints: { mode: 'cors', credentials: 'same-origin' } })
      .res(200, acao(B))
      .ok();
    expect(evaluate(r, { browser: 'firefox' }).kind).toBe('blocked');
    expect(evaluate(r, { browser: 'chromium' }).kind).not.toBe('blocked');
  });
});
