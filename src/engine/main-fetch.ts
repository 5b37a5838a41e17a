// The per-hop Fetch algorithm for one observed request (https://fetch.spec.whatwg.org/#main-fetch, #http-fetch,
// #cors-preflight-fetch, #http-redirect-fetch): CORS flag, redirect-taint, preflight need and validation, the CORS
// check on every response including redirects, and the Location checks. One walk per credentials assumption.
import { corsCheck, type CheckFailure } from './cors-check';
import type { CheckedResponse } from './findings';
import { S_ACAO, S_ACRM, S_ORIGIN } from './header-names';
import { assignPreflights, pfRequestHeaders, reportIndex, SYNTHETIC, type Ctx, type Hop, type Pf } from './hops';
import { classifyError, isNetworkClass } from './net-errors';
import { isHttpScheme, OPAQUE, parseUrl, sameOrigin } from './origin';
import { checkPreflight } from './preflight-check';
import { preflightNeed, type PreflightNeed } from './preflight-needed';
import { checkRedirectLocation, redirectTarget, taintAfterHop } from './redirects';
import type { BlockReason, Inference, Verdict } from './types';

export type PreflightState = Verdict['preflight'];

/** Schemes browsers refuse to redirect to at all (Chromium net::ERR_UNSAFE_REDIRECT, Gecko NS_ERROR_CORRUPTED_CONTENT). */
const UNSAFE_REDIRECT_SCHEMES = new Set(['data', 'file', 'about', 'javascript', 'blob', 'filesystem']);
function unsafeRedirect(location: string): string | null {
  const p = parseUrl(location);
  if (!p || !UNSAFE_REDIRECT_SCHEMES.has(p.scheme)) return null;
  return `the browser refuses to follow a redirect to a ${p.scheme}: URL (net::ERR_UNSAFE_REDIRECT): a network error, not CORS`;
}

function networkError(res: WalkResult, detail: string): WalkResult {
  res.status = 'network-error';
  res.detail = detail;
  res.trace.push(detail);
  return res;
}

export interface WalkResult {
  status: 'same-origin' | 'blocked' | 'pass' | 'incomplete' | 'network-error';
  reason?: BlockReason;
  missing?: string[];
  detail?: string;
  /** The incomplete result has nothing to blame (no response seen for a CORS-flagged hop). */
  preflight: PreflightState;
  trace: string[];
  inferences: Inference[];
  final?: Hop;
  requestOrigin: string;
  checked: CheckedResponse[];
  authorizationViaWildcard: boolean;
  /** A preflight-needing hop that had no visible preflight. */
  cachedPreflight: boolean;
}

export function failureToReason(f: CheckFailure, exchangeIndex: number, stage: BlockReason['stage']): BlockReason {
  const r: BlockReason = {
    corsError: f.corsError,
    failedParameter: f.failedParameter,
    firefoxReason: f.firefoxReason,
    exchangeIndex: reportIndex(exchangeIndex),
    stage,
  };
  if (f.header !== undefined) r.header = f.header;
  if (f.expected !== undefined) r.expected = f.expected;
  if (f.actual !== undefined) r.actual = f.actual;
  if (f.refusedHeaders !== undefined) r.refusedHeaders = f.refusedHeaders;
  return r;
}

/** One walk's state: the result it fills, and where the hop loop stands. */
interface Walk {
  ctx: Ctx;
  credentials: boolean;
  res: WalkResult;
  assigned: ReadonlyMap<number, Pf>;
  outcomeError: string | null;
  /** CORS checks apply (response tainting "cors", https://fetch.spec.whatwg.org/#main-fetch): set on the first cross-origin hop, never cleared. */
  corsFlag: boolean;
  /** https://fetch.spec.whatwg.org/#concept-request-tainted-origin */
  tainted: boolean;
  prevOrigin: string;
}

/** What a hop step decided: go on to the next hop, or the walk is over with this result. */
type Step = 'next' | WalkResult;

function blocked(res: WalkResult, line: string, reason: BlockReason): WalkResult {
  res.trace.push(line);
  res.status = 'blocked';
  res.reason = reason;
  return res;
}

function missing(res: WalkResult, what: string): WalkResult {
  res.missing = [what];
  return res;
}

function passed(res: WalkResult, final: Hop): WalkResult {
  res.status = 'pass';
  res.final = final;
  return res;
}

