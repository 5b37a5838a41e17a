// Bench "worker": (1) in real Chromium, the service worker's CPU time per captured request (CDP Profiler on the
// worker target during a 2,000-request page run), against the floor extension's worker (same listeners, doing
// nothing), its storage.session traffic, and its JS heap after a 10,000-request page run (CDP Runtime.getHeapUsage
// after a forced GC); (2) in Node, the pure CaptureService fed 100,000 synthetic requests: events/s and heap.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { startApiServer, startPageServer, type TestServer } from '../e2e/harness/servers.ts';
import {
  type Cdp,
  type CpuProfile,
  type Role,
  DIST_CHROME,
  STORAGE_COUNTER,
  digest,
  buildFloorExtension,
  cpuAccount,
  freePort,
  launchTracked,
  mix,
  poll,
  requireDist,
  runCallsInPage,
  PARALLEL,
  type Call,
  status,
  tabIdOf,
  workerCdp,
  type ChromiumSession,
} from './chromium-kit.ts';
import { Reporter, alternate, log, main, median, ratioOfRounds, sleep } from './lib.ts';

const N = 2000;

const BIG = Number(process.env.BENCH_WORKER_BIG ?? 6_000);

async function pageRun(
  s: ChromiumSession,
  page: TestServer,
  api: TestServer,
  n: number,
  tag: string,
  capture: boolean,
  closeTab: boolean,
): Promise<{ ms: number; tabId: number }> {
  const url = `${page.origin}/?run=${tag}`;
  const tab = await s.ctx.newPage();
  await tab.goto(url);
  let ms = 0;
  for (let i = 0; i < n; i += N) {
    const r = await tab.evaluate(runCallsInPage, [
      mix(page.origin, api.origin, Math.min(N, n - i), `${tag}-${i}`),
      PARALLEL,
    ] as [Call[], number]);
    ms += r.ms;
  }
  const tabId = capture ? await tabIdOf(s, url) : -1;
  if (capture) {
    await poll(
      async () => {
        const t = (await status(s)).tabs.find((y) => y.tabId === tabId);
        return t && t.entries + t.dropped + t.droppedForQuota >= n;
      },
      `${n} requests captured`,
      180_000,
    );
  }
  api.log.length = 0;
  page.log.length = 0;
  // The big run's tab stays open: closing it would free its log (tabs.onRemoved) before the heap is read.
  if (closeTab) await tab.close();
  return { ms, tabId };
}

async function profileRun(w: Cdp, fn: () => Promise<unknown>): Promise<CpuProfile> {
  await w.send('Profiler.enable');
  await w.send('Profiler.setSamplingInterval', { interval: 200 });
  await w.send('Profiler.start');
  await fn();
  const { profile } = await w.send<{ profile: CpuProfile }>('Profiler.stop');
  return profile;
}

async function heapMb(w: Cdp): Promise<number> {
  await w.send('HeapProfiler.enable');
  await w.send('HeapProfiler.collectGarbage');
  const h = await w.send<{ usedSize: number }>('Runtime.getHeapUsage');
  return h.usedSize / 1048576;
}

/** Kills a browser whose Playwright pipe may have died (after CDP work): its process group is ours. */
function killTree(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
}

