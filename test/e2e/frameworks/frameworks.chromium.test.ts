// Generated configs against real servers in real Chromium: each framework starts with a deliberately
// broken CORS config, the five scenarios fail for the reason Chromium reports, suggestFix() turns those
// observed failures into a config, the server restarts with it, and then every scenario passes from the
// page while another origin is still refused.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ChromiumCorsError } from '../../../src/engine/types';
import { evaluate } from '../../../src/engine/index';
import { suggestFix } from '../../../src/suggest/index';
import { skipUnlessCI } from '../../support/prerequisites';
import { DUPLICATE_SCENARIO, ERROR_SCENARIO, launch, runScenarios, SCENARIOS, type ScenarioResult } from './browser';
import { FRAMEWORK_SERVERS, freePort, startBackend, REPO, type Running } from './servers';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

type Expect = ChromiumCorsError | 'hidden';

/** What Chromium reports for each scenario against each broken config (each framework's defaults: src/suggest/frameworks/<id>.ts). */
const BROKEN: Record<string, Record<string, Expect>> = {
  // cors({methods: GET,POST, allowedHeaders: content-type}) with the default origin '*'.
  express: {
    'put-custom-header': 'MethodDisallowedByPreflightResponse',
    'credentialed-get': 'WildcardOriginNotAllowed',
    authorization: 'HeaderDisallowedByPreflightResponse',
    'exposed-header': 'hidden',
    patch: 'MethodDisallowedByPreflightResponse',
  },
  // allow_origins=["*"], Starlette defaults: refused preflights are answered 400 (with ACAO *).
  // An unhandled exception is answered outside CORSMiddleware: the 500 has no ACAO.
  fastapi: {
    'put-custom-header': 'PreflightInvalidStatus',
    'credentialed-get': 'WildcardOriginNotAllowed',
    authorization: 'PreflightInvalidStatus',
    'exposed-header': 'hidden',
    patch: 'PreflightInvalidStatus',
    'server-error': 'MissingAllowOriginHeader',
  },
  starlette: {
    'put-custom-header': 'PreflightInvalidStatus',
    'credentialed-get': 'WildcardOriginNotAllowed',
    authorization: 'PreflightInvalidStatus',
    'exposed-header': 'hidden',
    patch: 'PreflightInvalidStatus',
    'server-error': 'MissingAllowOriginHeader',
  },
  // enableCors() on the Express adapter is cors(): same as express.
  nestjs: {
    'put-custom-header': 'MethodDisallowedByPreflightResponse',
    'credentialed-get': 'WildcardOriginNotAllowed',
    authorization: 'HeaderDisallowedByPreflightResponse',
    'exposed-header': 'hidden',
    patch: 'MethodDisallowedByPreflightResponse',
  },
  // add_header ACAO * without `always`; the app answers OPTIONS 405, which then has no ACAO.
  nginx: {
    'put-custom-header': 'PreflightMissingAllowOriginHeader',
    'credentialed-get': 'WildcardOriginNotAllowed',
    authorization: 'PreflightMissingAllowOriginHeader',
    'exposed-header': 'hidden',
    patch: 'PreflightMissingAllowOriginHeader',
    'server-error': 'MissingAllowOriginHeader',
    'duplicate-acao': 'MultipleAllowOriginValues',
  },
  // @fastify/cors 11 defaults (origin '*', methods GET,HEAD,POST) with allowedHeaders ['content-type'].
  fastify: {
    'put-custom-header': 'MethodDisallowedByPreflightResponse',
    'credentialed-get': 'WildcardOriginNotAllowed',
    authorization: 'HeaderDisallowedByPreflightResponse',
    'exposed-header': 'hidden',
    patch: 'MethodDisallowedByPreflightResponse',
  },
  // hono/cors default origin '*', GET/POST, content-type.
  hono: {
    'put-custom-header': 'MethodDisallowedByPreflightResponse',
    'credentialed-get': 'WildcardOriginNotAllowed',
    authorization: 'HeaderDisallowedByPreflightResponse',
    'exposed-header': 'hidden',
    patch: 'MethodDisallowedByPreflightResponse',
  },
  // @koa/cors 5 default origin '*', GET/POST, content-type.
  koa: {
    'put-custom-header': 'MethodDisallowedByPreflightResponse',
    'credentialed-get': 'WildcardOriginNotAllowed',
    authorization: 'HeaderDisallowedByPreflightResponse',
    'exposed-header': 'hidden',
    patch: 'MethodDisallowedByPreflightResponse',
  },
  // Flask-CORS echoes the origin by default; a refused method drops ACAM, a refused header is dropped
  // from ACAH, and without supports_credentials there is no ACAC.
  'flask-cors': {
    'put-custom-header': 'MethodDisallowedByPreflightResponse',
    'credentialed-get': 'InvalidAllowCredentials',
    authorization: 'HeaderDisallowedByPreflightResponse',
    'exposed-header': 'hidden',
    patch: 'MethodDisallowedByPreflightResponse',
  },
  // CORS_ALLOW_ALL_ORIGINS (ACAO *), GET/POST, content-type; django-cors-headers never refuses server-side.
  django: {
    'put-custom-header': 'MethodDisallowedByPreflightResponse',
    'credentialed-get': 'WildcardOriginNotAllowed',
    authorization: 'HeaderDisallowedByPreflightResponse',
    'exposed-header': 'hidden',
    patch: 'MethodDisallowedByPreflightResponse',
  },
  // rack-cors refuses silently: 200 without any CORS header.
  rails: {
    'put-custom-header': 'PreflightMissingAllowOriginHeader',
    'credentialed-get': 'WildcardOriginNotAllowed',
    authorization: 'PreflightMissingAllowOriginHeader',
    'exposed-header': 'hidden',
    patch: 'PreflightMissingAllowOriginHeader',
  },
  // rs/cors 1.7 with empty AllowedOrigins (= '*') refuses silently: 200 with Vary only.
  'go-rs-cors': {
    'put-custom-header': 'PreflightMissingAllowOriginHeader',
    'credentialed-get': 'WildcardOriginNotAllowed',
    authorization: 'PreflightMissingAllowOriginHeader',
    'exposed-header': 'hidden',
    patch: 'PreflightMissingAllowOriginHeader',
  },
  'go-net-http': {
    'put-custom-header': 'PreflightMissingAllowOriginHeader',
    'credentialed-get': 'WildcardOriginNotAllowed',
    authorization: 'PreflightMissingAllowOriginHeader',
    'exposed-header': 'hidden',
    patch: 'PreflightMissingAllowOriginHeader',
  },
  // "Header always set" ACAO * reaches the proxied 405, so the preflight fails on its status; the app's
  // own ACAO lives in the other header table and goes out next to it.
  apache: {
    'put-custom-header': 'PreflightInvalidStatus',
    'credentialed-get': 'WildcardOriginNotAllowed',
    authorization: 'PreflightInvalidStatus',
    'exposed-header': 'hidden',
    patch: 'PreflightInvalidStatus',
    'duplicate-acao': 'MultipleAllowOriginValues',
  },
  // Caddy's header directive applies to every response, so the 405 preflight has ACAO * but a bad status.
  caddy: {
    'put-custom-header': 'PreflightInvalidStatus',
    'credentialed-get': 'WildcardOriginNotAllowed',
    authorization: 'PreflightInvalidStatus',
    'exposed-header': 'hidden',
    patch: 'PreflightInvalidStatus',
    'duplicate-acao': 'MultipleAllowOriginValues',
  },
};

