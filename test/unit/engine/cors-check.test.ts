// The CORS check on actual responses: ACAO/ACAC classification per browser, including WPT cors/origin.htm values.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine';
import type { BrowserName, ChromiumCorsError, FirefoxCorsReason } from '../../../src/engine';
import { A, B, get, type H } from '../../support/requests';

const verdict = (headers: H, opts: { credentials?: boolean; browser?: BrowserName } = {}) =>
  evaluate(
    get(`${B}/r`, { hints: { mode: 'cors', credentials: opts.credentials ? 'include' : 'same-origin' } })
      .res(200, headers)
      .build(),
    { browser: opts.browser ?? 'chromium' },
  );

const blocked = (headers: H, opts: { credentials?: boolean; browser?: BrowserName } = {}) => {
  const v = verdict(headers, opts);
  expect(v.kind).toBe('blocked');
  return v.kind === 'blocked' ? v.reason : null!;
};

describe('WPT cors/origin.htm: ACAO values that pass', () => {
  const pass: Array<[string, string]> = [
    ['*', 'wildcard'],
    [' *  ', 'wildcard with spaces'],
    ['\t*', 'wildcard after a tab'],
    [A, 'the exact origin'],
    [` ${A}`, 'the origin after a space'],
    [`${A} `, 'the origin before a space'],
    [`\t${A}\t`, 'the origin between tabs'],
  ];
  for (const [value, what] of pass) {
    for (const browser of ['chromium', 'firefox'] as const) {
      it(`${browser}: ACAO ${what} (${JSON.stringify(value)}) → allowed`, () => {
        expect(verdict([['Access-Control-Allow-Origin', value]], { browser }).kind).toBe('allowed');
      });
    }
  }
});

describe('WPT cors/origin.htm: ACAO values that fail, named as each browser names them', () => {
  const fail: Array<[string, ChromiumCorsError, FirefoxCorsReason, string]> = [
    [A.toUpperCase(), 'AllowOriginMismatch', 'CORSAllowOriginNotMatchingOrigin', 'the origin in uppercase'],
    [`${A}/`, 'AllowOriginMismatch', 'CORSAllowOriginNotMatchingOrigin', 'a trailing slash'],
    [
      'http://127.0.0.1:8101:80',
      'InvalidAllowOriginValue',
      'CORSAllowOriginNotMatchingOrigin',
      'an invalid port suffix',
    ],
    ['https://127.0.0.1:8101', 'AllowOriginMismatch', 'CORSAllowOriginNotMatchingOrigin', 'the wrong scheme'],
    [`${A}, ${B}`, 'MultipleAllowOriginValues', 'CORSAllowOriginNotMatchingOrigin', 'a one-line list'],
    [`${A},${A}`, 'MultipleAllowOriginValues', 'CORSAllowOriginNotMatchingOrigin', 'the origin twice without space'],
    ['127.0.0.1:8101', 'InvalidAllowOriginValue', 'CORSAllowOriginNotMatchingOrigin', 'no scheme'],
    ['null', 'AllowOriginMismatch', 'CORSAllowOriginNotMatchingOrigin', 'null for a tuple origin'],
    ["'*'", 'InvalidAllowOriginValue', 'CORSAllowOriginNotMatchingOrigin', 'a quoted wildcard'],
    ['"*"', 'InvalidAllowOriginValue', 'CORSAllowOriginNotMatchingOrigin', 'a double-quoted wildcard'],
    ['**', 'InvalidAllowOriginValue', 'CORSAllowOriginNotMatchingOrigin', 'a double wildcard'],
    ['* *', 'MultipleAllowOriginValues', 'CORSAllowOriginNotMatchingOrigin', 'two wildcards'],
    ['', 'InvalidAllowOriginValue', 'CORSAllowOriginNotMatchingOrigin', 'an empty value'],
    ['-', 'InvalidAllowOriginValue', 'CORSAllowOriginNotMatchingOrigin', 'a dash'],
  ];
  for (const [value, chromium, firefox, what] of fail) {
    it(`ACAO with ${what} (${JSON.stringify(value)}) → ${chromium} / ${firefox}`, () => {
      const c = blocked([['Access-Control-Allow-Origin', value]]);
      expect([c.corsError, c.firefoxReason]).toEqual([chromium, firefox]);
      const f = blocked([['Access-Control-Allow-Origin', value]], { browser: 'firefox' });
      expect([f.corsError, f.firefoxReason]).toEqual([chromium, firefox]);
      expect(c.failedParameter).toBe(value.trim());
      expect(c.stage).toBe('response');
    });
  }
});

