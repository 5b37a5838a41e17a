// Registers the webRequest listeners and turns Chromium's and Firefox's event details into the
// browser-neutral NetEvents of src/capture/events.ts. Browser differences in what the events carry live
// here and nowhere else (initiator vs originUrl, extraHeaders, binaryValue headers).
import type { Header, ResourceType } from '../../src/engine/types';
import type { NetEvent } from '../../src/capture';
import { originOf } from '../../src/capture';
import { browser, browserName, EXTRA_HEADERS } from './browser';

type RawHeader = { name: string; value?: string; binaryValue?: number[] };
interface RawDetails {
  requestId: string;
  url: string;
  method: string;
  tabId: number;
  type: string;
  timeStamp: number;
  initiator?: string; // Chromium
  originUrl?: string; // Firefox
  documentUrl?: string; // Firefox
  requestHeaders?: RawHeader[];
  responseHeaders?: RawHeader[];
  statusCode?: number;
  statusLine?: string;
  ip?: string;
  fromCache?: boolean;
  redirectUrl?: string;
  error?: string;
}

function headers(raw: RawHeader[] | undefined): Header[] {
  if (!raw) return [];
  // The browser hands each listener its own copy of the details, and a line with a string value already has the
  // engine's shape: keep the array (a copy per event was a large share of the worker's allocations).
  // Only a line sent as bytes (non-UTF-8 value) needs converting.
  let i = 0;
  while (i < raw.length && typeof raw[i].value === 'string') i++;
  if (i === raw.length) return raw as Header[];
  const out: Header[] = new Array(raw.length);
  for (let j = 0; j < raw.length; j++) {
    const h = raw[j];
    out[j] =
      typeof h.value === 'string'
        ? { name: h.name, value: h.value }
        : { name: h.name, value: h.binaryValue ? String.fromCharCode(...h.binaryValue.slice(0, 65536)) : '' };
  }
  return out;
}

/**
 * Firefox's webRequest joins repeated response header lines with ", " before extensions see them, but Gecko's
 * CORS check counts Access-Control-Allow-Origin *lines* (CORSMultipleAllowOriginNotAllowed). A value made of
 * identical comma-separated origins is two lines joined (no server writes the same origin twice on one line,
 * while a proxy and the app both adding it is the classic mistake), so split it back. Anything else stays as seen.
 */
function unmergeFirefoxAcao(hs: Header[]): Header[] {
  for (let i = 0; i < hs.length; i++) {
    const h = hs[i];
    if (h.name.toLowerCase() !== 'access-control-allow-origin' || !h.value.includes(', ')) continue;
    const parts = h.value.split(', ');
    if (parts.length < 2 || parts.some((p) => p !== parts[0] || p === '')) continue;
    return [...hs.slice(0, i), ...parts.map((value) => ({ name: h.name, value })), ...hs.slice(i + 1)];
  }
  return hs;
}

function responseHeaders(raw: RawHeader[] | undefined): Header[] {
  const hs = headers(raw);
  return browserName === 'firefox' ? unmergeFirefoxAcao(hs) : hs;
}

function initiatorOf(d: RawDetails): string | null {
  if (d.initiator !== undefined) return d.initiator; // Chromium: already a serialized origin ('null' if opaque)
  if (d.originUrl) return originOf(d.originUrl);
  if (d.documentUrl) return originOf(d.documentUrl);
  return null;
}

function base(d: RawDetails) {
  return {
    requestId: String(d.requestId),
    tabId: d.tabId,
    url: d.url,
    method: d.method,
    type: (d.type === 'xmlhttprequest' ? 'xmlhttprequest' : d.type) as ResourceType,
    initiator: initiatorOf(d),
    documentUrl: d.documentUrl,
    timeStamp: d.timeStamp,
  };
}

export interface CaptureSinks {
  event(ev: NetEvent): void;
  /** A top-level document request started in a tab (the tab is navigating). */
  navigation(tabId: number, url: string): void;
}

/** Must be called synchronously at the worker's top level so events wake the worker (MV3). */
export function registerWebRequest(sinks: CaptureSinks): void {
  const wr = browser.webRequest;
  const resourceTypes = Object.values((wr as unknown as { ResourceType: Record<string, string> }).ResourceType ?? {});
  // Navigations are never CORS; websockets are not either. Fewer event types = less overhead on the page.
  const types = resourceTypes.filter((t) => t !== 'main_frame' && t !== 'sub_frame' && t !== 'websocket');
  const filter = { urls: ['<all_urls>'], ...(types.length ? { types } : {}) } as Parameters<
    typeof wr.onSendHeaders.addListener
  >[1];
  const extra = EXTRA_HEADERS ? ['extraHeaders'] : [];
  // Firefox rejects an explicit `undefined` extraInfoSpec ("Incorrect argument types"): pass two arguments then.
  const on = (ev: { addListener: (...a: any[]) => void }, fn: (d: RawDetails) => void, spec: string[]) =>
    spec.length ? ev.addListener(fn, filter, spec) : ev.addListener(fn, filter);

  on(
    wr.onSendHeaders,
    (d) => sinks.event({ ...base(d), kind: 'send-headers', requestHeaders: headers(d.requestHeaders) }),
    ['requestHeaders', ...extra],
  );
  on(
    wr.onHeadersReceived,
    (d) =>
      sinks.event({
        ...base(d),
        kind: 'headers-received',
        statusCode: d.statusCode ?? 0,
        statusLine: d.statusLine,
        responseHeaders: responseHeaders(d.responseHeaders),
        ip: d.ip,
        fromCache: d.fromCache,
      }),
    ['responseHeaders', ...extra],
  );
  on(
    wr.onBeforeRedirect,
    (d) =>
      sinks.event({
        ...base(d),
        kind: 'redirect',
        statusCode: d.statusCode ?? 0,
        redirectUrl: d.redirectUrl ?? '',
      }),
    extra,
  );
  on(
    wr.onCompleted,
    (d) =>
      sinks.event({
        ...base(d),
        kind: 'completed',
        statusCode: d.statusCode ?? 0,
        fromCache: d.fromCache,
        ip: d.ip,
        // Only needed when onHeadersReceived did not fire (responses served from the cache).
        responseHeaders: d.fromCache ? responseHeaders(d.responseHeaders) : undefined,
      }),
    ['responseHeaders', ...extra],
  );
  on(wr.onErrorOccurred, (d) => sinks.event({ ...base(d), kind: 'error', error: d.error ?? 'unknown error' }), extra);

  wr.onBeforeRequest.addListener(
    (d) => {
      if ((d as RawDetails).tabId >= 0) sinks.navigation((d as RawDetails).tabId, d.url);
    },
    { urls: ['<all_urls>'], types: ['main_frame'] },
  );
}
