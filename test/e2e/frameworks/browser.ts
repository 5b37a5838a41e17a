// Real headless Chromium for the framework e2e tests: runs CORS scenarios from a page, and turns what CDP
// saw (requests, preflights, raw response headers, Chromium's corsErrorStatus) into ObservedRequest +
// Verdict pairs — the same input the extension and the CLI feed to suggestFix().
import { chromium, type Browser, type BrowserContext, type CDPSession } from 'playwright-core';
import type {
  BlockReason,
  ChromiumCorsError,
  CredentialsMode,
  Exchange,
  Header,
  ObservedRequest,
  Verdict,
} from '../../../src/engine/types';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: false,
    args: CHROMIUM_ARGS,
    timeout: 120_000,
  });
}

/** One failing case replayed from the page. */
export interface Scenario {
  id: string;
  path: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  credentials?: RequestCredentials;
  /** A response header the page reads (hidden unless exposed). */
  read?: string;
}

/** The five cases the brief names. */
export const SCENARIOS: Scenario[] = [
  {
    id: 'put-custom-header',
    path: '/api/items',
    method: 'PUT',
    headers: { 'X-Custom': '1', 'Content-Type': 'application/json' },
    body: '{"name":"x"}',
  },
  { id: 'credentialed-get', path: '/api/me', method: 'GET', credentials: 'include' },
  { id: 'authorization', path: '/api/items', method: 'GET', headers: { Authorization: 'Bearer t0ken' } },
  { id: 'exposed-header', path: '/api/items', method: 'GET', read: 'X-Total-Count' },
  { id: 'patch', path: '/api/items/1', method: 'PATCH' },
];

/** Behind a proxy: the app adds its own ACAO too, so two layers answer (proxies only). */
export const DUPLICATE_SCENARIO: Scenario = { id: 'duplicate-acao', path: '/api/dup', method: 'GET' };

/** An unhandled exception in the app (500): for servers whose error responses lose CORS headers. */
export const ERROR_SCENARIO: Scenario = { id: 'server-error', path: '/api/boom', method: 'GET' };

export interface ScenarioResult {
  scenario: Scenario;
  /** fetch() resolved. */
  ok: boolean;
  /** Status the page saw (0 when fetch() rejected). */
  status: number;
  /** Value of `scenario.read` as the page saw it (null = hidden or absent). */
  readValue: string | null;
  /** Chromium's verdict from Network.loadingFailed.corsErrorStatus. */
  corsError: ChromiumCorsError | null;
  failedParameter: string;
  observed: ObservedRequest;
  verdict: Verdict;
}

/** Raw response header lines (duplicates kept) from CDP's headersText, else the folded headers object. */
function responseHeaders(extra: any, fallback: Record<string, string> | undefined): Header[] {
  if (typeof extra?.headersText === 'string') {
    return extra.headersText
      .split('\r\n')
      .slice(1)
      .filter((l: string) => l.includes(':'))
      .map((l: string) => ({ name: l.slice(0, l.indexOf(':')).trim(), value: l.slice(l.indexOf(':') + 1).trim() }));
  }
  const obj = extra?.headers ?? fallback ?? {};
  return Object.entries(obj as Record<string, string>).flatMap(([name, v]) =>
    String(v)
      .split('\n')
      .map((value) => ({ name, value })),
  );
}

const toHeaders = (o: Record<string, string> | undefined): Header[] =>
  Object.entries(o ?? {}).map(([name, value]) => ({ name, value }));

/** Collects CDP network events for one page. */
class NetLog {
  sent = new Map<string, any>();
  sentExtra = new Map<string, any>();
  resp = new Map<string, any>();
  respExtra = new Map<string, any>();
  failed = new Map<string, any>();
  finished = new Set<string>();
  constructor(cdp: CDPSession) {
    cdp.on('Network.requestWillBeSent', (e) => this.sent.set(e.requestId, e));
    cdp.on('Network.requestWillBeSentExtraInfo', (e) => this.sentExtra.set(e.requestId, e));
    cdp.on('Network.responseReceived', (e) => this.resp.set(e.requestId, e));
    cdp.on('Network.responseReceivedExtraInfo', (e) => this.respExtra.set(e.requestId, e));
    cdp.on('Network.loadingFailed', (e) => this.failed.set(e.requestId, e));
    cdp.on('Network.loadingFinished', (e) => this.finished.add(e.requestId));
  }

  mainIdFor(url: string, method: string, since: Set<string>): string | undefined {
    return [...this.sent.values()].find(
      (e) =>
        !since.has(e.requestId) &&
        e.request.url === url &&
        e.request.method === method &&
        e.initiator?.type !== 'preflight',
    )?.requestId;
  }

  done(id: string): boolean {
    return this.failed.has(id) || this.finished.has(id);
  }

