// Bench "page": headless Chromium loads a page making 2,000 cross-origin requests (simple, preflighted, blocked,
// credentialed; test/bench/chromium-kit.ts `mix`) against a local API. Wall time to all-settled with CORS Lens
// (dist/chrome, or EXT=<unpacked dir> for another build) vs no extension and vs the floor extension (same webRequest
// listeners, doing nothing), in alternating rounds; checks that the worker captured every request with the right
// blocked count. A fourth browser runs CORS Lens with the site unwatched (Chrome's site access "On click", set as a
// user does through chrome://extensions: test/e2e/harness/site-access.ts): what a tab costs where nobody debugs. A
// fifth runs it with the watch scope "Tabs I inspect" on a tab nobody opened it in (src/capture/tab-watch.ts).
import { startApiServer, startPageServer } from '../e2e/harness/servers.ts';
import {
  DIST_CHROME,
  buildFloorExtension,
  cpuAccount,
  launchTracked,
  mix,
  type Role,
  poll,
  requireDist,
  runCallsInPage,
  PARALLEL,
  status,
  tabIdOf,
  type ChromiumSession,
} from './chromium-kit.ts';
import { Reporter, alternate, log, main, median, ratioOfRounds } from './lib.ts';
import { rmSync } from 'node:fs';
import { setHostAccess } from '../e2e/harness/site-access.ts';

