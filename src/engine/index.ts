// The CORS policy engine: one ObservedRequest in, the browser's CORS verdict out. Runs the Fetch steps in
// order (https://fetch.spec.whatwg.org/#main-fetch, #http-fetch, #cors-preflight-fetch, #http-redirect-fetch)
// for each browser profile, then weighs the verdict against how the request actually ended.
import { computeFindings } from './findings';
import { S_AUTHORIZATION, S_COOKIE } from './header-names';
import { pfRequestHeaders, reportIndex, type Ctx } from './hops';
import { inferCredentials, inferMode, isPreflightExchange, type Inferred, type ModeEvidence } from './infer';
import { walk, type WalkResult } from './main-fetch';
import { classifyError, type ErrorClass } from './net-errors';
import { earlyNotCors } from './not-cors';
import { findInitiator, modeEvidence, observe, type Observation } from './observe';
import { parseUrl, sameOrigin, type ParsedUrl } from './origin';
import { profileFor, type BrowserProfile } from './profiles';
import {
  assemble,
  blockedBy,
  blockVisible,
  describeReason,
  notCorsFound,
  notCorsVerdict,
  unknown,
  type Base,
} from './verdict';
import type {
  BlockReason,
  CredentialsMode,
  EvaluateOptions,
  Exchange,
  Inference,
  ObservedRequest,
  RequestMode,
  Verdict,
} from './types';

export * from './types';
export { effectiveMaxAge } from './preflight-cache';
export { messagesFor, type VerdictMessages } from './console-texts';
export { profileFor, CHROMIUM, FIREFOX, type BrowserProfile } from './profiles';
export { originOf, parseUrl } from './origin';
export { isRedirectStatus, methodAfterRedirect } from './redirects';
export { blockedReasonError, causeOfError } from './net-errors';

/** What is known before any Fetch step: the observation, who asked, the mode. */
interface Facts {
  req: ObservedRequest;
  opts: EvaluateOptions;
  profile: BrowserProfile;
  obs: Observation;
  initiator: string | null;
  /** The request URL, parsed. */
  target: ParsedUrl | null;
  evidence: ModeEvidence;
  modeInf: Inferred<RequestMode>;
  errorClass: ErrorClass | null;
  /** The verdict's shared fields as they stand before any walk (no findings, no preflight); its inferences and trace grow from here. */
  early: Base;
}

function evaluateInner(req: ObservedRequest, opts: EvaluateOptions, profile: BrowserProfile): Verdict {
  const f = establishFacts(req, opts, profile);
  const shortcut = notCorsBeforeInitiator(f);
  if (shortcut) return shortcut;
  if (f.initiator === null) return unknownInitiator(f);
  f.early.trace.push(`request origin: ${f.initiator}`);
  if (f.modeInf.value === 'no-cors') return noCorsVerdict(f, f.initiator);
  return corsVerdict(f, f.initiator);
}

/** Observe the exchanges, then who asked, then the mode (each guess recorded as an inference). */
function establishFacts(req: ObservedRequest, opts: EvaluateOptions, profile: BrowserProfile): Facts {
  const obs = observe(req);
  const inferences: Inference[] = [];
  const initiator = findInitiator(req, obs, inferences);
  const evidence = modeEvidence(obs, initiator);
  const modeInf = inferMode(req, evidence);
  inferences.push(modeInf.inference);
  return {
    req,
    opts,
    profile,
    obs,
    initiator,
    evidence,
    modeInf,
    // parseUrl is pure: the first hop's parse serves when it is the request URL.
    target: obs.hops[0].url === obs.url ? (obs.hops[0].memo?.parsed ?? null) : parseUrl(obs.url),
    errorClass: obs.outcomeError !== null ? classifyError(obs.outcomeError) : null,
    early: {
      browser: profile.name,
      mode: modeInf.value,
      credentials: null,
      inferences,
      findings: [],
      preflight: 'not-needed',
      trace: [],
    },
  };
}

