// Policy derivation: which server policy (or client advice) each observed failure leads to.
import { describe, expect, it } from 'vitest';
import type { ChromiumCorsError } from '../../../src/engine/types';
import { derivePolicy } from '../../../src/suggest/policy';
import { API, PAGE, browserRequest } from '../../support/requests';
import { allowed, blocked, hidden, item, notCors, unknown } from './fixtures';

const only = (items: ReturnType<typeof item>[]) => {
  const d = derivePolicy(items);
  expect(d.policies).toHaveLength(1);
  return d.policies[0];
};
const codes = (p: { changes: { code: string }[] }) => p.changes.map((c) => c.code);

describe('derivePolicy: origins and credentials', () => {
  it('credentialed GET blocked by ACAO * → exact origin + credentials, never *', () => {
    const p = only([
      item(
        browserRequest({ cookie: true, response: { status: 200, headers: { 'Access-Control-Allow-Origin': '*' } } }),
        blocked('WildcardOriginNotAllowed', { credentials: 'include', stage: 'response' }),
      ),
    ]);
    expect(p.allowOrigins).toEqual([PAGE]);
    expect(p.allowOrigins).not.toContain('*');
    expect(p.credentials).toBe(true);
    expect(p.varyOrigin).toBe(true);
    expect(codes(p)).toContain('exact-origin-not-wildcard');
    expect(p.targetOrigin).toBe(API);
  });

  it('uncredentialed GET without ACAO → exact origin, no credentials', () => {
    const p = only([item(browserRequest(), blocked('MissingAllowOriginHeader', { stage: 'response' }))]);
    expect(p.allowOrigins).toEqual([PAGE]);
    expect(p.credentials).toBe(false);
    expect(p.methods).toEqual([]);
    expect(p.requestHeaders).toEqual([]);
    expect(p.preflight).toBe(false);
    expect(codes(p)).toEqual(['add-allow-origin']);
  });

  it('unknown credentials mode with a Cookie header sent → credentials assumed, with an info warning', () => {
    const p = only([
      item(
        browserRequest({ cookie: true }),
        blocked('MissingAllowOriginHeader', { credentials: null, stage: 'response' }),
      ),
    ]);
    expect(p.credentials).toBe(true);
    expect(p.warnings.map((w) => w.code)).toContain('credentials-unknown');
  });

  it('credentialed http page trusted by an https API → warning about network attackers', () => {
    const p = only([
      item(
        browserRequest({ initiator: 'http://app.example.com', cookie: true }),
        blocked('MissingAllowOriginHeader', { credentials: 'include', stage: 'response' }),
      ),
    ]);
    expect(p.warnings.map((w) => w.code)).toContain('http-origin-with-credentials');
  });

  it("opaque page origin ('null') → null allowed, with a danger warning", () => {
    const p = only([
      item(browserRequest({ initiator: 'null' }), blocked('MissingAllowOriginHeader', { stage: 'response' })),
    ]);
    expect(p.allowOrigins).toEqual(['null']);
    expect(p.warnings.some((w) => w.code === 'null-origin' && w.severity === 'danger')).toBe(true);
  });

  it('cross-origin redirect (api → cdn) taints the origin → null allowed on the cdn, danger warning, redirect advice', () => {
    const req = browserRequest({
      response: {
        status: 302,
        headers: { Location: 'https://cdn.example.net/file', 'Access-Control-Allow-Origin': PAGE },
      },
      hops: [{ url: 'https://cdn.example.net/file', status: 200, headers: {} }],
    });
    const d = derivePolicy([item(req, blocked('MissingAllowOriginHeader', { stage: 'redirect', exchangeIndex: 1 }))]);
    expect(d.policies).toHaveLength(1);
    expect(d.policies[0].targetOrigin).toBe('https://cdn.example.net');
    expect(d.policies[0].allowOrigins).toEqual(['null']);
    expect(d.policies[0].warnings.some((w) => w.severity === 'danger')).toBe(true);
    expect(d.clientSideAdvice.map((a) => a.code)).toContain('redirect-taint');
  });

  it('same-origin redirect hop keeps the real origin (no taint)', () => {
    const req = browserRequest({
      response: { status: 307, headers: { Location: `${API}/api/items/`, 'Access-Control-Allow-Origin': PAGE } },
      hops: [{ url: `${API}/api/items/`, status: 200, headers: {} }],
    });
    const p = only([item(req, blocked('MissingAllowOriginHeader', { stage: 'response', exchangeIndex: 1 }))]);
    expect(p.allowOrigins).toEqual([PAGE]);
  });

  it('unknown page origin and no Origin header → no policy, advice to re-capture', () => {
    const req = browserRequest({ initiator: null });
    for (const e of req.exchanges) e.requestHeaders = [];
    const d = derivePolicy([item(req, blocked('MissingAllowOriginHeader', { stage: 'response' }))]);
    expect(d.policies).toEqual([]);
    expect(d.clientSideAdvice.map((a) => a.code)).toEqual(['unknown-page-origin']);
  });
});

