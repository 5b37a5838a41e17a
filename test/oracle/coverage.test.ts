// Coverage of the oracle recordings: every Chromium CorsError and Firefox reason that can be triggered on loopback
// has at least one recording in which the real browser reported it. Fails when a re-recording loses one.
import { describe, expect, it } from 'vitest';
import type { ChromiumCorsError, FirefoxCorsReason } from '../../src/engine/types';
import { loadRecordings } from './recordings-io';

// `true`: must be recorded. A string: why it cannot be triggered from a loopback page and server (Record<> makes
// TypeScript insist that every name of the engine's unions is listed here).
const CHROMIUM: Record<ChromiumCorsError, true | string> = {
  DisallowedByMode: true,
  InvalidResponse:
    'only used for PNA warning-mode preflights failing with a net error; not produced by CORS checks (services/network/public/mojom/cors.mojom)',
  WildcardOriginNotAllowed: true,
  MissingAllowOriginHeader: true,
  MultipleAllowOriginValues: true,
  InvalidAllowOriginValue: true,
  AllowOriginMismatch: true,
  InvalidAllowCredentials: true,
  CorsDisabledScheme: true,
  PreflightInvalidStatus: true,
  PreflightDisallowedRedirect: true,
  PreflightWildcardOriginNotAllowed: true,
  PreflightMissingAllowOriginHeader: true,
  PreflightMultipleAllowOriginValues: true,
  PreflightInvalidAllowOriginValue: true,
  PreflightAllowOriginMismatch: true,
  PreflightInvalidAllowCredentials: true,
  InvalidAllowMethodsPreflightResponse: true,
  InvalidAllowHeadersPreflightResponse: true,
  MethodDisallowedByPreflightResponse: true,
  HeaderDisallowedByPreflightResponse: true,
  RedirectContainsCredentials: true,
  NoCorsRedirectModeNotFollow: true,
  // Local Network Access: the lna- scenarios, recorded with page origin A overridden to the public address space.
  InsecureLocalNetwork: true,
  InvalidLocalNetworkAccess: true,
  LocalNetworkAccessPermissionDenied: true,
};

const FIREFOX: Record<FirefoxCorsReason, true | string> = {
  CORSDisabled: 'only with the non-default pref content.cors.disable=true',
  CORSDidNotSucceed: true,
  CORSOriginHeaderNotAdded: 'needs an expanded principal (extension content script), not a web page',
  CORSExternalRedirectNotAllowed: true,
  CORSRequestNotHttp: true,
  CORSMissingAllowOrigin: true,
  CORSMultipleAllowOriginNotAllowed: true,
  CORSAllowOriginNotMatchingOrigin: true,
  CORSNotSupportingCredentials: true,
  CORSMissingAllowCredentials: true,
  CORSPreflightDidNotSucceed: true,
  CORSInvalidAllowMethod: true,
  CORSMethodNotFound: true,
  CORSInvalidAllowHeader: true,
  CORSMissingAllowHeaderFromPreflight: true,
};

describe('oracle recordings cover every loopback-triggerable reason', () => {
  it('Chromium: each CorsError reachable on loopback was reported by Chromium in some recording', () => {
    const seen = new Set(
      loadRecordings('chromium').flatMap((r) => r.expected.map((e) => e.chromium?.corsError).filter(Boolean)),
    );
    const missing = Object.entries(CHROMIUM)
      .filter(([k, v]) => v === true && !seen.has(k as ChromiumCorsError))
      .map(([k]) => k);
    expect(missing).toEqual([]);
  });

  it('Firefox: each reason reachable on loopback was reported by Firefox in some recording', () => {
    const seen = new Set(
      loadRecordings('firefox').flatMap((r) => r.expected.map((e) => e.firefox?.reason).filter(Boolean)),
    );
    const missing = Object.entries(FIREFOX)
      .filter(([k, v]) => v === true && !seen.has(k as FirefoxCorsReason))
      .map(([k]) => k);
    expect(missing).toEqual([]);
  });

  it('both browsers have a recording for every scenario, and at least 200 of them', async () => {
    const { scenarios } = await import('./scenarios');
    const ids = scenarios.map((s) => s.id).sort();
    expect(ids.length).toBeGreaterThanOrEqual(200);
    for (const b of ['chromium', 'firefox'] as const) {
      expect(
        loadRecordings(b)
          .map((r) => r.scenario)
          .sort(),
      ).toEqual(ids);
    }
  });
});
