// What the Chromium benchmarks share: the 2,000-request page workload (a realistic CORS mix), the "floor"
// extension (the same webRequest listeners as CORS Lens, doing nothing), and a CDP session on the extension's
// service worker (Playwright gives none for workers: we open a debugging port and attach with puppeteer-core).
import './harness-shim.ts';
import { mkdtempSync, writeFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, poll, type ChromiumSession } from '../e2e/harness/chromium.ts';
import { FLIGHT_PREFIX } from '../../src/capture/capture-service.ts';

export { launchChromium, poll, type ChromiumSession };

export const DIST_CHROME = resolve(import.meta.dirname, '../../dist/chrome');

/** One request of the mix, as plain data the page can run. `z` appears in the URL of exactly the blocked ones. */
export interface Call {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  credentials?: 'include';
  blocked: boolean;
}

/**
 * The mix, per block of 20 requests: 8 simple GETs allowed, 2 simple GETs without ACAO (blocked), 4 preflighted PUTs
 * allowed, 2 preflighted requests refused at the preflight, 3 credentialed GETs allowed, 1 credentialed GET
 * answered with ACAO * (blocked). Every URL is unique, so no preflight is answered from Chromium's preflight cache.
 */
export function mix(page: string, api: string, n: number, tag: string): Call[] {
  const P = encodeURIComponent(page);
  const out: Call[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 20;
    const base = `${api}/${tag}`;
    if (k < 8) out.push({ url: `${base}/ok/${i}?acao=${P}`, blocked: false });
    else if (k < 10) out.push({ url: `${base}/zno/${i}`, blocked: true });
    else if (k < 14)
      out.push({
        url: `${base}/pf/${i}?pf_acao=${P}&pf_acam=PUT&pf_acah=x-api-key&acao=${P}`,
        method: 'PUT',
        headers: { 'X-Api-Key': 'k' },
        blocked: false,
      });
    else if (k < 16)
      out.push({ url: `${base}/zpf/${i}?pf_acao=${P}&pf_acam=GET,POST&acao=${P}`, method: 'PATCH', blocked: true });
    else if (k < 19) out.push({ url: `${base}/cred/${i}?acao=${P}&acac=true`, credentials: 'include', blocked: false });
    else out.push({ url: `${base}/zcred/${i}?acao=*`, credentials: 'include', blocked: true });
  }
  return out;
}

/**
 * Runs in the page: performs every call with at most `parallel` in flight (a busy single-page app; firing 2,000 at
 * once makes Chromium fail most with net::ERR_INSUFFICIENT_RESOURCES) and returns the wall time (ms) until all
 * have settled, with how many rejected.
 */
export const runCallsInPage = async ([calls, parallel]: [Call[], number]): Promise<{
  ms: number;
  ok: number;
  failed: number;
  errors: string[];
}> => {
  const t0 = performance.now();
  let next = 0,
    ok = 0,
    failed = 0;
  const errors: string[] = [];
  // No named inner functions: tsx (esbuild keepNames) would wrap them in a __name() the page does not have.
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < calls.length) {
        const c = calls[next++];
        try {
          await (
            await fetch(c.url, {
              method: c.method ?? 'GET',
              headers: c.headers,
              credentials: c.credentials ?? 'same-origin',
            })
          ).text();
          ok++;
        } catch (e) {
          failed++;
          if (!c.url.includes('/z') && errors.length < 5) errors.push(`${c.url}: ${String(e)}`);
        }
      }
    }),
  );
  return { ms: performance.now() - t0, ok, failed, errors };
};

/** Requests in flight at once in the page workloads. */
export const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 64);

/**
 * The floor extension: an MV3 worker registering exactly the listeners of extension/platform/web-request.ts
 * (same events, same filter computed the same way from webRequest.ResourceType, same extraInfoSpec), each doing
 * nothing. Chromium's per-event cost (serialising details with extraHeaders, waking the worker) is all it pays.
 */
