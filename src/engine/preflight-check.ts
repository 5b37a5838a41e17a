// Validating a CORS-preflight response (https://fetch.spec.whatwg.org/#cors-preflight-fetch), in each
// browser's order: Chromium preflight_controller.cc/preflight_result.cc and Gecko
// nsCORSPreflightListener::CheckPreflightRequestApproved (netwerk/protocol/http/nsCORSListenerProxy.cpp).
import { corsCheck, toPreflightError, type CheckFailure } from './cors-check';
import { S_ACAH, S_ACAM, S_ACAO, S_LOCATION } from './header-names';
import { asciiLower, parseTokenList, type HeaderIndex } from './headers';
import { CHROMIUM, FIREFOX, type BrowserProfile } from './profiles';
import { isRedirectStatus } from './redirects';
import { isSafelistedMethod } from './safelist';
import type { ChromiumCorsError, FirefoxCorsReason } from './types';

export const ACAM = 'access-control-allow-methods';
export const ACAH = 'access-control-allow-headers';

export interface PreflightInput {
  status: number;
  headers: HeaderIndex;
  /** Serialized request origin (`null` when opaque or tainted). */
  origin: string;
  /** Credentials mode of the ACTUAL request is include (the preflight itself never carries credentials). */
  credentials: boolean;
  /** The actual request's method, as sent (case kept: `patch` ≠ `PATCH`). */
  method: string;
  /** CORS-unsafe request-header names, lowercased (each browser checks them in its own order: headerCheckOrder). */
  headerNames: string[];
}

export interface PreflightPass {
  ok: true;
  /** `Authorization` was let through only because ACAH was `*` (spec says it should not be). */
  authorizationViaWildcard: boolean;
  /** Trace lines for the checks that passed. */
  notes: string[];
}

export type PreflightResult = PreflightPass | ({ ok: false; notes: string[] } & CheckFailure);

/** A preflight answered with a redirect: a redirect status with a Location (net::HttpResponseHeaders::IsRedirect). */
export function isRedirectResponse(status: number, headers: HeaderIndex): boolean {
  return isRedirectStatus(status) && headers.value(S_LOCATION) !== null;
}

const isOk = (status: number) => status >= 200 && status <= 299;

type Check = (ctx: Ctx) => CheckFailure | null;
interface Ctx {
  input: PreflightInput;
  profile: BrowserProfile;
  methods?: string[];
  headers?: string[];
  wildcardAuthorization: boolean;
  notes: string[];
}

const redirectCheck: Check = ({ input }) => {
  if (!isRedirectResponse(input.status, input.headers)) return null;
  return {
    corsError: 'PreflightDisallowedRedirect',
    firefoxReason: 'CORSExternalRedirectNotAllowed',
    failedParameter: '',
    header: 'location',
    expected: 'a 2xx answer to the preflight, not a redirect',
    actual: `${input.status} → ${input.headers.value(S_LOCATION)}`,
    why: `the preflight was answered with a ${input.status} redirect, which browsers never follow for a preflight`,
  };
};

const acaoCheck: Check = ({ input, profile, notes }) => {
  const f = corsCheck(input.headers, input.origin, input.credentials, profile);
  if (!f) {
    notes.push(`preflight Access-Control-Allow-Origin ok (${input.headers.value(S_ACAO)})`);
    return null;
  }
  return { ...f, corsError: toPreflightError(f.corsError), why: `preflight: ${f.why}` };
};

const statusCheck: Check = ({ input, notes }) => {
  if (isOk(input.status)) {
    notes.push(`preflight status ${input.status} is ok`);
    return null;
  }
  return {
    corsError: 'PreflightInvalidStatus',
    firefoxReason: 'CORSPreflightDidNotSucceed',
    failedParameter: '',
    expected: '200-299',
    actual: String(input.status),
    why: `the preflight got HTTP ${input.status}; only 2xx is an ok status`,
  };
};

const parseMethods: Check = (ctx) => {
  const v = ctx.input.headers.value(S_ACAM);
  if (v === null) {
    ctx.methods = [];
    return null;
  }
  const r = parseTokenList(v);
  if (r.ok) {
    ctx.methods = r.items;
    return null;
  }
  return {
    corsError: 'InvalidAllowMethodsPreflightResponse',
    firefoxReason: 'CORSInvalidAllowMethod',
    failedParameter: '',
    header: ACAM,
    expected: 'a comma-separated list of method tokens',
    actual: v,
    why: `Access-Control-Allow-Methods does not parse ('${r.bad}' is not a token)`,
  };
};

const parseHeaders: Check = (ctx) => {
  const v = ctx.input.headers.value(S_ACAH);
  if (v === null) {
    ctx.headers = [];
    return null;
  }
  const r = parseTokenList(v);
  if (r.ok) {
    ctx.headers = r.items.map(asciiLower);
    return null;
  }
  return {
    corsError: 'InvalidAllowHeadersPreflightResponse',
    firefoxReason: 'CORSInvalidAllowHeader',
    failedParameter: '',
    header: ACAH,
    expected: 'a comma-separated list of header-name tokens',
    actual: v,
    why: `Access-Control-Allow-Headers does not parse ('${r.bad}' is not a token)`,
  };
};

