// HAR import: Chrome/Firefox/proxy shapes fold into logical requests; hostile input never throws.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { importHar } from '../../../src/har/import';

const FIX = resolve(__dirname, '../cli/fixtures');
const har = (entries: unknown[], extra: Record<string, unknown> = {}) => ({
  log: { version: '1.2', creator: { name: 't', version: '1' }, entries, ...extra },
});
const entry = (
  method: string,
  url: string,
  reqHeaders: [string, string][],
  status: number,
  resHeaders: [string, string][] = [],
  extra: Record<string, unknown> = {},
  resExtra: Record<string, unknown> = {},
) => ({
  startedDateTime: extra.startedDateTime ?? '2026-01-01T00:00:00.000Z',
  time: 1,
  request: {
    method,
    url,
    httpVersion: 'HTTP/1.1',
    headers: reqHeaders.map(([name, value]) => ({ name, value })),
    queryString: [],
    cookies: [],
    headersSize: -1,
    bodySize: 0,
  },
  response: {
    status,
    statusText: '',
    httpVersion: 'HTTP/1.1',
    headers: resHeaders.map(([name, value]) => ({ name, value })),
    cookies: [],
    content: { size: 0, mimeType: '' },
    redirectURL: '',
    headersSize: -1,
    bodySize: -1,
    ...resExtra,
  },
  cache: {},
  timings: { send: 0, wait: 0, receive: 0 },
  ...extra,
});

describe('importHar on a Chrome DevTools export', () => {
  const r = importHar(readFileSync(resolve(FIX, 'chrome-devtools.har'), 'utf8'));
  it('lists one request per logical request, the preflight folded in even though Chrome lists it after', () => {
    expect(r.error).toBeUndefined();
    expect(r.requests.map((q) => `${q.method} ${q.url}`)).toEqual([
      'GET http://app.localhost:8101/',
      'GET http://api.localhost:8102/data',
      'PUT http://api.localhost:8102/items/1',
      'GET http://api.localhost:8102/no-cors-headers',
    ]);
    const put = r.requests[2];
    expect(put.exchanges.map((x) => x.kind)).toEqual(['preflight', 'main']);
    expect(put.exchanges[0].response?.status).toBe(204);
    expect(put.exchanges[1].response).toBeNull();
    expect(put.outcome).toEqual({ kind: 'error', error: 'net::ERR_FAILED' });
  });
  it('derives the page origin from Origin, the preflight, or the page title', () => {
    expect(r.requests[0].initiator).toBe('http://app.localhost:8101'); // pages[].title
    expect(r.requests[1].initiator).toBe('http://app.localhost:8101'); // Origin header, not the CDN script
    expect(r.requests[2].initiator).toBe('http://app.localhost:8101'); // Origin of its preflight
    expect(r.requests[2].documentUrl).toBe('http://app.localhost:8101/');
  });
  it('maps _resourceType to webRequest types', () => {
    expect(r.requests.map((q) => q.type)).toEqual(['main_frame', 'fetch', 'fetch', 'xmlhttprequest']);
  });
  it('keeps a sent-then-blocked response with its headers and error', () => {
    const q = r.requests[3];
    expect(q.exchanges[0].response?.status).toBe(200);
    expect(q.outcome).toEqual({ kind: 'error', error: 'net::ERR_FAILED' });
  });
});

