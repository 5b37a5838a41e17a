// parseUrl's fast path (plain http(s) URLs parsed without `new URL`) must agree with the WHATWG URL parser:
// same success/failure, same scheme and origin, same userinfo flag, and a `url` that is the parser's own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidUrlLikeGurl, normalizeOrigin, parseUrl, redactUserinfo } from '../../../src/engine/origin';

const RUNS = Math.max(1, Number(process.env.FC_RUNS) || 1000);
// Generous: fast-check's web URLs are slow to generate on a loaded 2-core machine.
const TIMEOUT = Math.max(120_000, RUNS * 100);

/** What the engine derived before the fast path existed: `new URL` for everything. */
function viaUrl(u: string): { scheme: string; origin: string; hasCredentials: boolean } | null {
  let p: URL;
  try {
    p = new URL(u);
  } catch {
    return null;
  }
  const scheme = p.protocol.slice(0, -1).toLowerCase();
  return { scheme, origin: p.origin, hasCredentials: p.username !== '' || p.password !== '' };
}

function check(u: string): void {
  const want = viaUrl(u);
  const got = parseUrl(u);
  if (want === null) {
    expect(got, u).toBeNull();
    return;
  }
  expect(got, u).not.toBeNull();
  expect(got!.scheme, u).toBe(want.scheme);
  expect(got!.hasCredentials, u).toBe(want.hasCredentials);
  if (want.scheme === 'http' || want.scheme === 'https') expect(got!.origin, u).toBe(want.origin);
  expect(got!.url.href, u).toBe(new URL(u).href);
}

// Characters chosen to hit every branch of the fast path's authority scan and its hand-offs to `new URL`.
const hostChar = fc.constantFrom(...'abcxyzABZ0189-._%@:[]\\/?#\t é'.split(''), 'xn--', '0x', '.1', '::');
const authority = fc.array(hostChar, { maxLength: 14 }).map((a) => a.join(''));
const port = fc.oneof(
  fc.constant(''),
  fc.constantFrom(':', ':0', ':80', ':443', ':080', ':8080', ':65535', ':65536', ':99999', ':123456', ':8a'),
);
const rest = fc.constantFrom('', '/', '/p?q#f', '?q', '#f', '\\x', '/ a', '/%zz', '/é');
const scheme = fc.constantFrom('http://', 'https://', 'HTTP://', 'http:', 'https:/', 'http:///', 'ws://', 'ftp://');

