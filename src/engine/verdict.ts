// The verdict out of a finished walk: weighed against how the request actually ended (the observed outcome wins over
// our reading of the headers), then the not-CORS checks that only apply once CORS passed (not-cors.ts).
import { computeExposure } from './exposure';
import type { Inferred } from './infer';
import { walk, type WalkResult } from './main-fetch';
import type { Ctx } from './hops';
import { passedNotCors, type NotCors } from './not-cors';
import type { BrowserProfile } from './profiles';
import type { BlockReason, Inference, NotCorsCause, NotCorsWhy, RequestMode, Verdict } from './types';

/** The fields every verdict carries, in the contract's key order (the order JSON.stringify prints). */
export type Base = Pick<
  Verdict,
  'browser' | 'mode' | 'credentials' | 'inferences' | 'findings' | 'preflight' | 'trace'
>;

export function describeReason(r: BlockReason): string {
  return `${r.corsError}${r.failedParameter ? ` (${r.failedParameter})` : ''} / ${r.firefoxReason}`;
}

// One constructor per kind, each a literal in the contract's key order: verdicts built by spreading the shared
// fields made the whole engine markedly slower in V8 (docs/performance.md, Engine).

export function allowed(b: Base): Verdict {
  return {
    browser: b.browser,
    mode: b.mode,
    credentials: b.credentials,
    inferences: b.inferences,
    findings: b.findings,
    preflight: b.preflight,
    trace: b.trace,
    kind: 'allowed',
  };
}

function allowedHidden(b: Base, hiddenHeaders: string[]): Verdict {
  return {
    browser: b.browser,
    mode: b.mode,
    credentials: b.credentials,
    inferences: b.inferences,
    findings: b.findings,
    preflight: b.preflight,
    trace: b.trace,
    kind: 'allowed-hidden-headers',
    hiddenHeaders,
  };
}

export function blockedBy(b: Base, reason: BlockReason): Verdict {
  return {
    browser: b.browser,
    mode: b.mode,
    credentials: b.credentials,
    inferences: b.inferences,
    findings: b.findings,
    preflight: b.preflight,
    trace: b.trace,
    kind: 'blocked',
    reason,
  };
}

export function unknown(b: Base, missing: string[]): Verdict {
  return {
    browser: b.browser,
    mode: b.mode,
    credentials: b.credentials,
    inferences: b.inferences,
    findings: b.findings,
    preflight: b.preflight,
    trace: b.trace,
    kind: 'unknown',
    missing,
  };
}

export function notCorsVerdict(
  b: Base,
  why: NotCorsWhy,
  detail: string,
  cause: NotCorsCause = why as NotCorsCause,
): Verdict {
  return {
    browser: b.browser,
    mode: b.mode,
    credentials: b.credentials,
    inferences: b.inferences,
    findings: b.findings,
    preflight: b.preflight,
    trace: b.trace,
    kind: 'not-cors',
    why,
    cause,
    detail,
  };
}

/** A not-CORS finding (not-cors.ts) as a verdict: its cause, the fix, and Chromium's CorsError when it has one. */
export function notCorsFound(b: Base, n: NotCors): Verdict {
  const v: Verdict = {
    browser: b.browser,
    mode: b.mode,
    credentials: b.credentials,
    inferences: b.inferences,
    findings: b.findings,
    preflight: b.preflight,
    trace: b.trace,
    kind: 'not-cors',
    why: n.why,
    cause: n.cause,
    detail: n.detail,
    fix: n.fix,
  };
  if (n.corsError) v.corsError = n.corsError;
  b.trace.push(`not CORS (${n.cause}): ${n.detail}`);
  return v;
}

/** Loads whose response only an element consumes: Access-Control-Expose-Headers means nothing to them. */
const SUBRESOURCE_TYPES = new Set(['image', 'script', 'stylesheet', 'font', 'media']);

