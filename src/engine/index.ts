// The CORS policy engine: one ObservedRequest in, the browser's CORS verdict out. Runs the Fetch steps in
// order (https://fetch.spec.whatwg.org/#main-fetch, #http-fetch, #cors-preflight-fetch, #http-redirect-fetch)
// for each browser profile, then weighs the verdict against how the request actually ended.
import { corsCheck, ACAO } from './cors-check';
import { computeExposure } from './exposure';
import { computeFindings, type CheckedResponse } from './findings';
import { HeaderIndex } from './headers';
import { inferCredentials, inferMode, isPreflightExchange } from './infer';
import { isHttpScheme, normalizeOrigin, OPAQUE, originOf, parseUrl, sameOrigin } from './origin';
import { checkPreflight } from './preflight-check';
import { parseRequestHeaderList, preflightNeed } from './preflight-needed';
import { profileFor, type BrowserProfile } from './profiles';
import { checkRedirectLocation, methodAfterRedirect, redirectTarget, taintAfterHop } from './redirects';
import type {
  BlockReason, CredentialsMode, EvaluateOptions, Exchange, Inference, NotCorsWhy, ObservedRequest, Outcome,
  RequestMode, SecurityFinding, Verdict,
} from './types';
import type { CheckFailure } from './cors-check';

export * from './types';
export { PreflightCacheModel, effectiveMaxAge } from './preflight-cache';
export { messagesFor, type VerdictMessages } from './messages';
export { profileFor, CHROMIUM, FIREFOX, type BrowserProfile } from './profiles';

type PreflightState = Verdict['preflight'];

/** Ordering index of a hop that was inferred, not observed (sorts after every real exchange). */
const SYNTHETIC = Number.MAX_SAFE_INTEGER;
/** The exchange index a BlockReason reports: -1 for hops that never happened. */
const reportIndex = (i: number) => (i >= 0 && i !== SYNTHETIC ? i : -1);

/** How an error string reads: a CORS failure, another policy, or the network. */
type ErrorClass = 'cors' | 'blocked-by-client' | 'other-policy' | 'local-network-access' | 'aborted' | 'network';

// Compiled once: the worker evaluates every request.
const RE_LNA = /LOCAL_NETWORK_ACCESS|PRIVATE_NETWORK_ACCESS/i;
const RE_CLIENT = /ERR_BLOCKED_BY_CLIENT|ERR_BLOCKED_BY_EXTENSION/i;
const RE_POLICY = /ERR_BLOCKED_BY_(ORB|RESPONSE|CSP|ADMINISTRATOR|COEP)|ERR_BLOCKED_BY_|NS_ERROR_(CONTENT_BLOCKED|DOM_CORP_FAILED|CSP|TRACKING_URI|MALWARE_URI|PHISHING_URI|UNWANTED_URI|HARMFUL_URI|CRYPTOMINING_URI|FINGERPRINTING_URI|SOCIALTRACKING_URI|EMAILTRACKING_URI|DOM_COEP_FAILED|DOM_INVALID_HEADER_VALUE|CONTENT_CORRUPTED_MIXED)|ERR_INSECURE_RESPONSE|MIXED_CONTENT/i;
const RE_ABORT = /ERR_ABORTED|NS_BINDING_ABORTED|NS_ERROR_ABORT/i;
const CORS_ERRORS = new Set(['net::ERR_FAILED', 'NS_ERROR_DOM_BAD_URI']);

function classifyError(error: string): ErrorClass {
  if (CORS_ERRORS.has(error.trim())) return 'cors';
  if (RE_LNA.test(error)) return 'local-network-access';
  if (RE_CLIENT.test(error)) return 'blocked-by-client';
  if (RE_POLICY.test(error)) return 'other-policy';
  if (RE_ABORT.test(error)) return 'aborted';
  return 'network';
}

const isNetworkClass = (c: ErrorClass) => c === 'network' || c === 'aborted';

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