/** A CORS request from a known origin: the walks under the credentials mode reconciled with the outcome, then the verdict. */
function corsVerdict(f: Facts, initiator: string): Verdict {
  const { req, opts, profile, obs, modeInf } = f;
  const { inferences, trace } = f.early;
  const ctx: Ctx = {
    req,
    opts,
    profile,
    initiator,
    mode: modeInf.value,
    hops: obs.hops,
    preflights: obs.preflights,
    outcome: obs.outcome,
  };
  const cred = reconcileCredentials(
    f,
    ctx,
    inferCredentials(req, modeInf.value, { mains: f.evidence.mains, preflightRequestHeaders: preflightAcrh(ctx) }),
  );
  inferences.push(cred.inference, ...cred.walk.inferences);
  trace.push(...cred.walk.trace);
  const carriedCookie = obs.hops.some((h) => h.req?.hasSlot(S_COOKIE) ?? false);
  const findings = computeFindings({
    profile,
    responses: cred.walk.checked,
    requestCarriedCookie: carriedCookie,
    requestCarriedAuthorization: obs.hops.some((h) => h.req?.hasSlot(S_AUTHORIZATION) ?? false),
    authorizationViaWildcard: cred.walk.authorizationViaWildcard,
    preflight: cred.walk.preflight,
  });
  return assemble(
    {
      ctx,
      modeInf,
      carriedCookie,
      base: {
        browser: profile.name,
        mode: modeInf.value,
        credentials: cred.value,
        inferences,
        findings,
        preflight: cred.walk.preflight,
        trace,
      },
      credInference: cred.inference,
      outcomeError: obs.outcomeError,
      corsFailed: f.errorClass === 'cors',
      completed: obs.outcome.kind === 'completed',
    },
    cred.walk,
  );
}

function notCorsEarly(
  f: Facts,
  why: 'data-url' | 'websocket' | 'navigation' | 'no-cors' | 'network-error',
  detail: string,
  credentials: CredentialsMode | null = null,
): Verdict {
  f.early.trace.push(`not CORS: ${detail}`);
  f.early.credentials = credentials;
  return notCorsVerdict(f.early, why, detail);
}

/**
 * Not CORS at all, whatever the headers say: data:, WebSocket and navigations by definition; then the page's CSP,
 * mixed content, LNA, the network, an extension, the page's own abort, CORP/COEP/ORB (not-cors.ts), decided only
 * from evidence that rules CORS out.
 */
function notCorsBeforeInitiator(f: Facts): Verdict | null {
  const { target } = f;
  const mode = f.modeInf.value;
  if (target?.scheme === 'data')
    return notCorsEarly(f, 'data-url', 'data: URLs are answered locally and never CORS-checked');
  if (mode === 'websocket' || target?.scheme === 'ws' || target?.scheme === 'wss') {
    return notCorsEarly(f, 'websocket', 'WebSocket handshakes are not CORS: the server sees Origin and decides itself');
  }
  if (mode === 'navigate') return notCorsEarly(f, 'navigation', 'navigations are never CORS-checked');
  if (f.errorClass === null && !f.req.hints?.failure) return null;
  const found = earlyNotCors({
    req: f.req,
    browser: f.profile.name,
    initiator: f.initiator,
    target,
    outcomeError: f.obs.outcomeError,
  });
  if (!found) return null;
  f.early.credentials = mode === 'no-cors' ? 'include' : null;
  return notCorsFound(f.early, found);
}

function unknownInitiator(f: Facts): Verdict {
  if (f.modeInf.value === 'no-cors' && f.modeInf.inference.confidence === 'certain') {
    // The page's origin only matters to a CORS check, and no-cors requests never get one (a proxy capture without
    // pages, settled by Sec-Fetch-Mode).
    return notCorsEarly(
      f,
      'no-cors',
      "mode no-cors: the response is opaque to the page; no CORS check runs whatever the page's origin",
      'include',
    );
  }
  f.early.trace.push('initiator unknown');
  return unknown(f.early, ['the origin of the page that made the request (initiator)']);
}

/** Mode no-cors: never CORS-checked; only how it failed (or that it was same-origin) is worth saying. */
function noCorsVerdict(f: Facts, initiator: string): Verdict {
  const { obs, profile } = f;
  const neverSent = obs.hops.every((h) => !h.ex.response && !(h.req && h.req.lines.length > 0));
  if (
    profile.name === 'chromium' &&
    obs.outcomeError === 'net::ERR_FAILED' &&
    neverSent &&
    obs.preflights.length === 0
  ) {
    // fetch_manager.cc rejects mode no-cors + redirect manual/error before any request exists, with the
    // renderer-only issue code NoCorsRedirectModeNotFollow (measured on Chromium 156; Firefox: NS_ERROR_FAILURE).
    f.early.inferences.push({
      what: 'other',
      value: 'redirect-mode-not-follow',
      confidence: 'guess',
      because:
        'a no-cors fetch failed with net::ERR_FAILED before anything was sent: Chromium does that when the redirect mode is not "follow"',
    });
    f.early.trace.push('no-cors request failed before it was sent: redirect mode not "follow"');
    const reason: BlockReason = {
      corsError: 'NoCorsRedirectModeNotFollow',
      failedParameter: '',
      firefoxReason: 'CORSDidNotSucceed',
      exchangeIndex: reportIndex(obs.hops[0].index),
      stage: 'request',
      expected: 'redirect: "follow"',
      actual: 'redirect: "manual" or "error"',
    };
    f.early.credentials = 'include';
    return blockedBy(f.early, reason);
  }
  if (f.errorClass === 'network' || f.errorClass === 'cors' || f.errorClass === 'aborted') {
    return notCorsEarly(
      f,
      'network-error',
      `the request failed (${obs.outcomeError}); no-cors requests are never CORS-checked`,
      'include',
    );
  }
  return notCorsEarly(
    f,
    'no-cors',
    f.target && sameOrigin(f.target.origin, initiator)
      ? 'mode no-cors, same-origin: a basic response, no CORS check'
      : 'mode no-cors: the response is opaque (status 0, no headers, unreadable body to script, still usable by <img>/<script>/CSS); no CORS check runs and no CORS error is ever raised',
    'include',
  );
}