/** Would the browser have shown this block in the outcome? Chromium: always; Firefox: only preflight failures. */
export function blockVisible(profile: BrowserProfile, w: WalkResult): boolean {
  return w.status === 'blocked' && (profile.responseBlockVisibleInOutcome || w.reason?.stage === 'preflight');
}

/** What the assembly reads besides the walk's result. */
export interface Assembly {
  ctx: Ctx;
  base: Base;
  /** The mode inference, kept to be replaced when the outcome contradicts it. */
  modeInf: Inferred<RequestMode>;
  credInference: Inference;
  outcomeError: string | null;
  /** The browser failed the request with a CORS error. */
  corsFailed: boolean;
  completed: boolean;
  carriedCookie: boolean;
}

export function assemble(a: Assembly, r: WalkResult): Verdict {
  switch (r.status) {
    case 'same-origin':
      return sameOriginVerdict(a);
    case 'network-error':
      return notCorsVerdict(a.base, 'network-error', r.detail ?? 'network error');
    case 'incomplete':
      return incompleteVerdict(a, r);
    case 'blocked':
      return blockedVerdict(a, r);
    case 'pass':
      return passVerdict(a, r);
  }
}

function sameOriginVerdict({ base, outcomeError, ctx }: Assembly): Verdict {
  base.preflight = 'not-needed';
  if (outcomeError !== null) {
    base.trace.push(`not CORS: same-origin request that failed (${outcomeError})`);
    return notCorsVerdict(
      base,
      'network-error',
      `same-origin request that failed without any CORS involvement (${outcomeError})`,
    );
  }
  base.trace.push('not CORS: same-origin request');
  return notCorsVerdict(base, 'same-origin', `same-origin request (${ctx.initiator}): no CORS check`);
}

function incompleteVerdict(a: Assembly, r: WalkResult): Verdict {
  const { base, ctx, modeInf, outcomeError } = a;
  // Only when the request was recorded with no headers at all (exported as never sent). Provisional headers do
  // not say it: Chrome and Playwright record them for a request sent and then blocked on its response
  // (test/e2e/har-recordhar.chromium.test.ts), and a live observer that saw nothing cannot tell either.
  const unsent = ctx.hops.every(
    (h) => h.ex.requestHeaders !== null && h.ex.requestHeaders.length === 0 && !h.ex.response,
  );
  const byMode =
    a.corsFailed &&
    unsent &&
    ctx.preflights.length === 0 &&
    r.preflight === 'not-needed' &&
    modeInf.inference.confidence !== 'certain'
      ? walk({ ...ctx, mode: 'same-origin' }, false)
      : null;
  if (byMode?.status !== 'blocked') return unknown(base, r.missing ?? ['more of the exchange']);
  // Nothing went out and no preflight was needed, yet the browser failed it as a CORS error: what
  // fetch(url, {mode: 'same-origin'}) does to a cross-origin URL (https://fetch.spec.whatwg.org/#main-fetch
  // step 12, "request's mode is same-origin": a network error before any request).
  // It replaces the mode inferred from the headers, which this outcome contradicts.
  const replaced = base.inferences.indexOf(modeInf.inference);
  if (replaced >= 0) base.inferences.splice(replaced, 1);
  base.inferences.push({
    what: 'mode',
    value: 'same-origin',
    confidence: 'guess',
    because: `the browser failed this cross-origin request (${outcomeError}) before anything was sent, with no preflight: mode: 'same-origin' does that${ctx.profile.name === 'chromium' ? " (so does mode: 'no-cors' with redirect: 'manual', NoCorsRedirectModeNotFollow, which a HAR cannot tell apart)" : ''}`,
  });
  base.trace.push(...byMode.trace, `blocked: ${describeReason(byMode.reason!)}`);
  base.mode = 'same-origin';
  base.preflight = 'not-needed';
  return blockedBy(base, byMode.reason!);
}