const N = Number(process.env.BENCH_PAGE_REQUESTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

/** Chrome's site access for the extension set to "On click": its host permissions withheld on every site. */
async function withholdAllSites(s: ChromiumSession): Promise<void> {
  const p = await s.ctx.newPage();
  await p.goto('chrome://extensions/');
  await setHostAccess(p, s.extensionId, 'ON_CLICK');
  await p.close();
}

main(async () => {
  requireDist();
  const rep = new Reporter('page');
  const page = await startPageServer();
  const api = await startApiServer();
  const floorDir = buildFloorExtension();
  const tracked = {
    lens: await launchTracked({ extensionDir: process.env.EXT ?? DIST_CHROME }),
    floor: await launchTracked({ extensionDir: floorDir }),
    noext: await launchTracked({ extensionDir: null }),
    unwatched: await launchTracked({ extensionDir: process.env.EXT ?? DIST_CHROME }),
    unopened: await launchTracked({ extensionDir: process.env.EXT ?? DIST_CHROME }),
  };
  await withholdAllSites(tracked.unwatched.s);
  await tracked.unopened.s.ask('setWatchScope', { openedTabsOnly: true });
  await (await tracked.unopened.s.extensionPage()).close();
  const sessions: Record<'lens' | 'floor' | 'noext' | 'unwatched' | 'unopened', ChromiumSession> = {
    lens: tracked.lens.s,
    floor: tracked.floor.s,
    noext: tracked.noext.s,
    unwatched: tracked.unwatched.s,
    unopened: tracked.unopened.s,
  };
  const cpu: Record<string, Record<Role, number>[]> = { lens: [], floor: [], noext: [], unwatched: [], unopened: [] };
  const capture: { lagMs: number; events: number; entries: number; blocked: number; expectedBlocked: number }[] = [];
  const problems: string[] = [];
  let lastEvents = (await status(sessions.lens)).events;
  let k = 0;
  const run = (variant: keyof typeof sessions) => async () => {
    const s = sessions[variant];
    const tag = `${variant}${k++}`;
    const url = `${page.origin}/?run=${tag}`;
    const tab = await s.ctx.newPage();
    await tab.goto(url);
    const calls = mix(page.origin, api.origin, N, tag);
    const acc = cpuAccount(tracked[variant].inTree);
    const res = await tab.evaluate(runCallsInPage, [calls, PARALLEL] as [typeof calls, number]);
    cpu[variant].push(acc.stop());
    const settled = Date.now();
    const expectedBlocked = calls.filter((c) => c.blocked).length;
    if (res.failed !== expectedBlocked)
      problems.push(
        `${tag}: ${res.failed} requests failed in the page, expected ${expectedBlocked}; ${res.errors.join(' | ')}`,
      );
    if (variant === 'lens') {
      const tabId = await tabIdOf(s, url);
      const st = await poll(
        async () => {
          const x = await status(s);
          const t = x.tabs.find((y) => y.tabId === tabId);
          return t && t.entries + t.dropped + t.droppedForQuota >= N ? { x, t } : null;
        },
        `all ${N} requests captured`,
        60_000,
      ).catch(async (e) => {
        const x = await status(s);
        problems.push(`${tag}: ${String(e)}: ${JSON.stringify(x.tabs.find((y) => y.tabId === tabId))}`);
        return null;
      });
      if (st) {
        capture.push({
          lagMs: Date.now() - settled,
          events: st.x.events - lastEvents,
          entries: st.t.entries,
          blocked: st.t.blocked,
          expectedBlocked,
        });
        lastEvents = st.x.events;
        if (st.t.entries !== N || st.t.blocked !== expectedBlocked)
          problems.push(
            `${tag}: captured ${st.t.entries} (blocked ${st.t.blocked}), expected ${N} (blocked ${expectedBlocked})`,
          );
        if (st.x.errors.length) problems.push(`${tag}: worker errors: ${st.x.errors.slice(0, 3).join(' | ')}`);
      }
    }
    await tab.close();
    api.log.length = 0;
    page.log.length = 0;
    return res.ms;
  };
  try {
    const t = await alternate(
      {
        lens: run('lens'),
        floor: run('floor'),
        noext: run('noext'),
        unwatched: run('unwatched'),
        unopened: run('unopened'),
      },
      ROUNDS,
      1,
      (s) => log(`page: ${s}`),
    );
    // Unwatched means unseen: the worker must have captured nothing there.
    const seen = (await status(sessions.unwatched)).tabs.filter((x) => x.entries > 0);
    if (seen.length)
      problems.push(`unwatched: the worker captured requests in ${seen.length} tabs though the site was not watched`);
    // A tab nobody opened CORS Lens in: the worker got the events and kept none.
    const un2 = await status(sessions.unopened);
    const keptUnopened = un2.tabs.filter((x) => x.entries > 0).length;
    if (keptUnopened || !un2.eventsOutsideWatch)
      problems.push(
        `not inspected: the worker kept requests in ${keptUnopened} tabs and dropped ${un2.eventsOutsideWatch ?? 0} events`,
      );
    rep.raw.wallMs = t;
    rep.raw.capture = capture;
    rep.fig({
      key: 'page.noext_ms',
      label: `${N} requests all-settled, no extension`,
      value: median(t.noext),
      unit: 'ms',
    });
    rep.fig({
      key: 'page.floor_ms',
      label: `${N} requests all-settled, floor extension`,
      value: median(t.floor),
      unit: 'ms',
    });
    rep.fig({ key: 'page.lens_ms', label: `${N} requests all-settled, CORS Lens`, value: median(t.lens), unit: 'ms' });
    rep.fig({
      key: 'page.unwatched_ms',
      label: `${N} requests all-settled, CORS Lens with the site unwatched`,
      value: median(t.unwatched),
      unit: 'ms',
    });
    const un = ratioOfRounds(t.unwatched, t.noext);
    rep.fig({
      key: 'page.unwatched_vs_noext',
      label: 'CORS Lens, site unwatched / no extension',
      value: un,
      unit: '×',
      baseline: 'no extension',
      goal: '≤ 1.03',
      pass: un <= 1.03,
    });
    rep.fig({
      key: 'page.unwatched_captured_nothing',
      label: 'site unwatched: nothing reached the worker',
      value: seen.length === 0 ? 1 : 0,
      unit: 'bool',
      goal: '= 1',
      pass: seen.length === 0,
    });
    rep.fig({
      key: 'page.unopened_vs_noext',
      label: 'CORS Lens, tab not inspected under "Tabs I inspect" / no extension',
      value: ratioOfRounds(t.unopened, t.noext),
      unit: '×',
      baseline: 'no extension',
    });
    const uf = ratioOfRounds(t.unopened, t.floor);
    rep.fig({
      key: 'page.unopened_vs_floor',
      label: 'the same / floor extension (the events still reach the worker, which drops them)',
      value: uf,
      unit: '×',
      baseline: 'same listeners doing nothing',
    });
    rep.fig({
      key: 'page.unopened_kept_nothing',
      label: 'tab not inspected: the worker kept nothing and dropped its events',
      value: keptUnopened === 0 && !!un2.eventsOutsideWatch ? 1 : 0,
      unit: 'bool',
      goal: '= 1',
      pass: keptUnopened === 0 && !!un2.eventsOutsideWatch,
    });
    rep.fig({
      key: 'page.lens_vs_noext',
      label: 'CORS Lens / no extension',
      value: ratioOfRounds(t.lens, t.noext),
      unit: '×',
      baseline: 'no extension',
    });
    rep.fig({
      key: 'page.floor_vs_noext',
      label: 'floor extension / no extension',
      value: ratioOfRounds(t.floor, t.noext),
      unit: '×',
      baseline: 'no extension',
    });
    const lf = ratioOfRounds(t.lens, t.floor);
    rep.fig({
      key: 'page.lens_vs_floor',
      label: 'CORS Lens / floor extension',
      value: lf,
      unit: '×',
      baseline: 'same listeners doing nothing',
      goal: '≤ 1.05',
      pass: lf <= 1.05,
    });
    // Warm-up round included in `capture` (it is captured too): use all rounds for these counts.
    const allCaptured =
      capture.length === ROUNDS + 1 && capture.every((c) => c.entries === N && c.blocked === c.expectedBlocked);
    rep.fig({
      key: 'page.captured_all',
      label: `every run: all ${N} requests captured, blocked count right`,
      value: allCaptured ? 1 : 0,
      unit: 'bool',
      goal: '= 1',
      pass: allCaptured,
    });
    rep.fig({
      key: 'page.events_per_request',
      label: 'worker events handled per request',
      value: median(capture.map((c) => c.events / N)),
      unit: 'events',
    });
    rep.fig({
      key: 'page.capture_lag_ms',
      label: 'all-settled → all captured (poll granularity ≤ 0.5 s)',
      value: median(capture.map((c) => c.lagMs)),
      unit: 'ms',
    });
    // Where the CPU went during the timed part of each run (/proc of each browser's processes), per request.
    rep.raw.cpuByRoleMs = cpu;
    for (const role of ['browser', 'extension', 'renderer', 'network'] as const) {
      const per = (v: string) => median(cpu[v].slice(1).map((c) => c[role] / N));
      rep.fig({
        key: `page.cpu_${role}_ms_per_request`,
        label: `${role} process CPU per request: CORS Lens / floor / no ext / unwatched / tab not inspected`,
        value: per('lens'),
        unit: `ms (floor ${per('floor').toFixed(3)}, no ext ${per('noext').toFixed(3)}, unwatched ${per('unwatched').toFixed(3)}, not inspected ${per('unopened').toFixed(3)})`,
      });
    }
    for (const p of problems) rep.note(p);
  } finally {
    await Promise.all(Object.values(sessions).map((s) => s.close()));
    await Promise.all([page.close(), api.close()]);
    rmSync(floorDir, { recursive: true, force: true });
  }
  rep.finish();
});