describe('derivePolicy: methods and request headers', () => {
  it('PUT with a JSON body blocked by ACAM → methods [PUT] and content-type, nothing safelisted', () => {
    const p = only([
      item(
        browserRequest({
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          preflight: { status: 204, headers: { 'Access-Control-Allow-Origin': PAGE } },
          response: null,
        }),
        blocked('MethodDisallowedByPreflightResponse', { failedParameter: 'PUT', stage: 'preflight' }),
      ),
    ]);
    expect(p.methods).toEqual(['PUT']);
    expect(p.requestHeaders).toEqual(['content-type']);
    expect(p.preflight).toBe(true);
    expect(p.maxAge).toBe(600);
    expect(p.warnings.find((w) => w.code === 'max-age')?.message).toMatch(/7200/);
    expect(codes(p)).toContain('allow-method');
  });

  it("fetch(url, {method: 'patch'}) → 'patch' kept byte for byte, plus advice to send it upper-case", () => {
    const d = derivePolicy([
      item(
        browserRequest({
          method: 'patch',
          preflight: {
            status: 204,
            headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'PATCH' },
          },
          response: null,
        }),
        blocked('MethodDisallowedByPreflightResponse', { failedParameter: 'patch', stage: 'preflight' }),
      ),
    ]);
    expect(d.policies[0].methods).toEqual(['patch']);
    expect(d.clientSideAdvice.map((a) => a.code)).toContain('uppercase-method');
  });

  it('text/plain POST with X-Custom → only x-custom (lowercased), never the safelisted content-type or browser headers', () => {
    const p = only([
      item(
        browserRequest({
          method: 'POST',
          headers: { 'Content-Type': 'text/plain;charset=UTF-8', 'X-Custom': '1' },
          preflight: { status: 204, headers: { 'Access-Control-Allow-Origin': PAGE } },
          response: null,
        }),
        blocked('HeaderDisallowedByPreflightResponse', { failedParameter: 'x-custom', stage: 'preflight' }),
      ),
    ]);
    expect(p.methods).toEqual([]);
    expect(p.requestHeaders).toEqual(['x-custom']);
  });

  it('without a preflight in the capture, unsafe names come from the actual request minus browser-added headers', () => {
    const p = only([
      item(
        browserRequest({
          method: 'GET',
          headers: { 'X-Trace': 't', Accept: 'application/json', 'Accept-Language': 'en' },
          response: { status: 200 },
        }),
        blocked('MissingAllowOriginHeader', { stage: 'response' }),
      ),
    ]);
    expect(p.requestHeaders).toEqual(['x-trace']);
  });

  it('Authorization blocked while ACAH is * → listed by name (never covered by *)', () => {
    const p = only([
      item(
        browserRequest({
          headers: { Authorization: 'Bearer x' },
          preflight: {
            status: 204,
            headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*' },
          },
          response: null,
        }),
        blocked('HeaderDisallowedByPreflightResponse', {
          failedParameter: 'authorization',
          actual: '*',
          stage: 'preflight',
        }),
      ),
    ]);
    expect(p.requestHeaders).toEqual(['authorization']);
    expect(codes(p)).toContain('authorization-by-name');
  });
});

