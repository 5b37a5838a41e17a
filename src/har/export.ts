// HAR 1.2 export of diagnosed requests: one entry per exchange (preflight, request, each redirect hop) in the
// shape our importer and Chrome DevTools read, plus a `_cors` field carrying the verdict and the fix. Secrets are
// redacted unless the caller explicitly asks for `redact: false`.
import type { Exchange, ObservedRequest, ResourceType, Verdict } from '../engine/types';
import { redactRequest, summaryOf } from '../report';

export interface ExportItem {
  request: ObservedRequest;
  verdict: Verdict;
  fix?: unknown;
}

export interface ExportOptions {
  redact: boolean;
  creatorVersion?: string;
}

interface HarHeader {
  name: string;
  value: string;
}
export interface HarEntry {
  pageref?: string;
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: never[];
    headers: HarHeader[];
    queryString: HarHeader[];
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: never[];
    headers: HarHeader[];
    content: { size: number; mimeType: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
    _error?: string;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  serverIPAddress?: string;
  _fromCache?: 'disk';
  _resourceType?: string;
  _initiator?: { type: string; url?: string };
  /** har.md's `_corsLens`, plus `initiator`: the page origin the verdict assumed (so a re-import agrees). */
  _corsLens: {
    requestId: string;
    mode?: string;
    credentials?: string;
    targetAddressSpace?: string;
    secureContext?: boolean;
    hintSource?: string;
    initiator?: string;
  };
  _cors: {
    verdict: Verdict['kind'];
    reason: string | null;
    failedParameter: string | null;
    firefoxReason: string | null;
    summary: string;
    fix: unknown;
  };
}

export interface HarExport {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: { startedDateTime: string; id: string; title: string; pageTimings: Record<string, never> }[];
    entries: HarEntry[];
  };
}

/** ResourceType → Chrome DevTools `_resourceType` (the importer maps these back). */
const RESOURCE_TYPE_NAMES: Record<ResourceType, string> = {
  main_frame: 'document',
  sub_frame: 'sub_frame',
  stylesheet: 'stylesheet',
  script: 'script',
  image: 'image',
  font: 'font',
  object: 'object',
  xmlhttprequest: 'xhr',
  fetch: 'fetch',
  ping: 'ping',
  csp_report: 'csp-violation-report',
  media: 'media',
  websocket: 'websocket',
  webbundle: 'webbundle',
  beacon: 'beacon',
  other: 'other',
};

const iso = (t: number | undefined) => new Date(t !== undefined && Number.isFinite(t) ? t : 0).toISOString();

function queryOf(url: string): HarHeader[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

export function exportHar(items: ExportItem[], opts: ExportOptions): HarExport {
  const pages: HarExport['log']['pages'] = [];
  const pageIds = new Map<string, string>();
  const entries: HarEntry[] = [];
  for (const item of items) {
    const req = opts.redact ? redactRequest(item.request) : item.request;
    const v = item.verdict;
    const cors: HarEntry['_cors'] = {
      verdict: v.kind,
      reason: v.kind === 'blocked' ? v.reason.corsError : null,
      failedParameter: v.kind === 'blocked' ? v.reason.failedParameter : null,
      firefoxReason: v.kind === 'blocked' ? v.reason.firefoxReason : null,
      summary: summaryOf(item.request, v),
      fix: item.fix ?? null,
    };
    let pageref: string | undefined;
    if (req.documentUrl) {
      pageref = pageIds.get(req.documentUrl);
      if (!pageref) {
        pageref = `page_${pages.length + 1}`;
        pageIds.set(req.documentUrl, pageref);
        pages.push({ startedDateTime: iso(req.startedAt), id: pageref, title: req.documentUrl, pageTimings: {} });
      }
    }
    const pageUrl = req.documentUrl;
    const corsLens: HarEntry['_corsLens'] = { requestId: req.id };
    if (req.initiator !== null) corsLens.initiator = req.initiator;
    if (req.hints?.mode) corsLens.mode = req.hints.mode;
    if (req.hints?.credentials) corsLens.credentials = req.hints.credentials;
    if (req.hints?.targetAddressSpace) corsLens.targetAddressSpace = req.hints.targetAddressSpace;
    if (req.hints?.secureContext !== undefined) corsLens.secureContext = req.hints.secureContext;
    if (
      req.hints &&
      (req.hints.mode || req.hints.credentials || req.hints.targetAddressSpace || req.hints.secureContext !== undefined)
    )
      corsLens.hintSource = req.hints.source;
    for (const x of req.exchanges) {
      entries.push(toEntry(x, req, pageref, pageUrl, corsLens, cors));
    }
  }
  return {
    log: {
      version: '1.2',
      creator: { name: 'cors-lens', version: opts.creatorVersion ?? '0.1.0' },
      pages,
      entries,
    },
  };
}

function toEntry(
  x: Exchange,
  req: ObservedRequest,
  pageref: string | undefined,
  pageUrl: string | undefined,
  corsLens: HarEntry['_corsLens'],
  cors: HarEntry['_cors'],
): HarEntry {
  const res = x.response;
  const time = x.startedAt !== undefined && x.endedAt !== undefined ? Math.max(0, x.endedAt - x.startedAt) : 0;
  const e: HarEntry = {
    startedDateTime: iso(x.startedAt ?? req.startedAt),
    time,
    request: {
      method: x.method,
      url: x.url,
      httpVersion: '',
      cookies: [],
      headers: (x.requestHeaders ?? []).map((h) => ({ name: h.name, value: h.value })),
      queryString: queryOf(x.url),
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status: res ? res.status : 0,
      statusText: res?.statusText ?? '',
      httpVersion: '',
      cookies: [],
      headers: (res?.headers ?? []).map((h) => ({ name: h.name, value: h.value })),
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: x.redirectUrl ?? '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: time, receive: 0 },
    _corsLens: corsLens,
    _cors: cors,
  };
  if (pageref) e.pageref = pageref;
  const type = x.kind === 'preflight' ? 'preflight' : req.type ? (RESOURCE_TYPE_NAMES[req.type] ?? 'other') : undefined;
  if (type) e._resourceType = type;
  if (x.error) e.response._error = x.error;
  if (res?.ip) e.serverIPAddress = res.ip;
  if (res?.fromCache) e._fromCache = 'disk';
  if (pageUrl) e._initiator = { type: 'other', url: pageUrl };
  return e;
}
