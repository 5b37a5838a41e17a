// When the worker's pending storage write goes out: at the end of the task in a quiet moment, at most one call per
// `shortMs` in a burst, and at most one per `longMs` once a burst has lasted `burstCalls` calls. Why: a
// storage.session call has a fixed cost (docs/performance.md, bench "worker"), paid mostly in the browser process,
// which is the page's bottleneck once webRequest
// listeners ask for extraHeaders; events arrive one per task, so under load only time can batch them into fewer
// calls. The price is the durability window: a worker killed abruptly loses what it handled since the last call went
// out (docs/architecture.md, "Durability window").

export interface WriteScheduleOptions {
  /** Between calls while a burst is young (the window that matters for a short burst, e.g. a page load). */
  shortMs: number;
  /** Between calls once the burst is sustained (a page making hundreds of requests a second). */
  longMs: number;
  /** Calls delayed in a row before the long interval applies. */
  burstCalls: number;
  now?: () => number;
}

/** Returns a scheduler: pass it the write; it runs it once when due (callers ensure one pending write at a time). */
export function writeSchedule(o: WriteScheduleOptions): (fn: () => void) => void {
  const now = o.now ?? (() => performance.now());
  let last = -Infinity;
  let delayedInARow = 0;
  return (fn) => {
    const t = now();
    // A quiet gap as long as the long interval ends the burst.
    if (t - last >= o.longMs) delayedInARow = 0;
    const interval = delayedInARow >= o.burstCalls ? o.longMs : o.shortMs;
    const wait = last + interval - t;
    const run = () => {
      last = now();
      fn();
    };
    if (wait <= 0) {
      queueMicrotask(run);
    } else {
      delayedInARow++;
      setTimeout(run, wait);
    }
  };
}