describe('derivePolicy: what to change, from the reason', () => {
  it('preflight answered 401 → must answer 2xx, auth must let OPTIONS through', () => {
    const p = only([
      item(
        browserRequest({
          method: 'DELETE',
          preflight: { status: 401, headers: { 'Access-Control-Allow-Origin': PAGE } },
          response: null,
        }),
        blocked('PreflightInvalidStatus', { stage: 'preflight' }),
      ),
    ]);
    const c = p.changes.find((x) => x.code === 'preflight-2xx');
    expect(c?.message).toMatch(/2xx/);
    expect(c?.message).toMatch(/OPTIONS/);
    expect(c?.message).toMatch(/401/);
    expect(p.corsOnErrors).toBe(false);
  });

  it('preflight 404 without ACAO → add ACAO and answer OPTIONS with 2xx', () => {
    const p = only([
      item(
        browserRequest({ method: 'PUT', preflight: { status: 404 }, response: null }),
        blocked('PreflightMissingAllowOriginHeader', { stage: 'preflight' }),
      ),
    ]);
    expect(codes(p)).toEqual(expect.arrayContaining(['add-allow-origin', 'preflight-2xx']));
  });

  it('two ACAO lines → remove one layer (proxy and app both add it)', () => {
    const p = only([
      item(
        browserRequest({
          response: {
            status: 200,
            headers: [
              { name: 'Access-Control-Allow-Origin', value: PAGE },
              { name: 'access-control-allow-origin', value: PAGE },
            ],
          },
        }),
        blocked('MultipleAllowOriginValues', { actual: `${PAGE}, ${PAGE}`, stage: 'response' }),
      ),
    ]);
    expect(codes(p)).toEqual(['remove-duplicate-layer']);
    expect(p.changes[0].message).toMatch(/proxy/);
  });

  it('one ACAO line holding a list → send one origin chosen from the list', () => {
    const p = only([
      item(
        browserRequest({
          response: { status: 200, headers: { 'Access-Control-Allow-Origin': `${PAGE}, https://b.example` } },
        }),
        blocked('MultipleAllowOriginValues', { actual: `${PAGE}, https://b.example`, stage: 'response' }),
      ),
    ]);
    expect(codes(p)).toEqual(['single-allow-origin']);
  });

  it('ACAO with a trailing slash → mismatch explained as the trailing slash', () => {
    const p = only([
      item(
        browserRequest({ response: { status: 200, headers: { 'Access-Control-Allow-Origin': `${PAGE}/` } } }),
        blocked('AllowOriginMismatch', { actual: `${PAGE}/`, stage: 'response' }),
      ),
    ]);
    expect(p.changes[0].message).toMatch(/trailing slash/);
  });

  it('ACAC "True" on a credentialed request → must be exactly true', () => {
    const p = only([
      item(
        browserRequest({ cookie: true }),
        blocked('InvalidAllowCredentials', { actual: 'True', credentials: 'include', stage: 'response' }),
      ),
    ]);
    expect(codes(p)).toEqual(['allow-credentials-true']);
    expect(p.credentials).toBe(true);
  });

  it('missing ACAO on a 500 → send CORS headers on error responses too', () => {
    const p = only([
      item(browserRequest({ response: { status: 500 } }), blocked('MissingAllowOriginHeader', { stage: 'response' })),
    ]);
    expect(p.corsOnErrors).toBe(true);
    expect(codes(p)).toContain('cors-on-error-responses');
  });

  it('redirected preflight → answer OPTIONS before redirects, and advise calling the final URL', () => {
    const d = derivePolicy([
      item(
        browserRequest({
          method: 'PUT',
          preflight: { status: 301, headers: { Location: `${API}/api/items/` } },
          response: null,
        }),
        blocked('PreflightDisallowedRedirect', { stage: 'preflight' }),
      ),
    ]);
    expect(codes(d.policies[0])).toContain('preflight-no-redirect');
    expect(d.clientSideAdvice.map((a) => a.code)).toContain('request-final-url');
  });

  it('redirect to user:pass@ → fix the redirect (server) and remove URL credentials (client)', () => {
    const d = derivePolicy([
      item(
        browserRequest({ response: { status: 302, headers: { Location: 'https://u:p@api.example.com/x' } } }),
        blocked('RedirectContainsCredentials', { stage: 'redirect' }),
      ),
    ]);
    expect(codes(d.policies[0])).toContain('fix-redirect');
    expect(d.clientSideAdvice.map((a) => a.code)).toContain('remove-url-credentials');
  });

  it('hidden headers → every hidden name is an expose candidate; safelisted, CORS, hop-by-hop names and Set-Cookie are left out', () => {
    const p = only([
      item(
        browserRequest(),
        hidden([
          'X-Total-Count',
          'ETag',
          'Content-Type',
          'Set-Cookie',
          'Link',
          'Connection',
          'Access-Control-Allow-Origin',
        ]),
      ),
    ]);
    expect(p.exposeHeaders).toEqual(['etag', 'link', 'x-total-count']);
    expect(p.warnings.map((w) => w.code)).toContain('set-cookie-not-exposable');
    expect(codes(p)).toEqual(['expose-headers']);
  });
});

