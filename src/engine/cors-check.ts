// The CORS check (https://fetch.spec.whatwg.org/#concept-cors-check) on one response: ACAO, then ACAC,
// classified the way each browser names the failure (Chromium cors.cc `CheckAccessInternal`,
// Gecko nsCORSListenerProxy.cpp `CheckRequestApproved`).
import { S_ACAC, S_ACAO } from './header-names';
import type { HeaderIndex } from './headers';
import { isValidUrlLikeGurl } from './origin';
import type { BrowserProfile } from './profiles';
import type { ChromiumCorsError, FirefoxCorsReason } from './types';

const ACAO = 'access-control-allow-origin';
const ACAC = 'access-control-allow-credentials';

/** A failed check before the preflight/actual distinction is applied (see `toPreflightError`). */
export interface CheckFailure {
  corsError: ChromiumCorsError;
  firefoxReason: FirefoxCorsReason;
  failedParameter: string;
  header?: string;
  expected?: string;
  actual?: string | null;
  /** Every refused request header, in the order the profile's browser checks them (it names the first). */
  refusedHeaders?: string[];
  /** One-line explanation for the trace. */
  why: string;
}

/** Chromium's classification of an ACAO value that is not the origin (cors.cc, after the equality test). */
function chromiumAcaoMismatch(acao: string): ChromiumCorsError {
  // "Does not allow to have multiple origins in the allow origin header."
  if (acao.includes(' ') || acao.includes(',')) return 'MultipleAllowOriginValues';
  // "Check valid 'null' first since GURL assumes it as invalid."
  if (acao === 'null') return 'AllowOriginMismatch';
  if (!isValidUrlLikeGurl(acao)) return 'InvalidAllowOriginValue';
  return 'AllowOriginMismatch';
}

/** The Firefox key nearest to a Chromium ACAO error (and vice versa), for the verdict's second vocabulary. */
function firefoxFor(e: ChromiumCorsError, lines: number): FirefoxCorsReason {
  switch (e) {
    case 'WildcardOriginNotAllowed':
      return 'CORSNotSupportingCredentials';
    case 'MissingAllowOriginHeader':
      return 'CORSMissingAllowOrigin';
    case 'MultipleAllowOriginValues':
      return lines > 1 ? 'CORSMultipleAllowOriginNotAllowed' : 'CORSAllowOriginNotMatchingOrigin';
    case 'InvalidAllowCredentials':
      return 'CORSMissingAllowCredentials';
    default:
      return 'CORSAllowOriginNotMatchingOrigin';
  }
}

/**
 * Runs the CORS check on `headers` for a request whose serialized origin is `origin` (`null` when opaque or
 * redirect-tainted). `credentials` is true when the request's credentials mode is `include`.
 * Returns null when the check passes.
 */
export function corsCheck(
  headers: HeaderIndex,
  origin: string,
  credentials: boolean,
  profile: BrowserProfile,
): CheckFailure | null {
  const primary = classify(headers, origin, credentials, profile.acaoClassification);
  if (!primary) return null;
  // The other browser's name for the same headers fills the verdict's second vocabulary.
  const other = classify(
    headers,
    origin,
    credentials,
    profile.acaoClassification === 'chromium' ? 'firefox' : 'chromium',
  );
  if (other) {
    if (profile.acaoClassification === 'chromium') primary.firefoxReason = other.firefoxReason;
    else {
      primary.corsError = other.corsError;
      primary.failedParameter = other.failedParameter;
    }
  }
  return primary;
}

function acaoFailure(
  acao: string | null,
  origin: string,
  corsError: ChromiumCorsError,
  firefoxReason: FirefoxCorsReason,
  why: string,
): CheckFailure {
  return {
    corsError,
    firefoxReason,
    failedParameter:
      corsError === 'WildcardOriginNotAllowed' || corsError === 'MissingAllowOriginHeader' ? '' : (acao ?? ''),
    header: ACAO,
    expected: origin,
    actual: acao,
    why,
  };
}

