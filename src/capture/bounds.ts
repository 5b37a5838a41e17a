// Keeps one captured request small enough to store: long header values are cut (their original length
// kept), absurd header counts are capped (the count of dropped lines kept). The engine runs on the full
// request first; only the stored copy is bounded.
import type { Exchange, Header, ObservedRequest } from '../engine/types';

export interface Bounds {
  /** Longest header value kept, in UTF-16 code units. */
  maxHeaderValue: number;
  /** Header lines kept per side of one exchange. */
  maxHeaders: number;
  /** Longest URL kept. */
  maxUrl: number;
}

export const DEFAULT_BOUNDS: Bounds = { maxHeaderValue: 2048, maxHeaders: 200, maxUrl: 4096 };

function boundHeaders(hs: Header[] | null, b: Bounds): { headers: Header[] | null; dropped: number } {
  if (!hs) return { headers: hs, dropped: 0 };
  let changed = hs.length > b.maxHeaders;
  const kept = changed ? hs.slice(0, b.maxHeaders) : hs;
  const out = kept.map((h) => {
    if (h.value.length <= b.maxHeaderValue && h.name.length <= 256) return h;
    changed = true;
    return {
      name: h.name.length > 256 ? h.name.slice(0, 256) : h.name,
      value: h.value.slice(0, b.maxHeaderValue),
      originalLength: h.originalLength ?? h.value.length,
    };
  });
  return { headers: changed ? out : hs, dropped: hs.length - kept.length };
}

function boundUrl(u: string, b: Bounds): string {
  return u.length > b.maxUrl ? u.slice(0, b.maxUrl) : u;
}

function headersWithin(hs: Header[] | null, b: Bounds): boolean {
  if (!hs) return true;
  if (hs.length > b.maxHeaders) return false;
  for (let i = 0; i < hs.length; i++)
    if (hs[i].value.length > b.maxHeaderValue || hs[i].name.length > 256) return false;
  return true;
}

/** True when nothing in `req` needs cutting: nearly every request, which is then stored as it is. */
function within(req: ObservedRequest, b: Bounds): boolean {
  if (req.url.length > b.maxUrl || (req.documentUrl && req.documentUrl.length > b.maxUrl)) return false;
  for (const x of req.exchanges) {
    if (x.url.length > b.maxUrl || (x.redirectUrl && x.redirectUrl.length > b.maxUrl)) return false;
    if (!headersWithin(x.requestHeaders, b) || (x.response && !headersWithin(x.response.headers, b))) return false;
  }
  return true;
}

/**
 * The request itself when it is within bounds (nearly always: copying every exchange and header list of every request
 * only made garbage for the worker's GC), else a bounded copy.
 */
export function boundRequest(req: ObservedRequest, b: Bounds = DEFAULT_BOUNDS): ObservedRequest {
  if (within(req, b)) return req;
  const exchanges = req.exchanges.map((x): Exchange => {
    const rq = boundHeaders(x.requestHeaders, b);
    const rs = x.response ? boundHeaders(x.response.headers, b) : null;
    const y: Exchange = { ...x, url: boundUrl(x.url, b), requestHeaders: rq.headers };
    if (x.redirectUrl) y.redirectUrl = boundUrl(x.redirectUrl, b);
    if (x.response && rs) y.response = { ...x.response, headers: rs.headers ?? [] };
    if (rq.dropped || (rs && rs.dropped)) {
      y.droppedHeaders = {
        ...(rq.dropped ? { request: rq.dropped } : {}),
        ...(rs?.dropped ? { response: rs.dropped } : {}),
      };
    }
    return y;
  });
  return { ...req, url: boundUrl(req.url, b), documentUrl: req.documentUrl && boundUrl(req.documentUrl, b), exchanges };
}
