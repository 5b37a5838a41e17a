// The CORS policy engine: one ObservedRequest in, the browser's CORS verdict out. Runs the Fetch steps in
// order (https://fetch.spec.whatwg.org/#main-fetch, #http-fetch, #cors-preflight-fetch, #http-redirect-fetch)
// for each browser profile, then weighs the verdict against how the request actually ended.
import { computeExposure } from './exposure';
import { computeFindings } from './findings';
import { S_ACRM, S_AUTHORIZATION, S_COOKIE, S_ORIGIN } from './header-names';
import { HeaderIndex } from './headers';
import { inferCredentials, inferMode, isPreflightExchange, type ModeEvidence } from './infer';
import { pfRequestHeaders, reportIndex, SYNTHETIC, urlKey, walk, type Ctx, type Hop, type Pf, type WalkResult } from './main-fetch';
import { classifyError } from './net-errors';
import { earlyNotCors, passedNotCors, type NotCors } from './not-cors';
import { normalizeOrigin, OPAQUE, originOf, parseUrl, sameOrigin } from './origin';
import { profileFor, type BrowserProfile } from './profiles';
import { methodAfterRedirect, redirectTarget } from './redirects';
import type {
  BlockReason, CredentialsMode, EvaluateOptions, Exchange, Inference, NotCorsCause, NotCorsWhy, ObservedRequest, Outcome,
  RequestMode, Verdict,
} from './types';

export * from './types';
export { effectiveMaxAge } from './preflight-cache';
export { messagesFor, type VerdictMessages } from './messages';
export { profileFor, CHROMIUM, FIREFOX, type BrowserProfile } from './profiles';
export { parseUrl } from './origin';
export { isRedirectStatus, methodAfterRedirect } from './redirects';
export { blockedReasonError, causeOfError } from './net-errors';

type Base = Pick<Verdict, 'browser' | 'mode' | 'credentials' | 'inferences' | 'findings' | 'preflight' | 'trace'>;

// Verdicts are built as literals in the contract's key order (browser … trace, then kind and its fields), which is
// also the order JSON.stringify prints; no spread of a shared base object (a copy per verdict in the hot path).

function describeReason(r: BlockReason): string {
  return `${r.corsError}${r.failedParameter ? ` (${r.failedParameter})` : ''} / ${r.firefoxReason}`;
}

function notCorsVerdict(b: Base, why: NotCorsWhy, detail: string, cause: NotCorsCause = why as NotCorsCause): Verdict {
  return { browser: b.browser, mode: b.mode, credentials: b.credentials, inferences: b.inferences, findings: b.findings, preflight: b.preflight, trace: b.trace, kind: 'not-cors', why, cause, detail };
}

/** A not-cors verdict decided before any walk (no findings, no preflight). */
function notCorsEarly(profile: BrowserProfile, mode: RequestMode, inferences: Inference[], trace: string[], why: NotCorsWhy, detail: string, credentials: CredentialsMode | null = null, cause: NotCorsCause = why as NotCorsCause): Verdict {
  trace.push(`not CORS: ${detail}`);
  return { browser: profile.name, mode, credentials, inferences, findings: [], preflight: 'not-needed', trace, kind: 'not-cors', why, cause, detail };
}

/** A not-CORS finding (not-cors.ts) as a verdict: its cause, the fix, and Chromium's CorsError when it has one. */
function notCorsFound(b: Base, n: NotCors): Verdict {
  const v: Verdict = { browser: b.browser, mode: b.mode, credentials: b.credentials, inferences: b.inferences, findings: b.findings, preflight: b.preflight, trace: b.trace, kind: 'not-cors', why: n.why, cause: n.cause, detail: n.detail, fix: n.fix };
  if (n.corsError) v.corsError = n.corsError;
  b.trace.push(`not CORS (${n.cause}): ${n.detail}`);
  return v;
}

