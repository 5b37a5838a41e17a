// Two-thread pipeline for `cors-lens explain` on a big HAR (issue #10): a worker thread reads, scans, parses and folds
// the file (src/cli/har-thread-worker.ts) while this thread evaluates each request and writes the report, so the two
// halves overlap on two cores. Node-only (node:worker_threads): the panel never imports it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ObservedRequest } from '../engine/types';
import { HarStreamImport } from '../har/stream';
import type { HarImportError, HarWarning } from '../har/types';
import type { ImportThreadData, ImportThreadMessage } from './har-thread-worker';
import { readChunks } from './read-chunks';
import { NodeUtf8Decoder } from './utf8';

/**
 * The worker's own bundle, next to the CLI bundle (dist/cli/, src/cli/bundle.mjs). Run from the TypeScript sources
 * (the tsx fallback) there is no such file next to this one, and the CLI stays on one thread.
 */
const WORKER = new URL('./har-thread-worker.mjs', import.meta.url);

export function importThreadAvailable(): boolean {
  try {
    return WORKER.protocol === 'file:' && existsSync(fileURLToPath(WORKER));
  } catch {
    return false;
  }
}

/** Batches the worker may post ahead of this thread (each the requests of one 1 MB chunk). */
const MAX_IN_FLIGHT = 8;

/**
 * HarStreamImport's interface (`batches()`, then `warnings`, `droppedWarnings`, `error`) for a file imported in a
 * worker thread: the same requests in the same order, the same end state, and the same Error thrown from
 * `batches()` when the file cannot be read. If the worker fails before it sent anything (it could not load), the
 * file is imported in this thread instead; a failure after that is thrown.
 */
export class HarThreadImport {
  warnings: HarWarning[] = [];
  droppedWarnings = 0;
  error: HarImportError | undefined;
  /** True once requests came from the worker (false: not started yet, or imported in this thread after all). */
  usedThread = false;

  constructor(private readonly file: string, private readonly opts: { origin?: string }) {}

  async *batches(): AsyncGenerator<ObservedRequest[]> {
    const flow = new Int32Array(new SharedArrayBuffer(8));
    const data: ImportThreadData = { file: this.file, origin: this.opts.origin, flow: flow.buffer as SharedArrayBuffer, maxInFlight: MAX_IN_FLIGHT };
    let worker: Worker;
    try {
      worker = new Worker(WORKER, { workerData: data });
    } catch {
      yield* this.here();
      return;
    }
    const queue: ImportThreadMessage[] = [];
    let head = 0;
    let failure: Error | null = null;
    let exited = false;
    let wake: (() => void) | null = null;
    const poke = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    worker.on('message', (m: ImportThreadMessage) => {
      queue.push(m);
      poke();
    });
    worker.on('error', (e) => {
      failure = e instanceof Error ? e : new Error(String(e));
      poke();
    });
    worker.on('exit', () => {
      exited = true;
      poke();
    });
    let received = false;
    try {
      for (;;) {
        if (head < queue.length) {
          const m = queue[head];
          queue[head++] = undefined as unknown as ImportThreadMessage;
          if (head > 64 && head * 2 > queue.length) {
            queue.splice(0, head);
            head = 0;
          }
          received = true;
          this.usedThread = true;
          if (m.t === 'requests') {
            // Taken: the worker may import one more chunk ahead.
            Atomics.sub(flow, 0, 1);
            Atomics.notify(flow, 0);
            yield JSON.parse(m.json) as ObservedRequest[];
            continue;
          }
          this.warnings = m.warnings;
          this.droppedWarnings = m.droppedWarnings;
          this.error = m.error;
          if (m.thrown !== undefined) throw new Error(m.thrown);
          return;
        }
        if (failure || exited) {
          if (!received) {
            yield* this.here();
            return;
          }
          throw failure ?? new Error('the import thread stopped early');
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      // Early stop (bad input, closed pipe) or the end: release a worker waiting for room, then stop it.
      Atomics.store(flow, 1, 1);
      Atomics.notify(flow, 0);
      await worker.terminate();
    }
  }

  /** The one-thread import (main.ts's), with its end state copied here even when reading fails. */
  private async *here(): AsyncGenerator<ObservedRequest[]> {
    const imp = new HarStreamImport(readChunks(this.file), { origin: this.opts.origin, decoder: new NodeUtf8Decoder() });
    try {
      yield* imp.batches();
    } finally {
      this.warnings = imp.warnings;
      this.droppedWarnings = imp.droppedWarnings;
      this.error = imp.error;
    }
  }
}
