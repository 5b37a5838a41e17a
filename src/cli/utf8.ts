// A streaming UTF-8 decoder for the CLI's HAR reader, with TextDecoder's interface but built on Node's Buffer: an
// all-ASCII chunk (nearly every chunk of a HAR: base64 bodies, URLs, headers) is checked with buffer.isAscii (simdutf)
// and copied as Latin-1, which is exact for ASCII and much cheaper than TextDecoder's streaming decode. Other chunks
// go through Buffer's UTF-8 decoder (WHATWG replacement rules,
// like TextDecoder). A multi-byte sequence cut by the chunk boundary is carried over to the next call.
import { Buffer, isAscii } from 'node:buffer';

/** Length of the longest prefix of `b` that does not end inside a (possibly) valid multi-byte sequence. */
export function completePrefix(b: Uint8Array): number {
  const n = b.length;
  // A sequence is at most 4 bytes: only its lead byte, among the last 3, can be waiting for more.
  for (let k = n - 1; k >= 0 && k >= n - 3; k--) {
    const c = b[k];
    if (c < 0x80) return n;
    if (c < 0xc0) continue; // continuation byte: look further back for the lead
    const need = c >= 0xf8 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    return k + need > n ? k : n;
  }
  return n;
}

export class NodeUtf8Decoder {
  private carry: Buffer | null = null;

  decode(input?: Uint8Array, options?: { stream?: boolean }): string {
    let buf = input ? Buffer.from(input.buffer, input.byteOffset, input.byteLength) : Buffer.alloc(0);
    if (this.carry) {
      buf = Buffer.concat([this.carry, buf]);
      this.carry = null;
    }
    const end = options?.stream ? completePrefix(buf) : buf.length;
    // A copy: the stream may reuse the chunk's memory.
    if (end < buf.length) this.carry = Buffer.from(buf.subarray(end));
    const part = buf.subarray(0, end);
    return isAscii(part) ? part.toString('latin1') : part.toString('utf8');
  }
}