const methodCheck: Check = ({ input, profile, methods = [], notes }) => {
  const m = input.method;
  // Byte-exact, case-sensitive match (Chromium's spec-conformant default; Gecko `mPreflightMethod.Equals`).
  if (methods.includes(m)) {
    notes.push(`method ${m} is listed in Access-Control-Allow-Methods`);
    return null;
  }
  if (isSafelistedMethod(m, profile.safelistedMethodCaseInsensitive)) {
    notes.push(`method ${m} is safelisted, it needs no Access-Control-Allow-Methods entry`);
    return null;
  }
  if (!input.credentials && methods.includes('*')) {
    notes.push(`method ${m} is covered by Access-Control-Allow-Methods: * (no credentials)`);
    return null;
  }
  const v = input.headers.value(S_ACAM);
  const caseHint = methods.some((x) => x.toUpperCase() === m.toUpperCase()) ? ' (the match is case-sensitive)' : '';
  const starHint = input.credentials && methods.includes('*') ? " ('*' is literal for a credentialed request)" : '';
  return {
    corsError: 'MethodDisallowedByPreflightResponse',
    firefoxReason: 'CORSMethodNotFound',
    failedParameter: m,
    header: ACAM,
    expected: m,
    actual: v,
    why:
      v === null
        ? `method ${m} needs Access-Control-Allow-Methods, which is missing`
        : `method ${m} is not in Access-Control-Allow-Methods '${v}'${caseHint}${starHint}`,
  };
};

/**
 * The order each browser walks the request's CORS-unsafe header names in, which decides the one it names when
 * several are refused. Chromium (preflight_result.cc EnsureAllowedCrossOriginHeaders) takes the first refused
 * name of the request's header vector, which Chromium fills in descending order of the lowercased names
 * whatever order the page set them in (wire order, and failedParameter measured on Chromium 156: oracle
 * family refused-headers-*). Gecko walks the sorted Access-Control-Request-Headers list (ascending).
 */
export function headerCheckOrder(names: readonly string[], order: 'ascending' | 'descending'): string[] {
  const sorted = [...names].sort();
  return order === 'ascending' ? sorted : sorted.reverse();
}

function headerCheckIn(order: 'ascending' | 'descending'): Check {
  return (ctx) => {
    const { input, profile, notes } = ctx;
    const allowed = ctx.headers ?? [];
    const wildcard = !input.credentials && allowed.includes('*');
    const names = input.headerNames.length > 1 ? headerCheckOrder(input.headerNames, order) : input.headerNames;
    if (names.length === 0) return null;
    const refused: string[] = [];
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      // A scan, not a Set: both lists hold a handful of names.
      if (allowed.includes(name)) continue;
      if (wildcard) {
        if (name !== 'authorization') continue;
        // https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name: `*` never covers Authorization —
        // but measured Chromium 156 and Firefox ESR 153 let it through; the profile decides.
        if (profile.authorizationCoveredByWildcard) {
          ctx.wildcardAuthorization = true;
          continue;
        }
      }
      refused.push(name);
    }
    if (refused.length > 0) return disallowed(refused, input, allowed);
    notes.push(`request headers ${names.join(', ')} allowed by Access-Control-Allow-Headers${wildcard ? ' (*)' : ''}`);
    return null;
  };
}

/** `refused` in the order the browser checks them: it names the first. */
function disallowed(refused: string[], input: PreflightInput, allowed: string[]): CheckFailure {
  const name = refused[0];
  const v = input.headers.value(S_ACAH);
  const starHint = input.credentials && allowed.includes('*') ? " ('*' is literal for a credentialed request)" : '';
  return {
    corsError: 'HeaderDisallowedByPreflightResponse',
    firefoxReason: 'CORSMissingAllowHeaderFromPreflight',
    failedParameter: name,
    header: name,
    expected: name,
    actual: v,
    refusedHeaders: refused,
    why:
      v === null
        ? `request header ${name} needs Access-Control-Allow-Headers, which is missing`
        : `request header ${name} is not in Access-Control-Allow-Headers '${v}'${starHint}`,
  };
}

const CHROMIUM_ORDER: Check[] = [
  redirectCheck,
  acaoCheck,
  statusCheck,
  parseMethods,
  parseHeaders,
  methodCheck,
  headerCheckIn('descending'),
];
const FIREFOX_ORDER: Check[] = [
  acaoCheck,
  redirectCheck,
  statusCheck,
  parseMethods,
  methodCheck,
  parseHeaders,
  headerCheckIn('ascending'),
];

function run(input: PreflightInput, profile: BrowserProfile): { failure: CheckFailure | null; ctx: Ctx } {
  const ctx: Ctx = { input, profile, wildcardAuthorization: false, notes: [] };
  const order = profile.preflightOrder === 'chromium' ? CHROMIUM_ORDER : FIREFOX_ORDER;
  for (let i = 0; i < order.length; i++) {
    const f = order[i](ctx);
    if (f) return { failure: f, ctx };
  }
  return { failure: null, ctx };
}

/** Validates a preflight response for `profile`; the other browser's verdict on the same headers fills the second vocabulary. */
export function checkPreflight(input: PreflightInput, profile: BrowserProfile): PreflightResult {
  const { failure, ctx } = run(input, profile);
  if (!failure) return { ok: true, authorizationViaWildcard: ctx.wildcardAuthorization, notes: ctx.notes };
  const otherProfile = profile.name === 'chromium' ? FIREFOX : CHROMIUM;
  const other = run(input, otherProfile).failure;
  const merged: CheckFailure = { ...failure };
  if (profile.name === 'chromium')
    merged.firefoxReason = other?.firefoxReason ?? FALLBACK_FIREFOX[failure.corsError] ?? failure.firefoxReason;
  else {
    merged.corsError = other?.corsError ?? failure.corsError;
    merged.failedParameter = other ? other.failedParameter : failure.failedParameter;
  }
  return { ok: false, notes: ctx.notes, ...merged };
}

const FALLBACK_FIREFOX: Partial<Record<ChromiumCorsError, FirefoxCorsReason>> = {
  PreflightDisallowedRedirect: 'CORSExternalRedirectNotAllowed',
  PreflightInvalidStatus: 'CORSPreflightDidNotSucceed',
};
