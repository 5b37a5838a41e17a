// Builds one oracle HAR (conventions in /tmp/prompts/har.md, mirrored in test/oracle/README.md) from the scenario
// server's wire log: one entry per exchange (preflight, actual request, each redirect hop), plus a synthesized
// status-0 entry for a request the browser never sent, and log._corsLens.expected = the browser's own verdicts.
import type { HarEntry as ExportedHarEntry } from '../../src/har';
import type { BrowserName, ChromiumCorsError, FirefoxCorsReason } from '../../src/engine/types';
import type { PageCall, Ports, Scenario } from './scenario-types';
import type { ServerLogEntry, WireHeader } from './scenario-server';

export interface ExpectedVerdict {
  requestId?: string;
  url: string;
  method: string;
  verdict: 'allowed' | 'allowed-hidden-headers' | 'blocked' | 'not-cors';
  /** Chromium: CDP Network.loadingFailed.corsErrorStatus (or the CorsIssue for renderer-side errors). */
  chromium?: { corsError: ChromiumCorsError | null; failedParameter: string; message?: string };
  /** Firefox: the first "Cross-Origin Request Blocked" console entry for this request. */
  firefox?: { reason: FirefoxCorsReason | null; message: string | null; warning?: string };
  notCorsWhy?: 'same-origin' | 'no-cors' | 'network-error' | 'local-network-access';
  hiddenHeaders?: string[];
  status?: number;
  /** Browser error string (net::ERR_FAILED, NS_ERROR_DOM_BAD_URI…). */
  error?: string;
  /** What the page's script saw. */
  js?: { ok: boolean; status?: number; type?: string; error?: string };
}

export interface CallRecord {
  requestId: string;
  call: PageCall;
  url: string;
  entries: ServerLogEntry[];
  expected: ExpectedVerdict;
  /** Local Network Access scenarios: the page's isSecureContext (a page-observer fact, written as a hint). */
  secureContext?: boolean;
  /**
   * Chromium LNA scenarios: the network stack's own error (NetLog) for the request and for its preflight, which is
   * what webRequest and Chrome's HAR show for a request the CORS layer then reports to script as net::ERR_FAILED.
   */
  networkError?: { request?: string; preflight?: string };
}

export type HarHeader = ExportedHarEntry['request']['headers'][number];
/**
 * An entry as src/har/export.ts writes it, without its verdict (`_cors`), and with what the recorder always knows
 * made required: the page, the resource type, the initiator and the page's own view of the call.
 */
export type HarEntry = Omit<
  ExportedHarEntry,
  'pageref' | '_resourceType' | '_initiator' | '_corsLens' | '_cors' | 'serverIPAddress' | '_fromCache'
> & {
  pageref: string;
  _resourceType: string;
  _initiator: { type: string; url: string };
  _corsLens: {
    requestId: string;
    mode: string;
    credentials: string;
    targetAddressSpace?: string;
    secureContext?: boolean;
    hintSource: 'test';
    synthesized?: true;
  };
};

/** Fixed clock: recordings stay byte-identical across runs (entry order carries the timing that matters). */
const BASE_TIME = Date.parse('2026-01-01T00:00:00.000Z');

export function hintsFor(call: PageCall): { mode: string; credentials: string; resourceType: string; method: string } {
  if (call.api === 'fetch')
    return {
      mode: call.mode ?? 'cors',
      credentials: call.credentials ?? 'same-origin',
      resourceType: 'fetch',
      method: call.method ?? 'GET',
    };
  if (call.api === 'xhr')
    return {
      mode: 'cors',
      credentials: call.withCredentials ? 'include' : 'same-origin',
      resourceType: 'xhr',
      method: call.method ?? 'GET',
    };
  const resourceType = call.api === 'img' ? 'image' : 'script';
  // HTML "CORS settings attribute": no attribute = no-cors with credentials included; anonymous = same-origin.
  if (!call.crossorigin) return { mode: 'no-cors', credentials: 'include', resourceType, method: 'GET' };
  return {
    mode: 'cors',
    credentials: call.crossorigin === 'use-credentials' ? 'include' : 'same-origin',
    resourceType,
    method: 'GET',
  };
}

const headerValue = (hs: WireHeader[], name: string): string | undefined =>
  hs.find((h) => h.name.toLowerCase() === name)?.value;