const NOT_FOLLOWED = 'the redirect was not followed (redirect mode manual, or the next hop was not captured)';

/**
 * Runs the Fetch steps over the request's hops under one credentials assumption (the CORS check and the preflight
 * check read it): each hop is taken in order until one decides the walk.
 */
export function walk(ctx: Ctx, credentials: boolean): WalkResult {
  const w: Walk = {
    ctx,
    credentials,
    res: {
      status: 'incomplete',
      preflight: 'not-needed',
      trace: [],
      inferences: [],
      requestOrigin: ctx.initiator,
      checked: [],
      authorizationViaWildcard: false,
      cachedPreflight: false,
    },
    // The same for both credentials walks: computed once per request.
    assigned: (ctx.assigned ??= assignPreflights(ctx.hops, ctx.preflights)),
    outcomeError: ctx.outcome.kind === 'error' ? String(ctx.outcome.error ?? '') : null,
    corsFlag: false,
    tainted: false,
    prevOrigin: ctx.initiator,
  };
  for (let k = 0; k < ctx.hops.length; k++) {
    const step = walkHop(w, k);
    if (step !== 'next') return step;
  }
  return missing(w.res, 'any exchange of this request');
}

/** One hop: its origin and taint, then either the same-origin path or the CORS steps. */
function walkHop(w: Walk, k: number): Step {
  const { hops, outcome } = w.ctx;
  const hop = hops[k];
  if (hop.index === SYNTHETIC && k > 0 && !w.assigned.has(k) && outcome.kind === 'completed') {
    // redirect: 'manual' (or the capture lost the next hop): the 3xx is what the page got.
    w.res.trace.push(NOT_FOLLOWED);
    return passed(w.res, hops[k - 1]);
  }
  hop.memo ??= {};
  if (hop.memo.parsed === undefined) hop.memo.parsed = parseUrl(hop.url);
  const hopOrigin = hop.memo.parsed?.origin ?? OPAQUE;
  const requestOrigin = advanceOrigin(w, k, hop, hopOrigin);
  const sameOriginHop = !w.tainted && (hop.sameAsInitiator ?? sameOrigin(hopOrigin, w.ctx.initiator));
  if (!sameOriginHop && !w.corsFlag) {
    w.corsFlag = true;
    w.res.trace.push(
      k === 0
        ? `cross-origin: ${w.ctx.initiator} → ${hopOrigin}`
        : `redirect to ${hopOrigin} makes the request cross-origin: CORS checks apply from here`,
    );
  }
  if (!w.corsFlag) return sameOriginStep(w, k, hop, hopOrigin);
  return (
    refusedUrl(w, k, hop) ??
    preflightStep(w, k, hop, requestOrigin) ??
    responseStep(w, k, hop, hopOrigin, requestOrigin)
  );
}

/** Redirect-taint (https://fetch.spec.whatwg.org/#concept-request-tainted-origin): the request's origin for this hop. */
function advanceOrigin(w: Walk, k: number, hop: Hop, hopOrigin: string): string {
  const { initiator } = w.ctx;
  const trace = w.res.trace;
  if (k > 0) {
    const was = w.tainted;
    w.tainted = taintAfterHop(w.tainted, initiator, w.prevOrigin, hopOrigin);
    if (w.tainted && !was && w.corsFlag)
      trace.push(`redirect ${w.prevOrigin} → ${hopOrigin} from a third origin taints the request: Origin is now null`);
    else if (w.tainted && !was)
      trace.push(`redirect ${w.prevOrigin} → ${hopOrigin} taints the request: Origin is now null`);
  }
  const requestOrigin = w.tainted ? OPAQUE : initiator;
  w.res.requestOrigin = requestOrigin;
  const sentOrigin = hop.req?.value(S_ORIGIN);
  if (sentOrigin != null && sentOrigin !== requestOrigin && k > 0 && !sameOrigin(hopOrigin, initiator)) {
    // The browser compares ACAO with its own serialization, which is what it sends; a difference means our taint
    // model and the browser disagree, or something (an extension) rewrote Origin.
    trace.push(`note: this hop carried Origin: ${sentOrigin}, but the request origin is computed as ${requestOrigin}`);
  }
  return requestOrigin;
}

