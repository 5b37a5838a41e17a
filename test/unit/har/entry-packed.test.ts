// The packed form of normalised entries (src/har/entry-packed.ts: the CLI's scan thread normalises, the main thread
// decodes): decoded, every entry must be normalizeEntry's own result — the same values, the same keys in the same
// order, `undefined` where normalizeEntry leaves it, the same warnings — for real browser HARs, the CLI fixtures
// and generated hostile entries, with the header-name table filling up and overflowing; and an import fed a mix of
// packed and text events must equal the ordinary import.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { normalizeEntry, type NormalizedEntry } from '../../../src/har/entry';
import { EntryUnpacker, EntryPacker } from '../../../src/har/entry-packed';
import { HarStreamImport, scanHarChunks, wireEvents, type HarScanEvent } from '../../../src/har/stream';
import type { HarWarning } from '../../../src/har/types';
import { RECORDINGS } from '../../oracle/recordings-io';
import { chunks, requestsOf } from './chunked';

/** Every key path with its value's type, in order: toStrictEqual does not look at key order. */
function shape(v: unknown, path = ''): string[] {
  if (v === null || typeof v !== 'object') return [`${path}:${v === undefined ? 'undefined' : typeof v}`];
  const out: string[] = [`${path}:${Array.isArray(v) ? 'array' : 'object'}`];
  for (const k of Object.keys(v)) out.push(...shape((v as Record<string, unknown>)[k], `${path}.${k}`));
  return out;
}

/** Encodes and decodes `raws` in order through one encoder/decoder pair and checks each against normalizeEntry. */
function roundTrip(raws: unknown[], maxNames?: number): void {
  const enc = new EntryPacker(maxNames);
  const dec = new EntryUnpacker(maxNames);
  raws.forEach((raw, i) => {
    const want: HarWarning[] = [];
    const expected = normalizeEntry(structuredClone(raw), i, want);
    const got: HarWarning[] = [];
    const decoded: NormalizedEntry | null = dec.decode(enc.encode(raw, i), got);
    expect(decoded).toStrictEqual(expected);
    expect(shape(decoded)).toEqual(shape(expected));
    expect(got).toStrictEqual(want);
  });
}

const harFiles = [
  ...['chromium', 'firefox'].flatMap((b) =>
    readdirSync(join(RECORDINGS, b))
      .filter((f) => f.endsWith('.har'))
      .map((f) => join(RECORDINGS, b, f)),
  ),
  ...readdirSync(resolve(__dirname, '../cli/fixtures'))
    .filter((f) => f.endsWith('.har'))
    .map((f) => resolve(__dirname, '../cli/fixtures', f)),
];
const entriesOf = (f: string): unknown[] => JSON.parse(readFileSync(f, 'utf8'))?.log?.entries ?? [];

