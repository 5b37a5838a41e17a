// The server policy for one request that a server change can fix, built in phases: target, page
// origin, credentials, method and headers, error statuses, exposed headers, the blocked reason.
import type { BlockReason, Exchange, ObservedRequest, Verdict } from '../engine/types';
import { advise } from './client-advice';
import type { Advice, OriginPolicy, PolicyItem } from './policy-types';
import { addChange, addWarning, emptyPolicy, pushUnique } from './policy-edit';
import {
  SAFELISTED_METHODS,
  SAFELISTED_RESPONSE_HEADERS,
  credentialsOf,
  exchangeAt,
  headerValue,
  isRedirectTainted,
  httpOriginOf,
  requestMethod,
  unsafeRequestHeaderNames,
} from './request-facts';
import { reasonChanges } from './server-changes';
import { checkHeaderName, checkMethod, checkOrigin, describeValue, isHttpOrigin, type PolicyWarning } from './validate';

/** Hop-by-hop headers (RFC 9110 §7.6.1): connection-level, never worth exposing to a script. */
const NOT_EXPOSABLE = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'proxy-connection',
]);

/** What every phase works on. */
interface Phase {
  p: OriginPolicy;
  req: ObservedRequest;
  verdict: Verdict;
  hop: Exchange | undefined;
  advice: Advice[];
  /** `request "id"`, the prefix of this request's warnings. */
  ctx: string;
}

/** The origin of the server at fault, or null (with advice or a warning) when it cannot be configured. */
function targetOriginOf(
  req: ObservedRequest,
  hopUrl: string,
  advice: Advice[],
  rejected: PolicyWarning[],
): string | null {
  const targetOrigin = httpOriginOf(hopUrl);
  if (targetOrigin === null) {
    advise(advice, 'cors-disabled-scheme', req, null);
    return null;
  }
  // WHATWG URL hosts may contain $ ' ; { } and more (only a few code points are forbidden), and the
  // target ends up in server_name / Caddy site addresses: only plain hosts go through.
  if (
    checkOrigin(targetOrigin, rejected, `request ${describeValue(req.id)} target`) === null ||
    targetOrigin === 'null'
  )
    return null;
  return targetOrigin;
}

function pathOf(url: string): string | null {
  try {
    return new URL(url).pathname;
  } catch {
    return null; /* httpOriginOf already parsed it */
  }
}

/** The origin the browser sent on the failing hop (null after a cross-origin redirect), or null when unusable. */
function pageOriginOf({ p, req, advice, ctx }: Phase, tainted: boolean, rejected: PolicyWarning[]): string | null {
  if (tainted) {
    advise(advice, 'redirect-taint', req, p.targetOrigin);
    return 'null';
  }
  const raw =
    req.initiator ?? headerValue(req.exchanges.find((e) => e.kind === 'main')?.requestHeaders, 'origin') ?? null;
  if (raw === null) {
    advise(advice, 'unknown-page-origin', req, p.targetOrigin);
    return null;
  }
  return checkOrigin(raw, rejected, ctx);
}

function allowPageOrigin({ p, req }: Phase, pageOrigin: string, tainted: boolean): void {
  if (pageOrigin === 'null') {
    addChange(
      p,
      'allow-null-origin',
      tainted
        ? 'The browser sends Origin: null after a cross-origin redirect; allowing `null` is the only server-side fix.'
        : 'The page has an opaque origin (sandboxed iframe, file:, data:), so it sends Origin: null.',
      req.id,
    );
    addWarning(p, {
      code: 'null-origin',
      severity: 'danger',
      message:
        'Allowing the origin `null` lets ANY sandboxed iframe or file: page on any site read these responses' +
        ' — prefer removing the redirect / serving the page from a real origin.',
    });
  }
  p.allowOrigins.push(pageOrigin);
}

function applyCredentials({ p, req, verdict, ctx }: Phase, pageOrigin: string): void {
  const cred = credentialsOf(req, verdict);
  p.credentials = cred.include;
  if (!cred.known) {
    addWarning(p, {
      code: 'credentials-unknown',
      severity: 'info',
      message: `${ctx}: the credentials mode was not observed; ${cred.include ? 'a Cookie header was sent, so credentials are assumed' : 'assumed not credentialed (no Cookie header seen)'}.`,
    });
  }
  if (p.credentials && pageOrigin !== 'null' && isHttpOrigin(pageOrigin) && p.targetOrigin.startsWith('https:')) {
    addWarning(p, {
      code: 'http-origin-with-credentials',
      severity: 'warning',
      message: `${describeValue(pageOrigin)} is plain http: trusting it with credentials on an https API lets a network attacker act as that page.`,
    });
  }
}

