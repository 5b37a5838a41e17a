// CORS-safelisted request headers and methods: the WPT Content-Type and Range examples, value rules,
// the 128/1024-byte limits, forbidden headers, and Chromium's client-hint extras.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, FIREFOX } from '../../../src/engine/profiles';
import {
  isSafelistedContentType,
  isSafelistedRange,
  isSafelistedRequestHeader,
  mimeEssence,
  unsafeRequestHeaderNames,
} from '../../../src/engine/safelist';
import { preflightNeed } from '../../../src/engine/preflight-needed';
import { hdrs } from '../../support/requests';

describe('WPT cors-safelisted-request-header.any.js: Content-Type', () => {
  const preflight = [
    'text /plain',
    'text\t/\tplain',
    'text/plain,',
    ',text/plain',
    'text/plain,text/plain',
    'text/plain,x/x',
    'text/plain\v',
    'application/www-form-urlencoded',
    'multipart/form-data;"',
    'text/plain;garbage\x01\x02',
    'application/json',
    'application/json, text/plain',
  ];
  const noPreflight = [
    'text/plain;',
    'text/plain;garbage',
    'multipart/form-data',
    'text/plain;charset=UTF-8',
    'application/x-www-form-urlencoded;charset=UTF-8',
    'multipart/form-data; boundary=----abc',
    'TEXT/PLAIN',
    ' text/plain ',
  ];
  for (const v of preflight)
    it(`Content-Type ${JSON.stringify(v)} needs a preflight`, () => expect(isSafelistedContentType(v)).toBe(false));
  for (const v of noPreflight)
    it(`Content-Type ${JSON.stringify(v)} is safelisted`, () => expect(isSafelistedContentType(v)).toBe(true));
  it('strict MIME parsing keeps the essence lowercased and ignores parameters', () => {
    expect(mimeEssence('Text/Plain ; charset=x')).toBe('text/plain');
    expect(mimeEssence('/plain')).toBeNull();
    expect(mimeEssence('text/')).toBeNull();
  });
  it('agrees with the essence test it replaced (no unsafe byte, mimeEssence among the three form types) on generated values', () => {
    const safe = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
    const unsafe = (v: string) =>
      [...v].some((ch) => {
        const c = ch.charCodeAt(0);
        return (c < 0x20 && c !== 0x09) || '"():<>?@[\\]{}\x7f'.includes(ch);
      });
    // Shaped like a MIME type (whitespace, type, slash, subtype, whitespace, parameters), each part sometimes odd.
    const ws = fc.constantFrom('', ' ', '\t', '\n', '\r\n', '\v', '\u00a0');
    const type = fc.constantFrom(
      'text',
      'TEXT',
      'Text',
      'multipart',
      'MultiPart',
      'application',
      'x',
      '',
      'te xt',
      'te\u00e9t',
      'text,',
    );
    const sub = fc.constantFrom(
      'plain',
      'PLAIN',
      'form-data',
      'Form-Data',
      'x-www-form-urlencoded',
      'X-WWW-FORM-URLENCODED',
      'json',
      '',
      'pla in',
      'plain,',
      'plai(n',
    );
    const params = fc.constantFrom('', ';', ';charset=x', ' ; charset=UTF-8', ';"', ';garbage\x01', ',text/plain', ' ');
    const value = fc
      .tuple(ws, type, fc.constantFrom('/', ' /', '/ ', '', '//'), sub, ws, params, ws)
      .map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(value, fc.string({ maxLength: 12 })), (v) => {
        const e = mimeEssence(v);
        expect(isSafelistedContentType(v), JSON.stringify(v)).toBe(!unsafe(v) && e !== null && safe.has(e));
      }),
      { numRuns: Math.max(1, Number(process.env.FC_RUNS) || 1000) * 4 },
    );
  });
  it('two Content-Type lines combine into one value that fails parsing → preflight', () => {
    const n = unsafeRequestHeaderNames(
      hdrs([
        ['Content-Type', 'application/json'],
        ['Content-Type', 'text/plain'],
      ]),
      CHROMIUM,
    );
    expect(n.names).toEqual(['content-type']);
  });
});

describe('WPT: Range', () => {
  for (const v of ['bytes=100-200', 'bytes=200-'])
    it(`Range ${v} avoids a preflight`, () => expect(isSafelistedRange(v)).toBe(true));
  for (const v of [
    'bytes =100-200',
    'bytes=-200',
    'bytes=100-200,300-400',
    'bytes=200-100',
    `bytes=${'9'.repeat(60)}-`,
    `bytes=0-${'9'.repeat(60)}`,
    'bytes= 100-200',
    'items=1-2',
    'bytes=1 -2',
  ]) {
    it(`Range ${JSON.stringify(v)} needs a preflight`, () => expect(isSafelistedRange(v)).toBe(false));
  }
});

