// Turns one raw HAR entry (Chrome, Firefox, Playwright, proxies, our recordings) into one engine Exchange plus the
// facts the folder needs (is it a preflight, which page, which logical request). Lenient: odd shapes degrade to
// "unknown" fields; only an entry without a usable request URL/method is dropped (with a warning).
import type {
  CredentialsMode,
  Exchange,
  Header,
  ObservedResponse,
  RequestHints,
  RequestMode,
  ResourceType,
} from '../engine/types';
import { blockedReasonError, isRedirectStatus, isToken } from '../engine';
import type { HarWarning } from './types';

export interface NormalizedEntry {
  index: number;
  exchange: Exchange;
  /** OPTIONS with Access-Control-Request-Method (har.md), or Chrome's `_resourceType: "preflight"` on an OPTIONS. */
  isPreflight: boolean;
  /** The ACRM value of a preflight (uppercased), null when absent (Chrome sometimes omits request headers). */
  acrm: string | null;
  pageref: string | null;
  /** `_corsLens.requestId` of our own recordings: exchanges with the same id are one logical request. */
  requestId: string | null;
  /** `_corsLens.initiator`: the page origin our own exporter recorded for the request. */
  statedInitiator: string | null;
  /** The `Origin` request header when present (first one). */
  originHeader: string | null;
  /** `_initiator.url` (Chrome: the document for parser-initiated loads; our recordings: the page URL). */
  initiatorUrl: string | null;
  /** Chrome's preflight entries carry `_initiator: {type: "preflight", url: <the actual request's URL>}`. */
  preflightFor: string | null;
  referer: string | null;
  resourceType: ResourceType | undefined;
  hints: RequestHints | undefined;
  /**
   * The entry said status 0 yet kept its response headers: `main` kept status 0, `preflight` was taken as 2xx
   * (normalizeEntry); null otherwise.
   */
  statusAssumed: 'main' | 'preflight' | null;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Chrome DevTools `_resourceType` (Common.ResourceType names) → webRequest-style ResourceType. */
const RESOURCE_TYPES: Record<string, ResourceType> = {
  fetch: 'fetch',
  xhr: 'xmlhttprequest',
  xmlhttprequest: 'xmlhttprequest',
  document: 'main_frame',
  main_frame: 'main_frame',
  sub_frame: 'sub_frame',
  iframe: 'sub_frame',
  stylesheet: 'stylesheet',
  script: 'script',
  image: 'image',
  img: 'image',
  font: 'font',
  media: 'media',
  texttrack: 'media',
  websocket: 'websocket',
  ping: 'ping',
  beacon: 'beacon',
  'csp-violation-report': 'csp_report',
  csp_report: 'csp_report',
  object: 'object',
  webbundle: 'webbundle',
  manifest: 'other',
  other: 'other',
  eventsource: 'other',
  'signed-exchange': 'other',
  wasm: 'other',
  prefetch: 'other',
};

export function mapResourceType(raw: unknown): ResourceType | undefined {
  if (typeof raw !== 'string') return undefined;
  return RESOURCE_TYPES[raw.toLowerCase()];
}

const MODES: readonly RequestMode[] = ['cors', 'no-cors', 'same-origin', 'navigate', 'websocket'];
const CREDENTIALS: readonly CredentialsMode[] = ['omit', 'same-origin', 'include'];
const HINT_SOURCES: readonly RequestHints['source'][] = ['page-observer', 'cdp', 'har', 'user', 'test'];

/**
 * SPDY-era Chrome and some HTTP/2 proxies list the pseudo-headers without their colon (`status: 200 OK`,
 * `version: HTTP/1.1`, `method`, `scheme`, `url`): they are the status line, not header fields, and no server sent
 * them. Recognised by name and value shape together, so a real header of that name is kept.
 */
const BARE_PSEUDO = new Map<string, RegExp>([
  ['status', /^\d{3}(\s|$)/],
  ['version', /^HTTP\/\d/i],
  ['method', /^[A-Z]+$/],
  ['scheme', /^https?$/i],
  ['url', /^\//],
]);

/**
 * Reads a HAR header list; null when it is not a list at all. HTTP/2 pseudo-headers (`:authority`, or bare
 * `status`/`version` as SPDY-era Chrome wrote them) are dropped. A value holding newlines is a repeated header that
 * CDP and chrome-har joined with "\n" (Network.Headers: "multiple headers with the same name are joined with \n"):
 * it is split back into one line per field, as received, so the engine combines them as the browser did
 * (https://fetch.spec.whatwg.org/#concept-header-list-get). On the request side a line repeating an earlier one
 * (same name in any case, same value) is dropped: chrome-har lists request headers from both CDP events, and a
 * browser never sends the same field twice.
 */
export function readHeaders(raw: unknown, side: 'request' | 'response' = 'response'): Header[] | null {
  if (!Array.isArray(raw)) return null;
  const out: Header[] = [];
  const seen = side === 'request' ? new Set<string>() : null;
  for (const h of raw) {
    if (!isObj(h)) continue;
    const name = typeof h.name === 'string' ? h.name.trim() : typeof h.name === 'number' ? String(h.name) : '';
    if (!name || name.startsWith(':')) continue;
    const v = h.value;
    const value =
      typeof v === 'string'
        ? v
        : v === undefined || v === null
          ? ''
          : typeof v === 'object'
            ? JSON.stringify(v)
            : String(v);
    const lower = name.toLowerCase();
    const pseudo = BARE_PSEUDO.get(lower);
    if (pseudo && pseudo.test(value.trim())) continue;
    const parts = value.includes('\n') ? value.split('\n').map((x) => x.replace(/\r$/, '')) : [value];
    for (const part of parts) {
      if (seen) {
        const key = `${lower}\n${part}`;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      out.push({ name, value: part });
    }
  }
  return out;
}

export function headerValue(headers: Header[] | null, name: string): string | null {
  if (!headers) return null;
  const n = name.toLowerCase();
  for (const h of headers) if (h.name.toLowerCase() === n) return h.value;
  return null;
}

function readTime(v: unknown): number | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const t = typeof v === 'number' ? v : Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

function readStatus(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 && n < 1000 ? n : 0;
}

function nonEmptyString(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

function resolveUrl(ref: string, base: string): string | null {
  try {
    return new URL(ref, base).href;
  } catch {
    return null;
  }
}

/**
 * The page `_initiator` names, if any. Chrome DevTools writes an object whose `url` is the document for `parser`
 * (and `other`) loads; chrome-har, sitespeed.io and WebPageTest write a string, the URL of the *script* that
 * started the request — not the page — so a string counts only when it is an origin (nothing after the host).
 * A `script` initiator's url is the script's too; a preflight's is the request it serves.
 */
function pageOfInitiator(initiator: unknown, type: string | null, field: string | null): string | null {
  if (field === null) return null;
  if (typeof initiator === 'string') return isBareOrigin(field) ? field : null;
  if (type === 'preflight') return null;
  if (type === 'script') return isBareOrigin(field) ? field : null;
  return field;
}

function isBareOrigin(value: string): boolean {
  try {
    const u = new URL(value.trim());
    return (
      (u.protocol === 'http:' || u.protocol === 'https:') &&
      (u.pathname === '/' || u.pathname === '') &&
      !u.search &&
      !u.hash
    );
  } catch {
    return false;
  }
}

/**
 * `Sec-Fetch-Dest` → resource type, for HARs that carry no `_resourceType` (proxies, Safari, Firefox): the request's
 * destination (https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-dest-header). `empty` (fetch/XHR/beacon)
 * and destinations without an equivalent say nothing.
 */
const DEST_TYPES = new Map<string, ResourceType>([
  ['document', 'main_frame'],
  ['iframe', 'sub_frame'],
  ['frame', 'sub_frame'],
  ['image', 'image'],
  ['script', 'script'],
  ['style', 'stylesheet'],
  ['font', 'font'],
  ['audio', 'media'],
  ['video', 'media'],
  ['track', 'media'],
  ['object', 'object'],
  ['embed', 'object'],
  ['websocket', 'websocket'],
  ['report', 'csp_report'],
]);

function typeOfDest(dest: string | null): ResourceType | undefined {
  return dest === null ? undefined : DEST_TYPES.get(dest.trim().toLowerCase());
}

/**
 * A WebSocket opening handshake recorded with its http(s) URL (proxies): `Upgrade: websocket` on the request, or
 * a 101 answer upgrading to it (RFC 6455 §4). Not a fetch, never CORS-checked.
 */
function isWebSocketHandshake(requestHeaders: Header[] | null, response: ObservedResponse | null): boolean {
  if (/^\s*websocket\s*$/i.test(headerValue(requestHeaders, 'upgrade') ?? '')) return true;
  return response?.status === 101 && /^\s*websocket\s*$/i.test(headerValue(response.headers, 'upgrade') ?? '');
}

/** OPTIONS with Access-Control-Request-Method, or Chrome's `_resourceType: "preflight"` on an OPTIONS. */
function isPreflightOf(method: string, requestHeaders: Header[] | null, raw: Record<string, unknown>): boolean {
  if (method.toUpperCase() !== 'OPTIONS') return false;
  const type = typeof raw._resourceType === 'string' ? raw._resourceType.toLowerCase() : '';
  return headerValue(requestHeaders, 'access-control-request-method') !== null || type === 'preflight';
}

/** Converts one raw entry; returns null (and records a warning) when it has no usable request. */
export function normalizeEntry(raw: unknown, index: number, warnings: HarWarning[]): NormalizedEntry | null {
  if (!isObj(raw)) {
    warnings.push({ index, code: 'entry-not-object', message: `entry ${index} is not an object; skipped` });
    return null;
  }
  const req = raw.request;
  if (!isObj(req)) {
    warnings.push({ index, code: 'missing-request', message: `entry ${index} has no request object; skipped` });
    return null;
  }
  const urlRaw = typeof req.url === 'string' ? req.url.trim() : '';
  let url: string;
  try {
    url = new URL(urlRaw).href;
  } catch {
    warnings.push({ index, code: 'bad-url', message: `entry ${index} has no valid absolute request.url; skipped` });
    return null;
  }
  const method = typeof req.method === 'string' ? req.method.trim() : '';
  // A method is an RFC 9110 §5.6.2 token.
  if (!isToken(method)) {
    warnings.push({ index, code: 'bad-method', message: `entry ${index} has no valid request.method; skipped` });
    return null;
  }
  const requestHeaders = readHeaders(req.headers, 'request');
  if (req.headers !== undefined && requestHeaders === null) {
    warnings.push({ index, code: 'bad-headers', message: `entry ${index}: request.headers is not a list; ignored` });
  }

  const res = raw.response;
  let response: ObservedResponse | null = null;
  let error: string | undefined;
  let redirectUrl: string | undefined;
  let statusAssumed: NormalizedEntry['statusAssumed'] = null;
  if (res !== undefined && res !== null && !isObj(res)) {
    warnings.push({ index, code: 'bad-response', message: `entry ${index}: response is not an object; ignored` });
  }
  if (isObj(res)) {
    // Chrome: `_error`; Playwright: `_failureText`; some proxies put the error on the entry itself.
    error =
      nonEmptyString(res._error) ??
      nonEmptyString(res._failureText) ??
      nonEmptyString(raw._error) ??
      blockedReasonError(res._blockedReason ?? raw._blockedReason) ??
      undefined;
    const status = readStatus(res.status);
    const headers = readHeaders(res.headers);
    if (res.headers !== undefined && headers === null) {
      warnings.push({ index, code: 'bad-headers', message: `entry ${index}: response.headers is not a list; ignored` });
    }
    // Status 0 is Chrome's "no response" (blocked before sending, or failed): nothing to evaluate. Older exporters
    // write it for a response that failed the CORS check and keep its headers: those are judged. Only a preflight's
    // ok-status check needs the status (https://fetch.spec.whatwg.org/#cors-preflight-fetch step 7): a preflight
    // is taken as 2xx, so the checks the headers can settle still run; an actual response keeps status 0. Either
    // way the request's notes say so.
    if (status === 0 && headers !== null && headers.length > 0)
      statusAssumed = isPreflightOf(method, requestHeaders, raw) ? 'preflight' : 'main';
    if (status > 0 || statusAssumed !== null) {
      response = { status: statusAssumed === 'preflight' ? 200 : status, headers: headers ?? [] };
      if (typeof res.statusText === 'string' && res.statusText) response.statusText = res.statusText;
      if (raw._fromCache === 'memory' || raw._fromCache === 'disk' || raw._fromCache === true)
        response.fromCache = true;
      const ip = nonEmptyString(raw.serverIPAddress);
      if (ip) response.ip = ip.replace(/^\[(.*)\]$/, '$1');
      if (isRedirectStatus(status)) {
        const loc = nonEmptyString(res.redirectURL) ?? headerValue(headers, 'location');
        if (loc) redirectUrl = resolveUrl(loc.trim(), url) ?? undefined;
      }
    }
  } else {
    error = nonEmptyString(raw._error) ?? blockedReasonError(raw._blockedReason) ?? undefined;
  }

  const acrmRaw =
    method.toUpperCase() === 'OPTIONS' ? headerValue(requestHeaders, 'access-control-request-method') : null;
  const isPreflight = isPreflightOf(method, requestHeaders, raw);

  const startedAt = readTime(raw.startedDateTime);
  const time = typeof raw.time === 'number' && Number.isFinite(raw.time) && raw.time >= 0 ? raw.time : undefined;
  const exchange: Exchange = { kind: isPreflight ? 'preflight' : 'main', url, method, requestHeaders, response };
  if (redirectUrl) exchange.redirectUrl = redirectUrl;
  if (error) exchange.error = error;
  if (startedAt !== undefined) {
    exchange.startedAt = startedAt;
    if (time !== undefined) exchange.endedAt = startedAt + time;
  }

  const initiator = raw._initiator;
  const initiatorType = isObj(initiator) && typeof initiator.type === 'string' ? initiator.type : null;
  const initiatorField = isObj(initiator)
    ? nonEmptyString(initiator.url)
    : typeof initiator === 'string'
      ? nonEmptyString(initiator)
      : null;
  const initiatorUrl = pageOfInitiator(initiator, initiatorType, initiatorField);
  const preflightFor = initiatorType === 'preflight' ? initiatorField : null;

  let requestId: string | null = null;
  let statedInitiator: string | null = null;
  let hints: RequestHints | undefined;
  const cl = raw._corsLens;
  if (isObj(cl)) {
    if (typeof cl.requestId === 'string' && cl.requestId) requestId = cl.requestId;
    else if (typeof cl.requestId === 'number') requestId = String(cl.requestId);
    if (typeof cl.initiator === 'string' && cl.initiator) statedInitiator = cl.initiator;
    const mode = MODES.find((m) => m === cl.mode);
    const credentials = CREDENTIALS.find((c) => c === cl.credentials);
    // The page's own facts (docs/har.md): fetch()'s targetAddressSpace and the page's isSecureContext.
    const targetAddressSpace =
      typeof cl.targetAddressSpace === 'string' && cl.targetAddressSpace.length < 32
        ? cl.targetAddressSpace
        : undefined;
    const secureContext = typeof cl.secureContext === 'boolean' ? cl.secureContext : undefined;
    if (mode || credentials || targetAddressSpace || secureContext !== undefined) {
      const source = HINT_SOURCES.find((s) => s === cl.hintSource) ?? 'har';
      hints = { source };
      if (mode) hints.mode = mode;
      if (credentials) hints.credentials = credentials;
      if (targetAddressSpace) hints.targetAddressSpace = targetAddressSpace;
      if (secureContext !== undefined) hints.secureContext = secureContext;
    }
  }

  return {
    index,
    exchange,
    isPreflight,
    acrm: acrmRaw === null ? null : acrmRaw.trim().toUpperCase(),
    pageref: typeof raw.pageref === 'string' && raw.pageref ? raw.pageref : null,
    requestId,
    statedInitiator,
    originHeader: headerValue(requestHeaders, 'origin'),
    initiatorUrl,
    preflightFor,
    referer: headerValue(requestHeaders, 'referer'),
    resourceType: isPreflight
      ? undefined
      : isWebSocketHandshake(requestHeaders, response)
        ? 'websocket'
        : (mapResourceType(raw._resourceType) ?? typeOfDest(headerValue(requestHeaders, 'sec-fetch-dest'))),
    hints,
    statusAssumed,
  };
}

/** `log.pages` → id → page URL (title when it parses as a URL, Chrome's convention; else `_url`/`url`). */
export function readPages(raw: unknown, into: Map<string, string>): boolean {
  if (!Array.isArray(raw)) return false;
  for (const p of raw) {
    if (!isObj(p) || typeof p.id !== 'string') continue;
    for (const cand of [p.title, p._url, p.url]) {
      if (typeof cand !== 'string') continue;
      try {
        const u = new URL(cand.trim());
        if (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'file:') {
          into.set(p.id, u.href);
          break;
        }
      } catch {}
    }
  }
  return true;
}
