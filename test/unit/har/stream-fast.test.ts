// The streaming scanner's fast paths (the in-entry hot loop, `onlyUsedFields`, chunk batches) against the plain
// truth: JSON.parse of the whole text and the whole-file importer, for random entries and random chunkings.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { importHar } from '../../../src/har/import';
import { HarStreamImport, importHarStream, scanHar, scanHarChunks } from '../../../src/har/stream';
import { chunks } from './chunked';

const FIX = resolve(__dirname, '../cli/fixtures');

// Text that exercises the string scanning: quotes, backslashes, brackets, non-ASCII, escapes of every kind.
const nasty = fc.string({
  unit: fc.constantFrom('a', '"', '\\', '{', '}', '[', ']', ',', ':', 'é', '😀', '\n', '\u2028', ' ', 'x'),
  maxLength: 12,
});
const headers = fc.array(
  fc.record({
    name: fc.oneof(fc.constantFrom('Origin', 'Access-Control-Allow-Origin', 'Vary'), nasty),
    value: fc.oneof(fc.constantFrom('https://a.test', '*'), nasty),
  }),
  { maxLength: 4 },
);
const entryArb = fc.record({
  startedDateTime: fc.constant('2026-01-01T00:00:00.000Z'),
  time: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()),
  _initiator: fc.oneof(
    fc.constant({
      type: 'script',
      url: 'https://a.test/app',
      stack: { callFrames: [{ url: 'https://a.test/x.js', lineNumber: 3 }] },
    }),
    fc.constant('https://a.test/'),
  ),
  request: fc.record({
    method: fc.constantFrom('GET', 'PUT', 'OPTIONS'),
    url: fc.oneof(
      fc.constant('https://b.test/x?q=1'),
      nasty.map((s) => `https://b.test/${encodeURIComponent(s)}`),
    ),
    headers,
    queryString: fc.array(fc.record({ name: nasty, value: nasty }), { maxLength: 2 }),
    postData: fc.record({ mimeType: fc.constant('text/plain'), text: nasty }),
  }),
  response: fc.record({
    status: fc.constantFrom(0, 200, 204, 302),
    headers,
    content: fc.record({ size: fc.nat(), text: nasty, encoding: fc.constant('base64') }),
    redirectURL: fc.constantFrom('', 'https://c.test/'),
    cookies: fc.array(fc.jsonValue(), { maxLength: 2 }),
  }),
  timings: fc.jsonValue(),
  comment: nasty,
  extra: fc.jsonValue(),
});

/** What scanHar (default options) should give for an entry: the same value with the two bodies emptied. */
function withoutBodies(e: any): any {
  const v = structuredClone(e);
  if (v?.response?.content && typeof v.response.content.text === 'string') v.response.content.text = '';
  if (v?.request?.postData && typeof v.request.postData.text === 'string') v.request.postData.text = '';
  return v;
}