describe('folding', () => {
  const O = 'http://a.test';
  it('folds a preflight listed before its request (our recordings) into it', () => {
    const r = importHar(
      har([
        entry(
          'OPTIONS',
          'http://b.test/x',
          [
            ['Origin', O],
            ['Access-Control-Request-Method', 'DELETE'],
          ],
          204,
        ),
        entry('DELETE', 'http://b.test/x', [['Origin', O]], 200, [['Access-Control-Allow-Origin', O]]),
      ]),
    );
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0].method).toBe('DELETE');
    expect(r.requests[0].exchanges.map((x) => x.kind)).toEqual(['preflight', 'main']);
    expect(r.requests[0].outcome).toEqual({ kind: 'completed', status: 200 });
  });
  it('does not fold a preflight into a request of another method', () => {
    const r = importHar(
      har([
        entry(
          'OPTIONS',
          'http://b.test/x',
          [
            ['Origin', O],
            ['Access-Control-Request-Method', 'PUT'],
          ],
          204,
        ),
        entry('DELETE', 'http://b.test/x', [['Origin', O]], 200),
      ]),
    );
    expect(r.requests.map((q) => q.method)).toEqual(['PUT', 'DELETE']);
    expect(r.requests[0].exchanges.map((x) => x.kind)).toEqual(['preflight']);
    expect(r.warnings.map((w) => w.code)).toContain('orphan-preflight');
  });
  it('chains redirect hops into one request, in order, with the tainted Origin: null ignored', () => {
    const r = importHar(
      har([
        entry(
          'GET',
          'http://b.test/old',
          [['Origin', O]],
          302,
          [['Location', '/new']],
          {},
          { redirectURL: 'http://c.test/new' },
        ),
        entry('GET', 'http://c.test/new', [['Origin', 'null']], 301, [['Location', '/final']]),
        entry('GET', 'http://c.test/final', [['Origin', 'null']], 200),
      ]),
    );
    expect(r.requests).toHaveLength(1);
    const q = r.requests[0];
    expect(q.exchanges.map((x) => x.url)).toEqual(['http://b.test/old', 'http://c.test/new', 'http://c.test/final']);
    expect(q.exchanges[1].redirectUrl).toBe('http://c.test/final');
    expect(q.initiator).toBe(O);
    expect(q.outcome).toEqual({ kind: 'completed', status: 200 });
  });
  it('an Origin: null on the first hop is an opaque page origin', () => {
    const r = importHar(har([entry('GET', 'http://b.test/', [['Origin', 'null']], 200)]));
    expect(r.requests[0].initiator).toBe('null');
  });
  it('falls back to --origin when nothing in the HAR names the page', () => {
    const r = importHar(har([entry('GET', 'http://b.test/', [], 200)]), { origin: 'https://page.test/x' });
    expect(r.requests[0].initiator).toBe('https://page.test');
    expect(importHar(har([entry('GET', 'http://b.test/', [], 200)])).requests[0].initiator).toBeNull();
  });
  it('groups by _corsLens.requestId and copies mode/credentials into hints', () => {
    const cl = (id: string) => ({ _corsLens: { requestId: id, mode: 'cors', credentials: 'include' } });
    const r = importHar(
      har([
        entry(
          'OPTIONS',
          'http://b.test/x',
          [
            ['Origin', O],
            ['Access-Control-Request-Method', 'GET'],
          ],
          204,
          [],
          cl('r1'),
        ),
        entry(
          'OPTIONS',
          'http://b.test/x',
          [
            ['Origin', O],
            ['Access-Control-Request-Method', 'GET'],
          ],
          204,
          [],
          cl('r2'),
        ),
        entry('GET', 'http://b.test/x', [['Origin', O]], 200, [], cl('r2')),
        entry('GET', 'http://b.test/x', [['Origin', O]], 200, [], cl('r1')),
      ]),
    );
    expect(r.requests.map((q) => q.id)).toEqual(['r1', 'r2']);
    expect(r.requests.every((q) => q.exchanges.length === 2)).toBe(true);
    expect(r.requests[0].hints).toEqual({ source: 'har', mode: 'cors', credentials: 'include' });
  });
  it('reads the page facts _corsLens.targetAddressSpace and _corsLens.secureContext into hints, ignoring bad values', () => {
    const r = importHar(
      har([
        entry('GET', 'http://b.test/x', [], 0, [], {
          _corsLens: { requestId: 'r1', targetAddressSpace: 'local', secureContext: false },
        }),
        entry('GET', 'http://b.test/y', [], 0, [], {
          _corsLens: { requestId: 'r2', targetAddressSpace: 7, secureContext: 'yes', mode: 'cors' },
        }),
      ]),
    );
    expect(r.requests[0].hints).toEqual({ source: 'har', targetAddressSpace: 'local', secureContext: false });
    expect(r.requests[1].hints).toEqual({ source: 'har', mode: 'cors' });
  });
  it('keeps duplicate headers and their order, drops HTTP/2 pseudo-headers', () => {
    const r = importHar(
      har([
        entry(
          'GET',
          'http://b.test/',
          [
            [':authority', 'b.test'],
            ['origin', O],
          ],
          200,
          [
            ['access-control-allow-origin', O],
            ['ACCESS-CONTROL-ALLOW-ORIGIN', '*'],
          ],
        ),
      ]),
    );
    const x = r.requests[0].exchanges[0];
    expect(x.requestHeaders).toEqual([{ name: 'origin', value: O }]);
    expect(x.response?.headers).toEqual([
      { name: 'access-control-allow-origin', value: O },
      { name: 'ACCESS-CONTROL-ALLOW-ORIGIN', value: '*' },
    ]);
  });
  it('status 0 without headers is no response; Playwright _failureText is the error', () => {
    const r = importHar(
      har([entry('GET', 'http://b.test/', [['Origin', O]], 0, [], {}, { _failureText: 'net::ERR_FAILED' })]),
    );
    expect(r.requests[0].exchanges[0].response).toBeNull();
    expect(r.requests[0].outcome).toEqual({ kind: 'error', error: 'net::ERR_FAILED' });
  });
});

