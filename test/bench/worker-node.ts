// Feeds the pure CaptureService (src/capture/capture-service.ts) 100,000 synthetic requests in Node, the way the
// worker receives them (Chromium's event order, in bursts separated by tasks), with an in-memory storage.
// Prints events/second and the retained JS heap after a forced GC. Run with --expose-gc (bench worker does).
import { CaptureService, type KeyValueStorage } from '../../src/capture/capture-service.ts';
import { evaluate } from '../../src/engine/index.ts';
import type { NetEvent } from '../../src/capture/events.ts';
import { API, PAGE, chromiumPreflightedPut, simpleGet } from '../unit/capture/net-events.ts';

const TOTAL = Number(process.argv[2] ?? 100_000);
const TABS = 10;
const BURST = 20; // requests handled per task, then the event loop turns (writes and notifications run)

/**
 * storage.session serialises what it is given in the worker (and keeps the copy in the browser process): model
 * that cost with JSON.stringify of non-string values (the store hands chunks over as JSON strings already) and
 * keep nothing, so the heap figure is the worker's own.
 */
function memoryStorage(): KeyValueStorage & { writes: number; bytes: number } {
  const st = {
    writes: 0,
    bytes: 0,
    async getAll() {
      return {};
    },
    async write(set: Record<string, unknown>) {
      st.writes++;
      for (const v of Object.values(set)) st.bytes += typeof v === 'string' ? v.length : JSON.stringify(v).length;
    },
  };
  return st;
}

function eventsFor(i: number): NetEvent[] {
  const k = i % 20;
  const id = String(i);
  const tabId = 100 + (i % TABS);
  let evs: NetEvent[];
  if (k < 11) evs = simpleGet(id, `${API}/ok/${i}?x=${i}`, PAGE);
  else if (k < 14) evs = simpleGet(id, `${API}/zno/${i}`);
  else if (k < 18) evs = chromiumPreflightedPut(id, `pf${id}`, `${API}/pf/${i}`, true);
  else evs = chromiumPreflightedPut(id, `pf${id}`, `${API}/zpf/${i}`, false);
  for (const e of evs) e.tabId = tabId;
  return evs;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const tick = () => new Promise<void>((r) => setImmediate(r));

const base = heap();
const storage = memoryStorage();
const s = new CaptureService({
  browser: 'chromium',
  storage,
  evaluate: (r, b) => evaluate(r, { browser: b }),
  isQuotaError: () => false,
  now: () => Date.now(),
});
await s.ready;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let events = 0;
const heapAt: Record<number, number> = {};
for (let i = 0; i < TOTAL; i++) {
  for (const e of eventsFor(i)) {
    s.onEvent(e);
    events++;
  }
  if (i % BURST === BURST - 1) await tick();
  if (i + 1 === TOTAL / 2) {
    await s.flushed();
    heapAt[i + 1] = heap() - base;
  }
}
await tick();
await s.flushed();
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
heapAt[TOTAL] = heap() - base;
let kept = 0;
for (const t of s.store.tabIds()) kept += s.store.entries(t).length;
process.stdout.write(
  `${JSON.stringify({
    requests: TOTAL,
    events,
    ms,
    eventsPerSec: events / (ms / 1000),
    requestsPerSec: TOTAL / (ms / 1000),
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / TOTAL,
    heapDeltaBytes: heapAt,
    heapTotalUsed: process.memoryUsage().heapUsed,
    keptEntries: kept,
    storeBytes: s.store.bytes,
    storageWrites: storage.writes,
    storageBytesSerialised: storage.bytes,
    errors: s.errors.slice(0, 3),
    inflight: s.correlator.size,
    note: 'the heap delta between the GC before the service was made and the GC after the last request (the heap-at-half figure includes the GC before it too)',
  })}\n`,
);
