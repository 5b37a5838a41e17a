// Calls that failed for a reason other than CORS: each gets a not-cors verdict whose `cause` names it, with a fix.
// The error strings are the ones the browsers give (measured: Chromium 156, Firefox ESR 153).
import { describe, expect, it } from 'vitest';
import { evaluate, messagesFor, type ObservedRequest, type Verdict } from '../../../src/engine';
import { causeOfError } from '../../../src/engine/net-errors';
import { addressSpaceOfHost, potentiallyTrustworthy, sameSite } from '../../../src/engine/not-cors';
import { A, B, acao, cred, get, method } from '../../support/requests';

const chromium = (r: ObservedRequest) => evaluate(r, { browser: 'chromium' });
const firefox = (r: ObservedRequest) => evaluate(r, { browser: 'firefox' });
const cause = (v: Verdict) => (v.kind === 'not-cors' ? v.cause : v.kind);
const nc = (v: Verdict) => {
  if (v.kind !== 'not-cors') throw new Error(`expected not-cors, got ${v.kind}: ${JSON.stringify(v.trace)}`);
  return v;
};

describe('error strings name their cause', () => {
  it.each([
    ['net::ERR_FAILED', null],
    ['NS_ERROR_DOM_BAD_URI', null],
    ['net::ERR_CONNECTION_REFUSED', 'connection-refused'],
    ['NS_ERROR_CONNECTION_REFUSED', 'connection-refused'],
    ['net::ERR_NAME_NOT_RESOLVED', 'dns'],
    ['NS_ERROR_UNKNOWN_HOST', 'dns'],
    ['net::ERR_CERT_AUTHORITY_INVALID', 'tls'],
    ['net::ERR_SSL_PROTOCOL_ERROR', 'tls'],
    ['net::ERR_BLOCKED_BY_CLIENT', 'blocked-by-client'],
    ['NS_ERROR_ABORT', 'blocked-by-client'],
    ['net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS', 'local-network-access'],
    ['NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED', 'local-network-access'],
    ['net::ERR_BLOCKED_BY_ORB', 'orb'],
    ['net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin', 'corp'],
    ['net::ERR_BLOCKED_BY_RESPONSE.NotSameOriginAfterDefaultedToSameOriginByCoep', 'coep'],
    ['NS_ERROR_DOM_CORP_FAILED', 'corp'],
    ['NS_ERROR_DOM_COEP_FAILED', 'coep'],
    ['net::ERR_BLOCKED_BY_CSP', 'csp'],
    ['blocked:csp', 'csp'],
    ['blocked:mixed-content', 'mixed-content'],
    ['net::ERR_ABORTED', 'aborted'],
    ['NS_BINDING_ABORTED', 'aborted'],
    ['net::ERR_EMPTY_RESPONSE', 'network-error'],
  ])('%s → %s', (error, expected) => expect(causeOfError(error)).toBe(expected));
});

describe('address spaces and trustworthiness', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['localhost', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['192.168.1.10', 'local'],
    ['10.0.0.1', 'local'],
    ['172.20.0.1', 'local'],
    ['8.8.8.8', 'public'],
    ['example.com', null],
  ])('%s is %s', (host, space) => expect(addressSpaceOfHost(host)).toBe(space));
  it('loopback http is potentially trustworthy; an http host name is not', () => {
    expect([
      potentiallyTrustworthy('http://127.0.0.1:1/'),
      potentiallyTrustworthy('http://api.test/'),
      potentiallyTrustworthy('https://api.test/'),
    ]).toEqual([true, false, true]);
  });
  it('same site: ports and subdomains aside', () => {
    expect([
      sameSite('http://127.0.0.1:1', 'http://127.0.0.1:2/x'),
      sameSite('https://app.example.com', 'https://api.example.com/x'),
      sameSite('http://127.0.0.1:1', 'http://localhost:1/'),
    ]).toEqual([true, true, false]);
  });
});

