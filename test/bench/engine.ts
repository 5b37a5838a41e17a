// Bench "engine": verdicts per second over the recorded oracle corpus (test/oracle/recordings/**.har, imported once
// with src/har/import.ts), single thread, against the floor of merely normalising the same exchanges' headers
// (lowercase every name into a Map per header list). Goal: engine ≤ 3× the floor.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '../../src/engine/index.ts';
import type { BrowserName, Header, ObservedRequest } from '../../src/engine/types.ts';
import { importHar } from '../../src/har/import.ts';
import { Reporter, alternate, main, median, ratioOfRounds } from './lib.ts';

// BENCH_ROOT: set by profile-top.ts, which runs a bundled copy of this file from a temp dir.
const ROOT = join(process.env.BENCH_ROOT ?? join(import.meta.dirname, '../..'), 'test/oracle/recordings');

function corpus(): { browser: BrowserName; req: ObservedRequest }[] {
  const out: { browser: BrowserName; req: ObservedRequest }[] = [];
  for (const browser of ['chromium', 'firefox'] as const) {
    let files: string[] = [];
    try {
      files = readdirSync(join(ROOT, browser))
        .filter((f) => f.endsWith('.har'))
        .sort();
    } catch {
      continue;
    }
    for (const f of files) {
      const r = importHar(readFileSync(join(ROOT, browser, f), 'utf8'));
      for (const req of r.requests) out.push({ browser, req });
    }
  }
  return out;
}

/** The floor: what any diagnosis must at least do, read every header of every exchange into a lookup. */
function normalise(list: Header[] | null): Map<string, string[]> {
  const m = new Map<string, string[]>();
  if (!list) return m;
  for (const h of list) {
    const k = h.name.toLowerCase();
    const v = m.get(k);
    if (v) v.push(h.value);
    else m.set(k, [h.value]);
  }
  return m;
}

main(async () => {
  const rep = new Reporter('engine');
  const items = corpus();
  if (items.length === 0) throw new Error(`no requests imported from ${ROOT}`);
  const exchanges = items.reduce((n, i) => n + i.req.exchanges.length, 0);
  rep.note(`corpus: ${items.length} requests (${exchanges} exchanges) from test/oracle/recordings`);

  // Enough repetitions that one timed pass lasts ~0.3 s for the engine.
  let sink = 0;
  const passEngine = (reps: number) => {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++)
      for (const { browser, req } of items) sink += evaluate(req, { browser }).trace.length;
    return performance.now() - t0;
  };
  const passFloor = (reps: number) => {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) {
      for (const { req } of items) {
        for (const x of req.exchanges) {
          sink += normalise(x.requestHeaders).size;
          sink += normalise(x.response?.headers ?? null).size;
        }
      }
    }
    return performance.now() - t0;
  };
  passEngine(3);
  passFloor(3); // JIT warm-up
  const once = passEngine(1);
  const reps = Math.max(5, Math.ceil(300 / Math.max(once, 0.01)));
  // The floor is much faster: give it more repetitions so its timer resolution is not the limit, then scale.
  const floorOnce = passFloor(1);
  const floorReps = Math.max(reps, Math.ceil(300 / Math.max(floorOnce, 0.01)));
  const samples = await alternate(
    {
      engine: async () => passEngine(reps) / (reps * items.length),
      floor: async () => passFloor(floorReps) / (floorReps * items.length),
    },
    9,
    1,
  );
  const perReqEngine = median(samples.engine); // ms per request
  const perReqFloor = median(samples.floor);
  rep.raw.samplesMsPerRequest = samples;
  rep.raw.reps = { engine: reps, floor: floorReps, requests: items.length, sink };
  rep.fig({
    key: 'engine.verdicts_per_s',
    label: 'engine verdicts/s (1 thread)',
    value: 1000 / perReqEngine,
    unit: '/s',
  });
  rep.fig({
    key: 'engine.floor_per_s',
    label: 'header normalisation floor requests/s',
    value: 1000 / perReqFloor,
    unit: '/s',
  });
  const ratio = ratioOfRounds(samples.engine, samples.floor);
  rep.fig({
    key: 'engine.vs_floor',
    label: 'engine time / normalise-only time',
    value: ratio,
    unit: '×',
    baseline: 'lowercase+Map per header list',
    goal: '≤ 3',
    pass: ratio <= 3,
  });
  rep.finish();
});
