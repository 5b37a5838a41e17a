// `npm run demo`: starts the demo frontend and its deliberately misconfigured API, opens them in a real browser
// with CORS Lens loaded, and shows what the extension concluded — a visible window with DevTools on the CORS
// panel when there is a display, otherwise the diagnosis table, the checks, a report and screenshots.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserName } from '../../src/engine/types';
import type { ReportItem } from '../../src/report';
import { buildReport, toJson, toMarkdown, toTable } from '../../src/report';
import { suggestMergedFix } from '../../src/suggest';
import { fixText, fixTextLines } from '../../src/suggest/fix-text';
import { poll } from '../e2e/harness/chromium';
import { apiLog } from './api-server';
import { chromiumHeadless, chromiumWithDevtools, firefox, type DemoBrowser, type NativeVerdict } from './browsers';
import { callsFor, expectedReason, mismatches, originForCall, rowsForCall, type DemoCall } from './calls';
import { descendants, killAll, processesMentioning, stillAlive, type ProcInfo } from './processes';
import { startDemoServers, type DemoServers } from './servers';

const ROOT = resolve(import.meta.dirname, '../..');

const HELP = `npm run demo [-- options]

Starts a demo frontend and an API with classic CORS mistakes, two failures that are not CORS (a service that is
down; in Chromium, a partner widget on a public origin stopped by Local Network Access) and three correct
endpoints on 127.0.0.1, opens the frontend in a browser with CORS Lens loaded and checks that every mistake is
diagnosed correctly.

  --browser chromium|firefox  browser to use (default chromium)
  --headless                  no window even if DISPLAY is set: print the table, write report and screenshots
  --out <dir>                 where the report and screenshots go (default demo-output/ in the repository)
  --port <n>                  frontend port (API n+1, file server n+2, widget n+3; default 4180; 0 = any free ports)
  --no-build                  use dist/ as it is (the launcher builds the extension otherwise)
  --verbose                   also print every request the API received

Exit status: 0 every call diagnosed as expected, 1 a diagnosis was wrong, 2 the demo could not run.
With a window it keeps running until you close the browser or press Ctrl-C.`;

