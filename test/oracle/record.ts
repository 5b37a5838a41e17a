// Oracle recorder: runs every scenario of scenarios.ts in real headless Chromium (playwright-core + CDP) and
// Firefox ESR (puppeteer-core over WebDriver BiDi), takes each browser's own verdict per logical request, and
// writes one HAR per scenario per browser (built from the scenario server's wire log) plus summary.json.
// Usage: npm run oracle:record [-- --browser chromium|firefox] [--only id,id] [--grep text]
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser as PwBrowser } from 'playwright-core';
import puppeteer, { type Browser as PpBrowser } from 'puppeteer-core';
import { scenarios } from './scenarios';
import { originOf, scenarioUrl, expandTokens, type PageCall, type Ports, type Scenario } from './scenario-types';
import { startScenarioServer, DEFAULT_PORTS, type ServerLogEntry, type WireHeader } from './scenario-server';
import { parseFirefoxCorsMessage } from './firefox-reasons';
import type { BrowserName, ChromiumCorsError } from '../../src/engine/types';
import { buildHar, type CallRecord, type ExpectedVerdict } from './har-writer';

const here = dirname(fileURLToPath(import.meta.url));
export const RECORDINGS_DIR = join(here, 'recordings');

/** What the page-side runner reports for one call (see page-runner.js). */
export interface CallResult {
  ok: boolean;
  status?: number;
  type?: string;
  readable?: string[];
  finalUrl?: string;
  error?: string;
  errorName?: string;
  t0: number;
  t1: number;
}

interface Job {
  sid: string;
  url: string;
  b: string;
  calls: PageCall[];
}

/** Browser events, timestamped with the Node clock on arrival (same clock as the server log). */
interface ChromiumRequest {
  requestId: string;
  urls: string[];
  method: string;
  t: number;
  failed?: { errorText: string; corsError?: ChromiumCorsError; failedParameter?: string };
}
interface Collected {
  chromiumRequests: Map<string, ChromiumRequest>;
  chromiumIssues: Array<{ url: string; requestId?: string; corsError: ChromiumCorsError; failedParameter: string; t: number }>;
  console: Array<{ text: string; t: number; level: string }>;
  firefoxFailed: Array<{ url: string; errorText: string; t: number }>;
}

