// Scan thread of `cors-lens explain` on a big HAR: reads, decodes and scans the file (src/har/stream.ts, `rawText`
// mode) and posts the events (each entry's text, cut out with its bodies and unread fields left out), one message per
// 1 MB chunk read, to the main thread, which parses, folds, evaluates and writes (src/cli/har-thread.ts). Built as
// its own bundle (dist/cli/har-thread-worker.mjs, src/cli/bundle.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import { scanHarChunks, type HarScanEvent } from '../har/stream';
import { readChunks } from './read-chunks';
import { NodeUtf8Decoder } from './utf8';

export interface ScanThreadData {
  file: string;
  /** Int32Array over a SharedArrayBuffer: [0] messages posted and not yet taken by the main thread, [1] stop. */
  flow: SharedArrayBuffer;
  /** Messages the scan may run ahead of the main thread: bounds memory when the main thread is the slower one. */
  maxInFlight: number;
}

export type ScanThreadMessage =
  | { t: 'events'; events: HarScanEvent[] }
  | { t: 'end' }
  /** The file could not be read (an I/O error, not bad content: that is an `error` event), as readChunks threw it. */
  | { t: 'throw'; message: string };

const { file, flow: sab, maxInFlight } = workerData as ScanThreadData;
const flow = new Int32Array(sab);
const port = parentPort!;
const post = (m: ScanThreadMessage) => port.postMessage(m);

/** Blocks until the main thread has taken enough messages; false when it asked the scan to stop. */
function waitForRoom(): boolean {
  for (;;) {
    if (Atomics.load(flow, 1) !== 0) return false;
    const v = Atomics.load(flow, 0);
    if (v < maxInFlight) return true;
    // Woken by the main thread's Atomics.notify; the timeout only re-checks the stop flag.
    Atomics.wait(flow, 0, v, 200);
  }
}

let stopped = false;
try {
  // The scan options of HarStreamImport's own (onlyUsedFields), plus rawText: strings cross threads by one copy.
  for await (const events of scanHarChunks(readChunks(file), { decoder: new NodeUtf8Decoder(), onlyUsedFields: true, rawText: true })) {
    if (!waitForRoom()) {
      stopped = true;
      break;
    }
    Atomics.add(flow, 0, 1);
    post({ t: 'events', events });
  }
  if (!stopped) post({ t: 'end' });
} catch (err) {
  post({ t: 'throw', message: String((err as Error)?.message) });
}