describe('the network failed: not CORS', () => {
  it('connection refused on a simple GET names host and port', () => {
    const v = nc(chromium(get(`${B}/x`).unsent('net::ERR_CONNECTION_REFUSED').fail('net::ERR_CONNECTION_REFUSED')));
    expect([v.cause, v.why]).toEqual(['connection-refused', 'network-error']);
    expect(v.detail).toContain('127.0.0.1:8102');
    expect(messagesFor(get(`${B}/x`).fail('net::ERR_CONNECTION_REFUSED'), v).summary).toBe(
      'not CORS: connection refused, nothing listens on 127.0.0.1:8102',
    );
  });
  it('Chromium, preflighted: the OPTIONS shows plain net::ERR_FAILED, the request the real error → connection-refused, not unknown', () => {
    const r = method('PUT', `${B}/x`, { headers: { 'X-Api-Key': '1' } })
      .unsent()
      .fail('net::ERR_CONNECTION_REFUSED');
    r.exchanges.unshift({
      kind: 'preflight',
      url: `${B}/x`,
      method: 'OPTIONS',
      requestHeaders: [
        { name: 'Access-Control-Request-Method', value: 'PUT' },
        { name: 'Origin', value: A },
      ],
      response: null,
      error: 'net::ERR_FAILED',
    });
    const v = nc(chromium(r));
    expect(v.cause).toBe('connection-refused');
    expect(v.detail).toContain('plain net::ERR_FAILED');
  });
  it('Firefox, preflighted: the request fails NS_ERROR_DOM_BAD_URI, the OPTIONS NS_ERROR_CONNECTION_REFUSED → connection-refused', () => {
    const r = method('PUT', `${B}/x`, { headers: { 'X-Api-Key': '1' } })
      .unsent()
      .fail('NS_ERROR_DOM_BAD_URI');
    r.exchanges.unshift({
      kind: 'preflight',
      url: `${B}/x`,
      method: 'OPTIONS',
      requestHeaders: [
        { name: 'Access-Control-Request-Method', value: 'PUT' },
        { name: 'Origin', value: A },
      ],
      response: null,
      error: 'NS_ERROR_CONNECTION_REFUSED',
    });
    expect(cause(firefox(r))).toBe('connection-refused');
  });
  it('DNS failure names the host', () => {
    const v = nc(chromium(get('http://no-such-host.invalid/x').unsent().fail('net::ERR_NAME_NOT_RESOLVED')));
    expect([v.cause, v.detail.includes('no-such-host.invalid')]).toEqual(['dns', true]);
  });
  it('a plain CORS block (ERR_FAILED after a response that fails the check) stays blocked', () => {
    expect(chromium(get(`${B}/x`).res(200, []).fail()).kind).toBe('blocked');
  });
});

describe('page-side causes (page observer)', () => {
  it('CSP connect-src: no network event, the page saw a securitypolicyviolation', () => {
    const v = nc(
      chromium(
        get(`${B}/x`, {
          type: 'fetch',
          hints: {
            mode: 'cors',
            failure: {
              name: 'TypeError',
              csp: { directive: 'connect-src', policy: "connect-src 'self'" },
              networkless: true,
            },
          },
        }).fail('net::ERR_FAILED'),
      ),
    );
    expect(v.cause).toBe('csp');
    expect(v.detail).toContain("connect-src 'self'");
    expect(v.fix).toContain(`Add ${B} to connect-src`);
  });
  it('mixed content: an https page, an http host name, nothing sent', () => {
    const v = nc(
      chromium(
        get('http://api.test:8443/x', {
          from: 'https://app.test:8443',
          type: 'fetch',
          hints: { mode: 'cors', failure: { name: 'TypeError', networkless: true } },
        }).fail('net::ERR_FAILED'),
      ),
    );
    expect(v.cause).toBe('mixed-content');
    expect(v.fix).toContain('https');
  });
  it('https page → http://127.0.0.1 is not mixed content (loopback is potentially trustworthy)', () => {
    expect(
      cause(
        chromium(
          get(`${B}/x`, { from: 'https://app.test', hints: { mode: 'cors', failure: { name: 'TypeError' } } })
            .res(200, [])
            .fail(),
        ),
      ),
    ).toBe('blocked');
  });
  it('AbortSignal.timeout → aborted-by-page after N ms', () => {
    const v = nc(
      chromium(
        get(`${B}/slow`, { type: 'fetch', hints: { mode: 'cors', failure: { name: 'TimeoutError', afterMs: 150 } } })
          .unsent()
          .fail('net::ERR_ABORTED'),
      ),
    );
    expect([v.cause, v.detail.includes('after 150 ms'), v.detail.includes('AbortSignal.timeout')]).toEqual([
      'aborted-by-page',
      true,
      true,
    ]);
  });
  it("abort during the body (ERR_FAILED with a passing response) is the page's abort, not CORS", () => {
    expect(
      cause(
        chromium(
          get(`${B}/x`, { hints: { mode: 'cors', failure: { name: 'AbortError' } } })
            .res(200, acao('*'))
            .fail(),
        ),
      ),
    ).toBe('aborted-by-page');
  });
});