export function buildFloorExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cors-lens-floor-ext-'));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify(
      {
        manifest_version: 3,
        name: 'CORS Lens bench floor',
        version: '0.0.1',
        background: { service_worker: 'floor.js' },
        permissions: ['webRequest', 'storage'],
        host_permissions: ['<all_urls>'],
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(dir, 'floor.js'),
    `// Same listener set as extension/platform/web-request.ts, doing nothing (bench floor).
const wr = chrome.webRequest;
const types = Object.values(wr.ResourceType || {}).filter((t) => t !== 'main_frame' && t !== 'sub_frame' && t !== 'websocket');
const filter = { urls: ['<all_urls>'], ...(types.length ? { types } : {}) };
const opts = chrome.webRequest.OnBeforeSendHeadersOptions;
const extra = opts && Object.values(opts).includes('extraHeaders') ? ['extraHeaders'] : [];
// Each listener kept with its event, so a bench variant can remove them (site-access-routes.ts).
const listeners = [];
const on = (ev, spec) => {
  const f = () => {};
  listeners.push([ev, f]);
  if (spec.length) ev.addListener(f, filter, spec);
  else ev.addListener(f, filter);
};
on(wr.onSendHeaders, ['requestHeaders', ...extra]);
on(wr.onHeadersReceived, ['responseHeaders', ...extra]);
on(wr.onBeforeRedirect, extra);
on(wr.onCompleted, ['responseHeaders', ...extra]);
on(wr.onErrorOccurred, extra);
const mainFrame = () => {};
listeners.push([wr.onBeforeRequest, mainFrame]);
wr.onBeforeRequest.addListener(mainFrame, { urls: ['<all_urls>'], types: ['main_frame'] });
`,
  );
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

/** A CDP session straight on one target's own websocket (no browser-wide auto-attach, nothing else slowed). */
export interface Cdp {
  send<T = any>(method: string, params?: Record<string, unknown>): Promise<T>;
  close(): void;
}

