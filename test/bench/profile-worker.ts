// Where the real extension worker spends its time during a page run: CPU per process (/proc), the worker's own
// storage.session calls, a CDP CPU profile (top self-time lines) and, with ALLOC=1, a sampled allocation profile.
// A tool for "profile first", not a benchmark. `npx tsx test/bench/profile-worker.ts` (EXT=<unpacked dir> profiles
// another build, e.g. one built with `minify: false` for readable names; EXT=floor the do-nothing extension).
import { startApiServer, startPageServer } from '../e2e/harness/servers.ts';
import {
  buildFloorExtension,
  DIST_CHROME,
  STORAGE_COUNTER,
  digest,
  allocDigest,
  topLines as top,
  type CpuProfile,
  freePort,
  launchTracked,
  mix,
  runCallsInPage,
  PARALLEL,
  type Call,
  workerCdp,
  cpuAccount,
} from './chromium-kit.ts';

const N = 2000;
const floor = process.env.EXT === 'floor';

const page = await startPageServer();
const api = await startApiServer();
const port = await freePort();
const t = await launchTracked({
  extensionDir: floor ? buildFloorExtension() : (process.env.EXT ?? DIST_CHROME),
  args: [`--remote-debugging-port=${port}`, '--remote-debugging-address=127.0.0.1'],
});
const w = await workerCdp(port, t.s.extensionId);

async function run(tag: string, profile: boolean): Promise<void> {
  const tab = await t.s.ctx.newPage();
  await tab.goto(`${page.origin}/?run=${tag}`);
  if (profile && process.env.ALLOC) {
    await w.send('HeapProfiler.enable');
    await w.send('HeapProfiler.startSampling', {
      samplingInterval: 8192,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  if (profile) {
    await w.send('Profiler.enable');
    await w.send('Profiler.setSamplingInterval', { interval: 100 });
    await w.send('Profiler.start');
  }
  const acc = cpuAccount(t.inTree);
  const r = await tab.evaluate(runCallsInPage, [mix(page.origin, api.origin, N, tag), PARALLEL] as [Call[], number]);
  const c = acc.stop();
  console.log(
    `${tag}: ${r.ms.toFixed(0)} ms; CPU ms/request: extension ${(c.extension / N).toFixed(3)}, browser ${(c.browser / N).toFixed(3)}, renderer ${(c.renderer / N).toFixed(3)}, network ${(c.network / N).toFixed(3)}`,
  );
  if (!floor && tag !== 'warm-up') {
    const x = await w.send<{ result: { value: string } }>('Runtime.evaluate', {
      expression: 'JSON.stringify(globalThis.__benchStorage)',
      returnByValue: true,
    });
    const b = JSON.parse(x.result.value) as { sets: number; removes: number; bytes: number; flightBytes?: number };
    await w.send('Runtime.evaluate', { expression: 'globalThis.__benchStorage = { sets: 0, removes: 0, bytes: 0 }' });
    console.log(
      `storage.session: ${(b.sets / N).toFixed(3)} sets, ${(b.removes / N).toFixed(3)} removes, ${(b.bytes / 1024 / N).toFixed(2)} KiB per request (in-flight state ${((b.flightBytes ?? 0) / 1024 / N).toFixed(2)} KiB)`,
    );
  }
  if (profile) {
    const { profile: p } = await w.send<{ profile: CpuProfile }>('Profiler.stop');
    const { busyMs: busy, byName: self } = digest(p);
    console.log(
      `\nworker busy ${busy.toFixed(0)} ms → ${(busy / N).toFixed(3)} ms/request (profiler and counting included); self time:\n${top(self, busy, (v) => `${v.toFixed(0)} ms`)}`,
    );
  }
  if (profile && process.env.ALLOC) {
    const { profile: hp } = await w.send<{ profile: { head: Parameters<typeof allocDigest>[0] } }>(
      'HeapProfiler.stopSampling',
    );
    const { total, by } = allocDigest(hp.head);
    console.log(
      `\nallocated (sampled) ${(total / 1048576).toFixed(1)} MiB → ${(total / N / 1024).toFixed(1)} KiB/request (the counting wrapper's JSON.stringify included):\n${top(by, total, (v) => `${(v / 1048576).toFixed(1)} MiB`)}`,
    );
  }
  await tab.close();
}

try {
  await run('warm-up', false);
  if (!floor) await w.send('Runtime.evaluate', { expression: STORAGE_COUNTER });
  await run('measured', false);
  await run('profiled', true);
} finally {
  w.close();
  await t.s.close().catch(() => {});
  await Promise.all([page.close(), api.close()]);
}