describe('Local Network Access', () => {
  const lna = 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS';
  it('denied for a loopback target: the permission is loopback-network, not local-network', () => {
    const v = nc(chromium(get(`${B}/x`, { from: 'https://public.example' }).unsent().fail(lna)));
    expect([v.cause, v.corsError]).toEqual(['local-network-access', 'LocalNetworkAccessPermissionDenied']);
    expect(v.detail).toContain('loopback-network');
    expect(v.fix).toContain("targetAddressSpace: 'loopback'");
  });
  it('denied for a LAN target → local-network', () => {
    const v = nc(chromium(get('http://192.168.1.20/x', { from: 'https://public.example' }).unsent().fail(lna)));
    expect(v.detail).toContain('local-network permission');
    expect(v.fix).toContain("targetAddressSpace: 'local'");
  });
  it('an http page → InsecureLocalNetwork: serve the page over https', () => {
    const v = nc(chromium(get(`${B}/x`, { from: 'http://insecure.test:8101' }).unsent().fail(lna)));
    expect(v.corsError).toBe('InsecureLocalNetwork');
    expect(v.fix).toContain('https');
  });
  it('Firefox grants the permission to an http page too: the finding names loopback-network, not https', () => {
    const v = nc(
      firefox(
        get(`${B}/x`, { from: 'http://insecure.test:8101', hints: { secureContext: false } })
          .unsent()
          .fail('NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED'),
      ),
    );
    expect([v.cause, v.corsError]).toEqual(['local-network-access', 'LocalNetworkAccessPermissionDenied']);
    expect(v.detail).toContain('loopback-network');
  });
  it('the page observer says the page is not a secure context → InsecureLocalNetwork', () => {
    expect(
      nc(
        chromium(
          get(`${B}/x`, { from: 'https://x.example', hints: { secureContext: false } })
            .unsent()
            .fail(lna),
        ),
      ).corsError,
    ).toBe('InsecureLocalNetwork');
  });
  it("targetAddressSpace 'local' to a loopback target (plain ERR_FAILED) → InvalidLocalNetworkAccess: use 'loopback'", () => {
    const v = nc(
      chromium(
        get(`${B}/x`, { type: 'fetch', hints: { mode: 'cors', targetAddressSpace: 'local' } })
          .unsent()
          .fail('net::ERR_FAILED'),
      ),
    );
    expect(v.corsError).toBe('InvalidLocalNetworkAccess');
    expect(v.fix).toContain("targetAddressSpace: 'loopback'");
  });
  it("net::ERR_INCONSISTENT_IP_ADDRESS_SPACE (the network stack's word for a wrong targetAddressSpace) → InvalidLocalNetworkAccess, even without the page's option", () => {
    const inconsistent = 'net::ERR_INCONSISTENT_IP_ADDRESS_SPACE';
    expect(causeOfError(inconsistent)).toBe('local-network-access');
    const bare = nc(chromium(get(`${B}/x`, { type: 'fetch' }).unsent().fail(inconsistent)));
    expect([bare.cause, bare.corsError]).toEqual(['local-network-access', 'InvalidLocalNetworkAccess']);
    expect(bare.fix).toContain("targetAddressSpace: 'loopback'");
    const told = nc(
      chromium(
        get(`${B}/x`, { type: 'fetch', hints: { mode: 'cors', targetAddressSpace: 'public' } })
          .unsent()
          .fail(inconsistent),
      ),
    );
    expect(told.detail).toContain("targetAddressSpace: 'public'");
  });
  it('Chromium, preflighted and refused: plain net::ERR_FAILED on the OPTIONS and the request, no answer → most likely LNA', () => {
    const r = method('PUT', `${B}/x`, { headers: { 'X-Api-Key': '1' } })
      .unsent()
      .fail('net::ERR_FAILED');
    r.exchanges.unshift({
      kind: 'preflight',
      url: `${B}/x`,
      method: 'OPTIONS',
      requestHeaders: [
        { name: 'Access-Control-Request-Method', value: 'PUT' },
        { name: 'Origin', value: A },
      ],
      response: null,
      error: 'net::ERR_FAILED',
    });
    const v = nc(chromium(r));
    expect([v.cause, v.corsError]).toEqual(['local-network-access', 'LocalNetworkAccessPermissionDenied']);
    expect(v.detail).toMatch(/^Most likely Local Network Access/);
    expect(v.detail).toContain('loopback-network');
    // Not for a public target (no LNA there), nor when the preflight was answered (CORS decides), nor in Firefox.
    const pub = method('PUT', 'https://api.example/x', { headers: { 'X-Api-Key': '1' } })
      .unsent()
      .fail('net::ERR_FAILED');
    pub.exchanges.unshift({
      kind: 'preflight',
      url: 'https://api.example/x',
      method: 'OPTIONS',
      requestHeaders: [
        { name: 'Access-Control-Request-Method', value: 'PUT' },
        { name: 'Origin', value: A },
      ],
      response: null,
      error: 'net::ERR_FAILED',
    });
    pub.exchanges[0].response = null;
    expect(cause(chromium(pub))).not.toBe('local-network-access');
    r.exchanges[0] = { ...r.exchanges[0], response: { status: 204, headers: [] }, error: undefined };
    expect(cause(chromium(r))).not.toBe('local-network-access');
  });
  it("targetAddressSpace 'loopback' to a loopback target that fails CORS is a CORS block", () => {
    expect(
      chromium(
        get(`${B}/x`, { hints: { mode: 'cors', targetAddressSpace: 'loopback' } })
          .res(200, [])
          .fail(),
      ).kind,
    ).toBe('blocked');
  });
});

