// The per-hop Fetch algorithm for one observed request (https://fetch.spec.whatwg.org/#main-fetch, #http-fetch,
// #cors-preflight-fetch, #http-redirect-fetch): CORS flag, redirect-taint, preflight need and validation, the CORS
// check on every response including redirects, and the Location checks. One walk per credentials assumption.
import { corsCheck, type CheckFailure } from './cors-check';
import type { CheckedResponse } from './findings';
import { S_ACAO, S_ACRH, S_ACRM, S_ORIGIN } from './header-names';
import type { HeaderIndex } from './headers';
import { classifyError, isNetworkClass } from './net-errors';
import { isHttpScheme, OPAQUE, parseUrl, sameOrigin } from './origin';
import { checkPreflight } from './preflight-check';
import { parseRequestHeaderList, preflightNeed } from './preflight-needed';
import type { BrowserProfile } from './profiles';
import { checkRedirectLocation, redirectTarget, taintAfterHop } from './redirects';
import type { BlockReason, EvaluateOptions, Exchange, Inference, ObservedRequest, Outcome, RequestMode, Verdict } from './types';

export type PreflightState = Verdict['preflight'];

/** Ordering index of a hop that was inferred, not observed (sorts after every real exchange). */
export const SYNTHETIC = Number.MAX_SAFE_INTEGER;
/** The exchange index a BlockReason reports: -1 for hops that never happened. */
export const reportIndex = (i: number) => (i >= 0 && i !== SYNTHETIC ? i : -1);

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

export interface Hop {
  /** Memoized per hop: both credentials walks read them. */
  memo?: { parsed?: ReturnType<typeof parseUrl>; need?: ReturnType<typeof preflightNeed> };
  /** The hop URL's origin is the initiator (set once the initiator is known, from `memo.parsed`). */
  sameAsInitiator?: boolean;
  ex: Exchange;
  /** Index in req.exchanges, -1 for the synthetic hop of a request never seen on the wire. */
  index: number;
  req: HeaderIndex | null;
  res: HeaderIndex | null;
  url: string;
}

/** The ACRH names a preflight announced (parsed once per request, read by the mode inference and both walks). */
export function pfRequestHeaders(pf: Pf): string[] {
  return (pf.acrh ??= parseRequestHeaderList(pf.req?.value(S_ACRH) ?? null));
}

