// One thread or two for `explain` on a big streamed HAR. Nothing is read at import: the runnable count and the
// load average are read only when explain decides, for a file big enough that the answer depends on them.
import { availableParallelism, loadavg } from 'node:os';
import { runnableOthers } from './runnable';

/**
 * From this size on, a streamed HAR is scanned in a worker thread while the main thread does the rest
 * (src/cli/har-thread.ts); below it the worker's start-up costs more than the split saves (docs/performance.md).
 */
export const THREAD_THRESHOLD = 64 * 1024 * 1024;

/**
 * Two threads for a streamed file of `size` bytes, on a machine with `cores` cores? Only when a second core looks
 * free: on a busy machine the pipeline stalls whenever one thread waits for the other to be scheduled again.
 * "Free" is judged by `others`, the threads runnable right now besides ours (runnable.ts: at most cores - 2), or
 * where the system cannot say, by the 1-minute load average `load1` (below the core count minus a half), which lags
 * by a minute. `setting` is CORS_LENS_THREADS: `always` or `never` override the size and load checks (the tests
 * compare both paths on small fixtures).
 */
export function useThreads(
  size: number,
  setting: string | undefined,
  cores: number,
  load1: number,
  others: number | null = null,
): boolean {
  if (setting === 'never') return false;
  if (setting === 'always') return true;
  if (size < THREAD_THRESHOLD || cores < 2) return false;
  return others !== null ? others <= cores - 2 : load1 < cores - 0.5;
}

/** Whether the size, the core count or CORS_LENS_THREADS decide alone, so no load needs reading. */
function decidedWithoutLoad(size: number, setting: string | undefined, cores: number): boolean {
  return setting === 'never' || setting === 'always' || size < THREAD_THRESHOLD || cores < 2;
}

/**
 * Starts the choice for a file of `size` bytes when explain begins and returns the function that makes it when the
 * import starts. The runnable count is read at both moments and the smaller wins (a busy competitor is in both).
 */
export function threadChoice(size: number, setting: string | undefined): () => boolean {
  const cores = availableParallelism();
  if (decidedWithoutLoad(size, setting, cores)) return () => useThreads(size, setting, cores, 0);
  const atStart = runnableOthers();
  return () => {
    const now = runnableOthers();
    const others = now === null || atStart === null ? now : Math.min(now, atStart);
    return useThreads(size, setting, cores, loadavg()[0], others);
  };
}
