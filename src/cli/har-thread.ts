// Two-thread pipeline for `cors-lens explain` on a big HAR (docs/performance.md): a worker thread reads, decodes and scans the
// file (src/cli/har-thread-worker.ts) and hands over each entry, parsed and normalised in the compact packed form
// (src/har/entry-packed.ts) while this thread has messages waiting, as its text when this thread has none; this thread
// decodes or parses it, folds, evaluates and writes. Node-only (node:worker_threads): the panel never imports it.
//
// Why this split: only strings cross threads cheaply (one flat copy), so the cut is where an entry is still small and
// flat; cutting after the fold (requests sent as JSON text or structured clones) cost more CPU than it saved, and
// decoding the compact packed form costs this thread far less than parsing and normalising the entry itself
// (docs/performance.md, HAR).
// The worker sends entries as text while this thread has nothing queued (at the start, or when the worker gets no
// core of its own): this thread then parses them itself rather than wait.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HarScanEvent } from '../har';
import type { ScanThreadData, ScanThreadMessage } from './har-thread-worker';
import { readChunks, scanRaw } from './read-chunks';

/**
 * The worker's own bundle, next to the CLI bundle (dist/cli/, src/cli/bundle.mjs). Run from the TypeScript sources
 * (the tsx fallback) there is no such file next to this one, and the CLI stays on one thread.
 */
const WORKER = new URL('./har-thread-worker.mjs', import.meta.url);

export function scanThreadAvailable(): boolean {
  try {
    return WORKER.protocol === 'file:' && existsSync(fileURLToPath(WORKER));
  } catch {
    return false;
  }
}

/** Chunks' worth of events the worker may post ahead of this thread (each at most ~1 MB of entry text). */
const MAX_IN_FLIGHT = 8;

/**
 * The scan events of `file`, scanned in a worker thread: what HarStreamImport's own scan gives (the same options,
 * with `rawText`). Ends as that scan does: an `error` event for bad content, a thrown Error with readChunks' message
 * for an unreadable file. If the worker fails before it sent anything (it could not load), scans here instead;
 * `state.usedThread` says which happened.
 */
export async function* scanInThread(
  file: string,
  state: { usedThread: boolean } = { usedThread: false },
): AsyncGenerator<HarScanEvent[]> {
  const flow = new Int32Array(new SharedArrayBuffer(8));
  const data: ScanThreadData = { file, flow: flow.buffer as SharedArrayBuffer, maxInFlight: MAX_IN_FLIGHT };
  let worker: Worker;
  try {
    worker = new Worker(WORKER, { workerData: data });
  } catch {
    yield* scanRaw(readChunks(file));
    return;
  }
  const queue: ScanThreadMessage[] = [];
  let head = 0;
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on('message', (m: ScanThreadMessage) => {
    queue.push(m);
    poke();
  });
  worker.on('error', (e) => {
    failure = e instanceof Error ? e : new Error(String(e));
    poke();
  });
  // Node delivers the messages a worker posted before its 'exit' event.
  worker.on('exit', () => {
    exited = true;
    poke();
  });
  try {
    for (;;) {
      if (head < queue.length) {
        const m = queue[head];
        queue[head++] = undefined as unknown as ScanThreadMessage;
        if (head > 64 && head * 2 > queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        state.usedThread = true;
        if (m.t === 'events') {
          // Taken: the worker may scan one more chunk ahead.
          Atomics.sub(flow, 0, 1);
          Atomics.notify(flow, 0);
          yield m.events;
        } else if (m.t === 'throw') {
          throw new Error(m.message);
        } else {
          return;
        }
        continue;
      }
      if (failure || exited) {
        if (!state.usedThread) {
          yield* scanRaw(readChunks(file));
          return;
        }
        throw failure ?? new Error('the scan thread stopped early');
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    // The end, or an early stop (bad input): release a worker waiting for room, then stop it.
    Atomics.store(flow, 1, 1);
    Atomics.notify(flow, 0);
    await worker.terminate();
  }
}