interface Hop {
  /** Memoized per hop: both credentials walks read them. */
  memo?: { parsed?: ReturnType<typeof parseUrl>; need?: ReturnType<typeof preflightNeed> };
  ex: Exchange;
  /** Index in req.exchanges, -1 for the synthetic hop of a request never seen on the wire. */
  index: number;
  req: HeaderIndex | null;
  res: HeaderIndex | null;
  url: string;
}

interface Pf {
  ex: Exchange;
  index: number;
  req: HeaderIndex | null;
  res: HeaderIndex | null;
  url: string;
}

interface WalkResult {
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

interface Ctx {
  req: ObservedRequest;
  opts: EvaluateOptions;
  profile: BrowserProfile;
  initiator: string;
  mode: RequestMode;
  hops: Hop[];
  preflights: Pf[];
  outcome: Outcome;
}

/** URLs compared without fragment (never sent on the wire). */
function urlKey(u: string): string {
  const i = u.indexOf('#');
  return i === -1 ? u : u.slice(0, i);
}

function failureToReason(f: CheckFailure, exchangeIndex: number, stage: BlockReason['stage']): BlockReason {
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
  return r;
}

/**
 * Assigns observed preflights to the hop they precede: first by URL (the last matching one before the next hop
 * wins, a retry replaces the first), then by position for preflights whose URL matched no hop.
 */
function assignPreflights(hops: Hop[], preflights: Pf[]): Map<number, Pf> {
  const out = new Map<number, Pf>();
  const used = new Set<number>();
  const bounds = (k: number) => [k > 0 ? hops[k - 1].index : -Infinity, k + 1 < hops.length ? hops[k + 1].index : Infinity];
  for (let k = 0; k < hops.length; k++) {
    const [, hi] = bounds(k);
    const key = urlKey(hops[k].url);
    let pick: Pf | undefined;
    for (const p of preflights) if (!used.has(p.index) && p.index < hi && urlKey(p.url) === key) pick = p;
    if (pick) {
      used.add(pick.index);
      out.set(k, pick);
    }
  }
  for (let k = 0; k < hops.length; k++) {
    if (out.has(k)) continue;
    const [lo, hi] = bounds(k);
    let pick: Pf | undefined;
    for (const p of preflights) if (!used.has(p.index) && p.index < hi && p.index > lo) pick = p;
    if (pick) {
      used.add(pick.index);
      out.set(k, pick);
    }
  }
  return out;
}

function walk(ctx: Ctx, credentials: boolean): WalkResult {
  const { profile, initiator, mode, hops, outcome } = ctx;
  const trace: string[] = [];
  const inferences: Inference[] = [];
  const checked: CheckedResponse[] = [];
  const res: WalkResult = {
    status: 'incomplete', preflight: 'not-needed', trace, inferences, requestOrigin: initiator, checked,
    authorizationViaWildcard: false, cachedPreflight: false,
  };
  const assigned = assignPreflights(hops, ctx.preflights);
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
    const sentOrigin = hop.req?.get('origin');
    if (sentOrigin != null && sentOrigin !== requestOrigin && k > 0 && !sameOrigin(hopOrigin, initiator)) {
      // The browser compares ACAO with its own serialization, which is what it sends; a difference means our taint
      // model and the browser disagree, or something (an extension) rewrote Origin.
      trace.push(`note: this hop carried Origin: ${sentOrigin}, but the request origin is computed as ${requestOrigin}`);
    }
    const sameOriginHop = !tainted && sameOrigin(hopOrigin, initiator);
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
    hop.memo.need ??= preflightNeed(hop.ex.method, hop.ex.requestHeaders ?? null, profile);
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
      const acrm = pf.req?.get('access-control-request-method') ?? hop.ex.method;
      const acrhRaw = pf.req?.get('access-control-request-headers') ?? null;
      let names = acrhRaw !== null || pf.req ? parseRequestHeaderList(acrhRaw) : need.headerNames;
      if (hop.req) {
        // Chromium names the first disallowed header in request order; ACRH is sorted.
        const order = new Map<string, number>();
        hop.req.names.forEach((n, i) => order.set(n, i));
        names = [...names].sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9));
      }
      trace.push(`preflight OPTIONS ${pf.url} → ${pres.status} (Origin ${requestOrigin}, method ${acrm}${names.length ? `, headers ${names.join(',')}` : ''})`);
      const r = checkPreflight({ status: pres.status, headers: pf.res, origin: requestOrigin, credentials, method: acrm, headerNames: names }, profile);
      checked.push({ headers: pf.res, url: pf.url, origin: requestOrigin, preflight: true });
      for (const n of r.notes) trace.push(n);
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
    if (status === 304 && !hop.res.has(ACAO) && !(outcome.kind === 'error')) {
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
      const acaoValue = hop.res.get(ACAO);
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

function baseOf(browser: BrowserProfile, mode: RequestMode | null, credentials: CredentialsMode | null, inferences: Inference[], findings: SecurityFinding[], preflight: PreflightState, trace: string[]) {
  return { browser: browser.name, mode, credentials, inferences, findings, preflight, trace };
}

function describeReason(r: BlockReason): string {
  return `${r.corsError}${r.failedParameter ? ` (${r.failedParameter})` : ''} / ${r.firefoxReason}`;
}

function evaluateInner(req: ObservedRequest, opts: EvaluateOptions, profile: BrowserProfile): Verdict {
  const trace: string[] = [];
  const inferences: Inference[] = [];
  const url = typeof req.url === 'string' ? req.url : '';
  const outcome: Outcome = req.outcome && typeof req.outcome === 'object' ? req.outcome : { kind: 'unknown' };
  const outcomeError = outcome.kind === 'error' ? String(outcome.error ?? '') : null;
  const raw = Array.isArray(req.exchanges) ? req.exchanges : [];

  const hops: Hop[] = [];
  const preflights: Pf[] = [];
  raw.forEach((ex, index) => {
    if (!ex || typeof ex !== 'object') return;
    const reqH = Array.isArray(ex.requestHeaders) ? new HeaderIndex(ex.requestHeaders) : null;
    const resH = ex.response && Array.isArray(ex.response.headers) ? new HeaderIndex(ex.response.headers) : null;
    const exUrl = typeof ex.url === 'string' ? ex.url : url;
    const pfLike = ex.kind === 'preflight' || (ex.method === 'OPTIONS' && reqH !== null && reqH.has('access-control-request-method'));
    if (pfLike) preflights.push({ ex, index, req: reqH, res: resH, url: exUrl });
    else hops.push({ ex: { ...ex, method: typeof ex.method === 'string' ? ex.method : 'GET' }, index, req: reqH, res: resH, url: exUrl });
  });
  if (hops.length === 0) {
    hops.push({ ex: { kind: 'main', url, method: typeof req.method === 'string' ? req.method : 'GET', requestHeaders: null, response: null }, index: -1, req: null, res: null, url });
  } else {
    // The last hop redirected but its target was never sent (e.g. its preflight failed): add the target as an
    // unsent hop so a preflight seen for it can be assigned and checked.
    const last = hops[hops.length - 1];
    const next = last.res ? redirectTarget(last.ex, last.res) : null;
    if (next && last.ex.response) {
      const m = methodAfterRedirect(last.ex.response.status, last.ex.method);
      hops.push({ ex: { kind: 'main', url: next, method: m, requestHeaders: null, response: null }, index: SYNTHETIC, req: null, res: null, url: next });
    }
  }

  // --- Who asked: the initiator's origin.
  let initiator = normalizeOrigin(req.initiator);
  if (initiator === null && typeof req.documentUrl === 'string' && req.documentUrl) {
    initiator = originOf(req.documentUrl);
    inferences.push({ what: 'initiator', value: initiator, confidence: 'likely', because: 'origin of the document URL' });
  }
  if (initiator === null) {
    const o = hops.find((h) => h.req?.has('origin'))?.req?.get('origin') ?? preflights.find((p) => p.req?.has('origin'))?.req?.get('origin') ?? null;
    const n = normalizeOrigin(o);
    if (n) {
      initiator = n;
      inferences.push({ what: 'initiator', value: n, confidence: 'likely', because: 'the request\'s Origin header' });
    }
  }

  const target = parseUrl(url);
  // An empty header list means the observer saw none (the request was never sent, or headers were hidden).
  const mains = hops.map((h) => ({ ex: h.ex, req: h.req && h.req.lines.length > 0 ? h.req : null, crossOrigin: initiator === null || !sameOrigin(parseUrl(h.url)?.origin ?? OPAQUE, initiator) }));
  const modeInf = inferMode(req, { mains, preflightSeen: preflights.length > 0 });
  const mode = modeInf.value;
  inferences.push(modeInf.inference);

  const notCors = (why: NotCorsWhy, detail: string, credentials: CredentialsMode | null = null): Verdict => {
    trace.push(`not CORS: ${detail}`);
    return { ...baseOf(profile, mode, credentials, inferences, [], 'not-needed', trace), kind: 'not-cors', why, detail };
  };

  if (target?.scheme === 'data') return notCors('data-url', 'data: URLs are answered locally and never CORS-checked');
  if (mode === 'websocket' || target?.scheme === 'ws' || target?.scheme === 'wss') {
    return notCors('websocket', 'WebSocket handshakes are not CORS: the server sees Origin and decides itself');
  }
  if (mode === 'navigate') return notCors('navigation', 'navigations are never CORS-checked');

  const errorClass = outcomeError !== null ? classifyError(outcomeError) : null;
  if (errorClass === 'blocked-by-client') return notCors('blocked-by-client', `an extension or content blocker cancelled the request (${outcomeError})`);
  if (errorClass === 'local-network-access') {
    return notCors('local-network-access', `Local Network Access blocked it (${outcomeError}): the page needs the local-network permission; no server header can fix this`);
  }
  if (errorClass === 'other-policy') {
    return notCors('other-policy', `another policy blocked it (${outcomeError}): ORB, Cross-Origin-Resource-Policy, CSP, mixed content or tracking protection — not CORS`);
  }

  if (initiator === null) {
    trace.push('initiator unknown');
    return { ...baseOf(profile, mode, null, inferences, [], 'not-needed', trace), kind: 'unknown', missing: ['the origin of the page that made the request (initiator)'] };
  }
  trace.push(`request origin: ${initiator}`);

  if (mode === 'no-cors') {
    const neverSent = hops.every((h) => !h.ex.response && !(h.req && h.req.lines.length > 0));
    if (profile.name === 'chromium' && outcomeError === 'net::ERR_FAILED' && neverSent && preflights.length === 0) {
      // fetch_manager.cc rejects mode no-cors + redirect manual/error before any request exists, with the
      // renderer-only issue code NoCorsRedirectModeNotFollow (measured on Chromium 156; Firefox: NS_ERROR_FAILURE).
      inferences.push({ what: 'other', value: 'redirect-mode-not-follow', confidence: 'guess', because: 'a no-cors fetch failed with net::ERR_FAILED before anything was sent: Chromium does that when the redirect mode is not "follow"' });
      trace.push('no-cors request failed before it was sent: redirect mode not "follow"');
      const reason: BlockReason = {
        corsError: 'NoCorsRedirectModeNotFollow', failedParameter: '', firefoxReason: 'CORSDidNotSucceed',
        exchangeIndex: reportIndex(hops[0].index), stage: 'request', expected: 'redirect: "follow"', actual: 'redirect: "manual" or "error"',
      };
      return { ...baseOf(profile, mode, 'include', inferences, [], 'not-needed', trace), kind: 'blocked', reason };
    }
    if (errorClass === 'network' || errorClass === 'cors' || errorClass === 'aborted') {
      return notCors('network-error', `the request failed (${outcomeError}); no-cors requests are never CORS-checked`, 'include');
    }
    const so = target && sameOrigin(target.origin, initiator);
    return notCors('no-cors', so
      ? 'mode no-cors, same-origin: a basic response, no CORS check'
      : 'mode no-cors: the response is opaque (status 0, no headers, unreadable body to script, still usable by <img>/<script>/CSS); no CORS check runs and no CORS error is ever raised', 'include');
  }

  const ext = initiator.startsWith('chrome-extension://') || initiator.startsWith('moz-extension://');
  if (ext && errorClass !== 'cors') {
    return notCors('extension', `requests from extension pages (${initiator}) with host permissions bypass CORS`);
  }

  // --- Credentials: hints and headers first, then the outcome settles ambiguity.
  const preflightAcrh = preflights.some((p) => p.req !== null)
    ? preflights.flatMap((p) => parseRequestHeaderList(p.req?.get('access-control-request-headers') ?? null))
    : null;
  const credInf = inferCredentials(req, mode, { mains, preflightRequestHeaders: preflightAcrh });
  const ctx: Ctx = { req, opts, profile, initiator, mode, hops, preflights, outcome };
  let credentials: CredentialsMode = credInf.value;
  let credInference: Inference = credInf.inference;
  let r = walk(ctx, credentials === 'include');
  const credCertain = credInference.confidence === 'certain';
  const corsFailed = errorClass === 'cors';
  const completed = outcome.kind === 'completed';
  // Would the browser have shown this block in the outcome? Chromium: always; Firefox: only preflight failures.
  const blockVisible = (w: WalkResult) => w.status === 'blocked' && (profile.responseBlockVisibleInOutcome || w.reason?.stage === 'preflight');

  if (!credCertain) {
    const alt: CredentialsMode = credentials === 'include' ? 'same-origin' : 'include';
    if (corsFailed && credentials !== 'include' && r.status !== 'blocked') {
      const r2 = walk(ctx, true);
      if (r2.status === 'blocked') {
        credentials = 'include';
        credInference = {
          what: 'credentials', value: 'include', confidence: 'likely',
          because: `the browser failed the request (${outcomeError}) and only credentials: include makes the observed headers fail (${describeReason(r2.reason!)})`,
        };
        r = r2;
      }
    } else if (completed && credentials === 'include' && blockVisible(r)) {
      const r2 = walk(ctx, false);
      if (r2.status === 'pass') {
        credentials = 'same-origin';
        credInference = {
          what: 'credentials', value: 'same-origin', confidence: 'likely',
          because: `the browser completed the request, which credentials: include would have blocked (${describeReason(r.reason!)}): the request was made without credentials`,
        };
        r = r2;
      }
    } else if (r.status === 'blocked') {
      const r2 = walk(ctx, alt === 'include');
      if (r2.status === 'blocked' && describeReason(r2.reason!) !== describeReason(r.reason!)) {
        credInference = { ...credInference, because: `${credInference.because}; with credentials: ${alt} the browser would report ${describeReason(r2.reason!)} instead` };
      }
    } else if (r.status === 'pass' && !corsFailed) {
      // Say what the other credentials mode would have done, so the panel can warn about it.
      const r2 = walk(ctx, alt === 'include');
      if (r2.status === 'blocked') {
        credInference = { ...credInference, because: `${credInference.because}; with credentials: ${alt} it would be blocked (${describeReason(r2.reason!)})` };
      }
    }
  }
  inferences.push(credInference);
  inferences.push(...r.inferences);
  trace.push(...r.trace);

  const findings = computeFindings({
    profile,
    responses: r.checked,
    requestCarriedCookie: hops.some((h) => h.req?.has('cookie')),
    requestCarriedAuthorization: hops.some((h) => h.req?.has('authorization')),
    authorizationViaWildcard: r.authorizationViaWildcard,
    preflight: r.preflight,
  });
  const base = baseOf(profile, mode, credentials, inferences, findings, r.preflight, trace);

  switch (r.status) {
    case 'same-origin':
      if (outcomeError !== null) {
        trace.push(`not CORS: same-origin request that failed (${outcomeError})`);
        return { ...base, preflight: 'not-needed', kind: 'not-cors', why: 'network-error', detail: `same-origin request that failed without any CORS involvement (${outcomeError})` };
      }
      trace.push('not CORS: same-origin request');
      return { ...base, preflight: 'not-needed', kind: 'not-cors', why: 'same-origin', detail: `same-origin request (${initiator}): no CORS check` };
    case 'network-error':
      return { ...base, kind: 'not-cors', why: 'network-error', detail: r.detail ?? 'network error' };
    case 'incomplete':
      return { ...base, kind: 'unknown', missing: r.missing ?? ['more of the exchange'] };
    case 'blocked': {
      const reason = r.reason!;
      const contradicted = completed && blockVisible(r);
      if (contradicted) {
        // The observed outcome wins over our reading of the headers.
        const what = describeReason(reason);
        if (modeInf.inference.confidence !== 'certain') {
          inferences.push({
            what: 'mode', value: 'no-cors', confidence: 'likely',
            because: `the browser completed the request although, as a cors request, it fails the CORS check (${what}): it was presumably a no-cors request`,
          });
          trace.push('outcome completed despite a failing check: treating it as no-cors');
          return { ...base, mode: 'no-cors', kind: 'not-cors', why: 'no-cors', detail: 'the browser completed it although the headers fail the CORS check, so it was a no-cors request: the response is opaque to the page' };
        }
        inferences.push({
          what: 'response', value: 'headers-differ', confidence: 'guess',
          because: `the browser completed the request although the observed headers fail the CORS check (${what}); the headers it checked may differ from those observed (another extension rewrote them?) or the initiator is exempt from CORS`,
        });
        trace.push('outcome completed despite a failing check: trusting the browser');
        return { ...base, kind: 'allowed' };
      }
      trace.push(`blocked: ${describeReason(reason)}`);
      return { ...base, kind: 'blocked', reason };
    }
    case 'pass': {
      if (corsFailed) {
        trace.push(`the observed headers pass every check, yet the browser failed the request (${outcomeError})`);
        return { ...base, kind: 'unknown', missing: [`why the browser failed the request (${outcomeError}): the observed headers pass every CORS check`] };
      }
      const fin = r.final!;
      const exp = computeExposure(fin.res!, credentials === 'include');
      if (exp.acehInvalid) trace.push('Access-Control-Expose-Headers does not parse: only safelisted headers are exposed');
      if (exp.hidden.length) {
        trace.push(`allowed; hidden from script: ${exp.hidden.join(', ')}`);
        return { ...base, kind: 'allowed-hidden-headers', hiddenHeaders: exp.hidden };
      }
      trace.push('allowed');
      return { ...base, kind: 'allowed' };
    }
  }
}

/**
 * Re-derives the browser's CORS verdict for one observed request. Never throws: an internal failure becomes
 * an `unknown` verdict naming the error.
 */
export function evaluate(req: ObservedRequest, opts: EvaluateOptions): Verdict {
  const profile = profileFor(opts?.browser);
  try {
    return evaluateInner(req, opts ?? { browser: profile.name }, profile);
  } catch (e) {
    return {
      browser: profile.name, mode: null, credentials: null, inferences: [], findings: [], preflight: 'missing',
      trace: [`internal error: ${e instanceof Error ? e.message : String(e)}`],
      kind: 'unknown', missing: [`internal error: ${e instanceof Error ? e.message : String(e)}`],
    };
  }
}

export { isPreflightExchange };
