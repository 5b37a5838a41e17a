// Bench "panel": (1) real Chromium + CORS Lens, a tab that made enough requests to fill the per-tab cap (5,000,
// DEFAULT_LIMITS in src/capture/tab-store.ts); the panel page opened as a tab: time to the first rendered rows, a
// filter keystroke's latency (until the shown count changes, and to the next frame), frame times while scrolling.
// (2) the same figures for the real PanelApp fed 50,000 synthetic entries (test/bench/panel-page, a Vite build
// whose worker client is a stand-in), served from 127.0.0.1. Goals: first rows < 200 ms, filter < 50 ms, no frame
// over 16 ms (a frame is counted long when the rAF delta exceeds 1.5 vsync intervals: a dropped frame).
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startApiServer, startPageServer } from '../e2e/harness/servers.ts';
import {
  DIST_CHROME,
  launchChromium,
  scrollFramesScript,
  mix,
  poll,
  requireDist,
  runCallsInPage,
  PARALLEL,
  type Call,
  status,
  tabIdOf,
} from './chromium-kit.ts';
import { Reporter, log, main, median, quantile } from './lib.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REAL_N = Number(process.env.BENCH_PANEL_REQUESTS ?? 5200);
const SYNTH_N = Number(process.env.BENCH_PANEL_SYNTH ?? 50_000);

/** Installed before any page script: records when the first row is in the DOM, and the frame after it. */
const FIRST_ROWS = `(() => {
  const b = (window.__bench = { mounted: null, firstRows: null, firstRowsPainted: null });
  const mo = new MutationObserver(() => {
    if (b.mounted === null && document.querySelector('.panel')) b.mounted = performance.now();
    if (b.firstRows === null && document.querySelector('[role=option]')) {
      b.firstRows = performance.now();
      mo.disconnect();
      requestAnimationFrame(() => setTimeout(() => { b.firstRowsPainted = performance.now(); }, 0));
    }
  });
  mo.observe(document, { subtree: true, childList: true });
})();`;

// The in-page parts are strings: tsx (esbuild keepNames) wraps named inner functions of a TypeScript callback in a
// __name() helper that does not exist in the page.

/** Arms a one-shot measurement: keydown → the shown count changes (DOM) → the frame after it. */
const ARM_FILTER = `new Promise((res, rej) => {
  const counts = document.querySelector('.counts');
  const before = counts.textContent;
  let t0 = 0;
  window.addEventListener('keydown', () => { t0 = performance.now(); }, { capture: true, once: true });
  const mo = new MutationObserver(() => {
    if (counts.textContent === before) return;
    const t1 = performance.now();
    mo.disconnect();
    requestAnimationFrame(() => setTimeout(() => res({ dom: t1 - t0, frame: performance.now() - t0, text: counts.textContent }), 0));
  });
  mo.observe(counts, { subtree: true, childList: true, characterData: true });
  setTimeout(() => rej(new Error('the shown count never changed (still "' + before + '")')), 10000);
  window.__armed = true;
})`;

/** In the page: focus the search box, then for each key measure keydown → shown-count change → next frame. */
async function filterLatency(
  page: Page,
  presses: number,
): Promise<{ dom: number[]; frame: number[]; counts: string[] }> {
  await page.focus('input[type=search]');
  const dom: number[] = [],
    frame: number[] = [],
    counts: string[] = [];
  for (let i = 0; i < presses; i++) {
    const key = i % 2 === 0 ? 'z' : 'Backspace';
    const armed = page.evaluate(ARM_FILTER) as Promise<{ dom: number; frame: number; text: string }>;
    await page.waitForFunction('window.__armed === true');
    await page.evaluate('window.__armed = false');
    await page.keyboard.press(key);
    const r = await armed;
    dom.push(r.dom);
    frame.push(r.frame);
    counts.push(r.text);
  }
  return { dom, frame, counts };
}

/** In the page: scroll the list 10 rows per frame for `frames` frames; returns the rAF deltas. */
function scrollFrames(page: Page, frames: number): Promise<number[]> {
  return page.evaluate(scrollFramesScript(frames)) as Promise<number[]>;
}

/** Vsync interval measured on the page before scrolling (headless Chromium paces frames itself). */
function vsyncOf(page: Page): Promise<number> {
  return page.evaluate(`new Promise((res) => {
    const d = [];
    let last = -1;
    const f = (t) => {
      if (last >= 0) d.push(t - last);
      last = t;
      if (d.length < 60) requestAnimationFrame(f); else res(d.sort((a, b) => a - b)[30]);
    };
    requestAnimationFrame(f);
  })`) as Promise<number>;
}

