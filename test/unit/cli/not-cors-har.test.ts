// `cors-lens explain` on a HAR whose calls failed for reasons other than CORS: Chrome's `_error` strings, a
// `_blockedReason` as some exporters write it, and a 404 that passed CORS each get the cause the panel shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './run-cli';

const PAGE = 'https://app.example';
const h = (name: string, value: string) => ({ name, value });

function entry(
  method: string,
  url: string,
  status: number,
  resHeaders: { name: string; value: string }[],
  extra: Record<string, unknown> = {},
  reqHeaders = [h('Origin', PAGE)],
) {
  return {
    startedDateTime: '2026-01-01T00:00:00.000Z',
    time: 1,
    _initiator: { type: 'script' },
    _resourceType: 'fetch',
    request: {
      method,
      url,
      httpVersion: 'HTTP/1.1',
      headers: reqHeaders,
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      headers: resHeaders,
      cookies: [],
      content: { size: 0, mimeType: '' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 0,
      ...extra,
    },
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
  };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cors-lens-notcors-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cors-lens explain: not-CORS causes from a HAR', () => {
  it('refused connection, DNS failure behind a preflight, a blocked reason and a 404 that passed CORS', async () => {
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'WebInspector', version: '537.36' },
        pages: [{ id: 'p', title: PAGE, startedDateTime: '2026-01-01T00:00:00.000Z', pageTimings: {} }],
        entries: [
          entry('GET', 'http://127.0.0.1:9/refused', 0, [], { _error: 'net::ERR_CONNECTION_REFUSED' }),
          entry('OPTIONS', 'https://nx.example/items', 0, [], { _error: 'net::ERR_FAILED' }, [
            h('Origin', PAGE),
            h('Access-Control-Request-Method', 'PUT'),
            h('Access-Control-Request-Headers', 'x-api-key'),
          ]),
          entry('PUT', 'https://nx.example/items', 0, [], { _error: 'net::ERR_NAME_NOT_RESOLVED' }, [
            h('Origin', PAGE),
            h('X-Api-Key', '1'),
          ]),
          entry('GET', 'https://api.example/csp', 0, [], { _blockedReason: 'csp' }),
          entry('GET', 'https://api.example/missing', 404, [h('Access-Control-Allow-Origin', '*')]),
        ],
      },
    };
    const file = join(dir, 'not-cors.har');
    writeFileSync(file, JSON.stringify(har));
    const r = await cli(['explain', file, '--json']);
    expect(r.code).toBe(0); // nothing was blocked by CORS
    const d = JSON.parse(r.stdout).diagnoses as {
      url: string;
      verdict: string;
      notCorsCause?: string;
      summary: string;
    }[];
    expect(d.map((x) => [x.url, x.verdict, x.notCorsCause])).toEqual([
      ['http://127.0.0.1:9/refused', 'not-cors', 'connection-refused'],
      ['https://nx.example/items', 'not-cors', 'dns'],
      ['https://api.example/csp', 'not-cors', 'csp'],
      ['https://api.example/missing', 'not-cors', 'http-error'],
    ]);
    expect(d[0].summary).toBe('not CORS: connection refused, nothing listens on 127.0.0.1:9');
    const table = await cli(['explain', file]);
    expect(table.stdout).toContain('not CORS: nx.example does not resolve');
    expect(table.stdout).toContain('CORS passed; the server answered 404');
  }, 120_000);
});
