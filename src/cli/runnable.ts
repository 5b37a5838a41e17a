// How many other threads want a CPU right now, for the CLI's one-or-two-threads choice (threads.ts useThreads).
// The 1-minute load average lags: after a minute of work that has just ended it still reads high on an idle machine,
// and the CLI then stayed on one thread. Linux's /proc/loadavg also gives the number of runnable threads at this
// instant (4th field, "2/345"), which counts a CPU-bound competitor and reads 1 (ourselves) on an idle machine.
import { readFileSync } from 'node:fs';

/** Runnable threads other than the reader, from the text of /proc/loadavg; null if the text is not in that format. */
export function runnableOthersFrom(text: string): number | null {
  const m = /^\s*\S+\s+\S+\s+\S+\s+(\d+)\/\d+/.exec(text);
  return m ? Math.max(0, Number(m[1]) - 1) : null;
}

/** Runnable threads other than this one right now; null where the system does not say (not Linux). */
export function runnableOthers(): number | null {
  try {
    return runnableOthersFrom(readFileSync('/proc/loadavg', 'utf8'));
  } catch {
    return null;
  }
}