function frameFigures(rep: Reporter, key: string, what: string, deltas: number[], vsync: number): void {
  const long = deltas.filter((d) => d > vsync * 1.5).length;
  rep.fig({
    key: `${key}_frame_p95_ms`,
    label: `${what}: scroll frame time p95 (vsync ${vsync.toFixed(1)} ms)`,
    value: quantile(deltas, 0.95),
    unit: 'ms',
  });
  rep.fig({
    key: `${key}_frame_max_ms`,
    label: `${what}: scroll frame time max`,
    value: Math.max(...deltas),
    unit: 'ms',
  });
  rep.fig({
    key: `${key}_dropped_frames`,
    label: `${what}: dropped frames while scrolling (of ${deltas.length})`,
    value: long,
    unit: 'frames',
    goal: '0 (no frame over 16 ms)',
    pass: long === 0,
  });
}

function serveDir(dir: string): Promise<{ origin: string; close(): Promise<void> }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = http.createServer((req, res) => {
    const p = resolve(dir, `.${decodeURIComponent((req.url ?? '/').split('?')[0])}`);
    const file = p.endsWith('/') ? join(p, 'index.html') : p;
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((res) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      res({
        origin: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    }),
  );
}

async function buildSynthPage(outDir: string): Promise<void> {
  const { build } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  const root = resolve(import.meta.dirname, 'panel-page');
  const fakes: Record<string, string> = {
    client: join(root, 'fake-client.ts'),
    prefs: join(root, 'fake-prefs.ts'),
    browser: join(root, 'fake-browser.ts'),
  };
  await build({
    configFile: false,
    root,
    base: './',
    logLevel: 'warn',
    plugins: [
      react(),
      {
        name: 'bench-fake-platform',
        enforce: 'pre',
        // Every import of extension/platform/{client,prefs,browser} (from the panel, or from another platform module
        // such as site-access.ts) gets the stand-ins; extension/ itself is untouched.
        resolveId(source, importer) {
          if (!importer?.includes('/extension/') || !source.startsWith('.')) return null;
          const m = /\/extension\/platform\/(client|prefs|browser)$/.exec(resolve(dirname(importer), source));
          return m ? fakes[m[1]] : null;
        },
      },
    ],
    build: { outDir, emptyOutDir: true, minify: true, sourcemap: false },
  });
}

main(async () => {
  requireDist();
  const rep = new Reporter('panel');

  // --- (1) Real extension, a tab at the cap (BENCH_PANEL_SKIP_REAL=1 skips it).
  if (!process.env.BENCH_PANEL_SKIP_REAL) await realPanel(rep);
  await syntheticPanel(rep);
  rep.finish();
});

async function realPanel(rep: Reporter): Promise<void> {
  const page = await startPageServer();
  const api = await startApiServer();
  const s = await launchChromium({ extensionDir: DIST_CHROME });
  try {
    const url = `${page.origin}/?panel`;
    const tab = await s.ctx.newPage();
    await tab.goto(url);
    for (let i = 0; i < REAL_N; i += 2000)
      await tab.evaluate(runCallsInPage, [
        mix(page.origin, api.origin, Math.min(2000, REAL_N - i), `p${i}`),
        PARALLEL,
      ] as [Call[], number]);
    api.log.length = 0;
    const tabId = await tabIdOf(s, url);
    const t = await poll(
      async () => {
        const x = (await status(s)).tabs.find((y) => y.tabId === tabId);
        return x && x.entries + x.dropped + x.droppedForQuota >= REAL_N ? x : null;
      },
      'the page requests captured',
      180_000,
    );
    rep.note(
      `real panel: the tab made ${REAL_N} requests; the worker keeps ${t.entries} (dropped ${t.dropped} for the per-tab cap, ${t.droppedForQuota} for the byte budget)`,
    );
    rep.raw.realTab = t;
    const panelUrl = `chrome-extension://${s.extensionId}/extension/panel/index.html?tabId=${tabId}`;
    const first: number[] = [],
      painted: number[] = [],
      mounted: number[] = [];
    let vsync = 16.7;
    let filter = { dom: [] as number[], frame: [] as number[], counts: [] as string[] };
    let frames: number[] = [];
    for (let r = 0; r < ROUNDS + 1; r++) {
      const p = await s.ctx.newPage();
      await p.addInitScript(FIRST_ROWS);
      await p.goto(panelUrl);
      const b = await poll(
        () =>
          p.evaluate(() => {
            const x = (window as any).__bench;
            return x?.firstRowsPainted ? x : null;
          }),
        'first rows in the panel',
        60_000,
      );
      if (r > 0) {
        first.push(b.firstRows);
        painted.push(b.firstRowsPainted);
        mounted.push(b.mounted ?? NaN);
      }
      log(
        `panel: real open ${r === 0 ? '(warm-up)' : r}: app mounted ${Number(b.mounted).toFixed(0)} ms, first rows ${b.firstRows.toFixed(0)} ms, painted ${b.firstRowsPainted.toFixed(0)} ms`,
      );
      if (r === ROUNDS) {
        vsync = await vsyncOf(p);
        filter = await filterLatency(p, 10);
        frames = await scrollFrames(p, 240);
      }
      await p.close();
    }
    rep.raw.real = { first, painted, mounted, filter, frames, vsync };
    rep.fig({
      key: 'panel.real_mounted_ms',
      label: 'real panel: open → app mounted (JS loaded, before the snapshot arrives)',
      value: median(mounted),
      unit: 'ms',
    });
    rep.fig({
      key: 'panel.real_first_rows_ms',
      label: `real panel, ${t.entries} entries: open → first rows in the DOM`,
      value: median(first),
      unit: 'ms',
      goal: '< 200',
      pass: median(first) < 200,
    });
    rep.fig({
      key: 'panel.real_first_rows_painted_ms',
      label: `real panel, ${t.entries} entries: open → first rows painted`,
      value: median(painted),
      unit: 'ms',
    });
    rep.fig({
      key: 'panel.real_filter_ms',
      label: `real panel, ${t.entries} entries: filter keystroke → count changed (median)`,
      value: median(filter.dom),
      unit: 'ms',
      goal: '< 50',
      pass: median(filter.dom) < 50,
    });
    rep.fig({
      key: 'panel.real_filter_frame_ms',
      label: `real panel: filter keystroke → next frame (max of ${filter.frame.length})`,
      value: Math.max(...filter.frame),
      unit: 'ms',
    });
    frameFigures(rep, 'panel.real', `real panel, ${t.entries} entries`, frames, vsync);
    await tab.close();
  } finally {
    await s.close();
    await Promise.all([page.close(), api.close()]);
  }
}

async function syntheticPanel(rep: Reporter): Promise<void> {
  // --- (2) PanelApp with 50,000 synthetic entries.
  const out = mkdtempSync(join(tmpdir(), 'cors-lens-bench-panel-'));
  const synth = await launchChromium({ extensionDir: null });
  try {
    await buildSynthPage(out);
    const srv = await serveDir(out);
    try {
      const first: number[] = [],
        painted: number[] = [];
      let vsync = 16.7;
      let filter = { dom: [] as number[], frame: [] as number[], counts: [] as string[] };
      let frames: number[] = [];
      for (let r = 0; r < ROUNDS + 1; r++) {
        const p = await synth.ctx.newPage();
        p.on('pageerror', (e) => log(`panel: synthetic page error: ${String(e).slice(0, 300)}`));
        await p.setViewportSize({ width: 1280, height: 800 });
        await p.addInitScript(FIRST_ROWS);
        await p.goto(`${srv.origin}/index.html?n=${SYNTH_N}`);
        await p.waitForFunction(() => typeof (window as any).__benchDeliver === 'function', undefined, {
          timeout: 120_000,
        });
        const t0 = await p.evaluate(() => (window as any).__benchDeliver() as number);
        const b = await poll(
          () =>
            p.evaluate(() => {
              const x = (window as any).__bench;
              return x?.firstRowsPainted ? x : null;
            }),
          'first synthetic rows',
          60_000,
        );
        if (r > 0) {
          first.push(b.firstRows - t0);
          painted.push(b.firstRowsPainted - t0);
        }
        log(
          `panel: synthetic ${SYNTH_N} ${r === 0 ? '(warm-up)' : r}: snapshot → first rows ${(b.firstRows - t0).toFixed(0)} ms, painted ${(b.firstRowsPainted - t0).toFixed(0)} ms`,
        );
        if (r === ROUNDS) {
          vsync = await vsyncOf(p);
          filter = await filterLatency(p, 10);
          frames = await scrollFrames(p, 240);
        }
        await p.close();
      }
      rep.raw.synthetic = { first, painted, filter, frames, vsync };
      rep.fig({
        key: 'panel.synth_first_rows_ms',
        label: `PanelApp, ${SYNTH_N.toLocaleString('en')} synthetic entries: snapshot → first rows in the DOM`,
        value: median(first),
        unit: 'ms',
        goal: '< 200',
        pass: median(first) < 200,
      });
      rep.fig({
        key: 'panel.synth_first_rows_painted_ms',
        label: `PanelApp, ${SYNTH_N.toLocaleString('en')} entries: snapshot → first rows painted`,
        value: median(painted),
        unit: 'ms',
      });
      rep.fig({
        key: 'panel.synth_filter_ms',
        label: `PanelApp, ${SYNTH_N.toLocaleString('en')} entries: filter keystroke → count changed (median)`,
        value: median(filter.dom),
        unit: 'ms',
        goal: '< 50',
        pass: median(filter.dom) < 50,
      });
      rep.fig({
        key: 'panel.synth_filter_frame_ms',
        label: `PanelApp, ${SYNTH_N.toLocaleString('en')} entries: filter keystroke → next frame (max of ${filter.frame.length})`,
        value: Math.max(...filter.frame),
        unit: 'ms',
      });
      frameFigures(rep, 'panel.synth', `PanelApp, ${SYNTH_N.toLocaleString('en')} entries`, frames, vsync);
      rep.note(
        'synthetic: snapshot hand-over is in-page (no port message); the real panel figure includes the port transfer of the whole log',
      );
    } finally {
      await srv.close();
    }
  } finally {
    await synth.close();
    rmSync(out, { recursive: true, force: true });
  }
}
