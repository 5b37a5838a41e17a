// Test helpers for the streaming importer: a buffer handed over in pieces cut at the given offsets (duplicates and
// out-of-range cuts ignored), as a file read arrives in chunks; every request an import gives.
import type { ObservedRequest } from '../../../src/engine/types';
import type { HarStreamImport } from '../../../src/har/stream';

export async function* chunks(buf: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let prev = 0;
  for (const c of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (c > prev && c < buf.length) {
      yield buf.subarray(prev, c);
      prev = c;
    }
  }
  yield buf.subarray(prev);
}

/** Every request `imp` gives, its batches joined. */
export async function requestsOf(imp: HarStreamImport): Promise<ObservedRequest[]> {
  const out: ObservedRequest[] = [];
  for await (const b of imp.batches()) out.push(...b);
  return out;
}