/** The header names the preflights announced, or null when no preflight's request headers were seen. */
function preflightAcrh(ctx: Ctx): string[] | null {
  if (!ctx.preflights.some((p) => p.req !== null)) return null;
  const names: string[] = [];
  for (const p of ctx.preflights) names.push(...pfRequestHeaders(p));
  return names;
}

interface Credentials {
  value: CredentialsMode;
  inference: Inference;
  /** The walk under the credentials mode decided. */
  walk: WalkResult;
}

/**
 * Credentials: hints and headers first, then the outcome settles ambiguity. When they are not certain, a second walk
 * under the other mode either replaces the first (the outcome fits only it) or says what that mode would have done.
 */
function reconcileCredentials(f: Facts, ctx: Ctx, inferred: Inferred<CredentialsMode>): Credentials {
  const r = walk(ctx, inferred.value === 'include');
  const cred: Credentials = { value: inferred.value, inference: inferred.inference, walk: r };
  if (inferred.inference.confidence === 'certain') return cred;
  const corsFailed = f.errorClass === 'cors';
  const alt: CredentialsMode = cred.value === 'include' ? 'same-origin' : 'include';
  if (corsFailed && cred.value !== 'include' && r.status !== 'blocked') {
    const r2 = walk(ctx, true);
    // The browser went on past the exchange that include would fail (a later one was sent, e.g. the next
    // redirect hop in a HAR without its response): that exchange passed, so the failure lies further on.
    if (r2.status === 'blocked' && !wentOnPast(f.req.exchanges, r2.reason!.exchangeIndex)) {
      const because = `the browser failed the request (${f.obs.outcomeError}) and only credentials: include makes the observed headers fail (${describeReason(r2.reason!)})`;
      return {
        value: 'include',
        inference: { what: 'credentials', value: 'include', confidence: 'likely', because },
        walk: r2,
      };
    }
  } else if (ctx.outcome.kind === 'completed' && cred.value === 'include' && blockVisible(f.profile, r)) {
    const r2 = walk(ctx, false);
    if (r2.status === 'pass') {
      const because = `the browser completed the request, which credentials: include would have blocked (${describeReason(r.reason!)}): the request was made without credentials`;
      return {
        value: 'same-origin',
        inference: { what: 'credentials', value: 'same-origin', confidence: 'likely', because },
        walk: r2,
      };
    }
  } else if (r.status === 'blocked') {
    const r2 = walk(ctx, alt === 'include');
    if (r2.status === 'blocked' && describeReason(r2.reason!) !== describeReason(r.reason!)) {
      cred.inference = {
        ...cred.inference,
        because: `${cred.inference.because}; with credentials: ${alt} the browser would report ${describeReason(r2.reason!)} instead`,
      };
    }
  } else if (r.status === 'pass' && !corsFailed) {
    // Say what the other credentials mode would have done, so the panel can warn about it.
    const r2 = walk(ctx, alt === 'include');
    if (r2.status === 'blocked') {
      cred.inference = {
        ...cred.inference,
        because: `${cred.inference.because}; with credentials: ${alt} it would be blocked (${describeReason(r2.reason!)})`,
      };
    }
  }
  return cred;
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
      browser: profile.name,
      mode: null,
      credentials: null,
      inferences: [],
      findings: [],
      preflight: 'missing',
      trace: [`internal error: ${e instanceof Error ? e.message : String(e)}`],
      kind: 'unknown',
      missing: [`internal error: ${e instanceof Error ? e.message : String(e)}`],
    };
  }
}

export { isPreflightExchange };
export { isForbiddenRequestHeader, isForbiddenMethod } from './safelist';
export { isForbiddenHeaderName } from './header-names';
export { isToken } from './headers';
export { needsServerFix } from './server-fix';
export { preflightNeed } from './preflight-needed';
export { redirectTarget, taintAfterHop } from './redirects';