interface Driver {
  name: BrowserName;
  version: string;
  tag: string;
  collected: Collected;
  goto(url: string): Promise<void>;
  run(jobs: Job[], concurrency: number): Promise<CallResult[][]>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const emptyCollected = (): Collected => ({ chromiumRequests: new Map(), chromiumIssues: [], console: [], firefoxFailed: [] });

async function launchChromium(): Promise<Driver> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'oracle-chromium-'));
  // ignoreDefaultArgs: true — Playwright's defaults add --disable-features=…AvoidCorsURLLoaderRestartOnRedirect…,
  // which changes how Chromium re-issues CORS requests across redirects (services/network/cors/cors_url_loader.cc). We pass the
  // whole command line ourselves and keep Chromium's own feature defaults.
  const browser: PwBrowser = await chromium.launch({
    executablePath: process.env.ORACLE_CHROMIUM ?? '/usr/bin/chromium',
    ignoreDefaultArgs: true,
    args: ['--headless=new', `--user-data-dir=${userDataDir}`, '--remote-debugging-pipe', '--no-startup-window',
      '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-default-apps', '--mute-audio'],
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const collected = emptyCollected();
  cdp.on('Network.requestWillBeSent', (p) => {
    // Preflights appear as their own CDP requests (initiator type "preflight"); the verdict is on the actual one.
    if (p.initiator?.type === 'preflight') return;
    const known = collected.chromiumRequests.get(p.requestId);
    if (known) known.urls.push(p.request.url);
    else collected.chromiumRequests.set(p.requestId, { requestId: p.requestId, urls: [p.request.url], method: p.request.method, t: Date.now() });
  });
  cdp.on('Network.loadingFailed', (p) => {
    const known = collected.chromiumRequests.get(p.requestId);
    if (!known) return;
    known.failed = { errorText: p.errorText, corsError: p.corsErrorStatus?.corsError as ChromiumCorsError | undefined, failedParameter: p.corsErrorStatus?.failedParameter };
  });
  cdp.on('Audits.issueAdded', (p) => {
    const d = p.issue.details.corsIssueDetails;
    if (p.issue.code !== 'CorsIssue' || !d || d.isWarning) return;
    collected.chromiumIssues.push({ url: d.request.url, requestId: d.request.requestId, corsError: d.corsErrorStatus.corsError as ChromiumCorsError, failedParameter: d.corsErrorStatus.failedParameter, t: Date.now() });
  });
  cdp.on('Log.entryAdded', (p) => {
    collected.console.push({ text: p.entry.text, level: p.entry.level, t: Date.now() });
  });
  await cdp.send('Network.enable');
  await cdp.send('Log.enable');
  await cdp.send('Audits.enable');
  return {
    name: 'chromium', version: browser.version(), tag: 'c', collected,
    goto: async (url) => { await page.goto(url, { waitUntil: 'load' }); },
    // A string expression, not a function: tsx (esbuild keepNames) would inject __name() into a serialized function.
    run: async (jobs, concurrency) => (await page.evaluate(`window.__oracleBatch(${JSON.stringify(jobs)}, ${concurrency})`)) as CallResult[][],
    close: async () => {
      await browser.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

async function launchFirefox(): Promise<Driver> {
  const browser: PpBrowser = await puppeteer.launch({
    browser: 'firefox', executablePath: process.env.ORACLE_FIREFOX ?? '/usr/bin/firefox-esr', headless: true, protocol: 'webDriverBiDi',
    // Puppeteer's profile turns cookie isolation off; restore Firefox's default (dFPI) so cookies behave as shipped.
    extraPrefsFirefox: { 'network.cookie.cookieBehavior': 5, 'browser.contentblocking.features.standard': '-tp,tpPrivate,cookieBehavior5,-cm,-fp' },
  });
  const page = await browser.newPage();
  const collected = emptyCollected();
  // Firefox's CORS console entries come through BiDi log.entryAdded (type javascript, level error), which
  // puppeteer surfaces as `pageerror`; warnings (Authorization covered by *) come as `console`.
  page.on('pageerror', (e: unknown) => {
    const text = e instanceof Error ? e.message : String(e);
    collected.console.push({ text, level: 'error', t: Date.now() });
  });
  page.on('console', (msg) => collected.console.push({ text: msg.text(), level: msg.type(), t: Date.now() }));
  page.on('requestfailed', (req) => collected.firefoxFailed.push({ url: req.url(), errorText: req.failure()?.errorText ?? '', t: Date.now() }));
  const version = (await browser.version()).replace(/^firefox\//, '');
  return {
    name: 'firefox', version, tag: 'f', collected,
    goto: async (url) => { await page.goto(url, { waitUntil: 'load' }); },
    run: async (jobs, concurrency) => (await page.evaluate(`window.__oracleBatch(${JSON.stringify(jobs)}, ${concurrency})`)) as CallResult[][],
    close: async () => { await browser.close(); },
  };
}

function firstUrl(s: Scenario, ports: Ports, tag: string): string {
  if (s.rawUrl) return expandTokens(s.rawUrl, ports, undefined) ?? s.rawUrl;
  return scenarioUrl(s.id, 0, s.target, ports, tag);
}

/** Does this URL belong to scenario `sid` (any hop), or is it the scenario's raw first URL? */
function urlBelongs(url: string, sid: string, raw: string): boolean {
  return url === raw || url.includes(`/s/${sid}/`);
}

/** Node-clock window [start, end) of call i, from the page's /mark requests in the server log. */
function callWindows(log: ServerLogEntry[], sid: string, tag: string, n: number): Array<{ t0: number; t1: number; seq0: number; seq1: number }> {
  const marks = log.filter((e) => e.mark && e.mark.sid === sid && e.mark.b === tag);
  const at = (i: string) => marks.find((e) => e.mark!.i === i);
  const out = [];
  for (let i = 0; i < n; i++) {
    const start = at(String(i));
    const end = i + 1 < n ? at(String(i + 1)) : at('end');
    // The next call's mark closes a window; after the last call, console events may trail the 'end' mark a little.
    const t1 = end ? end.t + (i + 1 < n ? 0 : 2000) : Number.MAX_SAFE_INTEGER;
    out.push({ t0: start?.t ?? 0, t1, seq0: start?.seq ?? 0, seq1: end?.seq ?? Number.MAX_SAFE_INTEGER });
  }
  return out;
}

const IGNORED_FOR_HIDDEN = /^(access-control-|connection$|keep-alive$|transfer-encoding$|vary$|content-length$)/i;
const SAFELISTED_RESPONSE = new Set(['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma']);

function hiddenHeaders(s: Scenario, call: PageCall, result: CallResult, finalHeaders: WireHeader[] | undefined): string[] {
  if (!result.ok || !result.readable || call.api === 'img' || call.api === 'script' || result.type === 'opaque' || result.type === 'opaqueredirect') return [];
  const readable = new Set(result.readable.map((x) => x.toLowerCase()));
  const watch = new Set((s.watchHeaders ?? []).map((x) => x.toLowerCase()));
  const out = new Set<string>();
  for (const hdr of finalHeaders ?? []) {
    const n = hdr.name.toLowerCase();
    if (readable.has(n) || SAFELISTED_RESPONSE.has(n)) continue;
    if (IGNORED_FOR_HIDDEN.test(n) && !watch.has(n)) continue;
    out.add(n);
  }
  return [...out].sort();
}

function modeOf(call: PageCall): string {
  if (call.api === 'fetch') return call.mode ?? 'cors';
  if (call.api === 'xhr') return 'cors';
  return call.crossorigin ? 'cors' : 'no-cors';
}

/** Decide the browser's verdict for call i of scenario s from everything collected. */
function verdictFor(driver: Driver, s: Scenario, i: number, call: PageCall, result: CallResult, window: { t0: number; t1: number },
  entries: ServerLogEntry[], raw: string, pageOrigin: string): ExpectedVerdict {
  const c = driver.collected;
  const inWindow = (t: number) => t >= window.t0 && t < window.t1;
  const base = { url: raw, method: call.api === 'fetch' || call.api === 'xhr' ? (call.method ?? 'GET') : 'GET', js: { ok: result.ok, status: result.status, type: result.type, error: result.error } };
  const crossOriginSeen = entries.some((e) => new URL(e.url).origin !== pageOrigin) || (!raw.startsWith(pageOrigin + '/'));
  const last = [...entries].reverse().find((e) => e.method !== 'OPTIONS' && e.response);
  const finalHeaders = last?.response?.headers;
  const successVerdict = (): ExpectedVerdict => {
    if (modeOf(call) === 'no-cors' && crossOriginSeen) return { ...base, verdict: 'not-cors', notCorsWhy: 'no-cors', status: result.status };
    if (!crossOriginSeen) return { ...base, verdict: 'not-cors', notCorsWhy: 'same-origin', status: result.status };
    const hidden = hiddenHeaders(s, call, result, finalHeaders);
    return hidden.length > 0
      ? { ...base, verdict: 'allowed-hidden-headers', hiddenHeaders: hidden, status: result.status }
      : { ...base, verdict: 'allowed', status: result.status };
  };

  if (driver.name === 'chromium') {
    const reqs = [...c.chromiumRequests.values()].filter((r) => urlBelongs(r.urls[0], s.id, raw) && inWindow(r.t)).sort((a, b) => a.t - b.t);
    const req = reqs[0];
    // Renderer-side errors (DisallowedByMode, NoCorsRedirectModeNotFollow) have no network request: match the issue by URL.
    const issue = c.chromiumIssues.find((x) => (req ? x.requestId === req.requestId : urlBelongs(x.url, s.id, raw) && inWindow(x.t)));
    const corsError = req?.failed?.corsError ?? issue?.corsError;
    const failedParameter = req?.failed?.corsError ? (req.failed.failedParameter ?? '') : (issue?.failedParameter ?? '');
    const message = c.console.find((m) => inWindow(m.t) && m.level === 'error' && (m.text.includes(raw) || m.text.includes(`/s/${s.id}/`)) && /CORS policy|Fetch API cannot load/.test(m.text))?.text;
    const netError = req?.failed?.errorText;
    if (corsError) return { ...base, verdict: 'blocked', chromium: { corsError, failedParameter, message }, error: netError ?? 'net::ERR_FAILED' };
    if (result.ok) return successVerdict();
    const anyMessage = message ?? c.console.find((m) => inWindow(m.t) && m.level === 'error' && (m.text.includes(raw) || m.text.includes(`/s/${s.id}/`)))?.text;
    // A mode:same-origin request redirected cross-origin is refused in the renderer ("Unsafe attempt to load URL …"),
    // with no CorsError: still the browser refusing a cross-origin load because of the request mode.
    if (anyMessage && /^Unsafe attempt to load URL/.test(anyMessage)) {
      return { ...base, verdict: 'blocked', error: netError ?? 'net::ERR_FAILED', chromium: { corsError: null, failedParameter: '', message: anyMessage } };
    }
    return { ...base, verdict: 'not-cors', notCorsWhy: 'network-error', error: netError ?? 'net::ERR_FAILED', chromium: anyMessage ? { corsError: null, failedParameter: '', message: anyMessage } : undefined };
  }

  // Firefox: the first "Cross-Origin Request Blocked" entry naming one of this scenario's URLs in the window.
  const msgs = c.console.filter((m) => inWindow(m.t) && (m.text.includes(raw) || m.text.includes(`/s/${s.id}/`)));
  const parsed = msgs.map((m) => ({ m, p: parseFirefoxCorsMessage(m.text) }));
  const blockedMsg = parsed.find((x) => x.p && !x.p.warning);
  const warning = parsed.find((x) => x.p?.warning)?.m.text;
  const failed = c.firefoxFailed.find((f) => urlBelongs(f.url, s.id, raw) && inWindow(f.t));
  if (result.ok) {
    const v = successVerdict();
    return warning ? { ...v, firefox: { reason: null, message: null, warning } } : v;
  }
  if (blockedMsg?.p) {
    const reason = blockedMsg.p.reason;
    const fx = { reason, message: blockedMsg.m.text, warning };
    // A first message "CORS request did not succeed" means the channel itself failed (refused, reset):
    // a network error, not a CORS decision (security.properties CORSDidNotSucceed2).
    // Firefox also uses it after a userinfo redirect, where the channel was cancelled with NS_ERROR_DOM_BAD_URI
    // (the CORS proxy's code): that one is a CORS refusal.
    if (reason === 'CORSDidNotSucceed' && failed?.errorText !== 'NS_ERROR_DOM_BAD_URI') return { ...base, verdict: 'not-cors', notCorsWhy: 'network-error', firefox: fx, error: failed?.errorText ?? 'NS_ERROR_FAILURE' };
    return { ...base, verdict: 'blocked', firefox: fx, error: failed?.errorText ?? 'NS_ERROR_DOM_BAD_URI' };
  }
  const other = msgs[0]?.text ?? null;
  // "Security Error: Content at … may not load data from …" is Firefox's same-origin-mode refusal.
  if (other && /may not load data from/.test(other)) return { ...base, verdict: 'blocked', firefox: { reason: null, message: other }, error: failed?.errorText ?? 'NS_ERROR_DOM_BAD_URI' };
  return { ...base, verdict: 'not-cors', notCorsWhy: 'network-error', firefox: other ? { reason: null, message: other } : undefined, error: failed?.errorText ?? 'NS_ERROR_FAILURE' };
}

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

interface Args { browsers: BrowserName[]; only?: Set<string>; grep?: string; batch: number; concurrency: number }

function parseArgs(argv: string[]): Args {
  const a: Args = { browsers: ['chromium', 'firefox'], batch: 40, concurrency: 6 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--browser') { a.browsers = [v as BrowserName]; i++; }
    else if (k === '--only') { a.only = new Set(v.split(',')); i++; }
    else if (k === '--grep') { a.grep = v; i++; }
    else if (k === '--batch') { a.batch = Number(v); i++; }
    else if (k === '--concurrency') { a.concurrency = Number(v); i++; }
  }
  return a;
}

async function recordBrowser(name: BrowserName, selected: Scenario[], ports: Ports, log: ServerLogEntry[], args: Args): Promise<{ version: string; ms: number; files: number }> {
  const started = Date.now();
  const driver = name === 'chromium' ? await launchChromium() : await launchFirefox();
  const pageOrigin = originOf('A', ports);
  const pageUrl = `${pageOrigin}/page`;
  const results = new Map<string, CallResult[]>();
  try {
    // Phase 1 runs before any cookie exists; phase 2 after /set-cookie (cookies are per host, shared by ports).
    for (const cookie of [false, true]) {
      const phase = selected.filter((s) => !!s.cookie === cookie);
      if (phase.length === 0) continue;
      if (cookie) await driver.goto(`${pageOrigin}/set-cookie`);
      for (const batch of chunk(phase, args.batch)) {
        await driver.goto(pageUrl);
        const jobs: Job[] = batch.map((s) => ({ sid: s.id, url: firstUrl(s, ports, driver.tag), b: driver.tag, calls: [s.call, ...(s.then ?? [])] }));
        const out = await driver.run(jobs, args.concurrency);
        batch.forEach((s, k) => results.set(s.id, out[k]));
        // Console and network events can trail the page's promises a little.
        await sleep(700);
        process.stdout.write(`${name}: ${results.size}/${selected.length}\r`);
      }
    }
  } finally {
    await driver.close();
  }
  process.stdout.write('\n');
  const outDir = join(RECORDINGS_DIR, name);
  mkdirSync(outDir, { recursive: true });
  for (const s of selected) {
    const res = results.get(s.id);
    if (!res) continue;
    const calls = [s.call, ...(s.then ?? [])];
    const raw = firstUrl(s, ports, driver.tag);
    const windows = callWindows(log, s.id, driver.tag, calls.length);
    const records: CallRecord[] = calls.map((call, i) => {
      const w = windows[i];
      const entries = log.filter((e) => e.sid === s.id && e.b === driver.tag && e.seq > w.seq0 && e.seq < w.seq1);
      const expected = verdictFor(driver, s, i, call, res[i], w, entries, raw, pageOrigin);
      return { requestId: `r${i + 1}`, call, url: raw, entries, expected };
    });
    const har = buildHar({ scenario: s, browser: name, browserVersion: driver.version, pageUrl, pageOrigin, ports, records });
    writeFileSync(join(outDir, `${s.id}.har`), JSON.stringify(har, null, 1) + '\n');
  }
  return { version: driver.version, ms: Date.now() - started, files: selected.length };
}

/** summary.json is rebuilt from every HAR on disk, so partial re-recordings keep it whole. */
export function writeSummary(ports: Ports, timings: Record<string, number>): void {
  const summary: Record<string, unknown> = { ports, timingsMs: timings, browsers: {} };
  for (const b of ['chromium', 'firefox'] as const) {
    const dir = join(RECORDINGS_DIR, b);
    let files: string[] = [];
    try { files = readdirSync(dir).filter((f) => f.endsWith('.har')).sort(); } catch { continue; }
    const verdicts: Record<string, number> = {};
    const reasons: Record<string, number> = {};
    let version = '';
    let requests = 0;
    for (const f of files) {
      const har = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      version = har.log._corsLens.browserVersion;
      for (const e of har.log._corsLens.expected as ExpectedVerdict[]) {
        requests++;
        verdicts[e.verdict] = (verdicts[e.verdict] ?? 0) + 1;
        const key = b === 'chromium' ? e.chromium?.corsError : e.firefox?.reason;
        if (key) reasons[key] = (reasons[key] ?? 0) + 1;
      }
    }
    (summary.browsers as Record<string, unknown>)[b] = { version, scenarios: files.length, requests, verdicts, reasons: Object.fromEntries(Object.entries(reasons).sort()) };
  }
  writeFileSync(join(RECORDINGS_DIR, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
}

export async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const ports: Ports = {
    ...DEFAULT_PORTS,
    ...(process.env.ORACLE_PORT_BASE ? (() => { const b = Number(process.env.ORACLE_PORT_BASE); return { A: b + 1, B: b + 2, C: b + 3, X: b + 9 }; })() : {}),
  };
  let selected = scenarios.filter((s) => (!args.only || args.only.has(s.id)) && (!args.grep || s.id.includes(args.grep)));
  if (selected.length === 0) throw new Error('no scenario selected');
  selected = [...selected];
  const server = await startScenarioServer({ ports, scenarios });
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  try {
    for (const b of args.browsers) {
      const r = await recordBrowser(b, selected, ports, server.log, args);
      timings[b] = r.ms;
      console.log(`${b} ${r.version}: ${r.files} scenarios in ${(r.ms / 1000).toFixed(1)} s`);
    }
  } finally {
    await server.close();
  }
  timings.total = Date.now() - t0;
  writeSummary(ports, timings);
  console.log(`total ${(timings.total / 1000).toFixed(1)} s → ${RECORDINGS_DIR}`);
}
