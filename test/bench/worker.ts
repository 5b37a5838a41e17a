// Bench "worker": (1) in real Chromium, the service worker's CPU time per captured request (CDP Profiler on the
// worker target during a 2,000-request page run), against the floor extension's worker (same listeners, doing
// nothing), its storage.session traffic, and its JS heap after a 10,000-request page run (CDP Runtime.getHeapUsage
// after a forced GC); (2) in Node, the pure CaptureService fed 100,000 synthetic requests: events/s and heap.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { CDPSession } from 'puppeteer-core';
import { startApiServer, startPageServer, type TestServer } from '../e2e/harness/servers.ts';
import { DIST_CHROME, buildFloorExtension, launchWithWorkerCdp, mix, poll, requireDist, runCallsInPage, status, tabIdOf, type ChromiumSession } from './chromium-kit.ts';
import { Reporter, log, main, median } from './lib.ts';

const N = 2000;
const BIG = Number(process.env.BENCH_WORKER_BIG ?? 10_000);

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** Busy time (ms) of a CPU profile: every sample but V8's idle ones, plus self time by function for the report. */
function digest(p: Profile): { busyMs: number; totalMs: number; byName: Map<string, number>; idleName: string[] } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const byName = new Map<string, number>();
  let busy = 0, total = 0;
  const idle = new Set<string>();
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000; // a sample's duration is the delta to the next one
    const n = byId.get(p.samples[i])!;
    const f = n.callFrame;
    total += dt;
    if (f.functionName === '(idle)') { idle.add(f.functionName); continue; }
    busy += dt;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^chrome-extension:\/\/[^/]+\//, '')}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    byName.set(key, (byName.get(key) ?? 0) + dt);
  }
  return { busyMs: busy, totalMs: total, byName, idleName: [...idle] };
}

async function pageRun(s: ChromiumSession, page: TestServer, api: TestServer, n: number, tag: string, capture: boolean): Promise<{ ms: number; tabId: number }> {
  const url = `${page.origin}/?run=${tag}`;
  const tab = await s.ctx.newPage();
  await tab.goto(url);
  let ms = 0;
  for (let i = 0; i < n; i += N) {
    const r = await tab.evaluate(runCallsInPage, mix(page.origin, api.origin, Math.min(N, n - i), `${tag}-${i}`));
    ms += r.ms;
  }
  const tabId = capture ? await tabIdOf(s, url) : -1;
  if (capture) {
    await poll(async () => {
      const t = (await status(s)).tabs.find((y) => y.tabId === tabId);
      return t && t.entries + t.dropped + t.droppedForQuota >= n;
    }, `${n} requests captured`, 180_000);
  }
  api.log.length = 0;
  page.log.length = 0;
  // The tab stays open: closing it would free its log (tabs.onRemoved) before the heap is read.
  return { ms, tabId };
}

/** Counts storage.session writes and their JSON size, wrapping the API the polyfill calls (it looks it up per call). */
const INSTRUMENT = `(() => {
  const area = chrome.storage.session;
  if (area.__bench) return 'already';
  const set = area.set.bind(area), remove = area.remove.bind(area);
  globalThis.__benchStorage = { sets: 0, removes: 0, bytes: 0 };
  area.set = (v, ...rest) => { const b = globalThis.__benchStorage; b.sets++; b.bytes += JSON.stringify(v).length; return set(v, ...rest); };
  area.remove = (k, ...rest) => { globalThis.__benchStorage.removes++; return remove(k, ...rest); };
  area.__bench = true;
  return 'ok';
})()`;

async function evalIn(w: CDPSession, expression: string): Promise<unknown> {
  const r = await w.send('Runtime.evaluate', { expression, returnByValue: true });
  if (r.exceptionDetails) throw new Error(`worker evaluate failed: ${JSON.stringify(r.exceptionDetails).slice(0, 300)}`);
  return r.result.value;
}

async function profileRun(w: CDPSession, fn: () => Promise<unknown>): Promise<Profile> {
  await w.send('Profiler.enable');
  await w.send('Profiler.setSamplingInterval', { interval: 200 });
  await w.send('Profiler.start');
  await fn();
  const { profile } = await w.send('Profiler.stop');
  return profile as unknown as Profile;
}

async function heapMb(w: CDPSession): Promise<number> {
  await w.send('HeapProfiler.enable');
  await w.send('HeapProfiler.collectGarbage');
  const h = await w.send('Runtime.getHeapUsage');
  return h.usedSize / 1048576;
}