describe('derivePolicy: failures the server cannot fix → client-side advice only', () => {
  const cases: [string, ReturnType<typeof item>, string][] = [
    ["mode 'no-cors' (opaque response)", item(browserRequest(), notCors('no-cors')), 'no-cors-opaque'],
    [
      "mode 'same-origin' to another origin",
      item(browserRequest(), blocked('DisallowedByMode', { stage: 'request', exchangeIndex: -1 })),
      'same-origin-mode',
    ],
    [
      'https page calling an http API (mixed content)',
      item(
        browserRequest({ initiator: 'https://app.example.com', url: 'http://api.example.com/x' }),
        notCors('other-policy', 'mixed content'),
      ),
      'mixed-content',
    ],
    [
      'Local Network Access permission denied',
      item(browserRequest(), blocked('LocalNetworkAccessPermissionDenied', { stage: 'request', exchangeIndex: -1 })),
      'local-network-access',
    ],
    ['LNA classified as not-cors', item(browserRequest(), notCors('local-network-access')), 'local-network-access'],
    [
      'XHR to file:',
      item(
        browserRequest({ url: 'file:///etc/hosts' }),
        blocked('CorsDisabledScheme', { stage: 'request', exchangeIndex: -1 }),
      ),
      'cors-disabled-scheme',
    ],
    [
      'no-cors with redirect: manual',
      item(browserRequest(), blocked('NoCorsRedirectModeNotFollow', { stage: 'request', exchangeIndex: -1 })),
      'no-cors-redirect-mode',
    ],
    ['network error', item(browserRequest(), notCors('network-error')), 'not-cors'],
    ['unknown verdict', item(browserRequest(), unknown(['response headers'])), 'unknown-verdict'],
  ];
  for (const [name, it_, code] of cases) {
    it(`${name} → no server policy, advice ${code}`, () => {
      const d = derivePolicy([it_]);
      expect(d.policies).toEqual([]);
      expect(d.perRequest).toEqual([]);
      expect(d.clientSideAdvice.map((a) => a.code)).toEqual([code]);
    });
  }

  it('same-origin and allowed requests → nothing at all', () => {
    const d = derivePolicy([
      item(browserRequest(), notCors('same-origin')),
      item(browserRequest({ id: 'r2' }), allowed()),
    ]);
    expect(d).toEqual({ policies: [], perRequest: [], clientSideAdvice: [], warnings: [] });
  });
});

