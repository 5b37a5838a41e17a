// Import thread of `cors-lens explain` on a big HAR: reads, decodes, scans, parses and folds the file (the streaming
// importer, src/har/stream.ts) and posts the logical requests, one message per 1 MB chunk read, to the main thread,
// which evaluates them and writes the report (src/cli/har-thread.ts). Built as its own bundle
// (dist/cli/har-thread-worker.mjs, src/cli/bundle.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import { HarStreamImport } from '../har/stream';
import type { HarImportError, HarWarning } from '../har/types';
import { readChunks } from './read-chunks';
import { NodeUtf8Decoder } from './utf8';

export interface ImportThreadData {
  file: string;
  origin: string | undefined;
  /** Int32Array over a SharedArrayBuffer: [0] messages posted and not yet taken by the main thread, [1] stop. */
  flow: SharedArrayBuffer;
  /** Messages the import may run ahead of the main thread: bounds memory when the main thread is the slower one. */
  maxInFlight: number;
}

export type ImportThreadMessage =
  /** A batch of requests as JSON text (see the worker's loop for why that is exact). */
  | { t: 'requests'; json: string }
  /**
   * The import's end state, as HarStreamImport leaves it; `thrown` when reading the file failed (an I/O error:
   * bad content is `error`), with the message readChunks threw.
   */
  | { t: 'end'; warnings: HarWarning[]; droppedWarnings: number; error: HarImportError | undefined; thrown?: string };

const { file, origin, flow: sab, maxInFlight } = workerData as ImportThreadData;
const flow = new Int32Array(sab);
const port = parentPort!;
const post = (m: ImportThreadMessage) => port.postMessage(m);

/** Blocks until the main thread has taken enough messages; false when it asked the import to stop. */
function waitForRoom(): boolean {
  for (;;) {
    if (Atomics.load(flow, 1) !== 0) return false;
    const v = Atomics.load(flow, 0);
    if (v < maxInFlight) return true;
    // Woken by the main thread's Atomics.notify; the timeout only re-checks the stop flag.
    Atomics.wait(flow, 0, v, 200);
  }
}

// The same importer and options as the one-thread path in main.ts (openHar).
const imp = new HarStreamImport(readChunks(file), { origin, decoder: new NodeUtf8Decoder() });
let thrown: string | undefined;
let stopped = false;
try {
  for await (const requests of imp.batches()) {
    if (!waitForRoom()) {
      stopped = true;
      break;
    }
    Atomics.add(flow, 0, 1);
    // As JSON text, which crosses threads as one flat string: structured clone of the objects themselves cost
    // ~3x more (serialising and rebuilding ~40 objects per request; bench "har" profile). The round trip is exact:
    // what the importer builds (src/har/entry.ts normalizeEntry, fold.ts build) is plain data, strings (JSON keeps
    // even lone surrogates), finite numbers (readTime, readStatus), null, arrays and objects whose optional fields
    // are set only when defined, never to `undefined` (test/unit/cli/threads.test.ts checks it).
    post({ t: 'requests', json: JSON.stringify(requests) });
  }
} catch (err) {
  thrown = String((err as Error)?.message);
}
if (!stopped) post({ t: 'end', warnings: imp.warnings, droppedWarnings: imp.droppedWarnings, error: imp.error, thrown });