/** A hop before any cross-origin one: no CORS check; only its redirect's Location is checked. */
function sameOriginStep(w: Walk, k: number, hop: Hop, hopOrigin: string): Step {
  w.res.trace.push(`same-origin hop: ${hop.url}`);
  const next = hop.res ? redirectTarget(hop.ex, hop.res) : null;
  if (next) {
    const rejected = rejectedRedirect(w, hop, next);
    if (rejected) return rejected;
  }
  if (k + 1 < w.ctx.hops.length || next) {
    w.prevOrigin = hopOrigin;
    return 'next';
  }
  w.res.status = 'same-origin';
  return w.res;
}

/**
 * The checks on a redirect's Location (https://fetch.spec.whatwg.org/#http-redirect-fetch): a scheme browsers never
 * follow is a network error; then credentials in the URL and non-HTTP schemes under CORS (redirects.ts).
 */
function rejectedRedirect(w: Walk, hop: Hop, location: string): WalkResult | null {
  const unsafe = unsafeRedirect(location);
  if (unsafe) return networkError(w.res, unsafe);
  const lf = checkRedirectLocation(location, w.ctx.mode, w.ctx.initiator, w.corsFlag, w.tainted);
  return lf ? blocked(w.res, `redirect rejected: ${lf.why}`, failureToReason(lf, hop.index, 'redirect')) : null;
}

/** A cross-origin URL the request may not reach at all: mode same-origin, an unparsable URL, a non-HTTP scheme. */
function refusedUrl(w: Walk, k: number, hop: Hop): WalkResult | null {
  const { initiator, profile, req } = w.ctx;
  const stage: BlockReason['stage'] = k === 0 ? 'request' : 'redirect';
  if (w.ctx.mode === 'same-origin') {
    return blocked(
      w.res,
      'mode same-origin forbids cross-origin URLs',
      failureToReason(
        {
          corsError: 'DisallowedByMode',
          firefoxReason: 'CORSDidNotSucceed',
          failedParameter: '',
          expected: `a URL on ${initiator}`,
          actual: hop.url,
          why: 'mode same-origin',
        },
        hop.index,
        stage,
      ),
    );
  }
  const parsed = hop.memo?.parsed;
  if (!parsed) return missing(w.res, `a parsable URL (got '${hop.url}')`);
  if (isHttpScheme(parsed.scheme)) return null;
  // A web page may not load file: URLs at all (measured: "Not allowed to load local resource"); a file: page
  // (opaque origin) can try, and then gets the classic CorsDisabledScheme.
  if (k === 0 && parsed.scheme === 'file' && initiator !== OPAQUE) {
    return networkError(
      w.res,
      'web pages may not load file: URLs ("Not allowed to load local resource"); this is not a CORS check',
    );
  }
  if (k === 0 && profile.name === 'chromium' && req.type === 'xmlhttprequest' && parsed.scheme !== 'file') {
    return networkError(
      w.res,
      `XMLHttpRequest refuses ${parsed.scheme}: URLs in the renderer, before any CORS check (an error event, no CorsError)`,
    );
  }
  return blocked(
    w.res,
    `${parsed.scheme}: is not a CORS-enabled scheme`,
    failureToReason(
      {
        corsError: 'CorsDisabledScheme',
        firefoxReason: 'CORSRequestNotHttp',
        // fetch() rejects the URL in the renderer and its issue names the scheme; after a redirect the network
        // service reports no parameter (both measured on Chromium 156).
        failedParameter: k === 0 && req.type !== 'xmlhttprequest' ? parsed.scheme : '',
        expected: 'http or https',
        actual: parsed.scheme,
        why: 'scheme',
      },
      hop.index,
      stage,
    ),
  );
}

/** What the hop needs before it is sent (memoized: both credentials walks ask). */
function needOf(w: Walk, hop: Hop): PreflightNeed {
  hop.memo ??= {};
  return (hop.memo.need ??= preflightNeed(
    hop.ex.method,
    hop.ex.requestHeaders ?? null,
    w.ctx.profile,
    hop.req ?? undefined,
  ));
}

