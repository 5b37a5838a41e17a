// The CLI's import thread sends the importer's requests to the main thread as JSON text (src/cli/har-thread-worker.ts):
// that is only faithful if every request is plain JSON data — no `undefined` fields, no -0, NaN or Infinity, no
// class instances. Checked here on the fixtures and on random, hostile entries.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import type { ObservedRequest } from '../../../src/engine/types';
import { importHarStream } from '../../../src/har/stream';

const FIX = resolve(__dirname, '../cli/fixtures');

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/** Paths of the values JSON would not give back as they are. */
function notJson(v: unknown, path = '$', out: string[] = []): string[] {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return out;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || Object.is(v, -0)) out.push(`${path} = ${Object.is(v, -0) ? '-0' : v}`);
    return out;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) out.push(`${path}[${i}] is a hole`);
      else notJson(v[i], `${path}[${i}]`, out);
    }
    return out;
  }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v as object)) notJson(x, `${path}.${k}`, out);
    return out;
  }
  out.push(`${path} is ${v === undefined ? 'undefined' : typeof v}`);
  return out;
}

function expectJsonExact(requests: ObservedRequest[]): void {
  expect(notJson(requests)).toEqual([]);
  expect(JSON.parse(JSON.stringify(requests))).toStrictEqual(requests);
}

// JSON.stringify writes -0 as 0: NEG0 stands for a literal -0 in the HAR text (JSON.parse('-0') is -0).
const NEG0 = '__neg0__';
const hostile = fc.oneof(fc.jsonValue(), fc.constantFrom(NEG0, 0, 1e308, -1, '', ' ', '\ud800', 'https://a.test', 'null', 'OPTIONS'));
const headers = fc.oneof(hostile, fc.array(fc.record({ name: fc.oneof(fc.constantFrom('Origin', 'Access-Control-Allow-Origin', 'Location', 'Access-Control-Request-Method'), hostile), value: hostile }, { requiredKeys: [] }), { maxLength: 4 }));
const entry = fc.record({
  startedDateTime: fc.oneof(fc.constant('2026-01-01T00:00:00.000Z'), fc.constant(NEG0), hostile),
  time: fc.oneof(fc.double(), fc.constant(NEG0), hostile),
  _initiator: fc.oneof(fc.constant({ type: 'preflight', url: 'https://b.test/x' }), fc.constant({ type: 'script', url: 'https://a.test/' }), hostile),
  _resourceType: fc.oneof(fc.constantFrom('fetch', 'xhr', 'preflight', 'Document'), hostile),
  _fromCache: fc.oneof(fc.constantFrom('memory', 'disk', true), hostile),
  _corsLens: fc.oneof(fc.record({ requestId: fc.oneof(fc.string(), fc.integer()), initiator: fc.oneof(fc.constant('https://a.test'), hostile), mode: fc.constantFrom('cors', 'no-cors', 'x'), credentials: fc.constantFrom('include', 'omit', 'y'), hintSource: fc.constantFrom('cdp', 'z') }, { requiredKeys: [] }), hostile),
  pageref: fc.oneof(fc.constantFrom('page_1', 'page_2'), hostile),
  serverIPAddress: fc.oneof(fc.constantFrom('[::1]', '203.0.113.7'), hostile),
  request: fc.record({
    method: fc.oneof(fc.constantFrom('GET', 'PUT', 'OPTIONS'), hostile),
    url: fc.oneof(fc.constantFrom('https://b.test/x', 'https://b.test/y?q=1', 'http://[::1]:8080/'), hostile),
    headers,
  }, { requiredKeys: [] }),
  response: fc.oneof(fc.record({
    status: fc.oneof(fc.constantFrom(0, 200, 204, 302, '301'), hostile),
    statusText: hostile,
    headers,
    redirectURL: fc.oneof(fc.constantFrom('', '/next', 'https://c.test/'), hostile),
    _error: hostile,
  }, { requiredKeys: [] }), hostile),
  _error: hostile,
}, { requiredKeys: [] });

describe('importer output is exact through JSON', () => {
  it('on every fixture', async () => {
    const files = readdirSync(FIX).filter((f) => f.endsWith('.har'));
    expect(files.length).toBeGreaterThan(4);
    for (const f of files) {
      const r = await importHarStream(once(readFileSync(resolve(FIX, f), 'utf8')));
      expect(r.error).toBeUndefined();
      expect(r.requests.length).toBeGreaterThan(0);
      expectJsonExact(r.requests);
    }
  });

  it('on random, hostile entries (pages before or after the entries, --origin or not)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 8 }), fc.boolean(), fc.boolean(), async (entries, pagesLast, origin) => {
      const pages = [{ id: 'page_1', title: 'https://a.test/p' }, { id: 'page_2', title: 'not a url' }];
      const log = pagesLast ? { entries, pages } : { pages, entries };
      const r = await importHarStream(once(JSON.stringify({ log }).replaceAll(`"${NEG0}"`, '-0')), { origin: origin ? 'https://o.test' : undefined, lag: 2, window: 3 });
      expectJsonExact(r.requests);
    }), { numRuns: 400 });
  });

  it('would catch what JSON changes', () => {
    // A hole, as `new Array(2)` leaves one.
    const holey: unknown[] = new Array(2);
    holey[1] = 1;
    expect(notJson([{ a: undefined }, -0, NaN, new Date(0), holey])).toHaveLength(5);
  });
});