  exchange(id: string, kind: 'preflight' | 'main'): Exchange {
    const s = this.sent.get(id);
    const extra = this.sentExtra.get(id);
    const r = this.resp.get(id);
    const rx = this.respExtra.get(id);
    const status = rx?.statusCode ?? r?.response?.status;
    return {
      kind,
      url: s.request.url,
      method: s.request.method,
      requestHeaders: extra ? toHeaders(extra.headers) : toHeaders(s.request.headers),
      response: status === undefined ? null : { status, headers: responseHeaders(rx, r?.response?.headers) },
    };
  }

  preflightFor(mainId: string): string | undefined {
    return [...this.sent.values()].find((e) => e.initiator?.type === 'preflight' && e.initiator?.requestId === mainId)
      ?.requestId;
  }
}

const PREFLIGHT_STAGE = /^Preflight|PreflightResponse$|DisallowedByPreflightResponse$/;

/** Builds what the extension would have captured for one scenario. */
function observe(
  log: NetLog,
  mainId: string,
  pageOrigin: string,
  sc: Scenario,
  readValue: string | null,
): Omit<ScenarioResult, 'scenario' | 'ok' | 'status' | 'readValue'> {
  const exchanges: Exchange[] = [];
  const pre = log.preflightFor(mainId);
  if (pre) exchanges.push(log.exchange(pre, 'preflight'));
  const mainIndex = exchanges.length;
  exchanges.push(log.exchange(mainId, 'main'));
  const failed = log.failed.get(mainId);
  const cors = failed?.corsErrorStatus as { corsError: ChromiumCorsError; failedParameter: string } | undefined;
  const credentials: CredentialsMode = sc.credentials === 'include' ? 'include' : 'same-origin';
  const observed: ObservedRequest = {
    id: `${sc.id}@${pageOrigin}`,
    initiator: pageOrigin,
    method: sc.method,
    url: exchanges[mainIndex].url,
    exchanges,
    type: 'fetch',
    outcome: failed
      ? { kind: 'error', error: failed.errorText }
      : { kind: 'completed', status: exchanges[mainIndex].response?.status ?? 0 },
    hints: { mode: 'cors', credentials, source: 'cdp' },
  };
  const base = {
    browser: 'chromium' as const,
    mode: 'cors' as const,
    credentials,
    inferences: [],
    findings: [],
    trace: [],
    preflight: pre ? ('sent' as const) : ('not-needed' as const),
  };
  let verdict: Verdict;
  if (cors) {
    const preflightStage = PREFLIGHT_STAGE.test(cors.corsError);
    const reason: BlockReason = {
      corsError: cors.corsError,
      failedParameter: cors.failedParameter ?? '',
      firefoxReason: 'CORSDidNotSucceed',
      exchangeIndex: preflightStage && pre ? 0 : mainIndex,
      stage: preflightStage ? 'preflight' : 'response',
    };
    // When the preflight failed, Chromium never sent the actual request: like the extension's capture
    // (webRequest still reports its headers), keep it with no response.
    if (preflightStage) exchanges[mainIndex] = { ...exchanges[mainIndex], response: null };
    verdict = { ...base, kind: 'blocked', reason };
  } else if (sc.read && readValue === null) {
    verdict = { ...base, kind: 'allowed-hidden-headers', hiddenHeaders: [sc.read] };
  } else {
    verdict = { ...base, kind: 'allowed' };
  }
  return { corsError: cors?.corsError ?? null, failedParameter: cors?.failedParameter ?? '', observed, verdict };
}

async function poll<T>(fn: () => T | undefined | null | false, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Open `pageOrigin` in a fresh context (fresh preflight and HTTP caches) and replay every scenario
 * against `apiOrigin`, one after the other.
 */
export async function runScenarios(
  browser: Browser,
  pageOrigin: string,
  apiOrigin: string,
  scenarios: Scenario[] = SCENARIOS,
): Promise<ScenarioResult[]> {
  const ctx: BrowserContext = await browser.newContext();
  try {
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    const log = new NetLog(cdp);
    await page.goto(`${pageOrigin}/`);
    const out: ScenarioResult[] = [];
    for (const sc of scenarios) {
      const before = new Set(log.sent.keys());
      const url = apiOrigin + sc.path;
      const res = await page.evaluate(
        async ({ url, sc }) => {
          try {
            const r = await fetch(url, {
              method: sc.method,
              headers: sc.headers ?? {},
              body: sc.body,
              credentials: sc.credentials ?? 'same-origin',
              cache: 'no-store',
            });
            await r.text();
            return { ok: true, status: r.status, read: sc.read ? r.headers.get(sc.read) : null };
          } catch {
            return { ok: false, status: 0, read: null };
          }
        },
        { url, sc },
      );
      const mainId = await poll(() => log.mainIdFor(url, sc.method, before), `CDP events for ${sc.id}`);
      await poll(() => log.done(mainId), `${sc.id} to finish`);
      out.push({
        scenario: sc,
        ok: res.ok,
        status: res.status,
        readValue: res.read,
        ...observe(log, mainId, pageOrigin, sc, res.read),
      });
    }
    return out;
  } finally {
    await ctx.close();
  }
}