describe('value rules and limits', () => {
  it('Accept with a CORS-unsafe byte is not safelisted', () => {
    expect(isSafelistedRequestHeader('accept', 'text/html', CHROMIUM)).toBe(true);
    for (const bad of ['a"b', 'a(b', 'a:b', 'a<b', 'a?b', 'a@b', 'a[b', 'a\\b', 'a{b', 'a\x7fb', 'a\x01b']) {
      expect(isSafelistedRequestHeader('accept', bad, CHROMIUM)).toBe(false);
    }
    expect(isSafelistedRequestHeader('accept', 'a\tb', CHROMIUM)).toBe(true);
  });
  it('Accept-Language allows only letters, digits, space and * , - . ; =', () => {
    expect(isSafelistedRequestHeader('accept-language', 'en-US,en;q=0.9', FIREFOX)).toBe(true);
    expect(isSafelistedRequestHeader('content-language', 'de_DE', FIREFOX)).toBe(false);
  });
  it('a value over 128 bytes is never safelisted', () => {
    expect(isSafelistedRequestHeader('accept', 'a'.repeat(128), CHROMIUM)).toBe(true);
    expect(isSafelistedRequestHeader('accept', 'a'.repeat(129), CHROMIUM)).toBe(false);
  });
  it('a value the capture layer truncated counts with its original length', () => {
    const n = unsafeRequestHeaderNames([{ name: 'Accept', value: 'a'.repeat(10), originalLength: 500 }], CHROMIUM);
    expect(n.names).toEqual(['accept']);
  });
  it("safelisted values totalling over 1024 bytes all become unsafe (reachable with Chromium's extra names)", () => {
    const base: Array<[string, string]> = [
      ['Accept', 'a'.repeat(120)],
      ['Accept-Language', 'b'.repeat(120)],
      ['Content-Language', 'c'.repeat(120)],
      ['Content-Type', `text/plain;${'x'.repeat(100)}`],
      ['Intervention', 'i'.repeat(120)],
      ['DPR', '1'.repeat(120)],
      ['Device-Memory', '2'.repeat(120)],
    ];
    expect(unsafeRequestHeaderNames(hdrs(base), CHROMIUM).overBudget).toBe(false);
    const more = hdrs([...base, ['Width', '3'.repeat(120)], ['Viewport-Width', '4'.repeat(120)]]);
    const r = unsafeRequestHeaderNames(more, CHROMIUM);
    expect(r.overBudget).toBe(true);
    expect(r.names).toEqual([
      'accept',
      'accept-language',
      'content-language',
      'content-type',
      'intervention',
      'dpr',
      'device-memory',
      'width',
      'viewport-width',
    ]);
    expect(preflightNeed('GET', more, CHROMIUM).reasons).toContain(
      'safelisted request headers exceed the 1024-byte budget',
    );
  });
});

describe('forbidden and browser-added request headers never trigger a preflight', () => {
  it('Cookie, Origin, Referer, Sec-*, Proxy-*, User-Agent, Priority are ignored', () => {
    const need = preflightNeed(
      'GET',
      hdrs([
        ['Cookie', 'a=1'],
        ['Origin', 'http://x'],
        ['Referer', 'http://x/'],
        ['Sec-Fetch-Mode', 'cors'],
        ['Proxy-Authorization', 'x'],
        ['User-Agent', 'UA'],
        ['Priority', 'u=4'],
        ['Accept-Encoding', 'gzip'],
        ['Connection', 'keep-alive'],
        ['Host', 'b'],
      ]),
      FIREFOX,
    );
    expect(need.needed).toBe(false);
    expect(need.uaAdded).toEqual(['priority']);
  });
  it('X-HTTP-Method-Override with a forbidden method is forbidden; with PUT it needs a preflight', () => {
    expect(preflightNeed('POST', hdrs([['X-HTTP-Method-Override', 'TRACE']]), CHROMIUM).needed).toBe(false);
    expect(preflightNeed('POST', hdrs([['X-HTTP-Method-Override', 'PUT']]), CHROMIUM).headerNames).toEqual([
      'x-http-method-override',
    ]);
  });
  it('Authorization is never safelisted', () => {
    expect(preflightNeed('GET', hdrs([['Authorization', 'Bearer x']]), CHROMIUM).headerNames).toEqual([
      'authorization',
    ]);
  });
});

describe('methods', () => {
  for (const m of ['GET', 'HEAD', 'POST'])
    it(`${m} needs no preflight`, () => expect(preflightNeed(m, [], FIREFOX).needed).toBe(false));
  for (const m of ['PUT', 'DELETE', 'PATCH', 'patch', 'OPTIONS', 'SUPER'])
    it(`${m} needs a preflight`, () =>
      expect(preflightNeed(m, [], FIREFOX).reasons).toContain(`method ${m} is not safelisted`));
});

describe('client hints: safelisted in Chromium only (measured: Firefox preflights them)', () => {
  const cases: Array<[string, string, boolean]> = [
    ['DPR', '2', true],
    ['DPR', '1.5', true],
    ['DPR', 'x', false],
    ['Device-Memory', '8', true],
    ['Device-Memory', '0.25', true],
    ['Width', '100', true],
    ['Width', '1.5', false],
    ['Viewport-Width', '1280', true],
    ['RTT', '50', true],
    ['RTT', '5.5', false],
    ['Downlink', '1.7', true],
    ['ECT', '4g', true],
    ['ECT', '5g', false],
    ['Save-Data', 'on', true],
    ['Save-Data', 'off', false],
  ];
  for (const [name, value, chromium] of cases) {
    it(`${name}: ${value} → ${chromium ? 'no preflight' : 'preflight'} in Chromium, preflight in Firefox`, () => {
      expect(preflightNeed('GET', hdrs([[name, value]]), CHROMIUM).needed).toBe(!chromium);
      expect(preflightNeed('GET', hdrs([[name, value]]), FIREFOX).needed).toBe(true);
    });
  }
});

describe('unsafe names keep request order, lowercased and deduplicated', () => {
  it('X-B, x-a, X-B → [x-b, x-a]', () => {
    expect(
      unsafeRequestHeaderNames(
        hdrs([
          ['X-B', '1'],
          ['x-a', '2'],
          ['X-B', '3'],
        ]),
        CHROMIUM,
      ).names,
    ).toEqual(['x-b', 'x-a']);
  });
});
