// Response exposure (ACEH, safelisted response headers, Set-Cookie) and security findings on allowed and
// blocked responses.
import { describe, expect, it } from 'vitest';
import { evaluate, type FindingCode, type Verdict } from '../../../src/engine';
import { A, B, acao, cred, get, method } from '../../support/requests';

const hints = { mode: 'cors' as const, credentials: 'same-origin' as const };
const credHints = { mode: 'cors' as const, credentials: 'include' as const };
const hidden = (v: Verdict) =>
  v.kind === 'allowed-hidden-headers' ? v.hiddenHeaders : v.kind === 'allowed' ? [] : null;
const codes = (v: Verdict) => v.findings.map((f) => f.code);

describe('exposure', () => {
  it('headers not in ACEH are hidden, lowercased; safelisted and access-control-* are not listed', () => {
    const v = evaluate(
      get(`${B}/x`, { hints })
        .res(
          200,
          acao('*', {
            'X-Request-Id': '1',
            ETag: '"a"',
            'Content-Type': 'text/plain',
            'Cache-Control': 'no-store',
            'Access-Control-Max-Age': '5',
          }),
        )
        .ok(),
      { browser: 'chromium' },
    );
    expect(hidden(v)).toEqual(['x-request-id', 'etag']);
  });
  it('ACEH lists a header → it is exposed (case-insensitively)', () => {
    const v = evaluate(
      get(`${B}/x`, { hints })
        .res(200, acao('*', { 'X-Request-Id': '1', 'Access-Control-Expose-Headers': 'X-REQUEST-ID' }))
        .ok(),
      { browser: 'firefox' },
    );
    expect(v.kind).toBe('allowed');
  });
  it('ACEH * exposes everything without credentials', () => {
    const v = evaluate(
      get(`${B}/x`, { hints })
        .res(200, acao('*', { 'X-A': '1', Link: '<x>', 'Access-Control-Expose-Headers': '*' }))
        .ok(),
      { browser: 'chromium' },
    );
    expect(v.kind).toBe('allowed');
  });
  it('ACEH * is literal with credentials: headers stay hidden', () => {
    const v = evaluate(
      get(`${B}/x`, { hints: credHints })
        .res(200, cred(A, { 'X-A': '1', 'Access-Control-Expose-Headers': '*' }))
        .ok(),
      { browser: 'chromium' },
    );
    expect(hidden(v)).toEqual(['x-a']);
  });
  it('Set-Cookie is never exposed, even when listed', () => {
    const v = evaluate(
      get(`${B}/x`, { hints })
        .res(200, acao('*', { 'Set-Cookie': 'a=1', 'Access-Control-Expose-Headers': 'Set-Cookie, *' }))
        .ok(),
      { browser: 'chromium' },
    );
    expect(hidden(v)).toEqual(['set-cookie']);
  });
  it('an unparsable ACEH exposes only the safelisted headers', () => {
    const v = evaluate(
      get(`${B}/x`, { hints })
        .res(200, acao('*', { 'X-A': '1', 'Access-Control-Expose-Headers': 'x-a, (bad)' }))
        .ok(),
      { browser: 'chromium' },
    );
    expect(hidden(v)).toEqual(['x-a']);
    expect(v.trace.join('\n')).toContain('does not parse');
  });
  it('transport noise (Date, Connection, Server, Vary) is not reported as hidden', () => {
    const v = evaluate(
      get(`${B}/x`, { hints })
        .res(
          200,
          acao('*', { Date: 'x', Connection: 'keep-alive', Server: 'y', Vary: 'Origin', 'Keep-Alive': 'timeout=5' }),
        )
        .ok(),
      { browser: 'chromium' },
    );
    expect(v.kind).toBe('allowed');
  });
});

