// Scan thread of `cors-lens explain` on a big HAR: reads, decodes and scans the file (src/har/scanner.ts, `rawText`
// mode) and posts the events, ~256 K characters of entries per message, to the main thread, which folds, evaluates
// and writes (src/cli/har-thread.ts). Each entry goes parsed and normalised (src/har/entry-packed.ts) or, when the main
// thread has nothing queued, as its text (cut out with its bodies and unread fields left out). Built as its own
// bundle (dist/cli/har-thread-worker.mjs, src/cli/bundle.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import { wireEvents, type HarScanEvent } from '../har';
import { readChunks, scanRaw } from './read-chunks';

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

/**
 * The file's 1 MB chunks handed to the scanner in 64 KB slices: each decoded slice is then a string small enough for
 * V8's young generation, where it dies young, where a 1 MB string goes to the large-object space and stays until a
 * full GC: slicing lowers the peak RSS of two threads for the same CPU time.
 */
const SLICE = 64 * 1024;
async function* sliced(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const c of chunks)
    for (let i = 0; i < c.length; i += SLICE) yield c.subarray(i, Math.min(c.length, i + SLICE));
}

/** Entry text gathered per message (~a 1 MB chunk's worth): fewer, larger messages are cheaper to hand over. */
const POST_CHARS = 256 * 1024;
/**
 * The first messages are smaller, doubling up to POST_CHARS: the main thread has nothing to do until the first
 * arrives.
 */
let postChars = 16 * 1024;

let pending: HarScanEvent[] = [];
let chars = 0;
const wireEvent = wireEvents();
/**
 * Posts the events gathered so far, once the main thread has room; false when it asked the scan to stop. The
 * entries go parsed and normalised (src/har/entry-packed.ts: the main thread only decodes them) while the main thread
 * has messages waiting, and as their text when it has none: then it would only wait for this thread (at the start,
 * or when this thread gets no core of its own), and parses them itself.
 */
function flush(): boolean {
  if (!pending.length) return true;
  if (!waitForRoom()) return false;
  const events = Atomics.load(flow, 0) > 0 ? pending.map(wireEvent) : pending;
  Atomics.add(flow, 0, 1);
  post({ t: 'events', events });
  pending = [];
  chars = 0;
  postChars = Math.min(POST_CHARS, postChars * 2);
  return true;
}

try {
  let stopped = false;
  // rawText: strings cross threads by one copy.
  for await (const events of scanRaw(sliced(readChunks(file)))) {
    for (const e of events) {
      pending.push(e);
      if (e.kind === 'entry-text' || e.kind === 'log-field-text') chars += e.text.length;
    }
    // The error event is the last the scan gives: send it at once.
    if (chars < postChars && events[events.length - 1].kind !== 'error') continue;
    if (!flush()) {
      stopped = true;
      break;
    }
  }
  if (!stopped && flush()) post({ t: 'end' });
} catch (err) {
  // What was scanned before the read failed goes first, as in one thread.
  if (flush()) post({ t: 'throw', message: String((err as Error)?.message) });
}
