// Why a scroll frame of the real panel was long: fills a tab (N requests, default 5,200), opens the panel, optionally
// types the panel bench's 10 filter keystrokes first (FILTER=1), then scrolls 240 frames REPS times under a Chromium
// trace and prints, for each frame over 25 ms, what ran on the panel's main thread; the main thread's time per frame by
// phase and its GC events; then the DOM nodes the list adds per frame (EXT=<unpacked dir> traces another build).
// ALLOC=1 then scrolls REPS × 240 frames more under a sampled allocation profile and prints what allocated the garbage.
// GC_ARGS=1 adds V8's GC categories and prints each major GC's reason and heap sizes; ALL_EVENTS=1 lists every event
// over 1.5 ms in a long frame, not only the usual suspects. A tool, not a benchmark: `npx tsx test/bench/trace-scroll.ts`.
import { startApiServer, startPageServer } from '../e2e/harness/servers.ts';
import {
  DIST_CHROME,
  allocDigest,
  topLines,
  launchChromium,
  scrollFramesScript,
  mix,
  poll,
  runCallsInPage,
  PARALLEL,
  type Call,
  status,
  tabIdOf,
} from './chromium-kit.ts';

const REAL_N = Number(process.env.N ?? 5200);
const REPS = Number(process.env.REPS ?? 6);
const page = await startPageServer();
const api = await startApiServer();
const s = await launchChromium({ extensionDir: process.env.EXT ?? DIST_CHROME });
const url = `${page.origin}/?panel`;
const tab = await s.ctx.newPage();
await tab.goto(url);
for (let i = 0; i < REAL_N; i += 2000)
  await tab.evaluate(runCallsInPage, [mix(page.origin, api.origin, Math.min(2000, REAL_N - i), `p${i}`), PARALLEL] as [
    Call[],
    number,
  ]);
const tabId = await tabIdOf(s, url);
await poll(
  async () => {
    const x = (await status(s)).tabs.find((y) => y.tabId === tabId);
    return x && x.entries + x.dropped + x.droppedForQuota >= REAL_N;
  },
  'captured',
  180_000,
);
const p = await s.ctx.newPage();
await p.goto(`chrome-extension://${s.extensionId}/extension/panel/index.html?tabId=${tabId}`);
await poll(() => p.evaluate(() => document.querySelectorAll('[role=option]').length > 0), 'rows');
await new Promise((r) => setTimeout(r, 1500));
if (process.env.FILTER) {
  // As the panel bench does before it scrolls: 10 filter keystrokes (z, Backspace, …).
  await p.focus('input[type=search]');
  for (let i = 0; i < 10; i++) {
    await p.keyboard.press(i % 2 === 0 ? 'z' : 'Backspace');
    await new Promise((r) => setTimeout(r, 150));
  }
  await p.evaluate(
    'new Promise((r) => { const d = []; let last = -1; const f = (t) => { if (last >= 0) d.push(t - last); last = t; if (d.length < 60) requestAnimationFrame(f); else r(d); }; requestAnimationFrame(f); })',
  );
}
const cdp = await s.ctx.newCDPSession(p);
const events: any[] = [];
cdp.on('Tracing.dataCollected', (e: any) => events.push(...e.value));
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.start', {
  traceConfig: {
    includedCategories: [
      'devtools.timeline',
      'v8',
      'blink.user_timing',
      'toplevel',
      ...(process.env.GC_ARGS ? ['disabled-by-default-v8.gc'] : []),
    ],
    recordMode: 'recordAsMuchAsPossible',
  },
  transferMode: 'ReportEvents',
});
const all: number[][] = [];
for (let r = 0; r < REPS; r++) {
  // Names the panel's main thread in the trace, long frames or not.
  await p.evaluate("performance.mark('scroll-start')");
  all.push((await p.evaluate(scrollFramesScript(240, 25))) as number[]);
}
await cdp.send('Tracing.end');
await done;
console.log(
  'long frames per rep:',
  all
    .map(
      (d) =>
        d
          .filter((x) => x > 25)
          .map((x) => x.toFixed(0))
          .join(',') || '-',
    )
    .join(' | '),
);
const marks = events.filter((e) => String(e.name).startsWith('long-frame'));
for (const m of marks) {
  const dur = parseFloat(m.name.split(' ')[1]) * 1000;
  const from = m.ts - dur,
    to = m.ts;
  const on = events.filter(
    (e) =>
      e.pid === m.pid &&
      e.tid === m.tid &&
      e.ph === 'X' &&
      e.ts + (e.dur ?? 0) >= from &&
      e.ts <= to &&
      (e.dur ?? 0) > 1500,
  );
  const names = process.env.ALL_EVENTS
    ? on
    : on.filter((e) =>
        /GC|Layout|Paint|FunctionCall|EventDispatch|FireAnimationFrame|ParseHTML|UpdateLayoutTree|Commit|RunTask/.test(
          e.name,
        ),
      );
  console.log(
    `${m.name}: ` +
      names
        .map(
          (e) =>
            `${e.name}${e.args?.data?.functionName ? '(' + e.args.data.functionName + ')' : ''} ${(e.dur / 1000).toFixed(1)}`,
        )
        .join(', '),
  );
}
const main = events.find((e) => e.name === 'scroll-start');
if (!main) throw new Error('no scroll-start mark in the trace');
// Main-thread time per frame, by phase, from the first scroll-start mark to the trace's end (top-level tasks for the
// total).
const onMain = events.filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.ts >= main.ts);
const per = (re: RegExp) =>
  (onMain.filter((e) => re.test(e.name)).reduce((a, e) => a + (e.dur ?? 0), 0) / 1000 / (REPS * 240)).toFixed(2);
