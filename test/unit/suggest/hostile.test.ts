// Hostile inputs: origins, header names, methods and hidden-header names chosen by an attacker (a page
// controls its header names, a HAR file controls everything) must be rejected with a warning and never
// reach a rendered config, where they could inject nginx/Apache directives, Python or JS code.
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../../src/suggest/frameworks/index';
import { derivePolicy, suggestFix } from '../../../src/suggest/index';
import { isSafeOrigin, isSafeToken } from '../../../src/suggest/validate';
import { PAGE, browserRequest } from '../../support/requests';
import { blocked, hidden, item } from './fixtures';
import { basePolicy } from './variants';

const HOSTILE_ORIGINS = [
  'http://a.example\n}',
  'http://a.example"; evil',
  "http://a.example'",
  'http://a.example;',
  'http://a.example}',
  'http://a.example$(id)',
  'http://a.example/',
  'http://a.example/path',
  'HTTP://A.EXAMPLE',
  'https://a.example:443',
  'http://a.example:0',
  'http://a.example:99999',
  'http://a.example\r\nX-Injected: 1',
  '*',
  'http://*.example.com',
  'javascript:alert(1)',
  'http://a.example`id`',
  'http://a.example%0a',
  'http://{http.request.header.Cookie}',
  'http://a.example\u2028',
  'http://user:pass@a.example',
  'https://a.example.',
  '',
];
const HOSTILE_NAMES = [
  'x-a b',
  'x-a\nb',
  'x-a"b',
  "x-a'b",
  'x-a;b',
  'x-a}b',
  'x-a{b',
  'x-a$b',
  'x-a`b',
  'x-a%b',
  'x-a\\b',
  'x-a,b',
  '*',
  'x-a:b',
  '%{HTTP_COOKIE}e',
  '${jndi:ldap://x}',
  '{http.request.header.Cookie}',
  'x\u00e9',
  '',
];

/** Render the policies of `items` in every framework; returns all code and all warnings. */
function renderAll(items: ReturnType<typeof item>[]) {
  const out: { fw: string; code: string; warnings: string[] }[] = [];
  for (const fw of FRAMEWORKS) {
    const fixes = suggestFix(items, fw.id);
    for (const f of [...fixes.perOrigin, ...fixes.perRequest])
      out.push({ fw: fw.id, code: f.config.code, warnings: [...f.config.warnings, ...f.notes] });
  }
  return out;
}

function expectAbsent(code: string, value: string, fw: string) {
  if (value.length < 2) return;
  expect(code.includes(value), `${fw} rendered hostile ${JSON.stringify(value)}:\n${code}`).toBe(false);
}

describe('hostile page origins', () => {
  for (const origin of HOSTILE_ORIGINS) {
    it(`initiator ${JSON.stringify(origin)} → rejected with a warning, never rendered`, () => {
      expect(isSafeOrigin(origin)).toBe(false);
      const items = [
        item(
          browserRequest({ id: 'bad', initiator: origin }),
          blocked('MissingAllowOriginHeader', { stage: 'response' }),
        ),
        item(browserRequest({ id: 'good' }), blocked('MissingAllowOriginHeader', { stage: 'response' })),
      ];
      const d = derivePolicy(items);
      expect(d.policies).toHaveLength(1);
      expect(d.policies[0].allowOrigins).toEqual([PAGE]);
      expect(d.warnings.map((w) => w.code)).toEqual(['invalid-origin']);
      // The message shows the value escaped: no raw newline / CR / line separator.
      expect(d.warnings[0].message).not.toMatch(/[\n\r\u2028]/);
      for (const r of renderAll(items)) expectAbsent(r.code, origin, r.fw);
    });
  }

  it("a target URL whose host holds $ ' ; { } is left out (it would land in server_name / a Caddy site address)", () => {
    const url = "http://a$b'c;d{e}.example/x";
    const d = derivePolicy([item(browserRequest({ url }), blocked('MissingAllowOriginHeader', { stage: 'response' }))]);
    expect(d.policies).toEqual([]);
    expect(d.warnings.map((w) => w.code)).toEqual(['invalid-origin']);
  });
});

