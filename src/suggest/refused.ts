// Every method and header name a preflight refused. Chromium's failedParameter names only the first one
// it trips on (services/network/cors/preflight_result.cc checks the method, then the headers in order),
// but the preflight exchange holds both lists: Access-Control-Request-Method/-Headers against
// Access-Control-Allow-Methods/-Headers (https://fetch.spec.whatwg.org/#cors-preflight-fetch, steps 7.5–7.8).
import type { Exchange, ObservedRequest } from '../engine/types';
import { SAFELISTED_METHODS, headerValue, headerValues } from './request-facts';

export interface Refused {
  /** The method, byte for byte, when the preflight did not allow it. */
  method: string | null;
  /** Request header names (lowercased, as the browser sent them in ACRH) the preflight did not allow. */
  headers: string[];
}

const items = (values: string[]): string[] =>
  values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);

/** The last preflight that got a response (the one the browser judged). */
function judgedPreflight(req: ObservedRequest): Exchange | undefined {
  return [...req.exchanges].reverse().find((e) => e.kind === 'preflight' && e.response);
}

/** What the observed preflight refused; empty when there was no answered preflight or it allowed everything. */
export function refusedByPreflight(req: ObservedRequest, credentialed: boolean): Refused {
  const pf = judgedPreflight(req);
  if (!pf?.response) return { method: null, headers: [] };
  const acrm = headerValue(pf.requestHeaders, 'access-control-request-method') ?? req.method;
  const acam = items(headerValues(pf.response.headers, 'access-control-allow-methods'));
  const methodOk = SAFELISTED_METHODS.includes(acrm) || acam.includes(acrm) || (!credentialed && acam.includes('*'));
  const acrh = items(headerValues(pf.requestHeaders, 'access-control-request-headers')).map((h) => h.toLowerCase());
  const acah = items(headerValues(pf.response.headers, 'access-control-allow-headers')).map((h) => h.toLowerCase());
  const star = !credentialed && acah.includes('*');
  // Authorization is never covered by `*` (https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name).
  const headers = acrh.filter((h, i) => acrh.indexOf(h) === i && !acah.includes(h) && !(star && h !== 'authorization'));
  return { method: methodOk ? null : acrm, headers };
}
