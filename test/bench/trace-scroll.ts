// Why a scroll frame of the real panel was long: fills a tab (N requests, default 5,200), opens the panel, optionally types
// the panel bench's 10 filter keystrokes first (FILTER=1), then scrolls 240 frames REPS times under a Chromium trace and
// prints, for each frame over 25 ms, what ran on the panel's main thread, and the main thread's GC events. PROFILE=1
// takes a CPU profile of the scroll instead (EXT=<unpacked dir> for an unminified build). A tool, not a benchmark:
// `npx tsx test/bench/trace-scroll.ts`.
import { startApiServer, startPageServer } from '../e2e/harness/servers.ts';
import { DIST_CHROME, launchChromium, mix, poll, runCallsInPage, PARALLEL, type Call, status, tabIdOf } from './chromium-kit.ts';

const REAL_N = Number(process.env.N ?? 5200);
const REPS = Number(process.env.REPS ?? 6);
const page = await startPageServer();
const api = await startApiServer();
const s = await launchChromium({ extensionDir: process.env.EXT ?? DIST_CHROME });
const url = `${page.origin}/?panel`;
const tab = await s.ctx.newPage();
await tab.goto(url);
for (let i = 0; i < REAL_N; i += 2000) await tab.evaluate(runCallsInPage, [mix(page.origin, api.origin, Math.min(2000, REAL_N - i), `p${i}`), PARALLEL] as [Call[], number]);
const tabId = await tabIdOf(s, url);
await poll(async () => { const x = (await status(s)).tabs.find((y) => y.tabId === tabId); return x && x.entries + x.dropped + x.droppedForQuota >= REAL_N; }, 'captured', 180_000);
const p = await s.ctx.newPage();
await p.goto(`chrome-extension://${s.extensionId}/extension/panel/index.html?tabId=${tabId}`);
await poll(() => p.evaluate(() => document.querySelectorAll('[role=option]').length > 0), 'rows');
await new Promise((r) => setTimeout(r, 1500));
if (process.env.FILTER) {
  // As the panel bench does before it scrolls: 10 filter keystrokes (z, Backspace, …).
  await p.focus('input[type=search]');
  for (let i = 0; i < 10; i++) { await p.keyboard.press(i % 2 === 0 ? 'z' : 'Backspace'); await new Promise((r) => setTimeout(r, 150)); }
  await p.evaluate('new Promise((r) => { const d = []; let last = -1; const f = (t) => { if (last >= 0) d.push(t - last); last = t; if (d.length < 60) requestAnimationFrame(f); else r(d); }; requestAnimationFrame(f); })');
}
const cdp = await s.ctx.newCDPSession(p);
if (process.env.PROFILE) {
  await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 100 }); await cdp.send('Profiler.start');
  const deltas = await p.evaluate(`new Promise((res) => {
    const list = document.querySelector('[role=listbox]'); const deltas = []; let last = -1, k = 0;
    const step = (t) => { if (last >= 0) deltas.push(t - last); last = t; list.scrollTop += 220;
      if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) list.scrollTop = 0;
      if (++k <= 240 * ${REPS}) requestAnimationFrame(step); else res(deltas); };
    requestAnimationFrame(step); })`) as number[];
  const { profile: pr } = await cdp.send('Profiler.stop') as any;
  const byId = new Map(pr.nodes.map((n: any) => [n.id, n]));
  const self = new Map<string, number>(); let busy = 0, total = 0;
  for (let i = 0; i < pr.samples.length; i++) {
    const n: any = byId.get(pr.samples[i]); const dt = (pr.timeDeltas[i + 1] ?? 0) / 1000; total += dt;
    if (n.callFrame.functionName === '(idle)') continue; busy += dt;
    const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\//, '')}:${n.callFrame.lineNumber + 1}`;
    self.set(k, (self.get(k) ?? 0) + dt);
  }
  console.log(`frames ${deltas.length}, long ${deltas.filter((d) => d > 25).length}; JS busy ${busy.toFixed(0)} of ${total.toFixed(0)} ms → ${(busy / deltas.length).toFixed(2)} ms/frame`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${(v / busy * 100).toFixed(1).padStart(5)}% ${v.toFixed(0).padStart(5)} ms ${k}`);
  await s.close(); await page.close(); await api.close(); process.exit(0);
}
const events: any[] = [];
cdp.on('Tracing.dataCollected', (e: any) => events.push(...e.value));
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'v8', 'blink.user_timing', 'toplevel'], recordMode: 'recordAsMuchAsPossible' }, transferMode: 'ReportEvents' });
const all: number[][] = [];
for (let r = 0; r < REPS; r++) {
  all.push(await p.evaluate(`new Promise((res) => {
    const list = document.querySelector('[role=listbox]');
    const deltas = []; let last = -1, k = 0;
    const step = (t) => {
      if (last >= 0) { deltas.push(t - last); if (t - last > 25) performance.mark('long-frame ' + (t - last).toFixed(1)); }
      last = t;
      list.scrollTop += 220;
      if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) list.scrollTop = 0;
      if (++k <= 240) requestAnimationFrame(step); else res(deltas);
    };
    requestAnimationFrame(step);
  })`) as number[]);
}
await cdp.send('Tracing.end');
await done;
console.log('long frames per rep:', all.map((d) => d.filter((x) => x > 25).map((x) => x.toFixed(0)).join(',') || '-').join(' | '));
const marks = events.filter((e) => String(e.name).startsWith('long-frame'));
for (const m of marks) {
  const dur = parseFloat(m.name.split(' ')[1]) * 1000;
  const from = m.ts - dur, to = m.ts;
  const on = events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === 'X' && e.ts + (e.dur ?? 0) >= from && e.ts <= to && (e.dur ?? 0) > 1500);
  const names = on.filter((e) => /GC|Layout|Paint|FunctionCall|EventDispatch|FireAnimationFrame|ParseHTML|UpdateLayoutTree|Commit|RunTask/.test(e.name));
  console.log(`${m.name}: ` + names.map((e) => `${e.name}${e.args?.data?.functionName ? '(' + e.args.data.functionName + ')' : ''} ${(e.dur / 1000).toFixed(1)}`).join(', '));
}
const gcs = events.filter((e) => e.ph === 'X' && /^(MajorGC|MinorGC|V8.GCFinalizeMC|V8.GCScavenger|V8.GC_MARK_COMPACTOR)$/.test(e.name) && marks[0] && e.pid === marks[0].pid && e.tid === marks[0].tid);
console.log(`main-thread GC events: ${gcs.length}; over 5 ms: ${gcs.filter((e) => e.dur > 5000).map((e) => `${e.name} ${(e.dur / 1000).toFixed(1)}`).join(', ')}`);
await s.close();
await page.close(); await api.close();
process.exit(0);