describe('hostile and malformed input', () => {
  it('reports malformed entries with their index and keeps the rest', () => {
    const r = importHar(
      har([
        null,
        { request: {} },
        { request: { method: 'GET', url: 'not a url' } },
        entry('GET', 'http://b.test/', [], 200),
        42,
      ]),
    );
    expect(r.error).toBeUndefined();
    expect(r.requests).toHaveLength(1);
    expect(r.warnings.map((w) => w.index)).toEqual([0, 1, 2, 4]);
  });
  it('is an error when no entry is usable', () => {
    expect(importHar(har([1, 2])).error?.code).toBe('no-usable-entries');
  });
  it.each([
    ['', 'truncated'],
    ['{"log":{"entries":[', 'truncated'],
    ['hello', 'not-json'],
    ['[]', 'not-har'],
    ['{"log":{}}', 'not-har'],
    ['{"log":{"entries":{}}}', 'not-har'],
    ['\x1f\x8b\x08\x00', 'compressed'],
    ['\u0000\u0001\u0002', 'not-json'],
    ['{"a":', 'truncated'],
  ])('%j → %s', (input, code) => {
    const r = importHar(input);
    expect(r.error?.code).toBe(code);
    expect(r.error?.message).not.toMatch(/\n/);
    expect(r.requests).toEqual([]);
  });
  it('accepts an empty entries list as a valid HAR with nothing in it', () => {
    const r = importHar(har([]));
    expect(r.requests).toEqual([]);
    expect(r.error).toBeUndefined();
  });
  it('never throws on arbitrary JSON or text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json().map((j) => `{"log":{"entries":[${j}]}}`),
          fc.anything().map((v) => ({ log: { entries: [v], pages: v } })),
        ),
        (input) => {
          const r = importHar(input as string);
          expect(Array.isArray(r.requests)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
  it('handles entries with wrong types in every field', () => {
    const r = importHar(
      har([
        {
          request: { method: 'GET', url: 'http://b.test/', headers: 'x' },
          response: { status: '200', headers: [{ name: 1, value: 2 }, null, { value: 'x' }] },
          startedDateTime: 5,
          time: 'x',
          _initiator: 7,
          pageref: 3,
          _corsLens: 'x',
        },
      ]),
    );
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0].exchanges[0].response).toEqual({ status: 200, headers: [{ name: '1', value: '2' }] });
    expect(r.warnings.map((w) => w.code)).toEqual(['bad-headers']);
  });
});