/** Method and headers the preflight has to allow. */
function applyMethodAndHeaders({ p, req, hop, advice, ctx }: Phase): void {
  const method = checkMethod(requestMethod(req), p.warnings, ctx);
  if (method !== null && !SAFELISTED_METHODS.includes(method)) {
    pushUnique(p.methods, method);
    if (method !== method.toUpperCase()) advise(advice, 'uppercase-method', req, p.targetOrigin, method);
  }
  for (const raw of unsafeRequestHeaderNames(req, hop)) {
    const n = checkHeaderName(raw, p.warnings, ctx);
    if (n !== null) pushUnique(p.requestHeaders, n);
  }
  p.preflight =
    p.methods.length > 0 || p.requestHeaders.length > 0 || req.exchanges.some((e) => e.kind === 'preflight');
}

/** Failures on error responses: the fix is "CORS headers on every status", not only on 2xx. */
function applyErrorStatus({ p, req, verdict, hop }: Phase): void {
  const failedStatus = hop?.response?.status ?? null;
  if (
    failedStatus !== null &&
    failedStatus >= 400 &&
    (verdict.kind !== 'blocked' || verdict.reason.stage !== 'preflight')
  ) {
    p.corsOnErrors = true;
    addChange(
      p,
      'cors-on-error-responses',
      `The response was a ${failedStatus}: send the CORS headers on error responses too (nginx \`always\`, Apache \`Header always\`, ` +
        'framework exception handlers), or the page sees a CORS error instead of the real status.',
      req.id,
    );
  }
}

/** Hidden response headers worth listing in Access-Control-Expose-Headers. */
function exposableNames(p: OriginPolicy, hidden: string[], ctx: string): string[] {
  const names: string[] = [];
  for (const raw of hidden) {
    const lower = raw.toLowerCase();
    if (lower === 'set-cookie' || lower === 'set-cookie2') {
      addWarning(p, {
        code: 'set-cookie-not-exposable',
        severity: 'info',
        message: 'Set-Cookie can never be exposed to scripts, whatever Access-Control-Expose-Headers says.',
      });
      continue;
    }
    // Already readable, or meaningless to expose: CORS headers themselves and hop-by-hop headers.
    if (SAFELISTED_RESPONSE_HEADERS.has(lower) || lower.startsWith('access-control-') || NOT_EXPOSABLE.has(lower))
      continue;
    const n = checkHeaderName(raw, p.warnings, ctx);
    if (n !== null) pushUnique(names, n);
  }
  return names;
}

function applyHiddenHeaders({ p, req, ctx }: Phase, hidden: string[]): void {
  const names = exposableNames(p, hidden, ctx);
  for (const n of names) pushUnique(p.exposeHeaders, n);
  if (names.length) {
    addChange(
      p,
      'expose-headers',
      `The page cannot read ${names.map((n) => describeValue(n)).join(', ')}: list the ones it needs in Access-Control-Expose-Headers` +
        (p.credentials ? ' (by name: with credentials `*` is literal).' : '.'),
      req.id,
    );
  }
}

function applyBlockedReason({ p, req, advice }: Phase, reason: BlockReason, pageOrigin: string): void {
  reasonChanges(p, reason, req, pageOrigin, p.credentials);
  if (reason.corsError === 'PreflightDisallowedRedirect') advise(advice, 'request-final-url', req, p.targetOrigin);
  if (reason.corsError === 'RedirectContainsCredentials') advise(advice, 'remove-url-credentials', req, p.targetOrigin);
}

/** Build the policy for one server-fixable request (null + advice when it cannot be). */
export function draftFor(item: PolicyItem, advice: Advice[], rejected: PolicyWarning[]): OriginPolicy | null {
  const { request: req, verdict } = item;
  const hop = exchangeAt(req, verdict);
  const hopUrl = hop?.url ?? req.url;
  const targetOrigin = targetOriginOf(req, hopUrl, advice, rejected);
  if (targetOrigin === null) return null;
  const phase: Phase = {
    p: emptyPolicy(targetOrigin, req.id, pathOf(hopUrl)),
    req,
    verdict,
    hop,
    advice,
    ctx: `request ${describeValue(req.id)}`,
  };
  const tainted = isRedirectTainted(req, hop);
  const pageOrigin = pageOriginOf(phase, tainted, rejected);
  if (pageOrigin === null) return null;
  allowPageOrigin(phase, pageOrigin, tainted);
  applyCredentials(phase, pageOrigin);
  applyMethodAndHeaders(phase);
  applyErrorStatus(phase);
  if (verdict.kind === 'allowed-hidden-headers') applyHiddenHeaders(phase, verdict.hiddenHeaders);
  if (verdict.kind === 'blocked') applyBlockedReason(phase, verdict.reason, pageOrigin);
  return phase.p;
}