interface Options {
  browser: BrowserName;
  headless: boolean;
  out: string;
  port: number;
  verbose: boolean;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      browser: { type: 'string', default: 'chromium' },
      headless: { type: 'boolean', default: false },
      out: { type: 'string' },
      port: { type: 'string', default: '4180' },
      'no-build': { type: 'boolean' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const browser = values.browser === 'chrome' ? 'chromium' : values.browser;
  if (browser !== 'chromium' && browser !== 'firefox')
    throw new Error(`--browser must be chromium or firefox, not ${JSON.stringify(values.browser)}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65533)
    throw new Error(`--port must be a port number, not ${JSON.stringify(values.port)}`);
  return {
    browser,
    // A window needs an X (or Xwayland) display; CI and servers have none.
    headless: values.headless || !(process.env.DISPLAY || process.env.WAYLAND_DISPLAY),
    out: resolve(values.out ?? join(ROOT, 'demo-output')),
    port,
    verbose: values.verbose,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Everything started is registered here and stopped in reverse order, on every way out (end, error, signal).

type Stopper = { what: string; stop(): Promise<void> };
const stoppers: Stopper[] = [];
let stopping: Promise<void> | null = null;
/** Every process the demo started (browsers and their helpers), collected while they run. */
const spawned = new Map<string, ProcInfo>();
const profileDirs = new Set<string>();

/** Our own helpers that are not the demo's to stop (tsx's esbuild service), noted before anything starts. */
const baseline = new Set<string>();

function noteProcesses(): void {
  for (const p of descendants()) {
    if (baseline.has(`${p.pid}:${p.start}`) || p.comm === 'esbuild') continue;
    spawned.set(`${p.pid}:${p.start}`, p);
    const m = /--user-data-dir=(\S+)|\s--?profile[=\s]+(\S+)/.exec(p.cmd);
    if (m) profileDirs.add(m[1] ?? m[2]);
  }
}

async function stopAll(): Promise<{ left: ProcInfo[]; killed: ProcInfo[] }> {
  noteProcesses();
  stopping ??= (async () => {
    for (const s of stoppers.reverse()) {
      // Note the browser's processes right before it closes: its helpers are re-parented once it is gone.
      noteProcesses();
      // A browser that does not close within 20 s is killed below.
      await Promise.race([s.stop().catch(() => {}), new Promise((r) => setTimeout(r, 20_000).unref())]);
    }
  })();
  await stopping;
  // A browser's helpers (zygotes, renderers) exit a moment after close() resolves: give them a few seconds,
  // then kill whatever its shutdown left behind (crash handlers can outlive their parent) and re-check.
  const mine = [...spawned.values()];
  const byProfile = [...profileDirs].flatMap((d) => processesMentioning(d));
  await poll(async () => stillAlive([...mine, ...byProfile]).length === 0, 'browser processes to exit', 5_000).catch(
    () => {},
  );
  const killed = stillAlive([...mine, ...byProfile]);
  if (killed.length) {
    killAll(killed);
    await poll(async () => stillAlive(killed).length === 0, 'leftover processes to exit', 5_000).catch(() => {});
  }
  const left = stillAlive([...mine, ...byProfile]);
  // A browser that had to be killed leaves its temporary profile behind (Chromium's headless scoped_dir*,
  // puppeteer's Firefox profile): remove ours once nothing uses it.
  if (!left.length) {
    for (const d of profileDirs) {
      if (/scoped_dir|puppeteer_dev_.*profile|cors-lens-chromium-/.test(d) && existsSync(d))
        rmSync(d, { recursive: true, force: true });
    }
  }
  return { left, killed };
}

const SIGNALS = new Set<NodeJS.Signals | string | symbol>(['SIGINT', 'SIGTERM', 'SIGHUP']);

/**
 * Playwright and puppeteer install SIGINT handlers that exit the process right after killing the browser, before
 * our servers, temporary profiles and the browser's helper processes are dealt with (the e2e harness's launchers
 * leave those handlers on). The demo owns this process: only signalListener may listen to signals.
 */
function keepSignalsToOurselves(): void {
  for (const method of ['on', 'addListener', 'once', 'prependListener', 'prependOnceListener'] as const) {
    const original = process[method].bind(process) as (
      event: string | symbol,
      listener: (...args: any[]) => void,
    ) => NodeJS.Process;
    (process as any)[method] = (event: string | symbol, listener: (...args: any[]) => void) =>
      SIGNALS.has(event) && listener !== signalListener ? process : original(event, listener);
  }
}

let signalled = false;
// Node passes (name, number) to signal listeners: keep only the name.
const signalListener = (sig: NodeJS.Signals) => onSignal(sig);
function onSignal(sig: NodeJS.Signals, why = sig as string): void {
  if (signalled) {
    // Second Ctrl-C: do not wait for a graceful close any more.
    noteProcesses();
    killAll([...spawned.values()]);
    process.exit(130);
  }
  signalled = true;
  process.stderr.write(`\n${why}: stopping the browser and the servers…\n`);
  void stopAll().then(({ left }) => {
    process.stderr.write(
      left.length
        ? `still running: ${left.map((p) => `${p.pid} ${p.comm}`).join(', ')}\n`
        : 'stopped everything the demo started.\n',
    );
    process.exit(sig === 'SIGINT' ? 130 : sig === 'SIGTERM' ? 143 : 129);
  });
}

// ---------------------------------------------------------------------------------------------------------------

const tty = process.stdout.isTTY === true;
const paint = (code: string, s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const green = (s: string) => paint('32', s);
const red = (s: string) => paint('1;31', s);
const dim = (s: string) => paint('2', s);
const bold = (s: string) => paint('1', s);
// After a signal the run is being torn down under it: its remaining output would only confuse.
const say = (s = '') => {
  if (!signalled) process.stdout.write(s + '\n');
};

interface WireEntry {
  seq: number;
  request: ReportItem['request'];
  verdict: ReportItem['verdict'];
}
interface TabSnapshot {
  entries: WireEntry[];
}

interface CheckResult {
  id: string;
  kind: DemoCall['kind'];
  method: string;
  url: string;
  ok: boolean;
  expected: string;
  got: string;
  problems: string[];
  browserSaid?: string | null;
}

function describeExpectation(call: DemoCall, browser: BrowserName): string {
  const e = call.expect;
  if (e.verdict === 'blocked') return `blocked: ${expectedReason(e, browser)}`;
  if (e.verdict === 'allowed-hidden-headers') return `allowed, hides ${e.hidden.join(', ')}`;
  if (e.verdict === 'not-cors') return `not CORS: ${e.cause}`;
  return 'allowed';
}

/** What Chromium's own CDP said differs from the CorsError the call expects (headless Chromium records it). */
function nativeMismatch(
  call: DemoCall,
  browser: BrowserName,
  recorded: boolean,
  said: string | null | undefined,
): string[] {
  const want = call.expect.verdict === 'not-cors' ? call.expect.chromium : undefined;
  if (browser !== 'chromium' || !recorded || want === undefined || said === want) return [];
  return [`Chromium itself reported ${said ?? 'nothing'}, expected ${want}`];
}

function checkCalls(
  items: ReportItem[],
  s: DemoServers,
  browser: BrowserName,
  native: NativeVerdict[],
  recorded: boolean,
): CheckResult[] {
  const report = buildReport(items);
  return callsFor(browser).map((call) => {
    const url = originForCall(call, s) + call.path;
    const rows = rowsForCall(report.rows, call, s);
    const problems =
      rows.length === 0
        ? ['CORS Lens logged no request for it']
        : rows.flatMap((r) => mismatches(r, call, browser, s.frontend));
    const last = rows.at(-1);
    const got = !last
      ? 'nothing'
      : last.verdict === 'blocked'
        ? `blocked: ${last.reason}`
        : last.verdict === 'allowed-hidden-headers'
          ? `allowed, hides ${(last.hiddenHeaders ?? []).join(', ')}`
          : last.verdict === 'not-cors'
            ? `not CORS: ${last.notCorsCause}`
            : last.verdict;
    // The browser's own verdict, when it gave one we could read (informational: the checks are on CORS Lens).
    const mine = native.filter(
      (n) => n.url === url || (call.id === 'redirect-null-origin' && n.url.startsWith(s.files)),
    );
    // Firefox logs a second, generic "CORS request did not succeed" after a failed preflight: the first one counts.
    const browserSaid = mine.length ? mine[0].reason : undefined;
    problems.push(...nativeMismatch(call, browser, recorded, browserSaid));
    return {
      id: call.id,
      kind: call.kind,
      method: call.method,
      url,
      ok: problems.length === 0,
      expected: describeExpectation(call, browser),
      got,
      problems,
      browserSaid,
    };
  });
}

function printChecks(checks: CheckResult[], browser: BrowserName): void {
  const w = Math.max(...checks.map((c) => c.id.length));
  const g = Math.max(...checks.map((c) => c.got.length));
  const name = browser === 'firefox' ? 'Firefox' : 'Chromium';
  for (const c of checks) {
    const mark = c.ok ? green('✓') : red('✗');
    let native = '';
    if (c.browserSaid !== undefined) native = dim(`  (${name} itself: ${c.browserSaid ?? 'no CORS error'})`);
    say(
      `  ${mark} ${c.id.padEnd(w)}  ${c.kind === 'mistake' ? 'mistake' : 'correct'}  ${native ? c.got.padEnd(g) + native : c.got}`,
    );
    if (c.problems.length) say(`      ${red(`expected ${c.expected}: ${c.problems.join('; ')}`)}`);
  }
}

function fixesMarkdown(items: ReportItem[]): string {
  if (!items.some((i) => i.verdict.kind === 'blocked' || i.verdict.kind === 'allowed-hidden-headers')) return '';
  // Every request goes in, allowed ones too: the fix is merged with what works today (src/suggest/merged.ts).
  const f = suggestMergedFix(items, 'express');
  const out: string[] = [];
  for (const fix of f.perOrigin) {
    const t = fixText(fix);
    out.push(`### Suggested fix for \`${fix.targetOrigin}\` (Express)`, '', t.intro, '');
    for (const d of t.diff) out.push(`- ${d}`);
    for (const n of t.narrowing) out.push(`- **Narrowed:** ${n}`);
    for (const n of t.notes) out.push(`- ${n}`);
    out.push('', t.configTitle, '', '```js', t.code, '```', '', `Framework defaults: ${t.defaults}`, '');
  }
  for (const a of f.clientSideAdvice) out.push(`- Client side: ${a.message}`);
  return out.join('\n') + '\n';
}

async function waitForDiagnoses(b: DemoBrowser, tabId: number, s: DemoServers): Promise<WireEntry[]> {
  const calls = callsFor(b.name);
  let missing: string[] = [];
  return poll(
    async () => {
      const snap = await b.ask<TabSnapshot>('getTabLog', { tabId });
      const rows = buildReport(snap.entries.map((e) => ({ request: e.request, verdict: e.verdict }))).rows;
      missing = calls
        .filter((c) => {
          const mine = rowsForCall(rows, c, s);
          return !(mine.length > 0 && mine.every((r) => r.verdict !== 'unknown' || r.status !== null));
        })
        .map((c) => c.id);
      const pending = snap.entries.some((e) => e.request.outcome.kind === 'pending');
      return missing.length === 0 && !pending ? snap.entries : null;
    },
    'CORS Lens to diagnose every call',
    60_000,
  ).catch((e) => {
    throw new Error(
      `${(e as Error).message} (still missing: ${missing.join(', ') || 'none; a request is still pending'})`,
    );
  });
}

export async function main(argv: string[]): Promise<number> {
  let opts: Options | 'help';
  try {
    opts = parseOptions(argv);
  } catch (e) {
    process.stderr.write(`demo: ${(e as Error).message}\n${HELP}\n`);
    return 2;
  }
  if (opts === 'help') {
    say(HELP);
    return 0;
  }
  // `npm run demo | head` closes our stdout early: keep going (and clean up) instead of dying on EPIPE.
  process.stdout.on('error', () => {});
  for (const p of descendants()) baseline.add(`${p.pid}:${p.start}`);
  keepSignalsToOurselves();
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, signalListener);
  // `kill <npm's pid>` ends npm without passing the signal on: the demo would be orphaned and, with a window,
  // run on. Treat the loss of the parent process as a hang-up.
  const parent = process.ppid;
  const watchdog = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watchdog);
    if (!signalled) onSignal('SIGHUP', 'the parent process exited');
  }, 500).unref();
  const o = opts;
  const t0 = Date.now();
  let code = 2;
  try {
    code = await run(o);
  } catch (e) {
    if (!signalled) process.stderr.write(`demo: ${(e as Error).stack ?? String(e)}\n`);
    code = 2;
  }
  if (signalled) return new Promise<number>(() => {}); // onSignal exits
  const { left, killed } = await stopAll();
  const n = spawned.size;
  say(
    dim(
      `Stopped ${n} browser process${n === 1 ? '' : 'es'} and the servers${killed.length ? ` (${killed.length} killed after the browser closed)` : ''}; ${left.length ? red(`${left.length} still running: ${left.map((p) => p.pid).join(', ')}`) : 'nothing left running'}. ${((Date.now() - t0) / 1000).toFixed(1)} s.`,
    ),
  );
  try {
    // The e2e test reads which processes ran, to check from outside that none survived.
    const resultFile = join(o.out, 'demo-result.json');
    const prev = JSON.parse(readFileSync(resultFile, 'utf8'));
    prev.processes = {
      started: [...spawned.values()],
      profileDirs: [...profileDirs],
      leftRunning: left,
      killedAfterClose: killed,
    };
    writeFileSync(resultFile, JSON.stringify(prev, null, 2) + '\n');
  } catch {}
  return left.length && code === 0 ? 1 : code;
}