main(async () => {
  requireDist();
  const rep = new Reporter('worker');
  const page = await startPageServer();
  const api = await startApiServer();
  const floorDir = buildFloorExtension();
  try {
    // --- (1) CPU per request by process (/proc), CORS Lens vs the floor extension, alternating rounds.
    const lens = await launchTracked({ extensionDir: DIST_CHROME });
    const floor = await launchTracked({ extensionDir: floorDir });
    const cpu: Record<'lens' | 'floor', Record<Role, number>[]> = { lens: [], floor: [] };
    try {
      let k = 0;
      const run = (v: 'lens' | 'floor') => async () => {
        const t = v === 'lens' ? lens : floor;
        const acc = cpuAccount(t.inTree);
        await pageRun(t.s, page, api, N, `${v}${k++}`, v === 'lens', true);
        const c = acc.stop();
        cpu[v].push(c);
        return c.extension / N;
      };
      const ext = await alternate(
        { lens: run('lens'), floor: run('floor') },
        Number(process.env.BENCH_WORKER_ROUNDS ?? 3),
        0,
        (x) => log(`worker: extension-process CPU ms/request: ${x}`),
      );
      const per = (v: 'lens' | 'floor', r: Role) => median(cpu[v].map((c) => c[r] / N));
      rep.raw.cpuByRoleMs = cpu;
      rep.fig({
        key: 'worker.cpu_ms_per_request',
        label: 'extension process CPU per captured request (worker + IPC; /proc)',
        value: median(ext.lens),
        unit: 'ms',
      });
      rep.fig({
        key: 'worker.floor_cpu_ms_per_request',
        label: 'floor extension process CPU per request (listeners doing nothing)',
        value: median(ext.floor),
        unit: 'ms',
      });
      rep.fig({
        key: 'worker.cpu_vs_floor',
        label: 'extension process CPU, CORS Lens / floor',
        value: ratioOfRounds(ext.lens, ext.floor),
        unit: '×',
        baseline: 'floor extension',
      });
      rep.fig({
        key: 'worker.browser_cpu_ms_per_request',
        label: 'browser process CPU per request with CORS Lens (event dispatch, storage.session)',
        value: per('lens', 'browser'),
        unit: 'ms',
      });
      rep.fig({
        key: 'worker.floor_browser_cpu_ms_per_request',
        label: 'browser process CPU per request with the floor extension',
        value: per('floor', 'browser'),
        unit: 'ms',
      });

      // storage.session traffic of one run, counted inside the worker (Playwright can evaluate in service workers).
      const sw = await lens.s.serviceWorker();
      log(`worker: instrumenting storage.session: ${String(await sw.evaluate(STORAGE_COUNTER))}`);
      await pageRun(lens.s, page, api, N, 'lens-io', true, true);
      const io = (await sw.evaluate('globalThis.__benchStorage')) as { sets: number; removes: number; bytes: number };
      rep.raw.storageForOneRun = io;
      rep.fig({
        key: 'worker.storage_sets_per_request',
        label: 'storage.session.set calls per request (one 2,000-request run)',
        value: io.sets / N,
        unit: 'calls',
      });
      rep.fig({
        key: 'worker.storage_kb_per_request',
        label: 'storage.session bytes written per request (JSON size)',
        value: io.bytes / N / 1024,
        unit: 'KiB',
      });
    } finally {
      await Promise.all([lens.s.close(), floor.s.close()]);
    }

    // --- (2) Real worker heap after a big run, and a CPU profile of one run for the top costs (CDP, last: the
    // debugging-port attach has been seen to break Playwright's pipe afterwards, so nothing is measured after it).
    const port = await freePort();
    const big = await launchTracked({
      extensionDir: DIST_CHROME,
      args: [`--remote-debugging-port=${port}`, '--remote-debugging-address=127.0.0.1'],
    });
    try {
      const w = await workerCdp(port, big.s.extensionId);
      // What one storage.session call costs, small vs large: why the worker batches by time (write-schedule.ts).
      for (const [label, keys, bytes] of [
        ['100 B', 1, 100],
        ['36 KB (12 keys of 3 KB)', 12, 3000],
      ] as const) {
        const calls = 1000;
        const acc = cpuAccount(big.inTree);
        await w.send('Runtime.evaluate', {
          awaitPromise: true,
          expression: `(async () => {
          const v = 'x'.repeat(${bytes}); const ps = []; let k = 0;
          for (let i = 0; i < ${calls}; i++) { const o = {}; for (let j = 0; j < ${keys}; j++) o['bench:' + (k++ % 300)] = v + i; ps.push(chrome.storage.session.set(o)); }
          await Promise.all(ps); await chrome.storage.session.remove(Array.from({ length: Math.min(k, 300) }, (_, i) => 'bench:' + i));
        })()`,
        });
        const c = acc.stop();
        rep.fig({
          key: `worker.storage_call_cpu_ms_${bytes * keys}`,
          label: `one storage.session.set call of ${label}: browser + extension process CPU`,
          value: (c.browser + c.extension) / calls,
          unit: `ms (browser ${(c.browser / calls).toFixed(3)})`,
        });
      }
      // One profile over the whole big run (the cap is reached halfway): the top costs, then the heap.
      const p = digest(await profileRun(w, () => pageRun(big.s, page, api, BIG, 'lens-big', true, false)));
      rep.raw.profile = { busyMs: p.busyMs, totalMs: p.totalMs, idleNodes: p.idleName };
      rep.raw.topSelfTimePercent = [...p.byName]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 20)
        .map(([k, v]) => [k, Number(((v / p.totalMs) * 100).toFixed(1))]);
      rep.fig({
        key: 'worker.profile_js_ms_per_request',
        label: `worker non-idle time per request over the ${BIG.toLocaleString('en')}-request run (CDP Profiler)`,
        value: p.busyMs / BIG,
        unit: 'ms',
      });
      const heap = await heapMb(w);
      const st = await status(big.s).catch(() => null);
      rep.raw.bigRunTabs = st?.tabs;
      rep.fig({
        key: 'worker.real_heap_mb',
        label: `real worker JS heap after a ${BIG.toLocaleString('en')}-request page run (GC'd; per-tab cap 5,000)`,
        value: heap,
        unit: 'MiB',
      });
      w.close();
    } finally {
      await Promise.race([big.s.close(), sleep(10_000)]);
      killTree(big.pid);
    }
  } finally {
    rmSync(floorDir, { recursive: true, force: true });
    await Promise.all([page.close(), api.close()]);
  }

  // --- (3) Node: the pure CaptureService, 100,000 requests.
  const r = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      'test/bench/worker-node.ts',
      String(Number(process.env.BENCH_WORKER_NODE ?? 100_000)),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24, timeout: 300_000 },
  );
  if (r.status !== 0) throw new Error(`worker-node failed: ${r.stderr.slice(-500)}`);
  const nodeRes = JSON.parse(r.stdout.trim().split('\n').pop()!);
  rep.raw.node = nodeRes;
  rep.fig({
    key: 'worker.node_events_per_s',
    label: `CaptureService in Node: events/s (${nodeRes.requests.toLocaleString('en')} requests)`,
    value: nodeRes.eventsPerSec,
    unit: '/s',
  });
  rep.fig({
    key: 'worker.node_cpu_ms_per_request',
    label: 'CaptureService in Node: CPU per request (incl. JSON of storage writes)',
    value: nodeRes.cpuMsPerRequest,
    unit: 'ms',
  });
  rep.fig({
    key: 'worker.node_heap_mb',
    label: `CaptureService in Node: retained heap after ${nodeRes.requests.toLocaleString('en')} requests`,
    value: nodeRes.heapDeltaBytes[nodeRes.requests] / 1048576,
    unit: 'MiB',
  });
  rep.fig({
    key: 'worker.node_storage_kb_per_request',
    label: 'CaptureService in Node: storage bytes written per request',
    value: nodeRes.storageBytesSerialised / nodeRes.requests / 1024,
    unit: 'KiB',
  });
  rep.finish();
});