async function connectTarget(wsUrl: string): Promise<Cdp> {
  // `ws` ships with puppeteer-core/playwright's tree but without types: import it by a name tsc does not resolve.
  const wsModule = 'ws';
  const { default: WebSocket } = (await import(wsModule)) as unknown as {
    default: new (url: string, opts?: object) => any;
  };
  const ws = new WebSocket(wsUrl, { perMessageDeflate: false, maxPayload: 1 << 30 });
  await new Promise((res, rej) => {
    ws.once('open', res);
    ws.once('error', rej);
  });
  let id = 0;
  const waiting = new Map<number, { res: (v: any) => void; rej: (e: Error) => void }>();
  ws.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString());
    const w = m.id !== undefined ? waiting.get(m.id) : undefined;
    if (!w) return;
    waiting.delete(m.id);
    if (m.error) w.rej(new Error(`${m.error.message} (${m.error.code})`));
    else w.res(m.result);
  });
  ws.on('close', () => {
    for (const w of waiting.values()) w.rej(new Error('CDP socket closed'));
    waiting.clear();
  });
  return {
    send: (method, params = {}) =>
      new Promise((res, rej) => {
        const i = ++id;
        waiting.set(i, { res, rej });
        ws.send(JSON.stringify({ id: i, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** A CDP session on the extension's service worker of a browser launched with --remote-debugging-port=port. */
export async function workerCdp(port: number, extensionId: string): Promise<Cdp> {
  const t = await poll(async () => {
    const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
      type: string;
      url: string;
      webSocketDebuggerUrl: string;
    }[];
    return list.find((x) => x.type === 'service_worker' && x.url.startsWith(`chrome-extension://${extensionId}/`));
  }, 'the extension service worker target');
  return connectTarget(t.webSocketDebuggerUrl);
}

export function requireDist(): void {
  if (!existsSync(join(DIST_CHROME, 'manifest.json')))
    throw new Error(`${DIST_CHROME} is missing: run node test/scripts/build.mjs`);
}

export interface Status {
  events: number;
  errors: string[];
  tabs: { tabId: number; entries: number; blocked: number; dropped: number; droppedForQuota: number }[];
  /** Events dropped because their tab is not watched (scope "Tabs I inspect"). */
  eventsOutsideWatch?: number;
}

/** Asks the worker (from an extension page, as the panel does) and closes that page so it costs nothing later. */
export async function status(s: ChromiumSession): Promise<Status> {
  const st = await s.ask<Status>('getStatus', {});
  await (await s.extensionPage()).close();
  return st;
}

export async function tabIdOf(s: ChromiumSession, url: string): Promise<number> {
  const id = await s.tabIdOf(url);
  await (await s.extensionPage()).close();
  return id;
}

/** CPU time (ms) per Chromium process role, from /proc: what each part of the browser spent on a workload. */
export type Role = 'browser' | 'extension' | 'renderer' | 'network' | 'gpu' | 'other';

function statOf(pid: number): { ppid: number; ticks: number } | null {
  try {
    const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state ppid … utime(14) stime(15) (1-based in proc(5)).
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}

function roleOf(pid: number): Role {
  let cmd = '';
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return 'other';
  }
  if (!cmd.includes('--type=')) return 'browser';
  if (cmd.includes('--type=renderer')) return cmd.includes('--extension-process') ? 'extension' : 'renderer';
  if (cmd.includes('--type=utility') && cmd.includes('network.mojom.NetworkService')) return 'network';
  if (cmd.includes('--type=gpu-process')) return 'gpu';
  return 'other';
}

/** The Chromium processes this Node process launched (Playwright spawns the browser as our direct child) and all their descendants. */
function chromiumTree(): Map<number, { role: Role; ticks: number }> {
  const procs = new Map<number, { ppid: number; ticks: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const st = statOf(Number(d));
    if (st) procs.set(Number(d), st);
  }
  const mine = new Set<number>([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, st] of procs)
      if (!mine.has(pid) && mine.has(st.ppid)) {
        mine.add(pid);
        grew = true;
      }
  }
  mine.delete(process.pid);
  const out = new Map<number, { role: Role; ticks: number }>();
  for (const pid of mine) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.includes('chromium')) continue;
    out.set(pid, { role: roleOf(pid), ticks: procs.get(pid)!.ticks });
  }
  return out;
}

/** Starts a CPU account over every Chromium process we launched; `stop()` returns ms per role (all browsers). */
export function cpuAccount(filter?: (pid: number) => boolean): { stop(): Record<Role, number> } {
  const before = chromiumTree();
  return {
    stop() {
      const after = chromiumTree();
      const tick = 1000 / 100; // USER_HZ is 100 on Linux
      const out: Record<Role, number> = { browser: 0, extension: 0, renderer: 0, network: 0, gpu: 0, other: 0 };
      for (const [pid, a] of after) {
        if (filter && !filter(pid)) continue;
        out[a.role] += (a.ticks - (before.get(pid)?.ticks ?? 0)) * tick;
      }
      return out;
    },
  };
}

/** Pids of the Chromium tree rooted at the browser process that owns the given profile-less session (by launch order). */
export function chromiumPidsNow(): Set<number> {
  return new Set(chromiumTree().keys());
}

/** The browser process (and descendants) of a session launched between two snapshots of chromiumPidsNow(). */
export function treeOf(browserPid: number): (pid: number) => boolean {
  return (pid) => {
    for (let p = pid, i = 0; p > 1 && i < 20; i++) {
      if (p === browserPid) return true;
      const st = statOf(p);
      if (!st) return false;
      p = st.ppid;
    }
    return false;
  };
}

/** Launches a session and returns it with its browser process id (found as the new direct child of this process). */
export async function launchTracked(opts: {
  extensionDir: string | null;
  args?: string[];
}): Promise<{ s: ChromiumSession; pid: number; inTree: (pid: number) => boolean }> {
  const before = chromiumPidsNow();
  const s = await launchChromium(opts);
  const fresh = [...chromiumTree()].filter(
    ([pid, p]) => !before.has(pid) && p.role === 'browser' && statOf(pid)?.ppid === process.pid,
  );
  if (fresh.length !== 1) throw new Error(`could not tell the new browser process apart (${fresh.length} candidates)`);
  const pid = fresh[0][0];
  return { s, pid, inTree: treeOf(pid) };
}

/** A CDP CPU profile (Profiler.stop). */
export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Busy time (ms) of a CPU profile: every sample but V8's idle ones, plus self time by function and line. */
export function digest(p: CpuProfile): {
  busyMs: number;
  totalMs: number;
  byName: Map<string, number>;
  idleName: string[];
} {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const byName = new Map<string, number>();
  let busy = 0,
    total = 0;
  const idle = new Set<string>();
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000; // a sample's duration is the delta to the next one
    const n = byId.get(p.samples[i])!;
    const f = n.callFrame;
    total += dt;
    if (f.functionName === '(idle)') {
      idle.add(f.functionName);
      continue;
    }
    busy += dt;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^chrome-extension:\/\/[^/]+\//, '')}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    byName.set(key, (byName.get(key) ?? 0) + dt);
  }
  return { busyMs: busy, totalMs: total, byName, idleName: [...idle] };
}

interface AllocNode {
  callFrame: CpuProfileNode['callFrame'];
  selfSize: number;
  children?: AllocNode[];
}

/** Bytes allocated per function in a sampled heap profile (`HeapProfiler.stopSampling`), and their total. */
export function allocDigest(head: AllocNode): { total: number; by: Map<string, number> } {
  const by = new Map<string, number>();
  let total = 0;
  const walk = (n: AllocNode) => {
    const f = n.callFrame,
      key = `${f.functionName || '(anon)'} ${f.url.replace(/^chrome-extension:\/\/[^/]+\//, '')}:${f.lineNumber + 1}`;
    total += n.selfSize;
    by.set(key, (by.get(key) ?? 0) + n.selfSize);
    for (const c of n.children ?? []) walk(c);
  };
  walk(head);
  return { total, by };
}

/** The 30 largest of `m`, as lines: share of `total`, value, key. */
export const topLines = (m: Map<string, number>, total: number, unit: (v: number) => string) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 30)
    .map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)}% ${unit(v).padStart(8)}  ${k}`)
    .join('\n');

/**
 * Evaluated in the extension's worker: counts storage.session writes and their JSON size in
 * `globalThis.__benchStorage`, wrapping the API the polyfill calls (it looks it up per call).
 */
export const STORAGE_COUNTER = `(() => {
  const area = chrome.storage.session;
  if (area.__bench) return 'already';
  const set = area.set.bind(area), remove = area.remove.bind(area);
  globalThis.__benchStorage = { sets: 0, removes: 0, bytes: 0 };
  area.set = (v, ...rest) => {
    const b = globalThis.__benchStorage;
    b.sets++;
    b.bytes += JSON.stringify(v).length;
    for (const k in v) if (k.startsWith(${JSON.stringify(FLIGHT_PREFIX)})) b.flightBytes = (b.flightBytes || 0) + JSON.stringify(v[k]).length;
    return set(v, ...rest);
  };
  area.remove = (k, ...rest) => { globalThis.__benchStorage.removes++; return remove(k, ...rest); };
  area.__bench = true;
  return 'ok';
})()`;

/**
 * Evaluated in the panel page: scrolls the request list 10 rows (220 px) per frame for `frames` frames, from the top
 * again when it reaches the end, and resolves with the rAF deltas. With `markOverMs`, a frame longer than that leaves
 * a `performance.mark('long-frame <ms>')` for a trace to find.
 */
export function scrollFramesScript(frames: number, markOverMs?: number): string {
  return `new Promise((res) => {
    const list = document.querySelector('[role=listbox]');
    const deltas = [];
    let last = -1, k = 0;
    const step = (t) => {
      if (last >= 0) {
        deltas.push(t - last);
        ${markOverMs === undefined ? '' : `if (t - last > ${Number(markOverMs)}) performance.mark('long-frame ' + (t - last).toFixed(1));`}
      }
      last = t;
      list.scrollTop += 220;
      if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) list.scrollTop = 0;
      if (++k <= ${Number(frames)}) requestAnimationFrame(step); else res(deltas);
    };
    requestAnimationFrame(step);
  })`;
}
