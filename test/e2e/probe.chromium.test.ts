// `cors-lens probe` against real Chromium: a page makes the same request to the same server behaviour, Chromium's
// own verdict (CDP Network.loadingFailed corsErrorStatus) is recorded, and `probe --json` must agree on the verdict,
// the CorsError and its failedParameter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../unit/cli/run-cli';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import {
  launchChromium,
  poll,
  recordChromiumVerdicts,
  type ChromiumSession,
  type ChromiumVerdict,
} from './harness/chromium';

interface Case {
  name: string;
  /** Path and query on the API server (see startApiServer); `$PAGE` is the page origin, `$OTHER` the third origin. */
  path: string;
  method?: string;
  headers?: Record<string, string>;
  credentials?: boolean;
  /** What Chromium is expected to say; the test fails if Chromium itself disagrees, so the case means something. */
  expect: string | null;
}

const CASES: Case[] = [
  { name: 'simple GET, ACAO *', path: '/p-simple?acao=*', expect: null },
  {
    name: 'preflighted PUT allowed',
    path: '/p-put-ok?pf_acao=$PAGE&pf_acam=PUT&pf_acah=x-api-key&acao=$PAGE',
    method: 'PUT',
    headers: { 'X-Api-Key': '1' },
    expect: null,
  },
  {
    name: 'preflight: header not allowed',
    path: '/p-pf-hdr?pf_acao=$PAGE&pf_acam=PUT&acao=$PAGE',
    method: 'PUT',
    headers: { 'X-Api-Key': '1' },
    expect: 'HeaderDisallowedByPreflightResponse',
  },
  {
    name: 'preflight: 401',
    path: '/p-pf-401?pf_status=401&pf_acao=$PAGE&pf_acah=x-api-key&acao=$PAGE',
    headers: { 'X-Api-Key': '1' },
    expect: 'PreflightInvalidStatus',
  },
  { name: 'response: no ACAO', path: '/p-no-acao', expect: 'MissingAllowOriginHeader' },
  {
    name: 'credentialed, ACAO *',
    path: '/p-cred-star?acao=*&acac=true',
    credentials: true,
    expect: 'WildcardOriginNotAllowed',
  },
  {
    name: 'credentialed, exact origin + ACAC true',
    path: '/p-cred-ok?acao=$PAGE&acac=true',
    credentials: true,
    expect: null,
  },
  {
    name: 'redirect hop without CORS headers',
    path: '/p-redir?redirect=$API/p-redir-target%3Facao%3D*',
    expect: 'MissingAllowOriginHeader',
  },
  {
    name: 'redirect to a third origin taints (Origin: null)',
    path: '/p-taint?acao=$PAGE&redirect=$OTHER/p-tainted%3Facao%3D$PAGE',
    expect: 'AllowOriginMismatch',
  },
  { name: 'duplicate ACAO lines', path: '/p-dup?acao=$PAGE&acao=$PAGE', expect: 'MultipleAllowOriginValues' },
];

/** Runs `tasks` at most `n` at a time (two cores: a dozen tsx start-ups at once would only queue). */
async function limited<T>(n: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    }),
  );
  return out;
}

describe('cors-lens probe agrees with Chromium', () => {
  let page: TestServer, api: TestServer, other: TestServer, s: ChromiumSession;
  beforeAll(async () => {
    page = await startPageServer();
    api = await startApiServer();
    other = await startApiServer();
    s = await launchChromium({ extensionDir: null });
  }, 90_000);
  afterAll(async () => {
    await s?.close();
    await page?.close();
    await api?.close();
    await other?.close();
  });

  it('same verdict, CorsError and failedParameter for every server behaviour', async () => {
    const urlOf = (c: Case) =>
      api.origin +
      c.path.replaceAll('$PAGE', page.origin).replaceAll('$API', api.origin).replaceAll('$OTHER', other.origin);

    // 1. The page makes each request; Chromium's verdicts come over CDP.
    const tab = await s.ctx.newPage();
    const cdp = await recordChromiumVerdicts(s.ctx, tab);
    await tab.goto(page.origin + '/');
    const results = await tab.evaluate(
      async (reqs) => {
        const out: string[] = [];
        for (const r of reqs) {
          try {
            await fetch(r.url, {
              method: r.method,
              headers: r.headers,
              credentials: r.credentials ? 'include' : 'same-origin',
            });
            out.push('ok');
          } catch (e) {
            out.push(String(e));
          }
        }
        return out;
      },
      CASES.map((c) => ({
        url: urlOf(c),
        method: c.method ?? 'GET',
        headers: c.headers ?? {},
        credentials: c.credentials === true,
      })),
    );
    const chromium = await poll(async () => {
      const all = CASES.map((c) => cdp.verdicts.find((v) => v.url === urlOf(c)));
      return all.every(Boolean) ? (all as ChromiumVerdict[]) : null;
    }, 'Chromium to settle every request');
    await cdp.stop();
    CASES.forEach((c, i) => {
      // The page's own view: a TypeError exactly when Chromium reports a CORS error.
      expect(results[i] === 'ok', `${c.name}: fetch() ${results[i]}`).toBe(c.expect === null);
      expect(chromium[i].corsError, `${c.name}: Chromium's CorsError`).toBe(c.expect);
    });

    // 2. probe --json for each case, compared with Chromium.
    const runs = await limited(
      3,
      CASES.map(
        (c) => () =>
          cli([
            'probe',
            urlOf(c),
            '--origin',
            page.origin,
            '--json',
            '--method',
            c.method ?? 'GET',
            ...Object.entries(c.headers ?? {}).flatMap(([k, v]) => ['--header', `${k}: ${v}`]),
            ...(c.credentials ? ['--credentials'] : []),
          ]),
      ),
    );
    CASES.forEach((c, i) => {
      const r = runs[i];
      expect(r.stderr, `${c.name}: stderr`).toBe('');
      const out = JSON.parse(r.stdout);
      const ch = chromium[i];
      if (ch.corsError === null) {
        expect([out.verdict, r.code], c.name).toEqual(['allowed', 0]);
      } else {
        expect([out.verdict, r.code, out.reason, out.failedParameter], c.name).toEqual([
          'blocked',
          1,
          ch.corsError,
          ch.failedParameter ?? '',
        ]);
      }
    });
  }, 120_000);
});
