// Reads a file in 1 MB chunks for the streaming HAR import and scans them as the two-thread path does, shared by the
// CLI's main thread and its scan thread (src/cli/har-thread-worker.ts), kept apart from main.ts so the worker bundle
// does not carry the whole CLI.
import { open } from 'node:fs/promises';
import { scanHarChunks, type HarScanEvent } from '../har';
import { NodeUtf8Decoder } from './utf8';

/**
 * The file in 1 MB chunks, read into two buffers used in turn (a fresh 1 MB Buffer per chunk, as createReadStream
 * gives, is 1 GB of allocations for a 1 GB HAR): the next chunk is read while the importer works on this one. A
 * chunk is only valid until the one after it is asked for: the importer decodes each at once (NodeUtf8Decoder copies
 * the few bytes it carries over).
 */
export async function* readChunks(file: string): AsyncGenerator<Uint8Array> {
  const fh = await open(file, 'r');
  const bufs = [Buffer.allocUnsafe(1 << 20), Buffer.allocUnsafe(1 << 20)];
  let k = 0;
  let next = fh.read(bufs[0], 0, bufs[0].length, null);
  try {
    for (;;) {
      const { bytesRead } = await next;
      if (bytesRead === 0) return;
      const chunk = bufs[k].subarray(0, bytesRead);
      k ^= 1;
      next = fh.read(bufs[k], 0, bufs[k].length, null);
      yield chunk;
    }
  } finally {
    // A read may still be under way when the consumer stops early (bad input): let it end before closing.
    await next.catch(() => undefined);
    await fh.close();
  }
}

/**
 * The scan of the two-thread path, wherever it runs: HarStreamImport's own options (onlyUsedFields) plus rawText, so
 * the importer gets the same events from the scan thread and from the fallback scan on the main thread.
 */
export function scanRaw(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<HarScanEvent[]> {
  return scanHarChunks(chunks, { decoder: new NodeUtf8Decoder(), onlyUsedFields: true, rawText: true });
}