describe('parseUrl fast path', () => {
  it(
    'agrees with new URL on generated http(s) URLs',
    () => {
      fc.assert(
        fc.property(scheme, authority, port, rest, (s, a, p, r) => check(`${s}${a}${p}${r}`)),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'agrees with new URL on numeric hosts (IPv4 forms)',
    () => {
      const part = fc.oneof(
        fc.integer({ min: 0, max: 300 }).map(String),
        fc.constantFrom('00', '01', '0x1f', '08', '', '1a'),
      );
      fc.assert(
        fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), fc.boolean(), port, (ps, dot, p) =>
          check(`http://${ps.join('.')}${dot ? '.' : ''}${p}/x`),
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'agrees with new URL on fast-check web URLs',
    () => {
      fc.assert(
        fc.property(
          fc.webUrl({
            withFragments: true,
            withQueryParameters: true,
            authoritySettings: { withPort: true, withUserInfo: true, withIPv4: true, withIPv6: true },
          }),
          check,
        ),
        { numRuns: Math.ceil(RUNS / 4) },
      );
    },
    TIMEOUT,
  );

  it('agrees with new URL on the cases the fast path hands over', () => {
    for (const u of [
      'http://a.test',
      'https://A.Test:443/x',
      'http://a.test:80',
      'http://a.test:0080/',
      'http://a.test:/',
      'http://0x7f.1/',
      'http://127.0.0.1:8101/x',
      'http://1.2.3/',
      'http://a.1./',
      'http://a.b./',
      'http://./',
      'http://../',
      'http://-a-/',
      'https://xn--nxasmq6b.com/',
      'https://XN--a.b/',
      'https://a.xn--zz/',
      'http://u:p@a.test/',
      'http://a.test:65536/',
      'http://1.2.3.4./',
      'http://01.2.3.4/',
      'http://256.1.1.1/',
      'http://1.2.3.4.5/',
      'http://0.0.0.0/',
      'http://a.1.2.3.4/',
      'http://1.2.3.04/',
      'http://255.255.255.255:80/',
      'http://1..2.3/',
      'http://a.test\\p',
      'http://a.test?x',
      'http://a.test#x',
      'http://a\t.test/',
      'http://a_b.test/',
      'http:///a.test/',
    ])
      check(u);
  });

  it('keeps redactUserinfo working whichever path parsed the URL', () => {
    expect(redactUserinfo('https://u:secret@a.test/x')).toBe('https://u:***@a.test/x');
    expect(redactUserinfo('https://a.test/x')).toBe('https://a.test/x');
  });
});

/** isValidUrlLikeGurl as it was written before the scheme pre-check: `new URL`, and a host for tuple schemes. */
function gurlViaUrl(v: string): boolean {
  if (v.length === 0) return false;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return false;
  }
  return !(['http', 'https', 'ws', 'wss', 'ftp'].includes(u.protocol.slice(0, -1).toLowerCase()) && u.host === '');
}

describe('strings without a scheme are refused without new URL', () => {
  // Scheme characters, their neighbours, the code points the parser strips or removes, and non-ASCII.
  const schemeish = fc
    .array(fc.constantFrom(...'aZ09+-.:/*\'"@ \t\n\r\x00\x1f\x7f\u00e9_'.split(''), 'http', 'HTTP://', '//'), {
      maxLength: 10,
    })
    .map((a) => a.join(''));

  it(
    'parseUrl and isValidUrlLikeGurl agree with new URL on scheme-like strings',
    () => {
      fc.assert(
        fc.property(schemeish, (v) => {
          expect(parseUrl(v) === null, JSON.stringify(v)).toBe(viaUrl(v) === null);
          expect(isValidUrlLikeGurl(v), JSON.stringify(v)).toBe(gurlViaUrl(v));
        }),
        { numRuns: RUNS * 4 },
      );
    },
    TIMEOUT,
  );

  it('agrees on the ACAO values real servers get wrong', () => {
    for (const v of [
      'example.com',
      '127.0.0.1:8301',
      '-',
      '**',
      '"*"',
      "'*'",
      'HTTP://127.0.0.1:8301',
      ' http://a',
      '\thttp://a',
      'h\tttp://a',
      'a+b.c-d:x',
      '1a:b',
      'é:x',
      'a:',
    ]) {
      expect(isValidUrlLikeGurl(v), JSON.stringify(v)).toBe(gurlViaUrl(v));
      expect(parseUrl(v) === null, JSON.stringify(v)).toBe(viaUrl(v) === null);
    }
  });
});

describe('normalizeOrigin memo', () => {
  it('answers as trim + parseUrl on first and repeated calls, past its size bound', () => {
    const inputs: string[] = [];
    for (let i = 0; i < 700; i++)
      inputs.push(
        i % 7 === 0
          ? ` http://h${i}.test:${8000 + i}/p `
          : i % 7 === 1
            ? 'null'
            : i % 7 === 2
              ? ''
              : i % 7 === 3
                ? `garbage${i}`
                : `HTTP://H${i % 50}.Test`,
      );
    const want = (v: string) => {
      const t = v.trim();
      return t === '' ? null : t === 'null' ? 'null' : (parseUrl(t)?.origin ?? null);
    };
    for (let round = 0; round < 3; round++) for (const v of inputs) expect(normalizeOrigin(v), v).toBe(want(v));
    expect(normalizeOrigin(null)).toBeNull();
    expect(normalizeOrigin(undefined)).toBeNull();
  });
});

describe('parseUrl after warm-up', () => {
  it('still parses an IDN host after thousands of calls (Node 20 URL.canParse turns false once optimized)', () => {
    let nulls = 0;
    for (let i = 0; i < 20_000; i++) if (parseUrl('http://\u00e9/x') === null) nulls++;
    expect(nulls).toBe(0);
    expect(parseUrl('http://\u00e9/x')?.origin).toBe('http://xn--9ca');
  });
});