// Values that normalizeEntry treats in every way it can: odd types, whitespace, non-ASCII, lone surrogates.
const nasty = fc.string({
  unit: fc.constantFrom('a', 'B', '"', '\\', ' ', ':', 'é', '😀', '\ud800', '\n', '\u2028', '\u202e', 'x'),
  maxLength: 10,
});
const anyValue = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 1 }),
);
const header = fc.oneof(
  fc.record({
    name: fc.oneof(
      fc.constantFrom(
        'Origin',
        'origin',
        'Access-Control-Allow-Origin',
        'Location',
        'Referer',
        'Access-Control-Request-Method',
        ':authority',
      ),
      nasty,
      fc.integer(),
    ),
    value: anyValue,
  }),
  anyValue,
);
const headers = fc.oneof(fc.array(header, { maxLength: 5 }), anyValue);
const entryArb = fc.oneof(
  fc.record(
    {
      request: fc.oneof(
        fc.record(
          {
            method: fc.oneof(fc.constantFrom('GET', 'OPTIONS', 'options', ' PUT '), nasty),
            url: fc.oneof(
              fc.constantFrom('https://b.test/x', 'HTTPS://B.test:443/a b', 'http://[::1]:8080/', 'not a url', ''),
              nasty.map((s) => `https://b.test/${s}`),
            ),
            headers,
          },
          { requiredKeys: ['url', 'method'] },
        ),
        anyValue,
      ),
      response: fc.oneof(
        fc.record(
          {
            status: fc.oneof(fc.constantFrom(0, 200, 302, '204', 99999), anyValue),
            statusText: anyValue,
            headers,
            redirectURL: fc.oneof(fc.constantFrom('', '/next', 'https://c.test/'), anyValue),
            _error: anyValue,
            _failureText: anyValue,
          },
          { requiredKeys: [] },
        ),
        anyValue,
      ),
      _error: anyValue,
      _fromCache: fc.oneof(fc.constantFrom('memory', 'disk', true), anyValue),
      serverIPAddress: fc.oneof(fc.constantFrom('[::1]', '127.0.0.1', ''), anyValue),
      _resourceType: fc.oneof(fc.constantFrom('fetch', 'XHR', 'preflight', 'document', 'weird'), anyValue),
      startedDateTime: fc.oneof(fc.constantFrom('2026-01-01T00:00:00.000Z', 'yesterday'), fc.integer(), anyValue),
      time: fc.oneof(fc.double(), fc.integer(), anyValue),
      _initiator: fc.oneof(
        fc.record(
          { type: fc.oneof(fc.constantFrom('script', 'preflight', 'parser'), anyValue), url: anyValue },
          { requiredKeys: [] },
        ),
        anyValue,
      ),
      _corsLens: fc.oneof(
        fc.record(
          {
            requestId: fc.oneof(fc.constantFrom('r1', ''), fc.integer(), anyValue),
            initiator: anyValue,
            mode: fc.oneof(fc.constantFrom('cors', 'no-cors', 'bogus'), anyValue),
            credentials: fc.oneof(fc.constantFrom('include', 'omit'), anyValue),
            hintSource: fc.oneof(fc.constantFrom('page-observer', 'cdp', 'nope'), anyValue),
          },
          { requiredKeys: [] },
        ),
        anyValue,
      ),
      pageref: anyValue,
    },
    { requiredKeys: [] },
  ),
  anyValue,
);

describe('entry packed form', () => {
  it("decodes every entry of the recorded browser HARs and the CLI fixtures to normalizeEntry's result", () => {
    expect(harFiles.length).toBeGreaterThan(20);
    for (const f of harFiles) roundTrip(entriesOf(f));
    // All files through one pair, as one long HAR would go, with a name table of 8 that overflows at once.
    roundTrip(harFiles.flatMap(entriesOf), 8);
  });

  it("decodes generated hostile entries to normalizeEntry's result, the name table filling and overflowing", () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 12 }), fc.constantFrom(0, 1, 3, 4096), (raws, maxNames) => {
        roundTrip(raws, maxNames);
      }),
      { numRuns: 500 },
    );
  });

  it('an import fed packed events, text events or a mix equals the ordinary import', async () => {
    const texts = harFiles.map((f) => readFileSync(f));
    for (const bytes of texts) {
      const plain = new HarStreamImport(chunks(bytes, [1000, 5000]), { origin: 'https://o.test' });
      const want = await requestsOf(plain);
      for (const every of [1, 2, 3]) {
        // Which events go packed, as the scan thread decides message by message: every one, every other, every third.
        const toWire = wireEvents();
        async function* events(): AsyncGenerator<HarScanEvent[]> {
          let n = 0;
          for await (const evs of scanHarChunks(chunks(bytes, [1000, 5000]), { onlyUsedFields: true, rawText: true })) {
            yield n++ % every === 0 ? evs.map(toWire) : evs;
          }
        }
        const imp = HarStreamImport.ofEvents(events(), { origin: 'https://o.test' });
        const got = await requestsOf(imp);
        expect(got).toStrictEqual(want);
        expect(imp.warnings).toEqual(plain.warnings);
        expect(imp.error).toEqual(plain.error);
      }
    }
  });

  it('a text that is not JSON gives the same entry-error as the text path', () => {
    const toWire = wireEvents();
    expect(toWire({ kind: 'entry-text', index: 3, text: '{"request":' })).toMatchObject({
      kind: 'entry-error',
      index: 3,
    });
    expect(toWire({ kind: 'log-field-text', key: 'pages', text: '[]' })).toEqual({
      kind: 'log-field-text',
      key: 'pages',
      text: '[]',
    });
  });
});
