// The request filter: words match URL, status, reason words, CorsError names and header names; domain:,
// status-code:, method:, verdict: narrow; a leading - excludes; all terms must hold.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine';
import { filterTarget, matchesFilter, parseFilter } from '../../../src/report/filter';
import { get, method } from '../../support/requests';

const PAGE = 'http://localhost:3000';
const preflightRejected = method('PUT', 'http://api.example.com:8000/items/1', { id: 'p', from: PAGE, type: 'fetch' })
  .pre(
    204,
    {
      'Access-Control-Allow-Origin': PAGE,
      'Access-Control-Allow-Methods': 'PUT',
      'Access-Control-Allow-Headers': 'content-type',
    },
    {
      sent: { Origin: PAGE, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-api-key' },
    },
  )
  .unsent('net::ERR_FAILED')
  .fail();
const serverError = get('https://cdn.other.test/app.json', { id: 'e', from: PAGE, type: 'fetch' })
  .res(401, { 'WWW-Authenticate': 'Bearer' })
  .ok(401);
const targets = [preflightRejected, serverError].map((r) => ({
  id: r.id,
  t: filterTarget(r, evaluate(r, { browser: 'chromium' })),
}));
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