describe('hostile header names and methods', () => {
  for (const name of HOSTILE_NAMES) {
    it(`request header ${JSON.stringify(name)} (via ACRH) and exposed header → rejected with a warning, never rendered`, () => {
      expect(isSafeToken(name)).toBe(false);
      const items = [
        // ACRH is split on commas, so the name goes in as the whole ACRH only when it has no comma.
        item(
          browserRequest({
            id: 'h',
            method: 'PUT',
            preflight: { status: 204, acrh: `x-good,${name.replace(/,/g, '')}` },
            response: null,
          }),
          blocked('HeaderDisallowedByPreflightResponse', { stage: 'preflight', failedParameter: name }),
        ),
        item(browserRequest({ id: 'e' }), hidden(['x-total-count', name])),
      ];
      const d = derivePolicy(items);
      const p = d.policies[0];
      expect(p.requestHeaders).toContain('x-good');
      expect(p.exposeHeaders).toEqual(['x-total-count']);
      if (name.replace(/,/g, '').trim() !== '')
        expect(p.warnings.some((w) => w.code === 'invalid-header-name')).toBe(true);
      for (const r of renderAll(items)) {
        expectAbsent(r.code, name, r.fw);
        expect(r.warnings.join('\n')).not.toMatch(/[\r\u2028]/);
      }
    });
  }

  for (const method of ['PUT\nX', 'PUT;', 'P UT', 'PUT"', "PUT'", 'PU$T', 'P{T}', '%{x}e']) {
    it(`method ${JSON.stringify(method)} → rejected with a warning, never rendered`, () => {
      const items = [
        item(
          browserRequest({ method, preflight: { status: 204 }, response: null }),
          blocked('MethodDisallowedByPreflightResponse', { stage: 'preflight', failedParameter: method }),
        ),
      ];
      const p = derivePolicy(items).policies[0];
      expect(p.methods).toEqual([]);
      expect(p.warnings.map((w) => w.code)).toContain('invalid-method');
      for (const r of renderAll(items)) expectAbsent(r.code, method, r.fw);
    });
  }
});

describe('render() re-checks a hand-built policy', () => {
  it('drops hostile values that bypassed derivePolicy, with a warning per value', () => {
    const policy = basePolicy({
      targetOrigin: 'http://x;}',
      allowOrigins: ['http://ok.example', 'http://a.example"\n}'],
      methods: ['PUT', 'P;T'],
      requestHeaders: ['x-ok', 'x a'],
      exposeHeaders: ['x-e', 'x$e'],
      maxAge: Number.NaN,
      preflight: true,
    });
    for (const fw of FRAMEWORKS) {
      const r = fw.render(policy);
      for (const bad of ['http://a.example"\n}', 'P;T', 'x a', 'x$e', 'http://x;}']) expectAbsent(r.code, bad, fw.id);
      expect(r.code, fw.id).toMatch(/ok\\?\.example/);
      expect(r.warnings.filter((w) => w.startsWith('Left out')).length, fw.id).toBe(4);
      expect(r.code, fw.id).not.toContain('NaN');
    }
  });
});

describe('property: arbitrary strings never reach a config unescaped', () => {
  const payload = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc
      .constantFrom('"', "'", '`', '\n', '\r', ';', '}', '{', '$', '%', '\\', ' ', ',', '#', '\u2028', '<', '>')
      .chain((c) =>
        fc
          .tuple(fc.stringMatching(/^[a-z0-9-]{0,8}$/), fc.stringMatching(/^[a-z0-9-]{0,8}$/))
          .map(([a, b]) => `x-${a}${c}${b}`),
      ),
  );
  const DANGEROUS = /["'`\n\r;{}$%\\\u2028<>, #]/;

  it('derive + render in every framework: no throw, dangerous values absent, JS/TS output still parses', () => {
    fc.assert(
      fc.property(
        fc.record({
          origin: fc.oneof(
            payload.map((s) => `http://${s}`),
            fc.constant(PAGE),
          ),
          header: payload,
          method: fc.oneof(payload, fc.constant('PUT')),
          exposed: payload,
        }),
        ({ origin, header, method, exposed }) => {
          const items = [
            item(
              browserRequest({
                id: 'p',
                initiator: origin,
                method,
                headers: { [header]: '1' },
                preflight: { status: 204 },
                response: null,
              }),
              blocked('PreflightMissingAllowOriginHeader', { stage: 'preflight' }),
            ),
            item(browserRequest({ id: 'q', initiator: origin }), hidden([exposed], 'include')),
          ];
          for (const r of renderAll(items)) {
            // Only marked payloads are searched for: a random string such as "  " or ");" occurs in any code.
            for (const raw of [origin, header, method, exposed]) {
              // Header lists are split and stripped of HTTP whitespace (Fetch "get, decode, and split"): "x-\n" is the
              // valid token "x-" by the time it reaches a config, so search for what is left after stripping.
              const v = raw.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
              if (/^(x-|http:\/\/)/.test(v) && DANGEROUS.test(v.replace(/^http:\/\//, '')))
                expectAbsent(r.code, v, r.fw);
            }
            const fw = FRAMEWORKS.find((f) => f.id === r.fw)!;
            if (fw.language === 'javascript' || fw.language === 'typescript') {
              // The parser alone (parseDiagnostics) is what matters here and is far cheaper than a transpile.
              const sf = ts.createSourceFile(
                fw.language === 'typescript' ? 'a.ts' : 'a.mjs',
                r.code,
                ts.ScriptTarget.ES2022,
                false,
              );
              expect((sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics, r.code).toEqual([]);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
