// The CLI's Buffer-based streaming UTF-8 decoder must give exactly what TextDecoder gives, however the bytes are cut.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NodeUtf8Decoder, completePrefix } from '../../../src/cli/utf8';

const enc = new TextEncoder();
// Bytes that are mostly text (ASCII and multi-byte characters) with some invalid or truncated sequences mixed in.
const piece = fc.oneof(
  fc.string({ maxLength: 8 }).map((s) => Array.from(enc.encode(s))),
  fc.constantFrom('é', '€', '😀', '\u2028', '\ufeff').map((s) => Array.from(enc.encode(s))),
  fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 3 }),
  fc.constantFrom([0xf0, 0x9f], [0xe2, 0x82], [0xc3], [0xed, 0xa0, 0x80], [0xff], [0x00]),
);
const bytesArb = fc.array(piece, { maxLength: 30 }).map((ps) => Uint8Array.from(ps.flat()));

function decodeAll(
  d: { decode(b?: Uint8Array, o?: { stream?: boolean }): string },
  bytes: Uint8Array,
  cuts: number[],
): string {
  let out = '';
  let prev = 0;
  for (const c of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (c <= prev || c >= bytes.length) continue;
    out += d.decode(bytes.subarray(prev, c), { stream: true });
    prev = c;
  }
  out += d.decode(bytes.subarray(prev), { stream: true });
  return out + d.decode();
}

describe('NodeUtf8Decoder', () => {
  it('matches TextDecoder (BOM aside) for any bytes and any chunking', () => {
    fc.assert(
      fc.property(bytesArb, fc.array(fc.nat(), { maxLength: 8 }), (bytes, raw) => {
        const cuts = raw.map((c) => (bytes.length ? c % bytes.length : 0));
        // TextDecoder drops a leading BOM; the scanner skips it itself, so the CLI's decoder keeps it.
        const want = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
        expect(decodeAll(new NodeUtf8Decoder(), bytes, cuts)).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('holds back only an incomplete trailing sequence', () => {
    expect(completePrefix(enc.encode('ab'))).toBe(2);
    expect(completePrefix(Uint8Array.from([0x61, 0xf0, 0x9f, 0x98]))).toBe(1);
    expect(completePrefix(Uint8Array.from([0x61, 0xf0, 0x9f, 0x98, 0x80]))).toBe(5);
    expect(completePrefix(Uint8Array.from([0x61, 0xc3]))).toBe(1);
    expect(completePrefix(Uint8Array.from([0x61, 0xff]))).toBe(2);
  });
});