describe('streaming scanner fast paths', () => {
  it("gives JSON.parse's entries (bodies emptied) and importHar's requests, compact or indented, for any chunking", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entryArb, { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (entries, pretty, cutsRaw) => {
          // Some keys written with escapes, as JSON allows (`"t\u0065xt"` is `text`: still a body).
          const text = JSON.stringify(
            { log: { version: '1.2', creator: { name: 't' }, entries } },
            null,
            pretty ? 2 : undefined,
          )
            .replaceAll('"text":', '"t\\u0065xt":')
            .replaceAll('"method":', '"m\\u0065thod":');
          const bytes = new TextEncoder().encode(text);
          const cuts = cutsRaw.map((c) => 1 + (c % (bytes.length - 1)));
          const parsed = JSON.parse(text).log.entries;
          const values: unknown[] = [];
          for await (const ev of scanHar(chunks(bytes, cuts))) {
            expect(ev.kind === 'entry' || ev.kind === 'log-field').toBe(true);
            if (ev.kind === 'entry') values.push(ev.value);
          }
          expect(values).toEqual(parsed.map(withoutBodies));
          const whole = importHar(text);
          const streamed = await importHarStream(chunks(bytes, cuts));
          expect(streamed.error).toEqual(whole.error);
          expect(streamed.requests).toEqual(whole.requests);
          expect(streamed.warnings).toEqual(whole.warnings);
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);

  it('onlyUsedFields keeps every field normalizeEntry reads and nulls the containers it never reads', async () => {
    const e = {
      _initiator: { type: 'script', url: 'https://a.test/', stack: { callFrames: [{ url: 'x' }] } },
      cache: {},
      timings: { wait: 1 },
      pageref: 'p',
      _corsLens: { requestId: '1', extra: { a: 1 } },
      request: {
        method: 'GET',
        url: 'https://b.test/',
        headers: [{ name: 'Origin', value: 'https://a.test' }],
        cookies: [{ name: 'c' }],
        queryString: [],
        postData: { text: 'x' },
      },
      response: {
        status: 200,
        headers: [{ name: 'A', value: '1' }],
        content: { size: 1, text: 'aGk=' },
        cookies: [],
        redirectURL: '',
        _error: null,
      },
    };
    const bytes = new TextEncoder().encode(JSON.stringify({ log: { entries: [e] } }));
    const values: any[] = [];
    for await (const ev of scanHar(chunks(bytes, [10, 100, 200]), { onlyUsedFields: true }))
      if (ev.kind === 'entry') values.push(ev.value);
    expect(values).toEqual([
      {
        _initiator: { type: 'script', url: 'https://a.test/', stack: null },
        cache: null,
        timings: null,
        pageref: 'p',
        _corsLens: { requestId: '1', extra: { a: 1 } },
        request: {
          method: 'GET',
          url: 'https://b.test/',
          headers: [{ name: 'Origin', value: 'https://a.test' }],
          cookies: null,
          queryString: null,
          postData: null,
        },
        response: {
          status: 200,
          headers: [{ name: 'A', value: '1' }],
          content: null,
          cookies: null,
          redirectURL: '',
          _error: null,
        },
      },
    ]);
  });

  it("hands over the requests of each chunk together, in order, and the Chrome fixture gives importHar's requests", async () => {
    const buf = readFileSync(resolve(FIX, 'chrome-devtools.har'));
    const whole = importHar(buf.toString('utf8'));
    const imp = new HarStreamImport(chunks(buf, [1000, 5000, 9000]));
    const batches: unknown[][] = [];
    for await (const b of imp.batches()) {
      expect(b.length).toBeGreaterThan(0);
      batches.push(b);
    }
    expect(batches.flat()).toEqual(whole.requests);
    // The scanner gives one event array per chunk that completed something.
    let arrays = 0;
    for await (const evs of scanHarChunks(chunks(buf, [1000, 5000, 9000]))) if (evs.length) arrays++;
    expect(arrays).toBeLessThanOrEqual(4);
  });

  it('a broken entry deep inside is still a warning, a bad character still fails the file', async () => {
    const good = JSON.stringify({
      request: { method: 'GET', url: 'https://b.test/' },
      response: { status: 200, headers: [] },
    });
    const bad = '{"request":{"method":"GET","url":"https://b.test/","headers":[{"name":"a" "value":"b"}]}}';
    const r = await importHarStream(
      chunks(new TextEncoder().encode(`{"log":{"entries":[${good},${bad},${good}]}}`), []),
    );
    expect(r.error).toBeUndefined();
    expect(r.requests).toHaveLength(2);
    expect(r.warnings.map((w) => [w.index, w.code])).toEqual([[1, 'entry-too-large']]);
    const r2 = await importHarStream(
      chunks(new TextEncoder().encode(`{"log":{"entries":[${good},{"request":{"headers":[@]}}]}}`), []),
    );
    expect(r2.error?.message).toBe("not valid JSON: unexpected character '@'");
  });
});