describe('ACAO missing, duplicated, wildcard with credentials', () => {
  it('response without ACAO → MissingAllowOriginHeader / CORSMissingAllowOrigin, no failedParameter', () => {
    const r = blocked([['Content-Type', 'text/plain']]);
    expect(r).toMatchObject({
      corsError: 'MissingAllowOriginHeader',
      firefoxReason: 'CORSMissingAllowOrigin',
      failedParameter: '',
      header: 'access-control-allow-origin',
      actual: null,
      expected: A,
    });
  });
  it('two identical ACAO lines → MultipleAllowOriginValues with the joined value (Chromium) / CORSMultipleAllowOriginNotAllowed (Firefox)', () => {
    const h: H = [
      ['Access-Control-Allow-Origin', A],
      ['Access-Control-Allow-Origin', A],
    ];
    expect(blocked(h)).toMatchObject({
      corsError: 'MultipleAllowOriginValues',
      failedParameter: `${A}, ${A}`,
      firefoxReason: 'CORSMultipleAllowOriginNotAllowed',
    });
    expect(blocked(h, { browser: 'firefox' })).toMatchObject({
      corsError: 'MultipleAllowOriginValues',
      firefoxReason: 'CORSMultipleAllowOriginNotAllowed',
    });
  });
  it('two ACAO lines where one is * → Firefox still says Multiple (it counts lines before reading values)', () => {
    expect(
      blocked(
        [
          ['access-control-allow-origin', '*'],
          ['Access-Control-Allow-Origin', '*'],
        ],
        { browser: 'firefox' },
      ).firefoxReason,
    ).toBe('CORSMultipleAllowOriginNotAllowed');
  });
  it('credentialed GET with ACAO * → WildcardOriginNotAllowed / CORSNotSupportingCredentials', () => {
    for (const browser of ['chromium', 'firefox'] as const) {
      expect(
        blocked(
          [
            ['Access-Control-Allow-Origin', '*'],
            ['Access-Control-Allow-Credentials', 'true'],
          ],
          { credentials: true, browser },
        ),
      ).toMatchObject({
        corsError: 'WildcardOriginNotAllowed',
        firefoxReason: 'CORSNotSupportingCredentials',
        failedParameter: '',
      });
    }
  });
  it('uncredentialed GET with ACAO * ignores a bogus ACAC', () => {
    expect(
      verdict([
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Credentials', 'nope'],
      ]).kind,
    ).toBe('allowed');
  });
  it('header names match case-insensitively', () => {
    expect(verdict([['ACCESS-CONTROL-ALLOW-ORIGIN', A]]).kind).toBe('allowed');
  });
});

describe('ACAC for credentialed requests', () => {
  const cases: Array<[string | null, string]> = [
    [null, ''],
    ['True', 'True'],
    ['1', '1'],
    ['yes', 'yes'],
    ['true, true', 'true, true'],
    ['', ''],
  ];
  for (const [value, param] of cases) {
    it(`credentialed GET, ACAO = origin, ACAC ${value === null ? 'missing' : JSON.stringify(value)} → InvalidAllowCredentials ('${param}') / CORSMissingAllowCredentials`, () => {
      const h: Array<[string, string]> = [['Access-Control-Allow-Origin', A]];
      if (value !== null) h.push(['Access-Control-Allow-Credentials', value]);
      for (const browser of ['chromium', 'firefox'] as const) {
        expect(blocked(h, { credentials: true, browser })).toMatchObject({
          corsError: 'InvalidAllowCredentials',
          failedParameter: param,
          firefoxReason: 'CORSMissingAllowCredentials',
          header: 'access-control-allow-credentials',
          expected: 'true',
        });
      }
    });
  }
  it('credentialed GET, ACAO = origin, ACAC true → allowed', () => {
    expect(
      verdict(
        [
          ['Access-Control-Allow-Origin', A],
          ['Access-Control-Allow-Credentials', 'true'],
          ['Vary', 'Origin'],
        ],
        { credentials: true },
      ).kind,
    ).toBe('allowed');
  });
  it('Chromium checks ACAO before ACAC: credentialed, ACAO mismatch and no ACAC → AllowOriginMismatch', () => {
    expect(blocked([['Access-Control-Allow-Origin', B]], { credentials: true }).corsError).toBe('AllowOriginMismatch');
  });
});

describe('opaque initiators (sandboxed iframe, file:) send Origin: null', () => {
  const fromNull = (h: H, credentials = false) =>
    evaluate(
      get(`${B}/r`, { from: 'null', hints: { mode: 'cors', credentials: credentials ? 'include' : 'same-origin' } })
        .res(200, h)
        .build(),
      { browser: 'chromium' },
    );
  it('ACAO null admits an opaque origin', () =>
    expect(fromNull([['Access-Control-Allow-Origin', 'null']]).kind).toBe('allowed'));
  it('ACAO * admits an opaque origin without credentials', () =>
    expect(fromNull([['Access-Control-Allow-Origin', '*']]).kind).toBe('allowed'));
  it('ACAO of a real origin does not admit an opaque origin → AllowOriginMismatch', () => {
    const v = fromNull([['Access-Control-Allow-Origin', A]]);
    expect(v.kind === 'blocked' && v.reason.corsError).toBe('AllowOriginMismatch');
  });
});
