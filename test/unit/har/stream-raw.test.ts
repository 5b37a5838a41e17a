// The scanner's `rawText` mode (the CLI scans in a worker thread and parses in the main thread): the texts it hands
// over, parsed by parseScanEvent, must be exactly the events of the ordinary mode — entries, broken entries, log
// fields, a broken log field, fatal errors — for any input and chunking, and an import fed those events through
// HarStreamImport.ofEvents must equal the ordinary import.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HarStreamImport, parseScanEvent, scanHarChunks, type HarScanEvent } from '../../../src/har/stream';
import { chunks, requestsOf } from './chunked';

async function collect(source: AsyncIterable<HarScanEvent[]>): Promise<HarScanEvent[][]> {
  const out: HarScanEvent[][] = [];
  for await (const evs of source) out.push(evs);
  return out;
}

const good = (i: number) =>
  JSON.stringify({
    request: { method: 'GET', url: `https://b.test/${i}`, headers: [{ name: 'Origin', value: 'https://a.test' }] },
    response: {
      status: 200,
      headers: [{ name: 'access-control-allow-origin', value: '*' }],
      content: { text: 'x'.repeat(i) },
    },
    _resourceType: 'fetch',
  });
// Pieces of a HAR: good and broken entries, good and broken log fields, and text that breaks the whole file.
const piece = fc.oneof(
  fc.nat(300).map((i) => ({ entry: good(i) })),
  fc.constantFrom(
    { entry: '{"request":{"method":"GET","url":"https://b.test/","headers":[{"name":"a" "value":"b"}]}}' },
    { entry: '{"request":{"method":"GET","url":"https://b.test/"},"x":1e999}' },
    { entry: '"just a string"' },
    { entry: '12' },
    { field: '"pages":[{"id":"p","title":"https://a.test/"}]' },
    { field: '"creator":{"name":"Charles"}' },
    { field: '"comment":"a \\u0022quoted\\u0022 word"' },
    { field: '"browser":{"name":"Firefox","version":[1,}' },
    { bad: '@' },
  ),
);

describe('rawText scan mode', () => {
  it('parseScanEvent of the raw texts is the ordinary scan, and ofEvents imports the same', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.boolean(),
        async (pieces, cutsRaw, truncate) => {
          const entries = pieces.filter((p) => 'entry' in p || 'bad' in p).map((p) => ('entry' in p ? p.entry : p.bad));
          const fields = pieces.filter((p) => 'field' in p).map((p) => (p as { field: string }).field);
          let text = `{"log":{${fields.map((f) => `${f},`).join('')}"entries":[${entries.join(',')}]}}`;
          if (truncate) text = text.slice(0, Math.floor(text.length * 0.7));
          const bytes = new TextEncoder().encode(text);
          const cuts = cutsRaw.map((c) => 1 + (c % Math.max(1, bytes.length - 1)));
          const plain = await collect(scanHarChunks(chunks(bytes, cuts), { onlyUsedFields: true }));
          const raw = await collect(scanHarChunks(chunks(bytes, cuts), { onlyUsedFields: true, rawText: true }));
          expect(raw.flat().some((e) => e.kind === 'entry' || e.kind === 'log-field')).toBe(false);
          expect(
            raw
              .flat()
              .map(parseScanEvent)
              .filter((e) => e !== null),
          ).toEqual(plain.flat());

          const a = new HarStreamImport(chunks(bytes, cuts), { origin: 'https://o.test' });
          const ra = await requestsOf(a);
          async function* replay() {
            yield* raw;
          }
          const b = HarStreamImport.ofEvents(replay(), { origin: 'https://o.test' });
          const rb = await requestsOf(b);
          expect(rb).toEqual(ra);
          expect(b.warnings).toEqual(a.warnings);
          expect(b.error).toEqual(a.error);
          expect(b.meta).toEqual(a.meta);
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);

  it('ofEvents ends with a read error when its source throws, after what it already gave', async () => {
    async function* failing(): AsyncGenerator<HarScanEvent[]> {
      yield [{ kind: 'entry-text', index: 0, text: good(1) }];
      throw new Error('EIO: i/o error, read');
    }
    const imp = HarStreamImport.ofEvents(failing());
    const got: unknown[] = [];
    await expect(
      (async () => {
        for await (const b of imp.batches()) got.push(...b);
      })(),
    ).rejects.toThrow('EIO');
    expect(got).toHaveLength(0); // the fold still held it: nothing half-done leaves the importer
  });
});