function queryOf(url: string): HarHeader[] {
  try {
    return [...new URL(url).searchParams.entries()].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

export function buildHar(opts: {
  scenario: Scenario;
  browser: BrowserName;
  browserVersion: string;
  pageUrl: string;
  pageOrigin: string;
  ports: Ports;
  records: CallRecord[];
}): unknown {
  const { scenario, browser, browserVersion, pageUrl, records } = opts;
  const entries: HarEntry[] = [];
  let clock = 0;
  // 100 ms per exchange: the calls of one scenario really ran within a second or two of each other, which is
  // what a preflight-cache model needs to know; real timestamps would make every re-recording differ.
  const stamp = () => new Date(BASE_TIME + 100 * clock++).toISOString();

  for (const rec of records) {
    const h = hintsFor(rec.call);
    const lens: HarEntry['_corsLens'] = {
      requestId: rec.requestId,
      mode: h.mode,
      credentials: h.credentials,
      hintSource: 'test',
    };
    if (rec.call.api === 'fetch' && rec.call.targetAddressSpace) lens.targetAddressSpace = rec.call.targetAddressSpace;
    if (rec.secureContext !== undefined) lens.secureContext = rec.secureContext;
    const failed =
      rec.expected.verdict === 'blocked' ||
      (rec.expected.verdict === 'not-cors' &&
        (rec.expected.notCorsWhy === 'network-error' || rec.expected.notCorsWhy === 'local-network-access'));
    const errorText = rec.expected.error ?? (browser === 'chromium' ? 'net::ERR_FAILED' : 'NS_ERROR_DOM_BAD_URI');
    const mine: HarEntry[] = [];
    let prevRedirect: string | null = null;
    for (const e of rec.entries) {
      const isPreflight =
        e.method === 'OPTIONS' && headerValue(e.requestHeaders, 'access-control-request-method') !== undefined;
      // The server never sees userinfo (the browser strips it into Authorization); keep the URL the browser followed.
      let url = e.url;
      if (prevRedirect && !isPreflight) {
        try {
          const a = new URL(prevRedirect);
          a.username = '';
          a.password = '';
          if (a.href === e.url) url = prevRedirect;
        } catch {
          /* keep */
        }
      }
      const resp = e.response;
      const location =
        resp && resp.status >= 300 && resp.status < 400 ? headerValue(resp.headers, 'location') : undefined;
      let redirectURL = '';
      if (location) {
        try {
          redirectURL = new URL(location, url).href;
        } catch {
          redirectURL = location;
        }
      }
      if (!isPreflight) prevRedirect = redirectURL || null;
      mine.push({
        pageref: 'page_1',
        startedDateTime: stamp(),
        time: 0,
        request: {
          method: e.method,
          url,
          httpVersion: e.httpVersion,
          cookies: [],
          headers: e.requestHeaders.map(({ name, value }) => ({ name, value: stableBoundary(value) })),
          queryString: queryOf(url),
          headersSize: -1,
          bodySize: -1,
        },
        response: resp
          ? {
              status: resp.status,
              statusText: resp.statusText,
              httpVersion: e.httpVersion,
              cookies: [],
              headers: resp.headers.map(({ name, value }) => ({ name, value })),
              content: { size: 0, mimeType: headerValue(resp.headers, 'content-type') ?? '' },
              redirectURL,
              headersSize: -1,
              bodySize: -1,
            }
          : {
              status: 0,
              statusText: '',
              httpVersion: e.httpVersion,
              cookies: [],
              headers: [],
              content: { size: 0, mimeType: '' },
              redirectURL: '',
              headersSize: -1,
              bodySize: -1,
              _error: errorText,
            },
        cache: {},
        timings: { send: 0, wait: 0, receive: 0 },
        _resourceType: isPreflight ? 'preflight' : h.resourceType,
        _initiator: { type: 'script', url: pageUrl },
        _corsLens: { ...lens },
      });
    }
    if (failed) {
      const last = mine[mine.length - 1];
      const synth = (url: string, method: string, headers: HarHeader[]): HarEntry => ({
        pageref: 'page_1',
        startedDateTime: stamp(),
        time: 0,
        request: {
          method,
          url,
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers,
          queryString: queryOf(url),
          headersSize: -1,
          bodySize: -1,
        },
        response: {
          status: 0,
          statusText: '',
          httpVersion: '',
          cookies: [],
          headers: [],
          content: { size: 0, mimeType: '' },
          redirectURL: '',
          headersSize: -1,
          bodySize: -1,
          _error: errorText,
        },
        cache: {},
        timings: { send: 0, wait: 0, receive: 0 },
        _resourceType: h.resourceType,
        _initiator: { type: 'script', url: pageUrl },
        _corsLens: { ...lens, synthesized: true },
      });
      const author = requestHeadersOf(rec.call);
      if (!last) {
        // Never reached the server: blocked in the renderer, refused connection, unsupported scheme, LNA.
        const net = rec.networkError;
        if (net?.preflight) {
          const origin = { name: 'Origin', value: opts.pageOrigin };
          const pf = synth(rec.url, 'OPTIONS', [origin, { name: 'Access-Control-Request-Method', value: h.method }]);
          pf._resourceType = 'preflight';
          pf.response._error = net.preflight;
          mine.push(pf);
        }
        const main = synth(rec.url, h.method, author);
        if (net?.request) main.response._error = net.request;
        mine.push(main);
      } else if (last._resourceType === 'preflight' && last.response.status !== 0) {
        // The preflight failed, so the actual request was never sent (har.md: status 0 + _error).
        const origin = last.request.headers.find((x) => x.name.toLowerCase() === 'origin');
        const method = headerValue(last.request.headers, 'access-control-request-method') ?? h.method;
        mine.push(synth(last.request.url, method, [...author, ...(origin ? [origin] : [])]));
      } else if (last.response.redirectURL && !/^https?:/.test(last.response.redirectURL)) {
        // A redirect to a scheme the browser would not fetch: the failure belongs to that next hop.
        mine.push(synth(last.response.redirectURL, last.request.method, []));
      } else if (last.response.redirectURL && isClosedPort(last.response.redirectURL, opts.ports)) {
        mine.push(synth(last.response.redirectURL, last.request.method, []));
      } else {
        // Sent and answered, then refused by the browser (or the last hop's answer was the problem).
        last.response._error = errorText;
      }
    }
    entries.push(...mine);
  }

  return {
    log: {
      version: '1.2',
      creator: { name: 'cors-lens-oracle', version: '1' },
      pages: [{ id: 'page_1', title: pageUrl, startedDateTime: new Date(BASE_TIME).toISOString(), pageTimings: {} }],
      entries,
      _corsLens: {
        scenario: scenario.id,
        browser,
        browserVersion,
        description: scenario.description,
        group: scenario.group,
        pageOrigin: opts.pageOrigin,
        ports: opts.ports,
        expected: records.map((r) => ({ ...r.expected, requestId: r.requestId })),
      },
    },
  };
}

function isClosedPort(url: string, ports: Ports): boolean {
  try {
    return new URL(url).port === String(ports.X);
  } catch {
    return false;
  }
}

/** FormData boundaries are random per request; pin them so re-recordings are byte-identical. */
function stableBoundary(value: string): string {
  return /^multipart\/form-data/i.test(value)
    ? value.replace(/boundary=[^;]+/i, 'boundary=----oracle-boundary')
    : value;
}

/**
 * Headers a request that was never sent would have carried (what Chrome's HAR shows as provisional headers):
 * the page's own headers plus the Content-Type its body implies (https://fetch.spec.whatwg.org/#concept-bodyinit-extract).
 */
function requestHeadersOf(call: PageCall): HarHeader[] {
  if (call.api !== 'fetch' && call.api !== 'xhr') return [];
  const out = (call.headers ?? []).map(([name, value]) => ({ name, value }));
  if (out.some((h) => h.name.toLowerCase() === 'content-type')) return out;
  let type: string | undefined;
  if (call.api === 'xhr') type = call.body !== undefined ? 'text/plain;charset=UTF-8' : undefined;
  else if (call.body?.kind === 'text') type = 'text/plain;charset=UTF-8';
  else if (call.body?.kind === 'url-search-params') type = 'application/x-www-form-urlencoded;charset=UTF-8';
  else if (call.body?.kind === 'form-data') type = 'multipart/form-data; boundary=----oracle-boundary';
  else if (call.body?.kind === 'blob' && call.body.type) type = call.body.type;
  if (type) out.push({ name: 'Content-Type', value: type });
  return out;
}