describe('other policies, from the error string and the headers', () => {
  it('ERR_BLOCKED_BY_RESPONSE with a CORP header → corp', () => {
    const v = nc(
      chromium(
        get(`${B}/i.png`, { type: 'image', noOrigin: true })
          .res(200, { 'Cross-Origin-Resource-Policy': 'same-origin' })
          .fail('net::ERR_BLOCKED_BY_RESPONSE'),
      ),
    );
    expect([v.cause, v.detail.includes('same-origin')]).toEqual(['corp', true]);
  });
  it('ERR_BLOCKED_BY_RESPONSE without CORP → coep (the page requires CORP)', () => {
    const v = nc(
      chromium(get(`${B}/i.png`, { type: 'image', noOrigin: true }).res(200, []).fail('net::ERR_BLOCKED_BY_RESPONSE')),
    );
    expect([v.cause, v.fix?.includes('Cross-Origin-Resource-Policy: cross-origin')]).toEqual(['coep', true]);
  });
  it('ORB on a JSON response to an <img>', () => {
    const v = nc(
      chromium(
        get(`${B}/data.json`, { type: 'image', noOrigin: true })
          .res(200, { 'Content-Type': 'application/json' })
          .fail('net::ERR_BLOCKED_BY_ORB'),
      ),
    );
    expect([v.cause, v.detail.includes('JSON')]).toEqual(['orb', true]);
  });
  it('another extension → blocked-by-client in both browsers', () => {
    expect(cause(chromium(get(`${B}/ads.js`).unsent().fail('net::ERR_BLOCKED_BY_CLIENT')))).toBe('blocked-by-client');
    expect(cause(firefox(get(`${B}/ads.js`).unsent().fail('NS_ERROR_ABORT')))).toBe('blocked-by-client');
  });
});

describe('CORS passed, the call still failed the page', () => {
  it('404 with correct CORS headers → http-error: check the route', () => {
    const v = nc(chromium(get(`${B}/nope`).res(404, acao('*')).ok(404)));
    expect([v.cause, v.why]).toEqual(['http-error', 'cors-passed']);
    expect(v.detail).toContain('CORS passed');
    expect(v.detail).toContain('404 Not Found');
    expect(v.fix).toContain('route');
  });
  it('a 200 with correct CORS headers stays allowed', () => {
    expect(chromium(get(`${B}/x`).res(200, acao('*')).ok()).kind).toBe('allowed');
  });
  it('credentialed cross-site call without Cookie whose Set-Cookie is withheld → third-party-cookies, never "expose Set-Cookie"', () => {
    const v = nc(
      chromium(
        get('http://localhost:8102/login', { hints: { mode: 'cors', credentials: 'include' } })
          .res(200, cred(A, { 'Set-Cookie': 'sid=1; Path=/' }))
          .ok(),
      ),
    );
    expect(v.cause).toBe('third-party-cookies');
    expect(v.detail).toContain('SameSite=Lax');
    expect(v.fix).toContain('Partitioned');
    expect(v.fix).not.toMatch(/Expose-Headers: set-cookie/i);
  });
  it('same-site credentialed call (ports differ) keeps its ordinary verdict', () => {
    expect(
      chromium(
        get(`${B}/login`, { hints: { mode: 'cors', credentials: 'include' } })
          .res(200, cred(A, { 'Set-Cookie': 'sid=1' }))
          .ok(),
      ).kind,
    ).not.toBe('not-cors');
  });
});
