// The request filter: words match URL, status, reason words, CorsError names and header names; domain:,
// status-code:, method:, verdict: narrow; a leading - excludes; all terms must hold.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine';
import type { ObservedRequest } from '../../../src/engine/types';
import { filterTarget, matchesFilter, parseFilter } from '../../../src/report/filter';

const PAGE = 'http://localhost:3000';
const preflightRejected: ObservedRequest = {
  id: 'p', initiator: PAGE, type: 'fetch', method: 'PUT', url: 'http://api.example.com:8000/items/1',
  exchanges: [
    { kind: 'preflight', url: 'http://api.example.com:8000/items/1', method: 'OPTIONS', requestHeaders: [{ name: 'Origin', value: PAGE }, { name: 'Access-Control-Request-Method', value: 'PUT' }, { name: 'Access-Control-Request-Headers', value: 'x-api-key' }],
      response: { status: 204, headers: [{ name: 'Access-Control-Allow-Origin', value: PAGE }, { name: 'Access-Control-Allow-Methods', value: 'PUT' }, { name: 'Access-Control-Allow-Headers', value: 'content-type' }] } },
    { kind: 'main', url: 'http://api.example.com:8000/items/1', method: 'PUT', requestHeaders: null, response: null, error: 'net::ERR_FAILED' },
  ],
  outcome: { kind: 'error', error: 'net::ERR_FAILED' },
};
const serverError: ObservedRequest = {
  id: 'e', initiator: PAGE, type: 'fetch', method: 'GET', url: 'https://cdn.other.test/app.json',
  exchanges: [{ kind: 'main', url: 'https://cdn.other.test/app.json', method: 'GET', requestHeaders: [{ name: 'Origin', value: PAGE }], response: { status: 401, headers: [{ name: 'WWW-Authenticate', value: 'Bearer' }] } }],
  outcome: { kind: 'completed', status: 401 },
};
const targets = [preflightRejected, serverError].map((r) => ({ id: r.id, t: filterTarget(r, evaluate(r, { browser: 'chromium' })) }));
const matching = (text: string) => targets.filter((x) => matchesFilter(parseFilter(text), x.t)).map((x) => x.id);

describe('request filter', () => {
  it('matches what users type: header names, statuses, reason words, CorsError names, URL parts', () => {
    expect(matching('x-api-key')).toEqual(['p']);
    expect(matching('www-authenticate')).toEqual(['e']);
    expect(matching('401')).toEqual(['e']);
    expect(matching('preflight rejected')).toEqual(['p']);
    expect(matching('HeaderDisallowed')).toEqual(['p']);
    expect(matching('cors error')).toEqual(['p']);
    expect(matching('app.json')).toEqual(['e']);
    expect(matching('')).toEqual(['p', 'e']);
  });

  it('narrows with domain:, status-code:, method: and verdict:, and excludes with -', () => {
    expect(matching('domain:example.com')).toEqual(['p']);
    expect(matching('domain:api.example.com')).toEqual(['p']);
    expect(matching('domain:*.other.test')).toEqual(['e']);
    expect(matching('domain:ample.com')).toEqual([]);
    expect(matching('status-code:204')).toEqual(['p']);
    expect(matching('status-code:20')).toEqual([]);
    expect(matching('method:put')).toEqual(['p']);
    expect(matching('verdict:blocked')).toEqual(['p']);
    expect(matching('-domain:example.com')).toEqual(['e']);
    expect(matching('-x-api-key')).toEqual(['e']);
    expect(matching('-status-code:401 put')).toEqual(['p']);
  });

  it('reads an unknown key or a bare key as plain text', () => {
    expect(parseFilter('foo:bar domain: -')).toEqual([
      { negate: false, key: 'text', value: 'foo:bar' },
      { negate: false, key: 'text', value: 'domain:' },
      { negate: false, key: 'text', value: '-' },
    ]);
  });
});
