// Streaming HAR import: same requests as the whole-file importer whatever the chunking; bad input reported, not thrown.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { importHar } from '../../../src/har/import';
import { HarStreamImport, importHarStream, scanHar } from '../../../src/har/stream';
import { chunks } from './chunked';

const FIX = resolve(__dirname, '../cli/fixtures');
const chrome = readFileSync(resolve(FIX, 'chrome-devtools.har'));

const once = (s: string | Uint8Array) => chunks(typeof s === 'string' ? new TextEncoder().encode(s) : s, []);

const entry = (
  method: string,
  url: string,
  headers: [string, string][],
  status = 200,
  extra: Record<string, unknown> = {},
) => ({
  startedDateTime: '2026-01-01T00:00:00.000Z',
  time: 1,
  request: { method, url, headers: headers.map(([name, value]) => ({ name, value })) },
  response: { status, headers: [] },
  ...extra,
});

describe('streaming import', () => {
  it('gives the same requests as importHar on a Chrome export, for any chunking', async () => {
    const whole = importHar(chrome.toString('utf8'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: chrome.length - 1 }), { maxLength: 40 }), async (cuts) => {
        const r = await importHarStream(chunks(chrome, cuts));
        expect(r.error).toBeUndefined();
        expect(r.requests).toEqual(whole.requests);
      }),
      { numRuns: 60 },
    );
  });

  it('splits multi-byte UTF-8, escapes and keys across chunks correctly', async () => {
    const har = JSON.stringify({
      log: {
        version: '1.2',
        pages: [{ id: 'p', title: 'http://a.test/ü' }],
        entries: [
          entry('GET', 'http://b.test/é?q="\\"}]', [
            ['X-Ünï', 'va"l\\ue}]'],
            ['Origin', 'http://a.test'],
          ]),
        ],
      },
    });
    const buf = new TextEncoder().encode(har);
    const whole = importHar(har);
    for (let cut = 1; cut < buf.length; cut++) {
      const r = await importHarStream(chunks(buf, [cut]));
      expect(r.requests).toEqual(whole.requests);
    }
  });

  it('resolves the page origin when log.pages comes after log.entries', async () => {
    const har = `{"log":{"entries":[${JSON.stringify({ ...entry('GET', 'http://b.test/x', []), pageref: 'p1' })}],"pages":[{"id":"p1","title":"http://page.test/app"}]}}`;
    const r = await importHarStream(once(har));
    expect(r.requests[0].initiator).toBe('http://page.test');
    expect(r.requests[0].documentUrl).toBe('http://page.test/app');
  });

  it('reads keys written with escapes as JSON.parse does', async () => {
    const har = `{"l\\u006fg":{"entr\\u0069es":[${JSON.stringify(entry('GET', 'http://b.test/', []))}]}}`;
    expect(JSON.parse(har).log.entries).toHaveLength(1);
    const r = await importHarStream(once(har));
    expect(r.error).toBeUndefined();
    expect(r.requests).toHaveLength(1);
  });

  it('gives up waiting for late pages past maxDeferred, with one warning', async () => {
    const es = Array.from({ length: 30 }, (_, i) => ({ ...entry('GET', `http://b.test/${i}`, []), pageref: 'p1' }));
    const har = `{"log":{"entries":${JSON.stringify(es)},"pages":[{"id":"p1","title":"http://page.test/"}]}}`;
    const r = await importHarStream(once(har), { maxDeferred: 10, lag: 0 });
    expect(r.requests).toHaveLength(30);
    const resolved = (q: { id: string }) => r.requests.find((x) => x.id === q.id)!.initiator === 'http://page.test';
    // The first 10 wait for the pages and get them; the next ones are let go unresolved; the last, still in the
    // fold window when the pages arrive, is resolved too.
    expect(es.map((_, i) => resolved({ id: `har-${i}` }))).toEqual(es.map((_, i) => i < 10 || i === 29));
    expect(r.warnings.filter((w) => w.code === 'unresolved-initiator')).toHaveLength(1);
  });

  it('passes log._corsLens through as meta', async () => {
    const r = await importHarStream(
      once(JSON.stringify({ log: { _corsLens: { scenario: 's1' }, entries: [entry('GET', 'http://b.test/', [])] } })),
    );
    expect(r.meta?.corsLens).toEqual({ scenario: 's1' });
  });

  it.each([
    ['', 'truncated'],
    ['{"log":{"entries":[{"request":', 'truncated'],
    ['{"log":{"entries":[]}', 'truncated'],
    ['hello', 'not-json'],
    ['[1,2]', 'not-har'],
    ['{"log":[]}', 'not-har'],
    ['{"log":{"entries":{}}}', 'not-har'],
    ['{"log":{}}', 'not-har'],
    ['{"foo":1}', 'not-har'],
    ['{"log":{"entries":[]}} x', 'not-json'],
    ['{"a":1]', 'not-json'],
    ['\u0000\u0000\u0000', 'not-json'],
  ])('%j → %s', async (input, code) => {
    const r = await importHarStream(once(input));
    expect(r.error?.code).toBe(code);
    expect(r.error?.message).not.toMatch(/\n/);
  });

  it('recognises gzip by its magic bytes', async () => {
    const r = await importHarStream(once(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0])));
    expect(r.error?.code).toBe('compressed');
  });

  it('skips an entry larger than the limit with a warning, keeps the others', async () => {
    const big = { ...entry('GET', 'http://b.test/big', [['X', 'y'.repeat(5000)]]) };
    const har = JSON.stringify({ log: { entries: [big, entry('GET', 'http://b.test/small', [])] } });
    const r = await importHarStream(chunks(new TextEncoder().encode(har), [100, 2000, 4000]), { maxEntryChars: 1000 });
    expect(r.requests.map((q) => q.url)).toEqual(['http://b.test/small']);
    expect(r.warnings.map((w) => [w.index, w.code])).toEqual([[0, 'entry-too-large']]);
  });

  it('leaves response and request bodies out of the entry, so a huge body costs no memory', async () => {
    const body = 'a\\"b'.repeat(200_000) + '"}]{[';
    const e = {
      ...entry('POST', 'http://b.test/up', [['Origin', 'http://a.test']]),
      response: {
        status: 200,
        headers: [{ name: 'A', value: '1' }],
        content: { size: 5, mimeType: 'x', text: body, encoding: 'base64' },
      },
    };
    (e.request as any).postData = { mimeType: 'text/plain', text: body };
    (e as any).comment = { text: 'kept: not a body' };
    const har = JSON.stringify({ log: { entries: [e, entry('GET', 'http://b.test/after', [])] } });
    const bytes = new TextEncoder().encode(har);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 30 }), async (cuts) => {
        const values: any[] = [];
        for await (const ev of scanHar(chunks(bytes, cuts), { maxEntryChars: 10_000 }))
          if (ev.kind === 'entry') values.push(ev.value);
        expect(values).toHaveLength(2);
        expect(values[0].response.content).toEqual({ size: 5, mimeType: 'x', text: '', encoding: 'base64' });
        expect(values[0].request.postData).toEqual({ mimeType: 'text/plain', text: '' });
        expect(values[0].comment).toEqual({ text: 'kept: not a body' });
        expect(values[0].response.headers).toEqual([{ name: 'A', value: '1' }]);
        expect(values[1].request.url).toBe('http://b.test/after');
      }),
      { numRuns: 40 },
    );
  });

  it('reports entries that are not valid JSON-objects by index', async () => {
    const har = `{"log":{"entries":[1,"x",null,${JSON.stringify(entry('GET', 'http://b.test/', []))},true]}}`;
    const r = await importHarStream(once(har));
    expect(r.requests).toHaveLength(1);
    expect(r.warnings.map((w) => w.index)).toEqual([0, 1, 2, 4]);
  });

  it('a preflight waits for its request only within the window', async () => {
    const O = 'http://a.test';
    const pf = entry(
      'OPTIONS',
      'http://b.test/x',
      [
        ['Origin', O],
        ['Access-Control-Request-Method', 'PUT'],
      ],
      204,
    );
    const fillers = Array.from({ length: 20 }, (_, i) => entry('GET', `http://c.test/${i}`, []));
    const put = entry('PUT', 'http://b.test/x', [['Origin', O]]);
    const har = JSON.stringify({ log: { entries: [pf, ...fillers, put] } });
    const near = await importHarStream(once(har), { window: 50, lag: 5 });
    expect(near.requests.find((q) => q.method === 'PUT')?.exchanges).toHaveLength(2);
    const far = await importHarStream(once(har), { window: 10, lag: 5 });
    expect(far.requests.filter((q) => q.method === 'PUT').map((q) => q.exchanges.length)).toEqual([1, 1]);
    expect(far.warnings.map((w) => w.code)).toContain('orphan-preflight');
  });

  it('yields requests before the input ends (bounded memory)', async () => {
    let fed = 0;
    const total = 3000;
    async function* gen() {
      yield '{"log":{"entries":[';
      for (let i = 0; i < total; i++) {
        fed = i;
        yield (i ? ',' : '') + JSON.stringify(entry('GET', `http://b.test/${i}`, []));
      }
      yield ']}}';
    }
    const imp = new HarStreamImport(gen(), { window: 100, lag: 10 });
    let firstSeenAt = -1;
    let n = 0;
    for await (const _r of imp.requests()) {
      if (firstSeenAt < 0) firstSeenAt = fed;
      n++;
    }
    expect(n).toBe(total);
    expect(firstSeenAt).toBeLessThan(200);
  });

  it('scanHar never throws on random text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.json(), async (s, j) => {
        for (const input of [s, `{"log":{"entries":[${s}]}}`, `{"log":{"entries":[${j},${s}`]) {
          const evs = [];
          for await (const ev of scanHar(once(input))) evs.push(ev);
          expect(Array.isArray(evs)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