export interface Pf {
  /** Memoized by pfRequestHeaders; read only. */
  acrh?: string[];
  ex: Exchange;
  index: number;
  req: HeaderIndex | null;
  res: HeaderIndex | null;
  url: string;
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

export interface Ctx {
  req: ObservedRequest;
  opts: EvaluateOptions;
  profile: BrowserProfile;
  initiator: string;
  mode: RequestMode;
  hops: Hop[];
  preflights: Pf[];
  outcome: Outcome;
  /** Preflight assigned to each hop index, memoized by the first walk. */
  assigned?: ReadonlyMap<number, Pf>;
}

/** URLs compared without fragment (never sent on the wire). */
export function urlKey(u: string): string {
  const i = u.indexOf('#');
  return i === -1 ? u : u.slice(0, i);
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

/** What a request without preflights gets (read only: walk only calls get/has on it). */
const NO_PREFLIGHTS: ReadonlyMap<number, Pf> = new Map();

/**
 * Assigns observed preflights to the hop they precede: first by URL (the last matching one before the next hop
 * wins, a retry replaces the first), then by position for preflights whose URL matched no hop.
 */
function assignPreflights(hops: Hop[], preflights: Pf[]): ReadonlyMap<number, Pf> {
  if (preflights.length === 0) return NO_PREFLIGHTS;
  const out = new Map<number, Pf>();
  if (hops.length === 1) {
    // What the general passes below reduce to for a single hop: the last preflight for its URL, else (none
    // matched, a capture quirk) the last preflight of all.
    const key = urlKey(hops[0].url);
    let pick = preflights[preflights.length - 1];
    for (let i = preflights.length - 1; i >= 0; i--) {
      if (urlKey(preflights[i].url) === key) {
        pick = preflights[i];
        break;
      }
    }
    out.set(0, pick);
    return out;
  }
  const used = new Set<number>();
  // Preflights per URL, in index order, consumed left to right as hops advance: O(n) over a whole chain.
  const byUrl = new Map<string, { list: Pf[]; next: number }>();
  for (const p of preflights) {
    const key = urlKey(p.url);
    const e = byUrl.get(key);
    if (e) e.list.push(p);
    else byUrl.set(key, { list: [p], next: 0 });
  }
  for (let k = 0; k < hops.length; k++) {
    const hi = k + 1 < hops.length ? hops[k + 1].index : Infinity;
    const e = byUrl.get(urlKey(hops[k].url));
    if (!e) continue;
    let pick: Pf | undefined;
    while (e.next < e.list.length && e.list[e.next].index < hi) pick = e.list[e.next++];
    if (pick) {
      used.add(pick.index);
      out.set(k, pick);
    }
  }
  if (used.size === preflights.length) return out;
  // Positional fallback for preflights whose URL matched no hop (capture quirks): the last one between the hops.
  const hopUrls = new Set(hops.map((h) => urlKey(h.url)));
  for (let k = 0; k < hops.length; k++) {
    if (out.has(k)) continue;
    const lo = k > 0 ? hops[k - 1].index : -Infinity;
    const hi = k + 1 < hops.length ? hops[k + 1].index : Infinity;
    let pick: Pf | undefined;
    for (const p of preflights) {
      if (p.index >= hi) break;
      if (!used.has(p.index) && p.index > lo && !hopUrls.has(urlKey(p.url))) pick = p;
    }
    if (pick) {
      used.add(pick.index);
      out.set(k, pick);
    }
  }
  return out;
}

/**
 * `into`: the verdict's own trace, when this walk is the only one (credentials known for certain): its lines go there
 * directly, where they would have been copied in order anyway.
 */
export function walk(ctx: Ctx, credentials: boolean, into?: string[]): WalkResult {
  const { profile, initiator, mode, hops, outcome } = ctx;
  const trace: string[] = into ?? [];
  const inferences: Inference[] = [];
  const checked: CheckedResponse[] = [];
  const res: WalkResult = {
    status: 'incomplete', preflight: 'not-needed', trace, inferences, requestOrigin: initiator, checked,
    authorizationViaWildcard: false, cachedPreflight: false,
  };
  // The same for both credentials walks: computed once per request.
  const assigned = (ctx.assigned ??= assignPreflights(hops, ctx.preflights));
  const outcomeError = outcome.kind === 'error' ? String(outcome.error ?? '') : null;
  let corsFlag = false;
  let tainted = false;
  let prevOrigin = initiator;

  for (let k = 0; k < hops.length; k++) {
    const hop = hops[k];
    if (hop.index === SYNTHETIC && k > 0 && !assigned.has(k) && outcome.kind === 'completed') {
      // redirect: 'manual' (or the capture lost the next hop): the 3xx is what the page got.
      trace.push('the redirect was not followed (redirect mode manual, or the next hop was not captured)');
      res.status = 'pass';
      res.final = hops[k - 1];
      return res;
    }
    hop.memo ??= {};
    if (hop.memo.parsed === undefined) hop.memo.parsed = parseUrl(hop.url);
    const parsed = hop.memo.parsed;
    const hopOrigin = parsed?.origin ?? OPAQUE;
    if (k > 0) {
      const was = tainted;
      tainted = taintAfterHop(tainted, initiator, prevOrigin, hopOrigin);
      if (tainted && !was && corsFlag) trace.push(`redirect ${prevOrigin} → ${hopOrigin} from a third origin taints the request: Origin is now null`);
      else if (tainted && !was) trace.push(`redirect ${prevOrigin} → ${hopOrigin} taints the request: Origin is now null`);
    }
    const requestOrigin = tainted ? OPAQUE : initiator;
    res.requestOrigin = requestOrigin;
    const sentOrigin = hop.req?.value(S_ORIGIN);
    if (sentOrigin != null && sentOrigin !== requestOrigin && k > 0 && !sameOrigin(hopOrigin, initiator)) {
      // The browser compares ACAO with its own serialization, which is what it sends; a difference means our taint
      // model and the browser disagree, or something (an extension) rewrote Origin.
      trace.push(`note: this hop carried Origin: ${sentOrigin}, but the request origin is computed as ${requestOrigin}`);
    }
    const sameOriginHop = !tainted && (hop.sameAsInitiator ?? sameOrigin(hopOrigin, initiator));
    if (!sameOriginHop && !corsFlag) {
      corsFlag = true;
      trace.push(k === 0 ? `cross-origin: ${initiator} → ${hopOrigin}` : `redirect to ${hopOrigin} makes the request cross-origin: CORS checks apply from here`);
    }
    if (!corsFlag) {
      trace.push(`same-origin hop: ${hop.url}`);
      const next = hop.res ? redirectTarget(hop.ex, hop.res) : null;
      if (next) {
        const unsafe = unsafeRedirect(next);
        if (unsafe) return networkError(res, unsafe);
        const lf = checkRedirectLocation(next, mode, initiator, corsFlag, tainted);
        if (lf) {
          trace.push(`redirect rejected: ${lf.why}`);
          res.status = 'blocked';
          res.reason = failureToReason(lf, hop.index, 'redirect');
          return res;
        }
      }
      if (k + 1 < hops.length || next) {
        prevOrigin = hopOrigin;
        continue;
      }
      res.status = 'same-origin';
      return res;
    }
    const stageHere: BlockReason['stage'] = k === 0 ? 'request' : 'redirect';
    if (mode === 'same-origin') {
      trace.push('mode same-origin forbids cross-origin URLs');
      res.status = 'blocked';
      res.reason = failureToReason({
        corsError: 'DisallowedByMode', firefoxReason: 'CORSDidNotSucceed', failedParameter: '',
        expected: `a URL on ${initiator}`, actual: hop.url, why: 'mode same-origin',
      }, hop.index, stageHere);
      return res;
    }
    if (!parsed) {
      res.missing = [`a parsable URL (got '${hop.url}')`];
      return res;
    }
    if (!isHttpScheme(parsed.scheme)) {
      // A web page may not load file: URLs at all (measured: "Not allowed to load local resource"); a file: page
      // (opaque origin) can try, and then gets the classic CorsDisabledScheme.
      if (k === 0 && parsed.scheme === 'file' && initiator !== OPAQUE) {
        return networkError(res, 'web pages may not load file: URLs ("Not allowed to load local resource"); this is not a CORS check');
      }
      if (k === 0 && profile.name === 'chromium' && ctx.req.type === 'xmlhttprequest' && parsed.scheme !== 'file') {
        return networkError(res, `XMLHttpRequest refuses ${parsed.scheme}: URLs in the renderer, before any CORS check (an error event, no CorsError)`);
      }
      trace.push(`${parsed.scheme}: is not a CORS-enabled scheme`);
      res.status = 'blocked';
      res.reason = failureToReason({
        corsError: 'CorsDisabledScheme', firefoxReason: 'CORSRequestNotHttp',
        // fetch() rejects the URL in the renderer and its issue names the scheme; after a redirect the network
        // service reports no parameter (both measured on Chromium 156).
        failedParameter: k === 0 && ctx.req.type !== 'xmlhttprequest' ? parsed.scheme : '',
        expected: 'http or https', actual: parsed.scheme, why: 'scheme',
      }, hop.index, stageHere);
      return res;
    }

    // --- Preflight (https://fetch.spec.whatwg.org/#cors-preflight-fetch)
    const pf = assigned.get(k);
    hop.memo.need ??= preflightNeed(hop.ex.method, hop.ex.requestHeaders ?? null, profile, hop.req ?? undefined);
    const need = hop.memo.need;
    if (need.uaAdded.length) trace.push(`ignored browser-added request headers: ${need.uaAdded.join(', ')}`);
    if (pf) {
      res.preflight = 'sent';
      if (need.needed) trace.push(`preflight needed: ${need.reasons.join('; ')}`);
      else trace.push('preflight sent although the request looks simple (forced preflight: XHR upload listener, or headers an extension added)');
      const pres = pf.ex.response;
      if (!pres || !pf.res) {
        const err = pf.ex.error ?? outcomeError;
        if (err && classifyError(err) !== 'cors') {
          res.status = 'network-error';
          res.detail = `the preflight OPTIONS ${pf.url} failed at the network level (${err}); no CORS check ran`;
          trace.push(res.detail);
          return res;
        }
        res.missing = [`the response to the preflight OPTIONS ${pf.url}`];
        return res;
      }
      const acrm = pf.req?.value(S_ACRM) ?? hop.ex.method;
      const acrhRaw = pf.req?.value(S_ACRH) ?? null;
      const names = acrhRaw !== null || pf.req ? pfRequestHeaders(pf) : need.headerNames;
      trace.push(`preflight OPTIONS ${pf.url} → ${pres.status} (Origin ${requestOrigin}, method ${acrm}${names.length ? `, headers ${names.join(',')}` : ''})`);
      const r = checkPreflight({ status: pres.status, headers: pf.res, origin: requestOrigin, credentials, method: acrm, headerNames: names }, profile);
      checked.push({ headers: pf.res, url: pf.url, origin: requestOrigin, preflight: true });
      for (let i = 0; i < r.notes.length; i++) trace.push(r.notes[i]);
      if (!r.ok) {
        trace.push(`preflight rejected: ${r.why}`);
        res.status = 'blocked';
        res.reason = failureToReason(r, pf.index, 'preflight');
        return res;
      }
      if (r.authorizationViaWildcard) {
        res.authorizationViaWildcard = true;
        trace.push(`Authorization allowed by Access-Control-Allow-Headers: * (${profile.name} lets it through; the spec would not)`);
      }
    } else if (need.needed) {
      trace.push(`preflight needed: ${need.reasons.join('; ')}`);
      const netErr = hop.ex.error ?? outcomeError;
      if (!hop.ex.response && netErr && isNetworkClass(classifyError(netErr))) {
        return networkError(res, `${hop.ex.method} ${hop.url} failed at the network level (${netErr}) — the preflight, if any, never got an answer; no CORS check ran`);
      }
      const at = hop.ex.startedAt ?? ctx.req.startedAt ?? 0;
      let covered = false;
      try {
        covered = ctx.opts.preflightCache?.covers(requestOrigin, hop.url, credentials, hop.ex.method, need.headerNames, at) ?? false;
      } catch {
        covered = false;
      }
      if (covered) {
        res.preflight = 'cached';
        res.cachedPreflight = true;
        trace.push('no preflight seen: the preflight cache model holds a matching entry');
        inferences.push({ what: 'preflight-cache', value: 'hit', confidence: 'likely', because: 'an earlier preflight for this origin and URL is still fresh in the cache model' });
      } else if (hop.ex.response || outcome.kind === 'completed' || k + 1 < hops.length) {
        res.preflight = 'cached';
        res.cachedPreflight = true;
        trace.push('no preflight seen, yet the request went out: it must have come from the preflight cache');
        inferences.push({
          what: 'preflight-cache', value: 'hit', confidence: 'likely',
          because: 'the request needed a preflight and was sent without a visible one; browsers only do that on a preflight-cache hit (or the capture missed the OPTIONS)',
        });
      } else {
        res.preflight = 'missing';
        res.missing = [`the preflight for ${hop.ex.method} ${hop.url} (needed: ${need.reasons.join('; ')}) was not observed and no cached entry is known`];
        return res;
      }
    } else if (k === 0 || res.preflight === 'not-needed') {
      trace.push(`no preflight needed: method ${hop.ex.method} and request headers are safelisted`);
    }

    // --- The response (https://fetch.spec.whatwg.org/#concept-cors-check on every hop)
    if (!hop.ex.response || !hop.res) {
      const err = hop.ex.error ?? outcomeError;
      if (err && hop.index === SYNTHETIC && !pf && !need.needed) {
        inferences.push({ what: 'other', value: 'redirect-not-followed', confidence: 'guess', because: 'the redirect passed every CORS check and its target was never requested: the page asked not to follow redirects (redirect: "error")' });
        return networkError(res, `the browser failed the request at the redirect without requesting ${hop.url} (${err}): redirect mode "error", not CORS`);
      }
      if (err) {
        const cls = classifyError(err);
        if (cls !== 'cors') {
          res.status = 'network-error';
          res.detail = `${hop.ex.method} ${hop.url} failed without a response (${err}); no CORS check ran`;
          trace.push(res.detail);
          return res;
        }
        res.missing = [`the response headers of ${hop.ex.method} ${hop.url} (the browser failed it with ${err}; Chromium shows CORS-blocked responses only to listeners registered with extraHeaders)`];
        return res;
      }
      res.missing = [`the response to ${hop.ex.method} ${hop.url}`];
      return res;
    }
    const status = hop.ex.response.status;
    const target = redirectTarget(hop.ex, hop.res);
    const isRedirectHop = target !== null || k + 1 < hops.length;
    if (status === 304 && !hop.res.hasSlot(S_ACAO) && !(outcome.kind === 'error')) {
      // Chromium skips the check for a 304 answering a renderer revalidation: the cached headers apply.
      trace.push('304 revalidation: the cached response headers are what CORS checks');
    } else {
      const f = corsCheck(hop.res, requestOrigin, credentials, profile);
      checked.push({ headers: hop.res, url: hop.url, origin: requestOrigin, preflight: false });
      if (f) {
        trace.push(`${isRedirectHop ? `redirect ${status}` : `response ${status}`} fails the CORS check: ${f.why}`);
        res.status = 'blocked';
        res.reason = failureToReason(f, hop.index, isRedirectHop ? 'redirect' : 'response');
        return res;
      }
      const acaoValue = hop.res.value(S_ACAO);
      trace.push(`${isRedirectHop ? `redirect ${status}` : `response ${status}`}: ${acaoValue === '*' ? 'Access-Control-Allow-Origin * admits any origin (no credentials)' : `Access-Control-Allow-Origin ${acaoValue} matches ${requestOrigin}`}${credentials ? ' and Access-Control-Allow-Credentials is true' : ''}`);
    }
    if (isRedirectHop) {
      const loc = target ?? hops[k + 1]?.url ?? null;
      if (loc) {
        const unsafe = unsafeRedirect(loc);
        if (unsafe) return networkError(res, unsafe);
        const lf = checkRedirectLocation(loc, mode, initiator, corsFlag, tainted);
        if (lf) {
          trace.push(`redirect rejected: ${lf.why}`);
          res.status = 'blocked';
          res.reason = failureToReason(lf, hop.index, 'redirect');
          return res;
        }
        trace.push(`follows redirect to ${loc}`);
      }
      if (k + 1 >= hops.length) {
        if (outcome.kind === 'completed') {
          // redirect: 'manual' (or the capture lost the next hop): the 3xx is what the page got.
          trace.push('the redirect was not followed (redirect mode manual, or the next hop was not captured)');
          res.status = 'pass';
          res.final = hop;
          return res;
        }
        res.missing = [`the request to the redirect target ${loc ?? '(unknown)'}`];
        return res;
      }
      prevOrigin = hopOrigin;
      continue;
    }
    res.status = 'pass';
    res.final = hop;
    return res;
  }
  res.missing = ['any exchange of this request'];
  return res;
}