async function run(o: Options): Promise<number> {
  const mode = o.headless ? 'headless' : 'with a window';
  say(bold(`CORS Lens demo — ${o.browser === 'firefox' ? 'Firefox ESR' : 'Chromium'}, ${mode}`));

  const calls = callsFor(o.browser);
  const s = await startDemoServers(o.port, calls);
  stoppers.push({ what: 'servers', stop: () => s.close() });
  say(
    `  frontend ${s.frontend}/   API ${s.api}   file server ${s.files}${s.widget ? `   partner widget ${s.widget} (public)` : ''}`,
  );

  const launchOpts = {
    headless: o.headless,
    minRows: calls.length,
    publicOrigins: s.widget ? [s.widget] : [],
    warn: (m: string) => say(`  ${paint('33', 'note:')} ${m}`),
  };
  const launch = o.browser === 'firefox' ? firefox : o.headless ? chromiumHeadless : chromiumWithDevtools;
  // Register the stopper before the launch resolves: a Ctrl-C during a slow launch must still close it.
  let b: DemoBrowser | null = null;
  let launching = launch(launchOpts);
  stoppers.push({
    what: 'browser',
    stop: async () => {
      const browser = b ?? (await launching.catch(() => null));
      noteProcesses();
      await browser?.close();
    },
  });
  try {
    b = await launching;
  } catch (e) {
    // DISPLAY set but no usable X server (a stale ssh -X, a closed Xvfb): run headless rather than fail.
    if (o.headless || signalled) throw e;
    launchOpts.warn(
      `could not open a window on ${process.env.DISPLAY ?? process.env.WAYLAND_DISPLAY} (${String((e as Error).message)
        .split('\n')[0]
        .slice(0, 160)}); running headless`,
    );
    o.headless = true;
    launchOpts.headless = true;
    launching = (o.browser === 'firefox' ? firefox : chromiumHeadless)(launchOpts);
    b = await launching;
  }
  noteProcesses();
  say(`  ${b.label} with CORS Lens (${b.extensionBase})`);

  const pageUrl = `${s.frontend}/`;
  // With a window, open the panel before the calls run so they can be watched arriving.
  await b.openFrontend(pageUrl, !o.headless);
  const tabId = await b.tabIdOf(pageUrl);
  if (!o.headless) {
    await b.showPanel?.(tabId);
    await b.runAll();
  }
  await poll(() => b.pageDone(), 'the frontend to run every call', 60_000);
  const entries = await waitForDiagnoses(b, tabId, s);
  // Select a blocked request so its explanation and fix are on screen (Firefox: the panel page in a tab).
  if (!o.headless) await b.showPanel?.(tabId, '/api/search');
  noteProcesses();

  const items: ReportItem[] = entries.map((e) => ({ request: e.request, verdict: e.verdict }));
  const report = buildReport(items);
  say();
  say(bold(`What CORS Lens saw in the frontend's tab (the table of \`cors-lens explain\`):`));
  process.stdout.write(
    toTable(report, { width: tty ? Math.max(100, process.stdout.columns ?? 160) : 160, color: tty }),
  );

  const checks = checkCalls(items, s, b.name, b.nativeVerdicts(), o.headless);
  const bad = checks.filter((c) => !c.ok);
  say();
  say(bold(`Checks: every planted mistake diagnosed with its reason, every correct endpoint allowed`));
  printChecks(checks, b.name);
  say(
    bad.length
      ? red(`  ${bad.length} of ${checks.length} wrong`)
      : green(`  ${checks.length}/${checks.length} as expected`),
  );
  if (o.verbose) {
    say();
    say(bold('Requests the servers received:'));
    for (const l of apiLog) say(`  ${l}`);
  }

  // Report files: JSON (the CLI's --json shape), Markdown with the suggested Express fix, the checks.
  mkdirSync(o.out, { recursive: true });
  const rel = (f: string) => (relative(process.cwd(), f).startsWith('..') ? f : relative(process.cwd(), f));
  const files: string[] = [];
  const write = (name: string, text: string) => {
    const f = join(o.out, name);
    writeFileSync(f, text);
    files.push(f);
  };
  write('report.json', toJson(report, { indent: 2 }) + '\n');
  write(
    'report.md',
    toMarkdown(report, { title: `CORS Lens demo: Acme Shop frontend in ${b.label}` }) + '\n' + fixesMarkdown(items),
  );
  const result = {
    browser: b.name,
    browserLabel: b.label,
    headless: o.headless,
    origins: { frontend: s.frontend, api: s.api, files: s.files, down: s.down, widget: s.widget },
    tabId,
    ok: bad.length === 0,
    checks,
    screenshots: [] as string[],
  };
  write('demo-result.json', JSON.stringify(result, null, 2) + '\n');

  if (o.headless) {
    // The panel with a blocked request selected (its detail view explains it and shows the fix), light and dark;
    // the popup sized like a popup. The panel is opened as a tab: the same page DevTools shows.
    const select = '/api/search';
    const shots = [
      {
        page: 'panel' as const,
        query: `tabId=${tabId}`,
        width: 1280,
        height: 800,
        file: join(o.out, 'panel-light.png'),
        select,
      },
      {
        page: 'panel' as const,
        query: `tabId=${tabId}&theme=dark`,
        width: 1280,
        height: 800,
        file: join(o.out, 'panel-dark.png'),
        select,
      },
      {
        page: 'popup' as const,
        query: `tabId=${tabId}`,
        width: 420,
        height: 600,
        file: join(o.out, 'popup.png'),
        fitContent: true,
      },
    ];
    for (const shot of shots) {
      await b.screenshot(shot);
      files.push(shot.file);
      result.screenshots.push(shot.file);
    }
    writeFileSync(join(o.out, 'demo-result.json'), JSON.stringify(result, null, 2) + '\n');
    noteProcesses();
  }
  say();
  // The same merged fix as the panel, the popup and `cors-lens explain --framework express` (one function).
  const fix = suggestMergedFix(items, 'express').perOrigin.find((f) => f.targetOrigin === s.api);
  if (fix) {
    say(bold('The fix for the API (Express, `cors` package; every framework is in the panel):'));
    for (const line of fixTextLines(fix, (x) => x)) say(line.trimEnd());
  }
  say(`Report and screenshots in ${rel(o.out)}/: ${files.map((f) => relative(o.out, f)).join(', ')}`);

  if (!o.headless) {
    say();
    say(bold('The browser stays open: explore the CORS panel. Close the browser or press Ctrl-C to stop.'));
    await b.disconnected;
  }
  return bad.length ? 1 : 0;
}