function acacFailure(acac: string | null): CheckFailure {
  return {
    corsError: 'InvalidAllowCredentials',
    firefoxReason: 'CORSMissingAllowCredentials',
    failedParameter: acac ?? '',
    header: ACAC,
    expected: 'true',
    actual: acac,
    why:
      acac === null
        ? 'credentials mode is include but Access-Control-Allow-Credentials is missing'
        : `credentials mode is include but Access-Control-Allow-Credentials is '${acac}', not 'true'`,
  };
}

// The failure builders are module functions, not closures: classify runs on every checked response.
function classify(
  headers: HeaderIndex,
  origin: string,
  credentials: boolean,
  style: 'chromium' | 'firefox',
): CheckFailure | null {
  const acao = headers.value(S_ACAO);
  const lines = headers.countSlot(S_ACAO);
  const acac = headers.value(S_ACAC);

  if (style === 'chromium') {
    if (acao === '*') {
      if (credentials) {
        return acaoFailure(
          acao,
          origin,
          'WildcardOriginNotAllowed',
          'CORSNotSupportingCredentials',
          "Access-Control-Allow-Origin is '*' but the request's credentials mode is include",
        );
      }
      return null;
    }
    if (acao === null) {
      return acaoFailure(
        acao,
        origin,
        'MissingAllowOriginHeader',
        'CORSMissingAllowOrigin',
        'no Access-Control-Allow-Origin header',
      );
    }
    if (acao !== origin) {
      const e = chromiumAcaoMismatch(acao);
      const why =
        e === 'MultipleAllowOriginValues'
          ? `Access-Control-Allow-Origin holds several values '${acao}'${lines > 1 ? ` (${lines} header lines)` : ''}`
          : e === 'InvalidAllowOriginValue'
            ? `Access-Control-Allow-Origin '${acao}' is not a valid origin`
            : `Access-Control-Allow-Origin '${acao}' is not the request origin '${origin}'`;
      return acaoFailure(acao, origin, e, firefoxFor(e, lines), why);
    }
    if (credentials && acac !== 'true') return acacFailure(acac);
    return null;
  }

  // Firefox: Gecko counts ACAO lines in the original response headers before reading the value.
  if (lines > 1) {
    return acaoFailure(
      acao,
      origin,
      'MultipleAllowOriginValues',
      'CORSMultipleAllowOriginNotAllowed',
      `${lines} Access-Control-Allow-Origin header lines`,
    );
  }
  if (acao === null) {
    return acaoFailure(
      acao,
      origin,
      'MissingAllowOriginHeader',
      'CORSMissingAllowOrigin',
      'no Access-Control-Allow-Origin header',
    );
  }
  if (credentials && acao === '*') {
    return acaoFailure(
      acao,
      origin,
      'WildcardOriginNotAllowed',
      'CORSNotSupportingCredentials',
      "Access-Control-Allow-Origin is '*' but the request's credentials mode is include",
    );
  }
  if ((credentials || acao !== '*') && acao !== origin) {
    return acaoFailure(
      acao,
      origin,
      chromiumAcaoMismatch(acao),
      'CORSAllowOriginNotMatchingOrigin',
      `Access-Control-Allow-Origin '${acao}' does not match '${origin}'`,
    );
  }
  if (credentials && acac !== 'true') return acacFailure(acac);
  return null;
}

/** Maps a CORS-check error on a preflight response to Chromium's `Preflight*` variant (preflight_controller.cc). */
export function toPreflightError(e: ChromiumCorsError): ChromiumCorsError {
  switch (e) {
    case 'WildcardOriginNotAllowed':
      return 'PreflightWildcardOriginNotAllowed';
    case 'MissingAllowOriginHeader':
      return 'PreflightMissingAllowOriginHeader';
    case 'MultipleAllowOriginValues':
      return 'PreflightMultipleAllowOriginValues';
    case 'InvalidAllowOriginValue':
      return 'PreflightInvalidAllowOriginValue';
    case 'AllowOriginMismatch':
      return 'PreflightAllowOriginMismatch';
    case 'InvalidAllowCredentials':
      return 'PreflightInvalidAllowCredentials';
    default:
      return e;
  }
}
