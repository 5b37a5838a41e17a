// What the page observer reports when a fetch()/XHR call failed in the page: the error its script got, a CSP
// violation for the URL, the page's secure context and the options the network never shows (targetAddressSpace,
// redirect). A failure that never reached the network (CSP, mixed content, a CORS error raised in the renderer)
// becomes a request of its own; any other one joins the webRequest-observed request with the same URL and method.
import type { BrowserName, ObservedRequest, PageFailure, RequestHints } from '../engine/types';
import { isPageHint, type PageHint } from './page-hint';
import { originOf } from '../engine';

/** A call that failed in the page: the page observer's hint plus how it failed. */
export interface PageFailureHint extends PageHint {
  failure: PageFailure;
}

const str = (v: unknown, max: number) => typeof v === 'string' && v.length <= max;

function isFailure(f: unknown): f is PageFailure {
  const x = f as PageFailure;
  if (!x || typeof x !== 'object' || !str(x.name, 64)) return false;
  if (x.message !== undefined && !str(x.message, 2000)) return false;
  if (x.afterMs !== undefined && !Number.isFinite(x.afterMs)) return false;
  if (x.networkless !== undefined && typeof x.networkless !== 'boolean') return false;
  if (
    x.csp !== undefined &&
    (!x.csp || !str(x.csp.directive, 200) || (x.csp.policy !== undefined && !str(x.csp.policy, 4000)))
  )
    return false;
  return true;
}

/** A page failure as the page observer sends it; anything else (a page forging events) is dropped. */
export function isPageFailureHint(h: unknown): h is PageFailureHint {
  return (
    isPageHint(h) &&
    isFailure((h as PageFailureHint).failure) &&
    (h.redirect === undefined || h.redirect === 'manual' || h.redirect === 'error') &&
    (h.targetAddressSpace === undefined || str(h.targetAddressSpace, 32)) &&
    (h.secureContext === undefined || typeof h.secureContext === 'boolean')
  );
}

/** The page's word on the call, as the engine's hints. */
export function failureHints(h: PageFailureHint): RequestHints {
  const hints: RequestHints = { mode: h.mode, credentials: h.credentials, source: 'page-observer', failure: h.failure };
  if (h.redirect) hints.redirect = h.redirect;
  if (h.targetAddressSpace) hints.targetAddressSpace = h.targetAddressSpace;
  if (h.secureContext !== undefined) hints.secureContext = h.secureContext;
  return hints;
}

/**
 * A request the network never saw: the browser refused the call inside the page. `documentUrl` is the sender's
 * URL as the browser gave it to the worker (never the page's claim). The outcome is the error string the browser
 * uses for a CORS refusal, so the engine judges a renderer-side CORS error (CorsDisabledScheme, DisallowedByMode,
 * NoCorsRedirectModeNotFollow) like any other; the page's failure settles CSP and mixed content.
 */
export function requestFromFailure(
  h: PageFailureHint,
  id: string,
  documentUrl: string | undefined,
  browser: BrowserName,
): ObservedRequest {
  return {
    id,
    initiator: originOf(documentUrl),
    documentUrl,
    type: h.api === 'fetch' ? 'fetch' : 'xmlhttprequest',
    method: h.method,
    url: h.url,
    exchanges: [],
    outcome: { kind: 'error', error: browser === 'firefox' ? 'NS_ERROR_DOM_BAD_URI' : 'net::ERR_FAILED' },
    hints: failureHints(h),
    startedAt: h.t,
    notes: ['seen only by the page observer: the browser refused the call before any request reached the network'],
  };
}

/** Whether a page failure belongs to this observed request (same call, same time). */
export function failureMatches(h: PageFailureHint, req: ObservedRequest, windowMs: number): boolean {
  return (
    h.url === req.url &&
    h.method === req.method &&
    Math.abs((req.startedAt ?? h.t) - h.t) < windowMs &&
    !req.hints?.failure
  );
}
