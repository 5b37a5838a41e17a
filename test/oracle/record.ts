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
  /** The page's isSecureContext. */
  secure?: boolean;
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
  chromiumIssues: Array<{
    url: string;
    requestId?: string;
    corsError: ChromiumCorsError;
    failedParameter: string;
    t: number;
  }>;
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
  /** Sets the loopback-network permission (Local Network Access) of a page origin. */
  setLoopbackNetwork(origin: string, state: 'granted' | 'denied'): Promise<void>;
  close(): Promise<void>;
  /** Chromium LNA launch: the network stack's own error per `METHOD url`, read from the NetLog after close(). */
  netErrors?: Map<string, string>;
}

/** Host name the LNA launch maps to 127.0.0.1, so the page on A is also reachable as a non-secure context. */
const INSECURE_HOST = 'insecure.test';

/**
 * How the LNA group launches the browser: page origin A in the public address space, `insecure.test` → 127.0.0.1.
 * Chromium: --ip-address-space-overrides (services/network/public/cpp/network_switches.cc); Firefox: the
 * network.lna.address_space.public.override pref (modules/libpref/init/StaticPrefList.yaml).
 */
interface LnaLaunch {
  pagePort: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const emptyCollected = (): Collected => ({
  chromiumRequests: new Map(),
  chromiumIssues: [],
  console: [],
  firefoxFailed: [],
});

async function launchChromium(lna?: LnaLaunch): Promise<Driver> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'oracle-chromium-'));
  const netLog = join(userDataDir, 'netlog.json');
  // The CORS layer reports an LNA refusal to CDP as net::ERR_FAILED plus a CorsError; the network stack's own error
  // (what webRequest reports) is only in the NetLog.
  const lnaArgs = lna
    ? [
        `--ip-address-space-overrides=127.0.0.1:${lna.pagePort}=public`,
        `--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`,
        `--log-net-log=${netLog}`,
      ]
    : [];
  // ignoreDefaultArgs: true — Playwright's defaults add --disable-features=…AvoidCorsURLLoaderRestartOnRedirect…,
  // which changes how Chromium re-issues CORS requests across redirects (services/network/cors/cors_url_loader.cc). We pass the
  // whole command line ourselves and keep Chromium's own feature defaults.
  const browser: PwBrowser = await chromium.launch({
    executablePath: process.env.ORACLE_CHROMIUM ?? '/usr/bin/chromium',
    ignoreDefaultArgs: true,
    args: [
      '--headless=new',
      `--user-data-dir=${userDataDir}`,
      '--remote-debugging-pipe',
      '--no-startup-window',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--mute-audio',
      ...lnaArgs,
    ],
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
    else
      collected.chromiumRequests.set(p.requestId, {
        requestId: p.requestId,
        urls: [p.request.url],
        method: p.request.method,
        t: Date.now(),
      });
  });
  cdp.on('Network.loadingFailed', (p) => {
    const known = collected.chromiumRequests.get(p.requestId);
    if (!known) return;
    known.failed = {
      errorText: p.errorText,
      corsError: p.corsErrorStatus?.corsError as ChromiumCorsError | undefined,
      failedParameter: p.corsErrorStatus?.failedParameter,
    };
  });
  cdp.on('Audits.issueAdded', (p) => {
    const d = p.issue.details.corsIssueDetails;
    if (p.issue.code !== 'CorsIssue' || !d || d.isWarning) return;
    collected.chromiumIssues.push({
      url: d.request.url,
      requestId: d.request.requestId,
      corsError: d.corsErrorStatus.corsError as ChromiumCorsError,
      failedParameter: d.corsErrorStatus.failedParameter,
      t: Date.now(),
    });
  });
  cdp.on('Log.entryAdded', (p) => {
    collected.console.push({ text: p.entry.text, level: p.entry.level, t: Date.now() });
  });
  await cdp.send('Network.enable');
  await cdp.send('Log.enable');
  await cdp.send('Audits.enable');
  const driver: Driver = {
    name: 'chromium',
    version: browser.version(),
    tag: 'c',
    collected,
    goto: async (url) => {
      await page.goto(url, { waitUntil: 'load' });
    },
    // A string expression, not a function: tsx (esbuild keepNames) would inject __name() into a serialized function.
    run: async (jobs, concurrency) =>
      (await page.evaluate(`window.__oracleBatch(${JSON.stringify(jobs)}, ${concurrency})`)) as CallResult[][],
    setLoopbackNetwork: async (origin, setting) => {
      // Browser.setPermission acts on the default browser context unless told which one the page lives in.
      const { targetInfo } = await cdp.send('Target.getTargetInfo');
      await cdp.send('Browser.setPermission', {
        permission: { name: 'loopback-network' },
        setting,
        origin,
        browserContextId: targetInfo.browserContextId,
      });
    },
    close: async () => {
      await browser.close();
      if (lna) driver.netErrors = readNetLogErrors(netLog);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  return driver;
}

/** `METHOD url` → the net error its URL_REQUEST ended with (net/log/net_log_event_type_list.h REQUEST_ALIVE). */
function readNetLogErrors(file: string): Map<string, string> {
  const out = new Map<string, string>();
  const log = JSON.parse(readFileSync(file, 'utf8')) as {
    constants: { logEventTypes: Record<string, number>; netError: Record<string, number> };
    events: Array<{
      type: number;
      source: { id: number };
      params?: { url?: string; method?: string; net_error?: number };
    }>;
  };
  const START = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  const ALIVE = log.constants.logEventTypes.REQUEST_ALIVE;
  const errName = new Map(Object.entries(log.constants.netError).map(([k, v]) => [v, `net::${k}`]));
  const started = new Map<number, string>();
  for (const e of log.events) {
    if (e.type === START && e.params?.url && e.params.method && !started.has(e.source.id))
      started.set(e.source.id, `${e.params.method} ${e.params.url}`);
    if (e.type === ALIVE && e.params?.net_error) {
      const key = started.get(e.source.id);
      const name = errName.get(e.params.net_error);
      if (key && name) out.set(key, name);
    }
  }
  return out;
}

async function launchFirefox(lna?: LnaLaunch): Promise<Driver> {
  const lnaPrefs = lna
    ? {
        'network.lna.address_space.public.override': `127.0.0.1:${lna.pagePort}`,
        // Should a call still reach the prompt nobody answers headless: denied after 1 s, not 5 min (StaticPrefList.yaml).
        'network.lna.prompt.timeout': 1000,
        'network.dns.localDomains': INSECURE_HOST,
      }
    : {};
  const browser: PpBrowser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.ORACLE_FIREFOX ?? '/usr/bin/firefox-esr',
    headless: true,
    protocol: 'webDriverBiDi',
    // Puppeteer's profile turns cookie isolation off; restore Firefox's default (dFPI) so cookies behave as shipped.
    extraPrefsFirefox: {
      'network.cookie.cookieBehavior': 5,
      'browser.contentblocking.features.standard': '-tp,tpPrivate,cookieBehavior5,-cm,-fp',
      ...lnaPrefs,
    },
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
  page.on('requestfailed', (req) =>
    collected.firefoxFailed.push({ url: req.url(), errorText: req.failure()?.errorText ?? '', t: Date.now() }),
  );
  const version = (await browser.version()).replace(/^firefox\//, '');
  return {
    name: 'firefox',
    version,
    tag: 'f',
    collected,
    goto: async (url) => {
      await page.goto(url, { waitUntil: 'load' });
    },
    run: async (jobs, concurrency) =>
      (await page.evaluate(`window.__oracleBatch(${JSON.stringify(jobs)}, ${concurrency})`)) as CallResult[][],
    setLoopbackNetwork: async (origin, state) => {
      const conn = (browser as unknown as { connection: { send(m: string, p: unknown): Promise<unknown> } }).connection;
      await conn.send('permissions.setPermission', { descriptor: { name: 'loopback-network' }, state, origin });
    },
    close: async () => {
      await browser.close();
    },
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
function callWindows(
  log: ServerLogEntry[],
  sid: string,
  tag: string,
  n: number,
): Array<{ t0: number; t1: number; seq0: number; seq1: number }> {
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
const SAFELISTED_RESPONSE = new Set([
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
]);

function hiddenHeaders(
  s: Scenario,
  call: PageCall,
  result: CallResult,
  finalHeaders: WireHeader[] | undefined,
): string[] {
  if (
    !result.ok ||
    !result.readable ||
    call.api === 'img' ||
    call.api === 'script' ||
    result.type === 'opaque' ||
    result.type === 'opaqueredirect'
  )
    return [];
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
function verdictFor(
  driver: Driver,
  s: Scenario,
  i: number,
  call: PageCall,
  result: CallResult,
  window: { t0: number; t1: number },
  entries: ServerLogEntry[],
  raw: string,
  pageOrigin: string,
): ExpectedVerdict {
  const c = driver.collected;
  const inWindow = (t: number) => t >= window.t0 && t < window.t1;
  const base = {
    url: raw,
    method: call.api === 'fetch' || call.api === 'xhr' ? (call.method ?? 'GET') : 'GET',
    js: { ok: result.ok, status: result.status, type: result.type, error: result.error },
  };
  const crossOriginSeen =
    entries.some((e) => new URL(e.url).origin !== pageOrigin) || !raw.startsWith(pageOrigin + '/');
  const last = [...entries].reverse().find((e) => e.method !== 'OPTIONS' && e.response);
  const finalHeaders = last?.response?.headers;
  const successVerdict = (): ExpectedVerdict => {
    if (modeOf(call) === 'no-cors' && crossOriginSeen)
      return { ...base, verdict: 'not-cors', notCorsWhy: 'no-cors', status: result.status };
    if (!crossOriginSeen) return { ...base, verdict: 'not-cors', notCorsWhy: 'same-origin', status: result.status };
    const hidden = hiddenHeaders(s, call, result, finalHeaders);
    return hidden.length > 0
      ? { ...base, verdict: 'allowed-hidden-headers', hiddenHeaders: hidden, status: result.status }
      : { ...base, verdict: 'allowed', status: result.status };
  };

  if (driver.name === 'chromium') {
    const reqs = [...c.chromiumRequests.values()]
      .filter((r) => urlBelongs(r.urls[0], s.id, raw) && inWindow(r.t))
      .sort((a, b) => a.t - b.t);
    const req = reqs[0];
    // Renderer-side errors (DisallowedByMode, NoCorsRedirectModeNotFollow) have no network request: match the issue by URL.
    // Audits raises LocalNetworkAccessPermissionDenied even for granted requests that got their 200: for LNA only
    // loadingFailed.corsErrorStatus counts.
    const issue = c.chromiumIssues.find(
      (x) =>
        !LNA_CORS_ERRORS.has(x.corsError) &&
        (req ? x.requestId === req.requestId : urlBelongs(x.url, s.id, raw) && inWindow(x.t)),
    );
    const corsError = req?.failed?.corsError ?? issue?.corsError;
    const failedParameter = req?.failed?.corsError
      ? (req.failed.failedParameter ?? '')
      : (issue?.failedParameter ?? '');
    const message = c.console.find(
      (m) =>
        inWindow(m.t) &&
        m.level === 'error' &&
        (m.text.includes(raw) || m.text.includes(`/s/${s.id}/`)) &&
        /CORS policy|Fetch API cannot load/.test(m.text),
    )?.text;
    const netError = req?.failed?.errorText;
    // Local Network Access refusals carry a CorsError but are not CORS decisions (services/network/public/mojom/cors.mojom).
    if (corsError && LNA_CORS_ERRORS.has(corsError))
      return {
        ...base,
        verdict: 'not-cors',
        notCorsWhy: 'local-network-access',
        chromium: { corsError, failedParameter, message },
        error: netError ?? 'net::ERR_FAILED',
      };
    if (corsError)
      return {
        ...base,
        verdict: 'blocked',
        chromium: { corsError, failedParameter, message },
        error: netError ?? 'net::ERR_FAILED',
      };
    if (result.ok) return successVerdict();
    const anyMessage =
      message ??
      c.console.find(
        (m) => inWindow(m.t) && m.level === 'error' && (m.text.includes(raw) || m.text.includes(`/s/${s.id}/`)),
      )?.text;
    // A mode:same-origin request redirected cross-origin is refused in the renderer ("Unsafe attempt to load URL …"),
    // with no CorsError: still the browser refusing a cross-origin load because of the request mode.
    if (anyMessage && /^Unsafe attempt to load URL/.test(anyMessage)) {
      return {
        ...base,
        verdict: 'blocked',
        error: netError ?? 'net::ERR_FAILED',
        chromium: { corsError: null, failedParameter: '', message: anyMessage },
      };
    }
    return {
      ...base,
      verdict: 'not-cors',
      notCorsWhy: 'network-error',
      error: netError ?? 'net::ERR_FAILED',
      chromium: anyMessage ? { corsError: null, failedParameter: '', message: anyMessage } : undefined,
    };
  }

  // Firefox: the first "Cross-Origin Request Blocked" entry naming one of this scenario's URLs in the window.
  const msgs = c.console.filter((m) => inWindow(m.t) && (m.text.includes(raw) || m.text.includes(`/s/${s.id}/`)));
  const parsed = msgs.map((m) => ({ m, p: parseFirefoxCorsMessage(m.text) }));
  const blockedMsg = parsed.find((x) => x.p && !x.p.warning);
  const warning = parsed.find((x) => x.p?.warning)?.m.text;
  const failed = c.firefoxFailed.find((f) => urlBelongs(f.url, s.id, raw) && inWindow(f.t));
  // Firefox fails a refused Local Network Access request with its own nsresult, then logs "CORS request did not
  // succeed" like any failed channel (netwerk/base/ErrorList.py NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED).
  if (!result.ok && failed && /LOCAL_NETWORK_ACCESS/.test(failed.errorText)) {
    return {
      ...base,
      verdict: 'not-cors',
      notCorsWhy: 'local-network-access',
      firefox: blockedMsg?.p ? { reason: blockedMsg.p.reason, message: blockedMsg.m.text } : undefined,
      error: failed.errorText,
    };
  }
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
    if (reason === 'CORSDidNotSucceed' && failed?.errorText !== 'NS_ERROR_DOM_BAD_URI')
      return {
        ...base,
        verdict: 'not-cors',
        notCorsWhy: 'network-error',
        firefox: fx,
        error: failed?.errorText ?? 'NS_ERROR_FAILURE',
      };
    return { ...base, verdict: 'blocked', firefox: fx, error: failed?.errorText ?? 'NS_ERROR_DOM_BAD_URI' };
  }
  const other = msgs[0]?.text ?? null;
  // "Security Error: Content at … may not load data from …" is Firefox's same-origin-mode refusal.
  if (other && /may not load data from/.test(other))
    return {
      ...base,
      verdict: 'blocked',
      firefox: { reason: null, message: other },
      error: failed?.errorText ?? 'NS_ERROR_DOM_BAD_URI',
    };
  return {
    ...base,
    verdict: 'not-cors',
    notCorsWhy: 'network-error',
    firefox: other ? { reason: null, message: other } : undefined,
    error: failed?.errorText ?? 'NS_ERROR_FAILURE',
  };
}

const LNA_CORS_ERRORS: ReadonlySet<ChromiumCorsError> = new Set<ChromiumCorsError>([
  'LocalNetworkAccessPermissionDenied',
  'InsecureLocalNetwork',
  'InvalidLocalNetworkAccess',
]);

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

interface Args {
  browsers: BrowserName[];
  only?: Set<string>;
  grep?: string;
  batch: number;
  concurrency: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { browsers: ['chromium', 'firefox'], batch: 40, concurrency: 6 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--browser') {
      a.browsers = [v as BrowserName];
      i++;
    } else if (k === '--only') {
      a.only = new Set(v.split(','));
      i++;
    } else if (k === '--grep') {
      a.grep = v;
      i++;
    } else if (k === '--batch') {
      a.batch = Number(v);
      i++;
    } else if (k === '--concurrency') {
      a.concurrency = Number(v);
      i++;
    }
  }
  return a;
}

/** One page load's worth of scenarios: the page they run in and what to do before. */
interface Phase {
  pageOrigin: string;
  scenarios: Scenario[];
  before?: (d: Driver) => Promise<void>;
}

function phasesOf(selected: Scenario[], ports: Ports, lna: boolean): Phase[] {
  const pageOrigin = originOf('A', ports);
  if (!lna) {
    // Phase 1 runs before any cookie exists; phase 2 after /set-cookie (cookies are per host, shared by ports).
    return [
      { pageOrigin, scenarios: selected.filter((s) => !s.cookie) },
      { pageOrigin, scenarios: selected.filter((s) => s.cookie), before: (d) => d.goto(`${pageOrigin}/set-cookie`) },
    ];
  }
  const of = (page: string, permission: string) =>
    selected.filter((s) => s.lna?.page === page && s.lna.permission === permission);
  // Headless Chromium denies at once when nothing was granted. Firefox puts the call behind a prompt nobody answers,
  // which can hold it for the whole prompt timeout: deny through BiDi instead.
  const deny = (origin: string) => (d: Driver) =>
    d.name === 'firefox' ? d.setLoopbackNetwork(origin, 'denied') : Promise.resolve();
  const insecureOrigin = `http://${INSECURE_HOST}:${ports.A}`;
  return [
    { pageOrigin, scenarios: of('public', 'denied'), before: deny(pageOrigin) },
    { pageOrigin: insecureOrigin, scenarios: of('insecure', 'denied'), before: deny(insecureOrigin) },
    { pageOrigin, scenarios: of('public', 'granted'), before: (d) => d.setLoopbackNetwork(pageOrigin, 'granted') },
  ];
}

interface Ran {
  results: CallResult[];
  pageOrigin: string;
}

/** Runs the phases in one browser launch; returns what each scenario's calls saw and the page they ran in. */
async function runPhases(
  driver: Driver,
  phases: Phase[],
  ports: Ports,
  args: Args,
  total: number,
  done: Map<string, Ran>,
): Promise<void> {
  try {
    for (const phase of phases) {
      if (phase.scenarios.length === 0) continue;
      if (phase.before) await phase.before(driver);
      for (const batch of chunk(phase.scenarios, args.batch)) {
        await driver.goto(`${phase.pageOrigin}/page`);
        const jobs: Job[] = batch.map((s) => ({
          sid: s.id,
          url: firstUrl(s, ports, driver.tag),
          b: driver.tag,
          calls: [s.call, ...(s.then ?? [])],
        }));
        const out = await driver.run(jobs, args.concurrency);
        batch.forEach((s, k) => done.set(s.id, { results: out[k], pageOrigin: phase.pageOrigin }));
        // Console and network events can trail the page's promises a little.
        await sleep(700);
        process.stdout.write(`${driver.name}: ${done.size}/${total}\r`);
      }
    }
  } finally {
    await driver.close();
  }
}

async function recordBrowser(
  name: BrowserName,
  selected: Scenario[],
  ports: Ports,
  log: ServerLogEntry[],
  args: Args,
): Promise<{ version: string; ms: number; files: number }> {
  const started = Date.now();
  const done = new Map<string, Ran>();
  const drivers: Driver[] = [];
  const plain = selected.filter((s) => !s.lna);
  const lna = selected.filter((s) => s.lna);
  if (plain.length > 0) {
    const d = name === 'chromium' ? await launchChromium() : await launchFirefox();
    drivers.push(d);
    await runPhases(d, phasesOf(plain, ports, false), ports, args, selected.length, done);
  }
  // Local Network Access needs another command line (Chromium) or profile (Firefox): a launch of its own.
  if (lna.length > 0) {
    const d =
      name === 'chromium' ? await launchChromium({ pagePort: ports.A }) : await launchFirefox({ pagePort: ports.A });
    drivers.push(d);
    // Firefox: one call at a time. Left to its prompt, calls waiting together outlived the page's 20 s call timeout;
    // denied through BiDi they take as long one by one.
    const lnaArgs = name === 'firefox' ? { ...args, concurrency: 1 } : args;
    await runPhases(d, phasesOf(lna, ports, true), ports, lnaArgs, selected.length, done);
  }
  process.stdout.write('\n');
  const driverOf = (s: Scenario) => drivers[s.lna && plain.length > 0 ? 1 : 0];
  const outDir = join(RECORDINGS_DIR, name);
  mkdirSync(outDir, { recursive: true });
  for (const s of selected) {
    const ran = done.get(s.id);
    if (!ran) continue;
    const driver = driverOf(s);
    const { results: res, pageOrigin } = ran;
    const calls = [s.call, ...(s.then ?? [])];
    const raw = firstUrl(s, ports, driver.tag);
    const windows = callWindows(log, s.id, driver.tag, calls.length);
    const records: CallRecord[] = calls.map((call, i) => {
      const w = windows[i];
      const entries = log.filter((e) => e.sid === s.id && e.b === driver.tag && e.seq > w.seq0 && e.seq < w.seq1);
      const expected = verdictFor(driver, s, i, call, res[i], w, entries, raw, pageOrigin);
      const rec: CallRecord = { requestId: `r${i + 1}`, call, url: raw, entries, expected };
      if (s.lna) {
        rec.secureContext = res[i].secure;
        const method = call.api === 'fetch' || call.api === 'xhr' ? (call.method ?? 'GET') : 'GET';
        const request = driver.netErrors?.get(`${method} ${raw}`);
        const preflight = driver.netErrors?.get(`OPTIONS ${raw}`);
        if (request || preflight) rec.networkError = { request, preflight };
      }
      return rec;
    });
    const har = buildHar({
      scenario: s,
      browser: name,
      browserVersion: driver.version,
      pageUrl: `${pageOrigin}/page`,
      pageOrigin,
      ports,
      records,
    });
    writeFileSync(join(outDir, `${s.id}.har`), JSON.stringify(har, null, 1) + '\n');
  }
  return { version: drivers[0]?.version ?? '', ms: Date.now() - started, files: selected.length };
}

function previousTimings(): Record<string, number> | null {
  try {
    return JSON.parse(readFileSync(join(RECORDINGS_DIR, 'summary.json'), 'utf8')).timingsMs ?? null;
  } catch {
    return null;
  }
}

/** summary.json is rebuilt from every HAR on disk, so partial re-recordings keep it whole. */
export function writeSummary(ports: Ports, timings: Record<string, number>): void {
  const summary: Record<string, unknown> = { ports, timingsMs: timings, browsers: {} };
  for (const b of ['chromium', 'firefox'] as const) {
    const dir = join(RECORDINGS_DIR, b);
    let files: string[] = [];
    try {
      files = readdirSync(dir)
        .filter((f) => f.endsWith('.har'))
        .sort();
    } catch {
      continue;
    }
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
    (summary.browsers as Record<string, unknown>)[b] = {
      version,
      scenarios: files.length,
      requests,
      verdicts,
      reasons: Object.fromEntries(Object.entries(reasons).sort()),
    };
  }
  writeFileSync(join(RECORDINGS_DIR, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
}

export async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const ports: Ports = {
    ...DEFAULT_PORTS,
    ...(process.env.ORACLE_PORT_BASE
      ? (() => {
          const b = Number(process.env.ORACLE_PORT_BASE);
          return { A: b + 1, B: b + 2, C: b + 3, X: b + 9 };
        })()
      : {}),
  };
  let selected = scenarios.filter(
    (s) => (!args.only || args.only.has(s.id)) && (!args.grep || s.id.includes(args.grep)),
  );
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
  // A partial re-recording (--only, --grep) keeps the full run's timings, which the README quotes.
  writeSummary(ports, args.only || args.grep ? (previousTimings() ?? timings) : timings);
  console.log(`total ${(timings.total / 1000).toFixed(1)} s → ${RECORDINGS_DIR}`);
}