main(async () => {
  requireDist();
  const rep = new Reporter('worker');
  const page = await startPageServer();
  const api = await startApiServer();

  // --- Real Chromium: CORS Lens's worker and the floor extension's worker, one after the other.
  const floorDir = buildFloorExtension();
  const cpu: Record<string, number[]> = { lens: [], floor: [] };
  let top: [string, number][] = [];
  try {
    for (const variant of ['lens', 'floor'] as const) {
      const { s, pup, worker } = await launchWithWorkerCdp(variant === 'lens' ? DIST_CHROME : floorDir);
      try {
        const lens = variant === 'lens';
        await pageRun(s, page, api, N, `${variant}-warm`, lens);
        const w = await worker();
        const heapBefore = await heapMb(w);
        for (let r = 0; r < 3; r++) {
          const p = digest(await profileRun(w, () => pageRun(s, page, api, N, `${variant}-p${r}`, lens)));
          cpu[variant].push(p.busyMs / N);
          if (lens && r === 0) {
            top = [...p.byName].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => [k, Number((v / p.busyMs * 100).toFixed(1))]);
            rep.raw.profileIdleNodes = p.idleName;
          }
          log(`worker: ${variant} profile ${r + 1}: busy ${p.busyMs.toFixed(0)} ms of ${p.totalMs.toFixed(0)} ms`);
        }
        if (lens) {
          log(`worker: instrumenting storage.session: ${String(await evalIn(w, INSTRUMENT))}`);
          await pageRun(s, page, api, N, 'lens-io', true);
          const io = await evalIn(w, 'globalThis.__benchStorage') as { sets: number; removes: number; bytes: number };
          rep.raw.storageForOneRun = io;
          rep.fig({ key: 'worker.storage_sets_per_request', label: 'storage.session.set calls per request (2,000-request run)', value: io.sets / N, unit: 'calls' });
          rep.fig({ key: 'worker.storage_kb_per_request', label: 'storage.session bytes written per request (JSON)', value: io.bytes / N / 1024, unit: 'KiB' });
          await pageRun(s, page, api, BIG, 'lens-big', true);
          const heapAfter = await heapMb(w);
          const st = await status(s);
          rep.raw.realHeapMb = { beforeAfterWarmup: heapBefore, afterBig: heapAfter, tabs: st.tabs };
          rep.fig({ key: 'worker.real_heap_mb', label: `real worker JS heap after ~${(BIG + 6 * N).toLocaleString('en')} requests (GC'd)`, value: heapAfter, unit: 'MiB' });
        } else {
          rep.raw.floorHeapMb = heapBefore;
        }
      } finally {
        pup.disconnect();
        await s.close();
      }
    }
  } finally {
    rmSync(floorDir, { recursive: true, force: true });
    await Promise.all([page.close(), api.close()]);
  }
  rep.raw.cpuMsPerRequest = cpu;
  rep.raw.topSelfTimePercent = top;
  rep.fig({ key: 'worker.cpu_ms_per_request', label: 'worker CPU per captured request (CDP profile, non-idle samples)', value: median(cpu.lens), unit: 'ms' });
  rep.fig({ key: 'worker.floor_cpu_ms_per_request', label: 'floor worker CPU per request (listeners doing nothing)', value: median(cpu.floor), unit: 'ms' });
  rep.fig({ key: 'worker.cpu_vs_floor', label: 'worker CPU per request, CORS Lens / floor', value: median(cpu.lens) / median(cpu.floor), unit: '×', baseline: 'floor worker' });

  // --- Node: the pure CaptureService, 100,000 requests.
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/bench/worker-node.ts', String(Number(process.env.BENCH_WORKER_NODE ?? 100_000))], { encoding: 'utf8', maxBuffer: 1 << 24, timeout: 300_000 });
  if (r.status !== 0) throw new Error(`worker-node failed: ${r.stderr.slice(-500)}`);
  const nodeRes = JSON.parse(r.stdout.trim().split('\n').pop()!);
  rep.raw.node = nodeRes;
  rep.fig({ key: 'worker.node_events_per_s', label: `CaptureService in Node: events/s (${nodeRes.requests.toLocaleString('en')} requests)`, value: nodeRes.eventsPerSec, unit: '/s' });
  rep.fig({ key: 'worker.node_cpu_ms_per_request', label: 'CaptureService in Node: CPU per request (incl. JSON of storage writes)', value: nodeRes.cpuMsPerRequest, unit: 'ms' });
  rep.fig({ key: 'worker.node_heap_mb', label: `CaptureService in Node: retained heap after ${nodeRes.requests.toLocaleString('en')} requests`, value: nodeRes.heapDeltaBytes[nodeRes.requests] / 1048576, unit: 'MiB' });
  rep.fig({ key: 'worker.node_storage_kb_per_request', label: 'CaptureService in Node: storage bytes written per request', value: nodeRes.storageBytesSerialised / nodeRes.requests / 1024, unit: 'KiB' });
  rep.finish();
});