function blockedVerdict(a: Assembly, r: WalkResult): Verdict {
  const { base, ctx, modeInf } = a;
  const reason = r.reason!;
  if (!(a.completed && blockVisible(ctx.profile, r))) {
    base.trace.push(`blocked: ${describeReason(reason)}`);
    return blockedBy(base, reason);
  }
  // The browser completed what the headers fail: the observed outcome wins over our reading of the headers.
  const what = describeReason(reason);
  if (isExtensionOrigin(ctx.initiator)) {
    base.trace.push('outcome completed despite a failing check: the extension page has host permissions');
    return notCorsVerdict(
      base,
      'extension',
      `extension pages (${ctx.initiator}) with host permissions for the URL bypass CORS (Chromium's OriginAccessList); the response would otherwise fail: ${what}`,
    );
  }
  if (modeInf.inference.confidence !== 'certain') {
    base.inferences.push({
      what: 'mode',
      value: 'no-cors',
      confidence: 'likely',
      because: `the browser completed the request although, as a cors request, it fails the CORS check (${what}): it was presumably a no-cors request`,
    });
    base.trace.push('outcome completed despite a failing check: treating it as no-cors');
    base.mode = 'no-cors';
    return notCorsVerdict(
      base,
      'no-cors',
      'the browser completed it although the headers fail the CORS check, so it was a no-cors request: the response is opaque to the page',
    );
  }
  base.inferences.push({
    what: 'response',
    value: 'headers-differ',
    confidence: 'guess',
    because: `the browser completed the request although the observed headers fail the CORS check (${what}); the headers it checked may differ from those observed (another extension rewrote them?) or the initiator is exempt from CORS`,
  });
  base.trace.push('outcome completed despite a failing check: trusting the browser');
  return allowed(base);
}

export function isExtensionOrigin(origin: string): boolean {
  return origin.startsWith('chrome-extension://') || origin.startsWith('moz-extension://');
}

function passVerdict(a: Assembly, r: WalkResult): Verdict {
  const { base, ctx, outcomeError } = a;
  const { trace, credentials } = base;
  if (a.corsFailed) {
    trace.push(`the observed headers pass every check, yet the browser failed the request (${outcomeError})`);
    return unknown(base, [
      `why the browser failed the request (${outcomeError}): the observed headers pass every CORS check`,
    ]);
  }
  const type = ctx.req.type;
  if (type !== undefined && SUBRESOURCE_TYPES.has(type)) {
    // <img crossorigin>, <script crossorigin>, fonts and stylesheets: the element uses the body; no script
    // reads their headers, so none is "hidden" (https://fetch.spec.whatwg.org/#concept-filtered-response-cors).
    trace.push(`allowed (a ${type} load: its headers are never read by script)`);
    return allowed(base);
  }
  const fin = r.final!;
  const exp = computeExposure(fin.res!, credentials === 'include');
  if (exp.acehInvalid) trace.push('Access-Control-Expose-Headers does not parse: only safelisted headers are exposed');
  // CORS let it through; an HTTP error status or withheld cookies still failed the page (not-cors.ts).
  // Withheld cookies only when the credentials mode is known, not guessed: a guessed include must not turn an
  // ordinary response with a Set-Cookie into a cookie problem.
  const credsKnown = credentials === 'include' && a.credInference.confidence !== 'guess';
  if (fin.ex.response && (fin.ex.response.status >= 400 || (credsKnown && !a.carriedCookie))) {
    const passed = passedNotCors({
      req: ctx.req,
      initiator: ctx.initiator,
      credentials: credsKnown ? credentials : 'unknown',
      final: fin.ex.response,
      carriedCookie: a.carriedCookie,
      hiddenHeaders: exp.hidden,
    });
    if (passed) return notCorsFound(base, passed);
  }
  if (exp.hidden.length) {
    trace.push(`allowed; hidden from script: ${exp.hidden.join(', ')}`);
    return allowedHidden(base, exp.hidden);
  }
  trace.push('allowed');
  return allowed(base);
}