describe('findings', () => {
  const cases: Array<[string, Verdict, FindingCode, boolean]> = [
    [
      'ACAO = origin with credentials and no Vary → reflected-origin-with-credentials (warning)',
      evaluate(
        get(`${B}/x`, { hints: credHints })
          .res(200, acao(A, { 'Access-Control-Allow-Credentials': 'true' }))
          .ok(),
        { browser: 'chromium' },
      ),
      'reflected-origin-with-credentials',
      true,
    ],
    [
      'ACAO null → null-origin-allowed',
      evaluate(get(`${B}/x`, { from: 'null', hints }).res(200, acao('null')).ok(), { browser: 'chromium' }),
      'null-origin-allowed',
      true,
    ],
    [
      'ACAO names an origin without Vary: Origin → missing-vary-origin',
      evaluate(get(`${B}/x`, { hints }).res(200, acao(A)).ok(), { browser: 'chromium' }),
      'missing-vary-origin',
      true,
    ],
    [
      'ACAO names an origin with Vary: Accept, Origin → no missing-vary-origin',
      evaluate(
        get(`${B}/x`, { hints })
          .res(200, acao(A, { Vary: 'Accept, Origin' }))
          .ok(),
        { browser: 'chromium' },
      ),
      'missing-vary-origin',
      false,
    ],
    [
      'ACAO * on a request carrying Authorization → wildcard-on-credentialed-api',
      evaluate(
        get(`${B}/x`, { hints, headers: { Authorization: 'Bearer x' } })
          .pre(204, acao('*', { 'Access-Control-Allow-Headers': 'authorization' }), { acrh: 'authorization' })
          .res(200, acao('*'))
          .ok(),
        { browser: 'chromium' },
      ),
      'wildcard-on-credentialed-api',
      true,
    ],
    [
      'two ACAO lines → duplicate-acao-proxy (even though blocked)',
      evaluate(
        get(`${B}/x`, { hints })
          .res(200, [
            ['Access-Control-Allow-Origin', A],
            ['Access-Control-Allow-Origin', A],
          ])
          .fail(),
        { browser: 'chromium' },
      ),
      'duplicate-acao-proxy',
      true,
    ],
    [
      'an https resource trusting an http origin → http-origin-trusted-by-https',
      evaluate(
        get('https://api.example/x', { hints })
          .res(200, acao(A, { Vary: 'Origin' }))
          .ok(),
        { browser: 'chromium' },
      ),
      'http-origin-trusted-by-https',
      true,
    ],
    [
      'a long Access-Control-Max-Age on a sent preflight → preflight-cache-may-hide-fix',
      evaluate(
        method('PUT', `${B}/x`, { hints })
          .pre(204, acao('*', { 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Max-Age': '86400' }))
          .res(200, acao('*'))
          .ok(),
        { browser: 'firefox' },
      ),
      'preflight-cache-may-hide-fix',
      true,
    ],
    [
      'a short Access-Control-Max-Age → no preflight-cache finding',
      evaluate(
        method('PUT', `${B}/x`, { hints })
          .pre(204, acao('*', { 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Max-Age': '60' }))
          .res(200, acao('*'))
          .ok(),
        { browser: 'firefox' },
      ),
      'preflight-cache-may-hide-fix',
      false,
    ],
  ];
  for (const [name, v, code, present] of cases) it(name, () => expect(codes(v).includes(code)).toBe(present));
  it('ACAO null with credentials is danger', () => {
    const v = evaluate(
      get(`${B}/x`, { from: 'null', hints: credHints })
        .res(200, acao('null', { 'Access-Control-Allow-Credentials': 'true' }))
        .ok(),
      { browser: 'chromium' },
    );
    expect(v.findings.find((f) => f.code === 'null-origin-allowed')?.severity).toBe('danger');
  });
  it('reflection with Vary: Origin is only flagged as possible (info)', () => {
    const v = evaluate(get(`${B}/x`, { hints: credHints }).res(200, cred()).ok(), { browser: 'chromium' });
    expect(v.findings.find((f) => f.code === 'reflected-origin-with-credentials')?.severity).toBe('info');
  });
});