/**
 * Whether the browser went on past exchange `at` (so it passed there): a later redirect hop recorded at all (the
 * browser followed), or a later exchange that went out on the network — it got a response, or its headers carry
 * what only the network stack adds (Host, Accept-Encoding, Connection). After a failing preflight the actual request
 * is still listed, with the renderer's provisional headers or none, so those alone prove nothing.
 */
function wentOnPast(exchanges: readonly Exchange[], at: number): boolean {
  const failed = exchanges[at];
  for (let i = at + 1; i < exchanges.length; i++) {
    const x = exchanges[i];
    if (failed?.kind === 'main' && x.kind === 'main') return true;
    if (x.response) return true;
    const h = x.requestHeaders;
    if (!h) continue;
    for (let j = 0; j < h.length; j++) {
      const n = h[j].name.toLowerCase();
      if (n === 'host' || n === 'accept-encoding' || n === 'connection') return true;
    }
  }
  return false;
}

/** Loads whose response only an element consumes: Access-Control-Expose-Headers means nothing to them. */
const SUBRESOURCE_TYPES = new Set(['image', 'script', 'stylesheet', 'font', 'media']);

/** Would the browser have shown this block in the outcome? Chromium: always; Firefox: only preflight failures. */
function blockVisible(profile: BrowserProfile, w: WalkResult): boolean {
  return w.status === 'blocked' && (profile.responseBlockVisibleInOutcome || w.reason?.stage === 'preflight');
}

/** Written by touchExchanges so that its loads are not optimized away. */
let _touched = 0;

/**
 * Reads, in one tight loop of independent loads, what the steps below reach first in each exchange: its URL, header
 * lists and response. The request was built long before it is judged, so these are cache misses; issued together
 * they overlap instead of stalling the per-exchange loop one by one (as in HeaderIndex's first loop).
 */
function touchExchanges(raw: readonly unknown[]): void {
  let t = 0;
  for (let i = 0; i < raw.length; i++) {
    const ex = raw[i] as Partial<Exchange> | null;
    if (!ex || typeof ex !== 'object') continue;
    const u = ex.url;
    if (typeof u === 'string') t += u.length;
    const rh = ex.requestHeaders;
    if (Array.isArray(rh)) t += rh.length;
    const res = ex.response;
    if (res && typeof res === 'object' && Array.isArray(res.headers)) t += res.headers.length;
  }
  _touched = t;
}