/** https://fetch.spec.whatwg.org/#cors-preflight-fetch: the hop's observed preflight, a cached one, or none needed. */
function preflightStep(w: Walk, k: number, hop: Hop, requestOrigin: string): WalkResult | null {
  const pf = w.assigned.get(k);
  const need = needOf(w, hop);
  if (need.uaAdded.length) w.res.trace.push(`ignored browser-added request headers: ${need.uaAdded.join(', ')}`);
  if (pf) return observedPreflight(w, hop, pf, need, requestOrigin);
  if (need.needed) return unseenPreflight(w, k, hop, need, requestOrigin);
  if (k === 0 || w.res.preflight === 'not-needed')
    w.res.trace.push(`no preflight needed: method ${hop.ex.method} and request headers are safelisted`);
  return null;
}

/** Checks the preflight seen for this hop (preflight-check.ts). */
function observedPreflight(w: Walk, hop: Hop, pf: Pf, need: PreflightNeed, requestOrigin: string): WalkResult | null {
  const { res } = w;
  const { trace } = res;
  res.preflight = 'sent';
  if (need.needed) trace.push(`preflight needed: ${need.reasons.join('; ')}`);
  else
    trace.push(
      'preflight sent although the request looks simple (forced preflight: XHR upload listener, or headers an extension added)',
    );
  const pres = pf.ex.response;
  if (!pres || !pf.res) {
    const err = pf.ex.error ?? w.outcomeError;
    if (err && classifyError(err) !== 'cors')
      return networkError(
        res,
        `the preflight OPTIONS ${pf.url} failed at the network level (${err}); no CORS check ran`,
      );
    return missing(res, `the response to the preflight OPTIONS ${pf.url}`);
  }
  const acrm = pf.req?.value(S_ACRM) ?? hop.ex.method;
  const names = pf.req ? pfRequestHeaders(pf) : need.headerNames;
  trace.push(
    `preflight OPTIONS ${pf.url} → ${pres.status} (Origin ${requestOrigin}, method ${acrm}${names.length ? `, headers ${names.join(',')}` : ''})`,
  );
  const r = checkPreflight(
    {
      status: pres.status,
      headers: pf.res,
      origin: requestOrigin,
      credentials: w.credentials,
      method: acrm,
      headerNames: names,
    },
    w.ctx.profile,
  );
  res.checked.push({ headers: pf.res, url: pf.url, origin: requestOrigin, preflight: true });
  trace.push(...r.notes);
  if (!r.ok) return blocked(res, `preflight rejected: ${r.why}`, failureToReason(r, pf.index, 'preflight'));
  if (r.authorizationViaWildcard) {
    res.authorizationViaWildcard = true;
    trace.push(
      `Authorization allowed by Access-Control-Allow-Headers: * (${w.ctx.profile.name} lets it through; the spec would not)`,
    );
  }
  return null;
}

/** A preflight was needed and none was seen: the network failed first, the preflight cache answered, or it is missing. */
function unseenPreflight(w: Walk, k: number, hop: Hop, need: PreflightNeed, requestOrigin: string): WalkResult | null {
  const { res } = w;
  const { opts, req, outcome, hops } = w.ctx;
  res.trace.push(`preflight needed: ${need.reasons.join('; ')}`);
  const netErr = hop.ex.error ?? w.outcomeError;
  if (!hop.ex.response && netErr && isNetworkClass(classifyError(netErr))) {
    return networkError(
      res,
      `${hop.ex.method} ${hop.url} failed at the network level (${netErr}) — the preflight, if any, never got an answer; no CORS check ran`,
    );
  }
  const at = hop.ex.startedAt ?? req.startedAt ?? 0;
  let covered = false;
  try {
    covered =
      opts.preflightCache?.covers(requestOrigin, hop.url, w.credentials, hop.ex.method, need.headerNames, at) ?? false;
  } catch {
    covered = false;
  }
  if (covered) {
    res.trace.push('no preflight seen: the preflight cache model holds a matching entry');
    res.inferences.push({
      what: 'preflight-cache',
      value: 'hit',
      confidence: 'likely',
      because: 'an earlier preflight for this origin and URL is still fresh in the cache model',
    });
  } else if (hop.ex.response || outcome.kind === 'completed' || k + 1 < hops.length) {
    res.trace.push('no preflight seen, yet the request went out: it must have come from the preflight cache');
    res.inferences.push({
      what: 'preflight-cache',
      value: 'hit',
      confidence: 'likely',
      because:
        'the request needed a preflight and was sent without a visible one; browsers only do that on a preflight-cache hit (or the capture missed the OPTIONS)',
    });
  } else {
    res.preflight = 'missing';
    return missing(
      res,
      `the preflight for ${hop.ex.method} ${hop.url} (needed: ${need.reasons.join('; ')}) was not observed and no cached entry is known`,
    );
  }
  res.preflight = 'cached';
  res.cachedPreflight = true;
  return null;
}

