// A model of each browser's CORS-preflight cache (https://fetch.spec.whatwg.org/#concept-cache) for tests: the
// oracle replays recorded preflight-cache scenarios through it, so the engine's `preflightCache` option
// (EvaluateOptions, a PreflightCacheView) is exercised against what Chromium and Firefox really reused.
// The extension and the CLI keep no such model: without one, the engine infers a likely cache hit when a request that
// needed a preflight went out with none visible (src/engine/main-fetch.ts).
// Chromium: services/network/cors/preflight_cache.cc + preflight_result.cc; Gecko: nsCORSListenerProxy.cpp.
import { HeaderIndex, asciiLower, parseTokenList } from '../../src/engine/headers';
import { isPreflightExchange } from '../../src/engine/infer';
import { effectiveMaxAge } from '../../src/engine/preflight-cache';
import { profileFor, type BrowserProfile } from '../../src/engine/profiles';
import { isSafelistedMethod } from '../../src/engine/safelist';
import type { BrowserName, ObservedRequest, PreflightCacheView, Verdict } from '../../src/engine/types';

interface Entry {
  credentials: boolean;
  /** method → expiry (ms since epoch). */
  methods: Map<string, number>;
  /** lowercased header name → expiry. */
  headers: Map<string, number>;
}

export interface PreflightCacheOptions {
  /** The browser runs under automation (Firefox then never reused cached preflights, measured). */
  automation?: boolean;
}

export class PreflightCacheModel implements PreflightCacheView {
  readonly profile: BrowserProfile;
  private readonly entries = new Map<string, Entry>();
  private readonly reuse: boolean;
  /** Bound the model like the browsers do (Chromium 1024 entries, Gecko 100). */
  private readonly maxEntries: number;

  constructor(browser: BrowserName, opts: PreflightCacheOptions = {}) {
    this.profile = profileFor(browser);
    this.reuse = !(opts.automation && !this.profile.reusesCachedPreflightsUnderAutomation);
    this.maxEntries = this.profile.name === 'chromium' ? 1024 : 100;
  }

  private key(origin: string, url: string): string {
    return `${origin} ${url}`;
  }

  /**
   * Stores a successful preflight: `method` and `headerNames` are what was asked (ACRM/ACRH), `responseHeaders`
   * what the server answered. `at` is when it was received (ms).
   */
  record(origin: string, url: string, credentials: boolean, responseHeaders: HeaderIndex, at: number): void {
    if (this.profile.name === 'chromium' && url.length >= 1024) return; // preflight_cache.cc: long URLs not cached
    const age = effectiveMaxAge(responseHeaders.get('access-control-max-age'), this.profile);
    const k = this.key(origin, url);
    if (age === null) {
      if (this.profile.cacheGranularity === 'entry') this.entries.delete(k);
      return;
    }
    const expiry = at + age * 1000;
    const methods = parseTokenList(responseHeaders.get('access-control-allow-methods') ?? '');
    const headers = parseTokenList(responseHeaders.get('access-control-allow-headers') ?? '');
    if (!methods.ok || !headers.ok) return;
    let entry = this.entries.get(k);
    if (!entry || this.profile.cacheGranularity === 'entry') {
      entry = { credentials, methods: new Map(), headers: new Map() };
      this.entries.delete(k);
      this.entries.set(k, entry);
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    }
    entry.credentials = credentials;
    for (const m of methods.items) entry.methods.set(m, expiry);
    for (const h of headers.items) entry.headers.set(asciiLower(h), expiry);
  }

  /** Feeds the model from an evaluated request: every preflight that passed is stored. */
  observe(req: ObservedRequest, verdict: Verdict): void {
    if (verdict.kind === 'blocked' && verdict.reason.stage === 'preflight') return;
    if (verdict.mode !== 'cors') return;
    for (const ex of req.exchanges ?? []) {
      if (!isPreflightExchange(ex) || !ex.response) continue;
      // The preflight's own Origin header is the serialized request origin (`null` once tainted).
      const origin = (ex.requestHeaders ? new HeaderIndex(ex.requestHeaders).get('origin') : null) ?? req.initiator;
      if (!origin) continue;
      if (ex.response.status < 200 || ex.response.status > 299) continue;
      this.record(
        origin,
        ex.url,
        verdict.credentials === 'include',
        new HeaderIndex(ex.response.headers),
        ex.endedAt ?? ex.startedAt ?? req.startedAt ?? 0,
      );
    }
  }

  covers(
    origin: string,
    url: string,
    credentials: boolean,
    method: string,
    headerNames: string[],
    at: number,
  ): boolean {
    if (!this.reuse) return false;
    const entry = this.entries.get(this.key(origin, url));
    if (!entry) return false;
    // An entry stored for a credential-less request cannot serve a credentialed one.
    if (credentials && !entry.credentials) return false;
    const live = (exp: number | undefined) => exp !== undefined && exp > at;
    const methodOk =
      this.profile.cacheExemptMethods.includes(method) ||
      live(entry.methods.get(method)) ||
      (!credentials && live(entry.methods.get('*'))) ||
      (this.profile.name === 'chromium' && isSafelistedMethod(method, true));
    if (!methodOk) return false;
    for (const name of headerNames) {
      const n = asciiLower(name);
      if (live(entry.headers.get(n))) continue;
      if (
        !credentials &&
        live(entry.headers.get('*')) &&
        (n !== 'authorization' || this.profile.authorizationCoveredByWildcard)
      )
        continue;
      return false;
    }
    return true;
  }

  clear(): void {
    this.entries.clear();
  }
}
