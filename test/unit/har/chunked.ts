// Test helper: a buffer handed over in pieces cut at the given offsets (duplicates and out-of-range cuts ignored), as
// a file read arrives in chunks — for the streaming scanner's property tests.
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