describe('derivePolicy: merging', () => {
  it('two pages, one API → one merged policy per target origin; per-request policies stay separate', () => {
    const d = derivePolicy([
      item(
        browserRequest({ id: 'a', method: 'PUT', preflight: { status: 204 }, response: null }),
        blocked('PreflightMissingAllowOriginHeader', { stage: 'preflight' }),
      ),
      item(
        browserRequest({ id: 'b', initiator: 'https://admin.example.com', cookie: true }),
        blocked('WildcardOriginNotAllowed', { credentials: 'include', stage: 'response' }),
      ),
    ]);
    expect(d.policies).toHaveLength(1);
    const p = d.policies[0];
    expect(p.allowOrigins).toEqual(['http://localhost:5173', 'https://admin.example.com']);
    expect(p.methods).toEqual(['PUT']);
    expect(p.credentials).toBe(true);
    expect(p.requestIds).toEqual(['a', 'b']);
    expect(d.perRequest.map((x) => [x.requestIds, x.allowOrigins, x.credentials])).toEqual([
      [['a'], [PAGE], false],
      [['b'], ['https://admin.example.com'], true],
    ]);
  });

  it('two APIs → two policies, each with only its own requests', () => {
    const d = derivePolicy([
      item(browserRequest({ id: 'a' }), blocked('MissingAllowOriginHeader', { stage: 'response' })),
      item(
        browserRequest({
          id: 'b',
          url: 'https://files.example.com/f',
          method: 'DELETE',
          preflight: { status: 204 },
          response: null,
        }),
        blocked('PreflightMissingAllowOriginHeader', { stage: 'preflight' }),
      ),
    ]);
    expect(d.policies.map((p) => [p.targetOrigin, p.requestIds, p.methods])).toEqual([
      [API, ['a'], []],
      ['https://files.example.com', ['b'], ['DELETE']],
    ]);
  });

  it('an allowed credentialed request to the same API stays working in the merged policy', () => {
    const d = derivePolicy([
      item(
        browserRequest({ id: 'a', method: 'PUT', preflight: { status: 204 }, response: null }),
        blocked('PreflightMissingAllowOriginHeader', { stage: 'preflight' }),
      ),
      item(
        browserRequest({ id: 'ok', initiator: 'https://other.example.com', headers: { 'X-Ok': '1' }, cookie: true }),
        allowed('include'),
      ),
    ]);
    const p = d.policies[0];
    expect(p.allowOrigins).toContain('https://other.example.com');
    expect(p.requestHeaders).toContain('x-ok');
    expect(p.credentials).toBe(true);
    expect(d.perRequest).toHaveLength(1);
  });

  it('merged lists are sorted and do not depend on capture order', () => {
    const a = item(
      browserRequest({
        id: 'a',
        initiator: 'https://b.example',
        method: 'PUT',
        headers: { 'X-B': '1' },
        preflight: { status: 204 },
        response: null,
      }),
      blocked('PreflightMissingAllowOriginHeader', { stage: 'preflight' }),
    );
    const b = item(
      browserRequest({
        id: 'b',
        initiator: 'https://a.example',
        method: 'DELETE',
        headers: { 'X-A': '1' },
        preflight: { status: 204 },
        response: null,
      }),
      blocked('PreflightMissingAllowOriginHeader', { stage: 'preflight' }),
    );
    const p1 = derivePolicy([a, b]).policies[0];
    const p2 = derivePolicy([b, a]).policies[0];
    expect([p1.allowOrigins, p1.methods, p1.requestHeaders]).toEqual([p2.allowOrigins, p2.methods, p2.requestHeaders]);
    expect(p1.allowOrigins).toEqual(['https://a.example', 'https://b.example']);
  });
});

describe('derivePolicy: every Chromium CorsError is handled', () => {
  // `satisfies Record<ChromiumCorsError, …>` makes this table fail to compile when a reason is added.
  const side = {
    DisallowedByMode: 'client',
    InvalidResponse: 'client',
    WildcardOriginNotAllowed: 'server',
    MissingAllowOriginHeader: 'server',
    MultipleAllowOriginValues: 'server',
    InvalidAllowOriginValue: 'server',
    AllowOriginMismatch: 'server',
    InvalidAllowCredentials: 'server',
    CorsDisabledScheme: 'client',
    PreflightInvalidStatus: 'server',
    PreflightDisallowedRedirect: 'server',
    PreflightWildcardOriginNotAllowed: 'server',
    PreflightMissingAllowOriginHeader: 'server',
    PreflightMultipleAllowOriginValues: 'server',
    PreflightInvalidAllowOriginValue: 'server',
    PreflightAllowOriginMismatch: 'server',
    PreflightInvalidAllowCredentials: 'server',
    InvalidAllowMethodsPreflightResponse: 'server',
    InvalidAllowHeadersPreflightResponse: 'server',
    MethodDisallowedByPreflightResponse: 'server',
    HeaderDisallowedByPreflightResponse: 'server',
    RedirectContainsCredentials: 'server',
    InsecureLocalNetwork: 'client',
    InvalidLocalNetworkAccess: 'client',
    NoCorsRedirectModeNotFollow: 'client',
    LocalNetworkAccessPermissionDenied: 'client',
  } as const satisfies Record<ChromiumCorsError, 'server' | 'client'>;
  for (const [err, where] of Object.entries(side) as [ChromiumCorsError, 'server' | 'client'][]) {
    it(`${err} → ${where === 'server' ? 'a server policy with at least one change' : 'client-side advice only'}`, () => {
      const req = browserRequest({ method: 'PUT', preflight: { status: 204 }, response: { status: 200 } });
      const d = derivePolicy([
        item(req, blocked(err, { exchangeIndex: err.startsWith('Preflight') || err.includes('Preflight') ? 0 : 1 })),
      ]);
      if (where === 'server') {
        expect(d.policies).toHaveLength(1);
        expect(d.policies[0].changes.length).toBeGreaterThan(0);
      } else {
        expect(d.policies).toEqual([]);
        expect(d.clientSideAdvice).toHaveLength(1);
      }
    });
  }
});