async function pageServer(port: number): Promise<http.Server> {
  const s = http.createServer((_q, r) => {
    r.setHeader('Content-Type', 'text/html');
    r.end('<!doctype html><title>page</title>');
  });
  await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
  return s;
}

const summary = (rs: ScenarioResult[]) =>
  rs.map((r) => `${r.scenario.id}: ok=${r.ok} cors=${r.corsError} read=${r.readValue}`).join('\n');

describe('generated configs fix real servers in Chromium', () => {
  let browser: Browser;
  let pageA: http.Server, pageB: http.Server;
  let originA = '',
    originB = '';
  const started = Date.now();

  beforeAll(async () => {
    const [a, b] = [await freePort(), await freePort()];
    pageA = await pageServer(a);
    pageB = await pageServer(b);
    originA = `http://127.0.0.1:${a}`;
    originB = `http://127.0.0.1:${b}`;
    browser = await launch();
    // One apt-get run for every framework's packages (cheaper than one per framework on a fresh machine);
    // per-framework checks below still skip with the reason when this could not install them.
    const all = [...new Set(FRAMEWORK_SERVERS.flatMap((f) => f.apt))];
    const t = Date.now();
    spawnSync(process.execPath, [join(REPO, 'test/scripts/ensure-apt.mjs'), ...all], {
      stdio: 'inherit',
      timeout: 900_000,
    });
    console.log(`framework e2e: Debian packages ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }, 900_000);
  afterAll(async () => {
    await browser?.close();
    pageA?.close();
    pageB?.close();
    console.log(`framework e2e matrix: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  for (const fw of FRAMEWORK_SERVERS) {
    describe(fw.id, () => {
      let port = 0,
        backendPort = 0;
      let backend: Running | null = null;
      let aptProblem: string | null = null;
      let failures: ScenarioResult[] = [];
      const scenarios = [
        ...SCENARIOS,
        ...(fw.errorsLoseCors ? [ERROR_SCENARIO] : []),
        ...(fw.backend ? [DUPLICATE_SCENARIO] : []),
      ];

      beforeAll(async () => {
        if (fw.apt.length) {
          const r = spawnSync(process.execPath, [join(REPO, 'test/scripts/ensure-apt.mjs'), ...fw.apt], {
            encoding: 'utf8',
          });
          if (r.status !== 0) aptProblem = r.stderr.trim() || `ensure-apt exited ${r.status}`;
        }
        port = await freePort();
        backendPort = await freePort();
        if (fw.backend) backend = await startBackend(backendPort);
      });
      afterAll(async () => {
        await backend?.close();
      });

      it('broken config: every scenario fails for the expected reason', async (ctx) => {
        if (aptProblem) skipUnlessCI(ctx, aptProblem);
        const server = await fw.start({ port, backendPort, code: null });
        let results: ScenarioResult[];
        try {
          results = await runScenarios(browser, originA, `http://127.0.0.1:${port}`, scenarios);
        } finally {
          await server.close();
        }
        for (const r of results) {
          const want = BROKEN[fw.id][r.scenario.id];
          if (want === 'hidden') {
            expect(r.ok, summary(results)).toBe(true);
            expect(r.readValue, summary(results)).toBeNull();
            expect(r.verdict.kind).toBe('allowed-hidden-headers');
          } else {
            expect(r.ok, summary(results)).toBe(false);
            expect(r.corsError, `${r.scenario.id}\n${summary(results)}`).toBe(want);
          }
        }
        failures = results;
      });

      it('the engine reaches the verdict Chromium reported for every observed case', (ctx) => {
        if (aptProblem) skipUnlessCI(ctx, aptProblem);
        expect(failures).toHaveLength(scenarios.length);
        for (const r of failures) {
          const v = evaluate(r.observed, { browser: 'chromium' });
          const got = v.kind === 'blocked' ? v.reason.corsError : v.kind;
          const want = r.verdict.kind === 'blocked' ? r.verdict.reason.corsError : r.verdict.kind;
          expect(got, `${r.scenario.id}: ${v.trace.join(' | ')}`).toBe(want);
          if (r.verdict.kind === 'allowed-hidden-headers') {
            expect(v.kind === 'allowed-hidden-headers' && v.hiddenHeaders.map((h) => h.toLowerCase())).toContain(
              'x-total-count',
            );
          }
        }
      });

      it('our generated config: every scenario passes from the page, another origin is still refused', async (ctx) => {
        if (aptProblem) skipUnlessCI(ctx, aptProblem);
        expect(failures, 'the broken run must have produced the failures').toHaveLength(scenarios.length);
        const fixes = suggestFix(
          failures.map((r) => ({ request: r.observed, verdict: r.verdict })),
          fw.id,
        );
        expect(fixes.perOrigin).toHaveLength(1);
        const fix = fixes.perOrigin[0];
        expect(fix.targetOrigin).toBe(`http://127.0.0.1:${port}`);
        // Derived from the observed failures: the page's origin only, credentials for the credentialed GET.
        expect(fix.responseHeaders.actual).toEqual(
          expect.arrayContaining([
            { name: 'Access-Control-Allow-Origin', value: originA },
            { name: 'Access-Control-Allow-Credentials', value: 'true' },
          ]),
        );
        if (fw.errorsLoseCors) expect(fix.notes.join('\n')).toMatch(/error responses too/);
        if (fw.backend) expect(fix.notes.join('\n')).toMatch(/two layers/);
        const server = await fw.start({ port, backendPort, code: fix.config.code });
        let fromPage: ScenarioResult[], fromOther: ScenarioResult[];
        try {
          fromPage = await runScenarios(browser, originA, `http://127.0.0.1:${port}`, scenarios);
          fromOther = await runScenarios(browser, originB, `http://127.0.0.1:${port}`, scenarios);
        } finally {
          await server.close();
        }
        const why = `${summary(fromPage)}\n--- generated config ---\n${fix.config.code}\n--- server log ---\n${server.logs()}`;
        for (const r of fromPage) {
          expect(r.ok, `${r.scenario.id}\n${why}`).toBe(true);
          expect(r.corsError, why).toBeNull();
          if (r.scenario.read) expect(r.readValue, why).toBe('42');
          // The page now sees the real status of a failing endpoint instead of a CORS error.
          expect(r.status, why).toBe(r.scenario === ERROR_SCENARIO ? 500 : 200);
        }
        for (const r of fromOther) {
          expect(r.ok, `${originB} must stay refused: ${r.scenario.id}\n${summary(fromOther)}`).toBe(false);
          expect(r.corsError, summary(fromOther)).not.toBeNull();
        }
      });
    });
  }
});