function evaluateInner(req: ObservedRequest, opts: EvaluateOptions, profile: BrowserProfile): Verdict {
  const trace: string[] = [];
  const inferences: Inference[] = [];
  const url = typeof req.url === 'string' ? req.url : '';
  const outcome: Outcome = req.outcome && typeof req.outcome === 'object' ? req.outcome : { kind: 'unknown' };
  const outcomeError = outcome.kind === 'error' ? String(outcome.error ?? '') : null;
  const raw = Array.isArray(req.exchanges) ? req.exchanges : [];

  touchExchanges(raw);

  // One HeaderIndex per exchange and one URL parse per hop, shared by every later step and both walks.
  const hops: Hop[] = [];
  const preflights: Pf[] = [];
  for (let index = 0; index < raw.length; index++) {
    const ex = raw[index];
    if (!ex || typeof ex !== 'object') continue;
    const reqH = Array.isArray(ex.requestHeaders) ? new HeaderIndex(ex.requestHeaders) : null;
    const resH = ex.response && Array.isArray(ex.response.headers) ? new HeaderIndex(ex.response.headers) : null;
    const exUrl = typeof ex.url === 'string' ? ex.url : url;
    const pfLike = ex.kind === 'preflight' || (ex.method === 'OPTIONS' && reqH !== null && reqH.hasSlot(S_ACRM));
    if (pfLike) preflights.push({ ex, index, req: reqH, res: resH, url: exUrl });
    else {
      // A copy only when the method needs defaulting: hops read `ex` and never write it.
      const hx = typeof ex.method === 'string' ? ex : { ...ex, method: 'GET' };
      hops.push({ memo: { parsed: parseUrl(exUrl) }, ex: hx, index, req: reqH, res: resH, url: exUrl });
    }
  }
  if (hops.length === 0) {
    hops.push({ memo: { parsed: parseUrl(url) }, ex: { kind: 'main', url, method: typeof req.method === 'string' ? req.method : 'GET', requestHeaders: null, response: null }, index: -1, req: null, res: null, url });
  } else {
    // The last hop redirected but its target was never sent (e.g. its preflight failed): add the target as an
    // unsent hop so a preflight seen for it can be assigned and checked.
    const last = hops[hops.length - 1];
    const next = last.res ? redirectTarget(last.ex, last.res) : null;
    if (next && last.ex.response) {
      const m = methodAfterRedirect(last.ex.response.status, last.ex.method);
      hops.push({ memo: { parsed: parseUrl(next) }, ex: { kind: 'main', url: next, method: m, requestHeaders: null, response: null }, index: SYNTHETIC, req: null, res: null, url: next });
    }
  }

  // --- Who asked: the initiator's origin.
  let initiator = normalizeOrigin(req.initiator);
  if (initiator === null && typeof req.documentUrl === 'string' && req.documentUrl) {
    initiator = originOf(req.documentUrl);
    inferences.push({ what: 'initiator', value: initiator, confidence: 'likely', because: 'origin of the document URL' });
  }
  if (initiator === null) {
    const o = hops.find((h) => h.req?.hasSlot(S_ORIGIN))?.req?.value(S_ORIGIN) ?? preflights.find((p) => p.req?.hasSlot(S_ORIGIN))?.req?.value(S_ORIGIN) ?? null;
    const n = normalizeOrigin(o);
    if (n) {
      initiator = n;
      inferences.push({ what: 'initiator', value: n, confidence: 'likely', because: 'the request\'s Origin header' });
    }
  }

  // Firefox reports a sandboxed iframe's URL as originUrl, so the initiator looks like a tuple origin while the
  // page's origin is opaque; the first hop's Origin: null says so (no redirect can have tainted it yet).
  if (initiator !== null && initiator !== OPAQUE) {
    const first = hops[0];
    let sent = first.req?.value(S_ORIGIN) ?? null;
    if (sent === null && preflights.length > 0) {
      const key = urlKey(first.url);
      const before = hops[1]?.index ?? Infinity;
      sent = preflights.find((p) => urlKey(p.url) === key && p.index < before)?.req?.value(S_ORIGIN) ?? null;
    }
    if (sent === OPAQUE) {
      inferences.push({ what: 'initiator', value: OPAQUE, confidence: 'likely', because: `the request carried Origin: null although the initiator was reported as ${initiator}: the page has an opaque origin (sandboxed iframe, data: or file: document)` });
      initiator = OPAQUE;
    }
  }

  // parseUrl is pure: the first hop's parse serves when it is the request URL.
  const target = hops[0].url === url ? (hops[0].memo?.parsed ?? null) : parseUrl(url);
  // An empty header list means the observer saw none (the request was never sent, or headers were hidden).
  const mains: ModeEvidence['mains'] = [];
  for (let i = 0; i < hops.length; i++) {
    const h = hops[i];
    // Remembered on the hop: both credentials walks ask again (same initiator, same parse).
    const same = initiator !== null && sameOrigin(h.memo!.parsed?.origin ?? OPAQUE, initiator);
    h.sameAsInitiator = same;
    mains.push({ ex: h.ex, req: h.req && h.req.lines.length > 0 ? h.req : null, crossOrigin: !same });
  }
  const modeInf = inferMode(req, { mains, preflightSeen: preflights.length > 0 });
  const mode = modeInf.value;
  inferences.push(modeInf.inference);

  if (target?.scheme === 'data') return notCorsEarly(profile, mode, inferences, trace, 'data-url', 'data: URLs are answered locally and never CORS-checked');
  if (mode === 'websocket' || target?.scheme === 'ws' || target?.scheme === 'wss') {
    return notCorsEarly(profile, mode, inferences, trace, 'websocket', 'WebSocket handshakes are not CORS: the server sees Origin and decides itself');
  }
  if (mode === 'navigate') return notCorsEarly(profile, mode, inferences, trace, 'navigation', 'navigations are never CORS-checked');

  const errorClass = outcomeError !== null ? classifyError(outcomeError) : null;
  // Not CORS at all, whatever the headers say: the page's CSP, mixed content, LNA, the network, an extension,
  // the page's own abort, CORP/COEP/ORB (not-cors.ts). Decided only from evidence that rules CORS out.
  if (errorClass !== null || req.hints?.failure) {
    const early = earlyNotCors({ req, browser: profile.name, initiator, target, outcomeError });
    if (early) {
      const credentials = mode === 'no-cors' ? 'include' : null;
      return notCorsFound({ browser: profile.name, mode, credentials, inferences, findings: [], preflight: 'not-needed', trace }, early);
    }
  }

  if (initiator === null && mode === 'no-cors' && modeInf.inference.confidence === 'certain') {
    // The page's origin only matters to a CORS check, and no-cors requests never get one (a proxy capture without
    // pages, settled by Sec-Fetch-Mode).
    return notCorsEarly(profile, mode, inferences, trace, 'no-cors', 'mode no-cors: the response is opaque to the page; no CORS check runs whatever the page\'s origin', 'include');
  }
  if (initiator === null) {
    trace.push('initiator unknown');
    return { browser: profile.name, mode, credentials: null, inferences, findings: [], preflight: 'not-needed', trace, kind: 'unknown', missing: ['the origin of the page that made the request (initiator)'] };
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
      return { browser: profile.name, mode, credentials: 'include', inferences, findings: [], preflight: 'not-needed', trace, kind: 'blocked', reason };
    }
    if (errorClass === 'network' || errorClass === 'cors' || errorClass === 'aborted') {
      return notCorsEarly(profile, mode, inferences, trace, 'network-error', `the request failed (${outcomeError}); no-cors requests are never CORS-checked`, 'include');
    }
    const so = target && sameOrigin(target.origin, initiator);
    return notCorsEarly(profile, mode, inferences, trace, 'no-cors', so
      ? 'mode no-cors, same-origin: a basic response, no CORS check'
      : 'mode no-cors: the response is opaque (status 0, no headers, unreadable body to script, still usable by <img>/<script>/CSS); no CORS check runs and no CORS error is ever raised', 'include');
  }

  const ext = initiator.startsWith('chrome-extension://') || initiator.startsWith('moz-extension://');

  // --- Credentials: hints and headers first, then the outcome settles ambiguity.
  let preflightAcrh: string[] | null = null;
  for (let i = 0; i < preflights.length; i++) {
    if (preflights[i].req === null) continue;
    preflightAcrh = [];
    break;
  }
  if (preflightAcrh) {
    for (let i = 0; i < preflights.length; i++) {
      const names = pfRequestHeaders(preflights[i]);
      for (let j = 0; j < names.length; j++) preflightAcrh.push(names[j]);
    }
  }
  const credInf = inferCredentials(req, mode, { mains, preflightRequestHeaders: preflightAcrh });
  const ctx: Ctx = { req, opts, profile, initiator, mode, hops, preflights, outcome };
  let credentials: CredentialsMode = credInf.value;
  let credInference: Inference = credInf.inference;
  const credCertain = credInference.confidence === 'certain';
  // Certain credentials mean a single walk: it writes the verdict's trace itself (its lines follow the origin line).
  let r = walk(ctx, credentials === 'include', credCertain ? trace : undefined);
  const corsFailed = errorClass === 'cors';
  const completed = outcome.kind === 'completed';

  if (!credCertain) {
    const alt: CredentialsMode = credentials === 'include' ? 'same-origin' : 'include';
    if (corsFailed && credentials !== 'include' && r.status !== 'blocked') {
      const r2 = walk(ctx, true);
      // The browser went on past the exchange that include would fail (a later one was sent, e.g. the next
      // redirect hop in a HAR without its response): that exchange passed, so the failure lies further on.
      const sentLater = r2.status === 'blocked' && wentOnPast(req.exchanges, r2.reason!.exchangeIndex);
      if (r2.status === 'blocked' && !sentLater) {
        credentials = 'include';
        credInference = {
          what: 'credentials', value: 'include', confidence: 'likely',
          because: `the browser failed the request (${outcomeError}) and only credentials: include makes the observed headers fail (${describeReason(r2.reason!)})`,
        };
        r = r2;
      }
    } else if (completed && credentials === 'include' && blockVisible(profile, r)) {
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
  // Indexed loops, not for-of: the array iterators showed up in the engine's allocation profile.
  for (let i = 0; i < r.inferences.length; i++) inferences.push(r.inferences[i]);
  if (r.trace !== trace) for (let i = 0; i < r.trace.length; i++) trace.push(r.trace[i]);

  let carriedCookie = false;
  let carriedAuthorization = false;
  for (let i = 0; i < hops.length; i++) {
    const h = hops[i].req;
    if (h === null) continue;
    carriedCookie ||= h.hasSlot(S_COOKIE);
    carriedAuthorization ||= h.hasSlot(S_AUTHORIZATION);
  }
  const findings = computeFindings({
    profile,
    responses: r.checked,
    requestCarriedCookie: carriedCookie,
    requestCarriedAuthorization: carriedAuthorization,
    authorizationViaWildcard: r.authorizationViaWildcard,
    preflight: r.preflight,
  });
  const base: Base = { browser: profile.name, mode, credentials, inferences, findings, preflight: r.preflight, trace };

  switch (r.status) {
    case 'same-origin':
      base.preflight = 'not-needed';
      if (outcomeError !== null) {
        trace.push(`not CORS: same-origin request that failed (${outcomeError})`);
        return notCorsVerdict(base, 'network-error', `same-origin request that failed without any CORS involvement (${outcomeError})`);
      }
      trace.push('not CORS: same-origin request');
      return notCorsVerdict(base, 'same-origin', `same-origin request (${initiator}): no CORS check`);
    case 'network-error':
      return notCorsVerdict(base, 'network-error', r.detail ?? 'network error');
    case 'incomplete': {
      // Only when the request was recorded with no headers at all (exported as never sent). Provisional headers do
      // not say it: Chrome and Playwright record them for a request sent and then blocked on its response
      // (test/e2e/har-recordhar.chromium.test.ts), and a live observer that saw nothing cannot tell either.
      const unsent = hops.every((h) => h.ex.requestHeaders !== null && h.ex.requestHeaders.length === 0 && !h.ex.response);
      const byMode = corsFailed && unsent && preflights.length === 0 && r.preflight === 'not-needed' && modeInf.inference.confidence !== 'certain'
        ? walk({ ...ctx, mode: 'same-origin' }, false) : null;
      if (byMode?.status === 'blocked') {
        // Nothing went out and no preflight was needed, yet the browser failed it as a CORS error: what
        // fetch(url, {mode: 'same-origin'}) does to a cross-origin URL (https://fetch.spec.whatwg.org/#main-fetch
        // step 12, "request's mode is same-origin": a network error before any request).
        // It replaces the mode inferred from the headers, which this outcome contradicts.
        const replaced = inferences.indexOf(modeInf.inference);
        if (replaced >= 0) inferences.splice(replaced, 1);
        inferences.push({
          what: 'mode', value: 'same-origin', confidence: 'guess',
          because: `the browser failed this cross-origin request (${outcomeError}) before anything was sent, with no preflight: mode: 'same-origin' does that${profile.name === 'chromium' ? ' (so does mode: \'no-cors\' with redirect: \'manual\', NoCorsRedirectModeNotFollow, which a HAR cannot tell apart)' : ''}`,
        });
        for (let i = 0; i < byMode.trace.length; i++) trace.push(byMode.trace[i]);
        trace.push(`blocked: ${describeReason(byMode.reason!)}`);
        return { browser: base.browser, mode: 'same-origin', credentials: base.credentials, inferences: base.inferences, findings: base.findings, preflight: 'not-needed', trace: base.trace, kind: 'blocked', reason: byMode.reason! };
      }
      return { browser: base.browser, mode: base.mode, credentials: base.credentials, inferences: base.inferences, findings: base.findings, preflight: base.preflight, trace: base.trace, kind: 'unknown', missing: r.missing ?? ['more of the exchange'] };
    }
    case 'blocked': {
      const reason = r.reason!;
      const contradicted = completed && blockVisible(profile, r);
      if (contradicted) {
        // The observed outcome wins over our reading of the headers.
        const what = describeReason(reason);
        if (ext) {
          trace.push('outcome completed despite a failing check: the extension page has host permissions');
          return notCorsVerdict(base, 'extension', `extension pages (${initiator}) with host permissions for the URL bypass CORS (Chromium's OriginAccessList); the response would otherwise fail: ${what}`);
        }
        if (modeInf.inference.confidence !== 'certain') {
          inferences.push({
            what: 'mode', value: 'no-cors', confidence: 'likely',
            because: `the browser completed the request although, as a cors request, it fails the CORS check (${what}): it was presumably a no-cors request`,
          });
          trace.push('outcome completed despite a failing check: treating it as no-cors');
          base.mode = 'no-cors';
          return notCorsVerdict(base, 'no-cors', 'the browser completed it although the headers fail the CORS check, so it was a no-cors request: the response is opaque to the page');
        }
        inferences.push({
          what: 'response', value: 'headers-differ', confidence: 'guess',
          because: `the browser completed the request although the observed headers fail the CORS check (${what}); the headers it checked may differ from those observed (another extension rewrote them?) or the initiator is exempt from CORS`,
        });
        trace.push('outcome completed despite a failing check: trusting the browser');
        return { browser: base.browser, mode: base.mode, credentials: base.credentials, inferences: base.inferences, findings: base.findings, preflight: base.preflight, trace: base.trace, kind: 'allowed' };
      }
      trace.push(`blocked: ${describeReason(reason)}`);
      return { browser: base.browser, mode: base.mode, credentials: base.credentials, inferences: base.inferences, findings: base.findings, preflight: base.preflight, trace: base.trace, kind: 'blocked', reason };
    }
    case 'pass': {
      if (corsFailed) {
        trace.push(`the observed headers pass every check, yet the browser failed the request (${outcomeError})`);
        return { browser: base.browser, mode: base.mode, credentials: base.credentials, inferences: base.inferences, findings: base.findings, preflight: base.preflight, trace: base.trace, kind: 'unknown', missing: [`why the browser failed the request (${outcomeError}): the observed headers pass every CORS check`] };
      }
      if (req.type !== undefined && SUBRESOURCE_TYPES.has(req.type)) {
        // <img crossorigin>, <script crossorigin>, fonts and stylesheets: the element uses the body; no script
        // reads their headers, so none is "hidden" (https://fetch.spec.whatwg.org/#concept-filtered-response-cors).
        trace.push(`allowed (a ${req.type} load: its headers are never read by script)`);
        return { browser: base.browser, mode: base.mode, credentials: base.credentials, inferences: base.inferences, findings: base.findings, preflight: base.preflight, trace: base.trace, kind: 'allowed' };
      }
      const fin = r.final!;
      const exp = computeExposure(fin.res!, credentials === 'include');
      if (exp.acehInvalid) trace.push('Access-Control-Expose-Headers does not parse: only safelisted headers are exposed');
      // CORS let it through; an HTTP error status or withheld cookies still failed the page (not-cors.ts).
      // Withheld cookies only when the credentials mode is known, not guessed: a guessed include must not turn an
      // ordinary response with a Set-Cookie into a cookie problem.
      const credsKnown = credentials === 'include' && credInference.confidence !== 'guess';
      if (fin.ex.response && (fin.ex.response.status >= 400 || (credsKnown && !carriedCookie))) {
        const passed = passedNotCors({ req, initiator, credentials: credsKnown ? credentials : 'unknown', final: fin.ex.response, carriedCookie, hiddenHeaders: exp.hidden });
        if (passed) return notCorsFound(base, passed);
      }
      if (exp.hidden.length) {
        trace.push(`allowed; hidden from script: ${exp.hidden.join(', ')}`);
        return { browser: base.browser, mode: base.mode, credentials: base.credentials, inferences: base.inferences, findings: base.findings, preflight: base.preflight, trace: base.trace, kind: 'allowed-hidden-headers', hiddenHeaders: exp.hidden };
      }
      trace.push('allowed');
      return { browser: base.browser, mode: base.mode, credentials: base.credentials, inferences: base.inferences, findings: base.findings, preflight: base.preflight, trace: base.trace, kind: 'allowed' };
    }
  }
}

const MAX_LINE = 600;
const MAX_TRACE = 200;
const clip = (t: string) => (t.length > MAX_LINE ? `${t.slice(0, MAX_LINE - 1)}…` : t);

function withinBounds(v: Verdict): boolean {
  if (v.trace.length > MAX_TRACE) return false;
  for (let i = 0; i < v.trace.length; i++) if (v.trace[i].length > MAX_LINE) return false;
  for (let i = 0; i < v.inferences.length; i++) if (v.inferences[i].because.length > MAX_LINE) return false;
  for (let i = 0; i < v.findings.length; i++) if (v.findings[i].message.length > MAX_LINE) return false;
  return true;
}

/**
 * Keeps a verdict's prose bounded whatever the input (a hostile server can send megabyte headers, a capture can
 * hold thousands of hops): the panel stores one verdict per request. Structured fields are left exact.
 */
function bounded(v: Verdict): Verdict {
  if (withinBounds(v)) return v; // the usual case: nothing to clip, so no copy
  let trace = v.trace.map(clip);
  if (trace.length > MAX_TRACE) {
    const head = trace.slice(0, MAX_TRACE - 50);
    const tail = trace.slice(-49);
    trace = [...head, `… ${trace.length - head.length - tail.length} more checks …`, ...tail];
  }
  return {
    ...v,
    trace,
    inferences: v.inferences.map((i) => (i.because.length > MAX_LINE ? { ...i, because: clip(i.because) } : i)),
    findings: v.findings.map((f) => (f.message.length > MAX_LINE ? { ...f, message: clip(f.message) } : f)),
  };
}

/**
 * Re-derives the browser's CORS verdict for one observed request. Never throws: an internal failure becomes
 * an `unknown` verdict naming the error.
 */
export function evaluate(req: ObservedRequest, opts: EvaluateOptions): Verdict {
  const profile = profileFor(opts?.browser);
  try {
    return bounded(evaluateInner(req, opts ?? { browser: profile.name }, profile));
  } catch (e) {
    return {
      browser: profile.name, mode: null, credentials: null, inferences: [], findings: [], preflight: 'missing',
      trace: [`internal error: ${e instanceof Error ? e.message : String(e)}`],
      kind: 'unknown', missing: [`internal error: ${e instanceof Error ? e.message : String(e)}`],
    };
  }
}

export { isPreflightExchange };
export { isForbiddenRequestHeader, isForbiddenMethod } from './safelist';
export { isToken } from './headers';
export { needsServerFix } from './server-fix';
export { preflightNeed } from './preflight-needed';
export { redirectTarget, taintAfterHop } from './redirects';
