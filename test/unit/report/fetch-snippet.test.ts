// "Copy as fetch": the request as script would make it, without the headers script may not set, secrets redacted.
import { describe, expect, it } from 'vitest';
import type { ObservedRequest } from '../../../src/engine/types';
import { toFetch } from '../../../src/report/fetch-snippet';

const PAGE = 'http://localhost:3000';
const sent: ObservedRequest = {
  id: 'a',
  initiator: PAGE,
  method: 'POST',
  url: 'http://api.test/items?token=abc',
  exchanges: [
    {
      kind: 'main',
      url: 'http://api.test/items?token=abc',
      method: 'POST',
      response: { status: 500, headers: [] },
      requestHeaders: [
        { name: 'Origin', value: PAGE },
        { name: 'Sec-Fetch-Mode', value: 'cors' },
        { name: 'Content-Type', value: 'application/json' },
        { name: 'Authorization', value: 'Bearer s3cret' },
      ],
    },
  ],
  outcome: { kind: 'completed', status: 500 },
  hints: { mode: 'cors', credentials: 'include', source: 'page-observer' },
};

describe('copy as fetch', () => {
  it('keeps what script sets, drops what the browser adds, redacts secrets unless asked', () => {
    const code = toFetch(sent, { redact: true });
    const init = JSON.parse(code.slice(code.indexOf('{'), code.lastIndexOf('}') + 1));
    expect(init).toEqual({
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: expect.not.stringContaining('s3cret') },
      credentials: 'include',
    });
    expect(code).not.toContain('s3cret');
    expect(toFetch(sent, { redact: false })).toContain('Bearer s3cret');
  });

  it('names the headers of a request the browser never sent from its preflight', () => {
    const never: ObservedRequest = {
      ...sent,
      method: 'PUT',
      hints: undefined,
      exchanges: [
        {
          kind: 'preflight',
          url: 'http://api.test/x',
          method: 'OPTIONS',
          requestHeaders: [{ name: 'Access-Control-Request-Headers', value: 'x-api-key,content-type' }],
          response: { status: 204, headers: [] },
        },
        { kind: 'main', url: 'http://api.test/x', method: 'PUT', requestHeaders: null, response: null },
      ],
    };
    const code = toFetch(never, { redact: true });
    expect(code).toContain('"x-api-key": "<value>"');
    expect(code).toContain('"method": "PUT"');
    // The snippet runs: the header values are ones fetch accepts.
    expect(
      () => new Headers(JSON.parse(code.slice(code.indexOf('{'), code.lastIndexOf('}') + 1)).headers),
    ).not.toThrow();
  });
});
