// Issue-level details of reading HARs from other tools (chrome-har, proxies, old browsers) that the corpus verdicts
// alone do not pin down: what the importer keeps, drops and assumes, and what the engine says it inferred.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine';
import type { Verdict } from '../../../src/engine/types';
import { browserOfHar } from '../../../src/har/browser-of';
import { readHeaders } from '../../../src/har/entry';
import { importHar, sniffNonJson } from '../../../src/har/import';

const H = (o: Array<[string, string]>) => o.map(([name, value]) => ({ name, value }));
const har = (entries: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ log: { version: '1.2', creator: { name: 'chrome-har', version: '1' }, ...extra, entries } });
const page = { pages: [{ id: 'p', title: 'https://app.example/' }] };
const judge = (text: string, browser: 'chromium' | 'firefox' = 'chromium') =>
  importHar(text).requests.map((r) => evaluate(r, { browser }));
const failed = { status: 0, headers: [], _error: 'net::ERR_FAILED' };
const reason = (v: Verdict) => (v.kind === 'blocked' ? v.reason.corsError : v.kind);

describe("reading other tools' HARs", () => {
  it('1: a string _initiator (a script URL) is never the page; an origin string is', () => {
    const e = (init: string) => ({
      _initiator: init,
      request: { method: 'GET', url: 'https://api.example/x', headers: [] },
      response: { status: 200, headers: [] },
    });
    expect(importHar(har([e('https://cdn.example/lib.js')])).requests[0].initiator).toBeNull();
    expect(importHar(har([e('https://app.example')])).requests[0].initiator).toBe('https://app.example');
    expect(importHar(har([{ ...e('https://cdn.example/lib.js'), pageref: 'p' }], page)).requests[0].initiator).toBe(
      'https://app.example',
    );
    const script = {
      _initiator: { type: 'script', url: 'https://cdn.example/lib.js' },
      request: { method: 'GET', url: 'https://api.example/x', headers: [] },
      response: { status: 200, headers: [] },
    };
    expect(importHar(har([script])).requests[0].initiator).toBeNull();
  });

  it('2: a UTF-8 byte-order mark read as bytes is not "not a JSON object"', () => {
    expect(sniffNonJson('\xef\xbb\xbf{"log":')).toBeNull();
    expect(sniffNonJson('\ufeff{"log":')).toBeNull();
  });

  it('3: Sec-Fetch-Site: same-origin gives the page its origin when nothing else does', () => {
    const [r] = importHar(
      har([
        {
          request: { method: 'GET', url: 'https://shop.example/api', headers: H([['Sec-Fetch-Site', 'same-origin']]) },
          response: { status: 200, headers: [] },
        },
      ]),
    ).requests;
    expect(r.initiator).toBe('https://shop.example');
  });

  it('3, 8: Sec-Fetch-Dest gives a proxy capture its resource type', () => {
    const e = (dest: string) => ({
      request: {
        method: 'GET',
        url: 'https://img.example/a',
        headers: H([
          ['Origin', 'https://app.example'],
          ['Sec-Fetch-Dest', dest],
          ['Sec-Fetch-Mode', 'cors'],
        ]),
      },
      response: {
        status: 200,
        headers: H([
          ['Access-Control-Allow-Origin', '*'],
          ['X-Cache', 'HIT'],
        ]),
      },
    });
    const [img, font, api] = importHar(
      har([e('image'), e('font'), e('empty')], { creator: { name: 'mitmproxy har_dump' } }),
    ).requests;
    expect([img.type, font.type, api.type]).toEqual(['image', 'font', undefined]);
    // Nobody's script reads an image's or a font's headers; an API response's X-Cache is hidden from fetch().
    expect([img, font, api].map((r) => evaluate(r, { browser: 'chromium' }).kind)).toEqual([
      'allowed',
      'allowed',
      'allowed-hidden-headers',
    ]);
  });

  it('5: a repeated header joined with "\\n" is split back, and the preflight passes', () => {
    expect(readHeaders([{ name: 'access-control-allow-methods', value: 'GET\nGET,PUT,POST' }])).toEqual(
      H([
        ['access-control-allow-methods', 'GET'],
        ['access-control-allow-methods', 'GET,PUT,POST'],
      ]),
    );
    const text = har(
      [
        {
          pageref: 'p',
          request: {
            method: 'OPTIONS',
            url: 'https://api.example/d',
            headers: H([
              ['Access-Control-Request-Method', 'PUT'],
              ['Origin', 'https://app.example'],
            ]),
          },
          response: {
            status: 204,
            headers: H([
              ['access-control-allow-origin', 'https://app.example'],
              ['access-control-allow-methods', 'GET\nGET,PUT,POST'],
            ]),
          },
        },
        {
          pageref: 'p',
          request: {
            method: 'PUT',
            url: 'https://api.example/d',
            headers: H([
              ['Origin', 'https://app.example'],
              ['Host', 'api.example'],
            ]),
          },
          response: { status: 200, headers: H([['access-control-allow-origin', 'https://x.example']]) },
        },
      ],
      page,
    );
    // The actual response fails (wrong origin) while the preflight passes: the block is on the response, not the methods.
    const [v] = judge(text.replace('"status":200', '"status":200,"_error":"net::ERR_FAILED"'));
    expect(reason(v)).toBe('AllowOriginMismatch');
  });

  it('6: a request header listed twice in two cases is one header, not "PUT, PUT"', () => {
    expect(
      readHeaders(
        [
          { name: 'Access-Control-Request-Method', value: 'PUT' },
          { name: 'access-control-request-method', value: 'PUT' },
        ],
        'request',
      ),
    ).toEqual(H([['Access-Control-Request-Method', 'PUT']]));
    // Response headers keep their duplicates: MultipleAllowOriginValues depends on them.
    expect(
      readHeaders([
        { name: 'ACAO', value: '*' },
        { name: 'acao', value: '*' },
      ]),
    ).toHaveLength(2);
    const text = har(
      [
        {
          pageref: 'p',
          request: {
            method: 'OPTIONS',
            url: 'https://api.example/d',
            headers: H([
              ['Access-Control-Request-Method', 'PUT'],
              ['access-control-request-method', 'PUT'],
              ['Origin', 'https://app.example'],
            ]),
          },
          response: {
            status: 204,
            headers: H([
              ['access-control-allow-origin', 'https://app.example'],
              ['access-control-allow-methods', 'PUT'],
            ]),
          },
        },
        { pageref: 'p', request: { method: 'PUT', url: 'https://api.example/d', headers: [] }, response: failed },
      ],
      page,
    );
    const [v] = judge(text);
    // The method passes, so the failure is told by the outcome: only credentials: include fails this preflight.
    expect(reason(v)).toBe('PreflightInvalidAllowCredentials');
  });

  it('7: a form POST navigation without Sec-Fetch headers is a navigation, said with its evidence', () => {
    const [v] = judge(
      har(
        [
          {
            pageref: 'p',
            request: {
              method: 'POST',
              url: 'https://pay.example/s',
              headers: H([
                ['Accept', 'text/html,*/*'],
                ['Upgrade-Insecure-Requests', '1'],
                ['Content-Type', 'application/x-www-form-urlencoded'],
                ['Origin', 'https://app.example'],
              ]),
            },
            response: { status: 200, headers: H([['Content-Type', 'text/html']]) },
          },
        ],
        page,
      ),
      'firefox',
    );
    expect(v.kind === 'not-cors' && v.why).toBe('navigation');
    expect(v.inferences.find((i) => i.what === 'mode')).toMatchObject({ value: 'navigate', confidence: 'likely' });
  });

  it('8: bare pseudo-headers are dropped, a real header of that name is kept; element loads hide nothing', () => {
    expect(
      readHeaders(
        H([
          ['status', '200 OK'],
          ['version', 'HTTP/1.1'],
          [':status', '200'],
          ['status', 'active'],
        ]),
      ),
    ).toEqual(H([['status', 'active']]));
    const [v] = judge(
      har(
        [
          {
            pageref: 'p',
            _resourceType: 'image',
            request: {
              method: 'GET',
              url: 'https://img.example/a.png',
              headers: H([['Origin', 'https://app.example']]),
            },
            response: {
              status: 200,
              headers: H([
                ['access-control-allow-origin', '*'],
                ['etag', '"1"'],
              ]),
            },
          },
        ],
        page,
      ),
    );
    expect(v.kind).toBe('allowed');
  });

  it('9: Firefox channels and forks are Firefox', () => {
    for (const name of ['Nightly', 'Firefox Developer Edition', 'LibreWolf', 'Waterfox', 'Mullvad Browser']) {
      expect(
        browserOfHar(`{"log":{"creator":{"name":"WebPagetest"},"browser":{"name":"${name}","version":"1"},"entries":[`),
      ).toBe('firefox');
    }
    expect(browserOfHar('{"log":{"browser":{"name":"Chrome"},"entries":[')).toBe('chromium');
  });

  it('10: status 0 with the response headers kept is judged, and the assumption is noted', () => {
    const [r] = importHar(
      har(
        [
          {
            pageref: 'p',
            request: { method: 'GET', url: 'https://api.example/me', headers: H([['Origin', 'https://app.example']]) },
            response: {
              status: 0,
              headers: H([['Access-Control-Allow-Origin', 'https://other.example']]),
              _error: 'net::ERR_FAILED',
            },
          },
        ],
        page,
      ),
    ).requests;
    expect(r.exchanges[0].response?.headers).toHaveLength(1);
    expect(r.notes?.[0]).toMatch(/status 0 .*headers were judged/);
    expect(reason(evaluate(r, { browser: 'chromium' }))).toBe('AllowOriginMismatch');
  });

  it('10: a status-0 preflight with its headers kept is judged on its headers, the status taken as 2xx and noted', () => {
    const [r] = importHar(
      har(
        [
          {
            pageref: 'p',
            request: {
              method: 'OPTIONS',
              url: 'https://api.example/d',
              headers: H([
                ['Access-Control-Request-Method', 'PUT'],
                ['Origin', 'https://app.example'],
              ]),
            },
            response: {
              status: 0,
              headers: H([
                ['Access-Control-Allow-Origin', 'https://app.example'],
                ['Access-Control-Allow-Methods', 'GET'],
              ]),
              _error: 'net::ERR_FAILED',
            },
          },
          { pageref: 'p', request: { method: 'PUT', url: 'https://api.example/d', headers: [] }, response: failed },
        ],
        page,
      ),
    ).requests;
    expect(r.notes?.[0]).toMatch(/preflight recorded with status 0 .*as if the status was 2xx/);
    expect(reason(evaluate(r, { browser: 'chromium' }))).toBe('MethodDisallowedByPreflightResponse');
  });

  it('11: an actual request exported with no request headers joins its preflight', () => {
    const reqs = importHar(
      har(
        [
          {
            pageref: 'p',
            request: {
              method: 'OPTIONS',
              url: 'https://api.example/d',
              headers: H([
                ['Access-Control-Request-Method', 'DELETE'],
                ['Access-Control-Request-Headers', 'x-token'],
                ['Origin', 'https://app.example'],
              ]),
            },
            response: { status: 204, headers: [] },
          },
          { pageref: 'p', request: { method: 'DELETE', url: 'https://api.example/d', headers: [] }, response: failed },
        ],
        page,
      ),
    ).requests;
    expect(reqs).toHaveLength(1);
    expect(reqs[0].exchanges.map((x) => x.kind)).toEqual(['preflight', 'main']);
  });

  it('12: the outcome settles credentials and mode, with the inference and its confidence', () => {
    const [cart, so] = judge(
      har(
        [
          {
            pageref: 'p',
            request: {
              method: 'OPTIONS',
              url: 'https://api.example/c',
              headers: H([
                ['Access-Control-Request-Method', 'POST'],
                ['Access-Control-Request-Headers', 'content-type'],
                ['Origin', 'https://app.example'],
              ]),
            },
            response: {
              status: 204,
              headers: H([
                ['Access-Control-Allow-Origin', '*'],
                ['Access-Control-Allow-Methods', 'POST'],
                ['Access-Control-Allow-Headers', 'content-type'],
              ]),
            },
          },
          // Exported with no request headers at all: it never left (provisional headers would not say so).
          { pageref: 'p', request: { method: 'POST', url: 'https://api.example/c', headers: [] }, response: failed },
          {
            pageref: 'p',
            _resourceType: 'fetch',
            request: { method: 'GET', url: 'https://api.example/o', headers: [] },
            response: failed,
          },
        ],
        page,
      ),
    );
    expect(reason(cart)).toBe('PreflightWildcardOriginNotAllowed');
    expect(cart.credentials).toBe('include');
    expect(cart.inferences.find((i) => i.what === 'credentials')).toMatchObject({
      value: 'include',
      confidence: 'likely',
    });
    expect(reason(so)).toBe('DisallowedByMode');
    expect(so.mode).toBe('same-origin');
    expect(so.inferences.filter((i) => i.what === 'mode')).toEqual([
      expect.objectContaining({ value: 'same-origin', confidence: 'guess' }),
    ]);
  });
});