console.log(
  `main thread busy while scrolling: ${per(/^ThreadControllerImpl::RunTask$/)} ms per frame (scroll event ${per(/^EventDispatch$/)}, rAF ${per(/^FireAnimationFrame$/)}, style ${per(/^UpdateLayoutTree$/)}, layout ${per(/^Layout$/)}, pre-paint ${per(/^PrePaint$/)}, paint ${per(/^Paint$/)}, layerize ${per(/^Layerize$/)}, commit ${per(/^Commit$/)}, GC ${per(/^(MajorGC|MinorGC|V8.GCIncrementalMarking)$/)})`,
);
const gcs = events.filter(
  (e) => e.ph === 'X' && /^(MajorGC|MinorGC)$/.test(e.name) && e.pid === main.pid && e.tid === main.tid,
);
console.log(
  `main-thread GC pauses: ${gcs.length} (major ${gcs.filter((e) => e.name === 'MajorGC').length}); over 5 ms: ${
    gcs
      .filter((e) => e.dur > 5000)
      .map((e) => `${e.name} ${(e.dur / 1000).toFixed(1)}`)
      .join(', ') || 'none'
  }`,
);
// DOM churn, in a separate pass (an observer costs time of its own): nodes the list adds and removes per frame.
await p.evaluate(
  `(() => { const m = window.__churn = { added: 0, removed: 0 }; new MutationObserver((rs) => { for (const r of rs) { m.added += r.addedNodes.length; m.removed += r.removedNodes.length; } }).observe(document.querySelector('[role=listbox]'), { subtree: true, childList: true }); })()`,
);
await p.evaluate(scrollFramesScript(240));
const churn = (await p.evaluate('window.__churn')) as { added: number; removed: number };
console.log(
  `DOM nodes added / removed in the list per scroll frame: ${(churn.added / 240).toFixed(1)} / ${(churn.removed / 240).toFixed(1)}`,
);
if (process.env.ALLOC) {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  for (let r = 0; r < REPS; r++) await p.evaluate(scrollFramesScript(240));
  const { profile: hp } = await cdp.send('HeapProfiler.stopSampling');
  const { total, by } = allocDigest(hp.head);
  console.log(
    `\nallocated while scrolling (sampled): ${(total / 1048576).toFixed(1)} MiB → ${(total / REPS / 240 / 1024).toFixed(1)} KiB per frame:\n${topLines(by, total, (v) => `${(v / 1024).toFixed(0)} KiB`)}`,
  );
}
if (process.env.GC_ARGS) for (const e of gcs.filter((x) => x.name === 'MajorGC')) console.log(JSON.stringify(e.args));
await s.close();
await page.close();
await api.close();
process.exit(0);