/** https://fetch.spec.whatwg.org/#concept-cors-check on the hop's response (every hop, redirects included). */
function responseStep(w: Walk, k: number, hop: Hop, hopOrigin: string, requestOrigin: string): Step {
  const { res } = w;
  const { hops, outcome } = w.ctx;
  if (!hop.ex.response || !hop.res) return noResponse(w, k, hop);
  const status = hop.ex.response.status;
  const target = redirectTarget(hop.ex, hop.res);
  const isRedirectHop = target !== null || k + 1 < hops.length;
  const what = isRedirectHop ? `redirect ${status}` : `response ${status}`;
  if (status === 304 && !hop.res.hasSlot(S_ACAO) && outcome.kind !== 'error') {
    // Chromium skips the check for a 304 answering a renderer revalidation: the cached headers apply.
    res.trace.push('304 revalidation: the cached response headers are what CORS checks');
  } else {
    const f = corsCheck(hop.res, requestOrigin, w.credentials, w.ctx.profile);
    res.checked.push({ headers: hop.res, url: hop.url, origin: requestOrigin, preflight: false });
    if (f)
      return blocked(
        res,
        `${what} fails the CORS check: ${f.why}`,
        failureToReason(f, hop.index, isRedirectHop ? 'redirect' : 'response'),
      );
    const acao = hop.res.value(S_ACAO);
    res.trace.push(
      `${what}: ${acao === '*' ? 'Access-Control-Allow-Origin * admits any origin (no credentials)' : `Access-Control-Allow-Origin ${acao} matches ${requestOrigin}`}${w.credentials ? ' and Access-Control-Allow-Credentials is true' : ''}`,
    );
  }
  if (!isRedirectHop) return passed(res, hop);
  return redirectStep(w, k, hop, hopOrigin, target ?? hops[k + 1]?.url ?? null);
}

/** A cross-origin hop without a response: why, or what is missing to tell. */
function noResponse(w: Walk, k: number, hop: Hop): WalkResult {
  const err = hop.ex.error ?? w.outcomeError;
  const need = needOf(w, hop);
  if (err && hop.index === SYNTHETIC && !w.assigned.has(k) && !need.needed) {
    w.res.inferences.push({
      what: 'other',
      value: 'redirect-not-followed',
      confidence: 'guess',
      because:
        'the redirect passed every CORS check and its target was never requested: the page asked not to follow redirects (redirect: "error")',
    });
    return networkError(
      w.res,
      `the browser failed the request at the redirect without requesting ${hop.url} (${err}): redirect mode "error", not CORS`,
    );
  }
  if (!err) return missing(w.res, `the response to ${hop.ex.method} ${hop.url}`);
  if (classifyError(err) !== 'cors')
    return networkError(w.res, `${hop.ex.method} ${hop.url} failed without a response (${err}); no CORS check ran`);
  return missing(
    w.res,
    `the response headers of ${hop.ex.method} ${hop.url} (the browser failed it with ${err}; Chromium shows CORS-blocked responses only to listeners registered with extraHeaders)`,
  );
}

/** A redirect that passed the CORS check: its Location, then the next hop or the end of what was captured. */
function redirectStep(w: Walk, k: number, hop: Hop, hopOrigin: string, loc: string | null): Step {
  if (loc) {
    const rejected = rejectedRedirect(w, hop, loc);
    if (rejected) return rejected;
    w.res.trace.push(`follows redirect to ${loc}`);
  }
  if (k + 1 < w.ctx.hops.length) {
    w.prevOrigin = hopOrigin;
    return 'next';
  }
  if (w.ctx.outcome.kind !== 'completed')
    return missing(w.res, `the request to the redirect target ${loc ?? '(unknown)'}`);
  // redirect: 'manual' (or the capture lost the next hop): the 3xx is what the page got.
  w.res.trace.push(NOT_FOLLOWED);
  return passed(w.res, hop);
}
