// `cors-lens probe` run as a child process against real Node http servers on 127.0.0.1: what goes on the wire
// (preflight shape, no credentials, redirect hops), the verdict per browser, exit codes and one-line errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, type Run } from './run-cli';
import net from 'node:net';
import { startApiServer, type TestServer } from '../../e2e/harness/servers';

const T = 120_000;
const PAGE = 'http://app.test';

/** Runs `probe --json` and returns the parsed object with the exit status. */
async function probeJson(url: string, ...args: string[]) {
  const r = await cli(['probe', url, '--origin', PAGE, '--json', ...args]);
  expect(r.stderr).toBe('');
  return { code: r.code, out: JSON.parse(r.stdout) };
}

function expectOneLineError(r: Run, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^cors-lens: /);
  expect(r.stderr).not.toMatch(/\n\s+at |node:internal/);
  expect(lines[0]).toMatch(pattern);
}

const hdr = (headers: [string, string][], name: string) =>
  headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);

let api: TestServer;
let other: TestServer;
beforeAll(async () => {
  api = await startApiServer();
  other = await startApiServer();
});
afterAll(async () => {
  await api?.close();
  await other?.close();
});
/** The requests the API server received for paths starting with `path`. */
const seen = (s: TestServer, path: string) => s.log.filter((l) => l.url.startsWith(path));

describe('cors-lens probe: allowed', () => {
  it(
    'a simple GET allowed by ACAO *: exit 0, no preflight, Origin sent',
    async () => {
      const { code, out } = await probeJson(`${api.origin}/simple?acao=*`);
      expect(code).toBe(0);
      expect(out).toMatchObject({
        url: `${api.origin}/simple?acao=*`,
        origin: PAGE,
        method: 'GET',
        verdict: 'allowed',
        reason: null,
        failedParameter: null,
        firefoxReason: null,
      });
      expect(out.exchanges.map((x: any) => [x.kind, x.method, x.status])).toEqual([['main', 'GET', 200]]);
      const got = seen(api, '/simple');
      expect(got.map((l) => l.method)).toEqual(['GET']);
      expect(hdr(got[0].headers, 'origin')).toEqual([PAGE]);
      expect(hdr(got[0].headers, 'cookie')).toEqual([]);
    },
    T,
  );

  it(
    'the human-readable output names the verdict and lists the exchange',
    async () => {
      const r = await cli(['probe', `${api.origin}/text?acao=*`, '--origin', PAGE]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^Chromium verdict: ALLOWED/);
      expect(r.stdout).toContain('< Access-Control-Allow-Origin: *');
      expect(r.stdout).toContain(`> Origin: ${PAGE}`);
    },
    T,
  );

  it(
    "a preflighted PUT whose preflight allows it: OPTIONS shaped like the browser's, then the PUT",
    async () => {
      const url = `${api.origin}/put-ok?pf_acao=${PAGE}&pf_acam=PUT&pf_acah=x-api-key,authorization&acao=${PAGE}`;
      const { code, out } = await probeJson(
        url,
        '--method',
        'put',
        '--header',
        'X-Api-Key: 1',
        '-H',
        'Authorization: Bearer s3cret-token',
        '-H',
        'Content-Type: text/plain',
      );
      expect(code).toBe(0);
      expect(out.verdict).toBe('allowed');
      expect(out.method).toBe('PUT');
      const got = seen(api, '/put-ok');
      expect(got.map((l) => l.method)).toEqual(['OPTIONS', 'PUT']);
      const pf = got[0].headers;
      expect(hdr(pf, 'access-control-request-method')).toEqual(['PUT']);
      // Lowercased, sorted, comma-joined without spaces; the safelisted Content-Type: text/plain is not listed.
      expect(hdr(pf, 'access-control-request-headers')).toEqual(['authorization,x-api-key']);
      expect(hdr(pf, 'origin')).toEqual([PAGE]);
      expect(hdr(pf, 'accept')).toEqual(['*/*']);
      expect(hdr(pf, 'authorization')).toEqual([]);
      expect(hdr(pf, 'x-api-key')).toEqual([]);
      expect(hdr(got[1].headers, 'authorization')).toEqual(['Bearer s3cret-token']);
      expect(hdr(got[1].headers, 'x-api-key')).toEqual(['1']);
      // The secret reaches the server but never the output.
      expect(JSON.stringify(out)).not.toContain('s3cret-token');
      expect(out.exchanges[1].requestHeaders).toContainEqual({ name: 'Authorization', value: 'Bearer REDACTED' });
    },
    T,
  );

  it(
    'credentialed: exact origin + ACAC true is allowed',
    async () => {
      const { code, out } = await probeJson(`${api.origin}/cred-ok?acao=${PAGE}&acac=true`, '--credentials');
      expect(code).toBe(0);
      expect(out.verdict).toBe('allowed');
      expect(hdr(seen(api, '/cred-ok')[0].headers, 'cookie')).toEqual([]);
    },
    T,
  );
});

describe('cors-lens probe: CORS passed, the server answered an error', () => {
  it(
    '404 with correct CORS headers → exit 0, not-cors http-error: check the route',
    async () => {
      const { code, out } = await probeJson(`${api.origin}/missing-route?acao=*&status=404`);
      expect(code).toBe(0);
      expect(out).toMatchObject({
        verdict: 'not-cors',
        notCorsWhy: 'cors-passed',
        notCorsCause: 'http-error',
        summary: 'CORS passed; the server answered 404',
      });
      expect(out.action).toMatch(/route/);
    },
    T,
  );
});

describe('cors-lens probe: blocked', () => {
  it(
    'blocked at the preflight: header not allowed → HeaderDisallowedByPreflightResponse, the PUT is never sent',
    async () => {
      const url = `${api.origin}/pf-hdr?pf_acao=${PAGE}&pf_acam=PUT&acao=${PAGE}`;
      const { code, out } = await probeJson(url, '-X', 'PUT', '-H', 'X-Api-Key: 1');
      expect(code).toBe(1);
      expect(out).toMatchObject({
        verdict: 'blocked',
        reason: 'HeaderDisallowedByPreflightResponse',
        failedParameter: 'x-api-key',
        firefoxReason: 'CORSMissingAllowHeaderFromPreflight',
      });
      expect(out.exchanges.map((x: any) => x.kind)).toEqual(['preflight']);
      expect(seen(api, '/pf-hdr').map((l) => l.method)).toEqual(['OPTIONS']);
    },
    T,
  );

  it(
    'blocked at the preflight: a 401 answer → PreflightInvalidStatus',
    async () => {
      const url = `${api.origin}/pf-401?pf_status=401&pf_acao=${PAGE}&pf_acah=x-api-key`;
      const { code, out } = await probeJson(url, '-H', 'X-Api-Key: 1');
      expect(code).toBe(1);
      expect(out).toMatchObject({
        verdict: 'blocked',
        reason: 'PreflightInvalidStatus',
        firefoxReason: 'CORSPreflightDidNotSucceed',
      });
      expect(seen(api, '/pf-401').map((l) => l.method)).toEqual(['OPTIONS']);
    },
    T,
  );

  it(
    'blocked on the response: missing ACAO → MissingAllowOriginHeader, the text says why and how to fix',
    async () => {
      const { code, out } = await probeJson(`${api.origin}/no-acao`);
      expect(code).toBe(1);
      expect(out).toMatchObject({
        verdict: 'blocked',
        reason: 'MissingAllowOriginHeader',
        failedParameter: '',
        firefoxReason: 'CORSMissingAllowOrigin',
      });
      expect(out.summary).toMatch(/Access-Control-Allow-Origin/);
      const r = await cli(['probe', `${api.origin}/no-acao`, '--origin', PAGE, '--framework', 'express']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^Chromium verdict: BLOCKED/);
      expect(r.stdout).toContain('Chromium CorsError: MissingAllowOriginHeader');
      expect(r.stdout).toContain('Firefox reason:     CORSMissingAllowOrigin');
      expect(r.stdout).toMatch(/Fix for .*express/);
      expect(r.stdout).toContain(PAGE);
    },
    T,
  );

  it(
    'credentialed: ACAO * with --credentials → WildcardOriginNotAllowed; without --credentials it passes',
    async () => {
      const blocked = await probeJson(`${api.origin}/cred-star?acao=*&acac=true`, '--credentials');
      expect(blocked.code).toBe(1);
      expect(blocked.out).toMatchObject({
        verdict: 'blocked',
        reason: 'WildcardOriginNotAllowed',
        firefoxReason: 'CORSNotSupportingCredentials',
      });
      const plain = await probeJson(`${api.origin}/cred-star?acao=*&acac=true`);
      expect(plain.code).toBe(0);
      expect(plain.out.verdict).toBe('allowed');
    },
    T,
  );

  it(
    '--framework with --json carries the fix config',
    async () => {
      const { out } = await probeJson(`${api.origin}/cred-star2?acao=*`, '--credentials', '--framework', 'express');
      expect(out.fix.framework).toBe('express');
      expect(out.fix.perOrigin[0].targetOrigin).toBe(api.origin);
      expect(out.fix.perOrigin[0].code).toContain('credentials: true');
    },
    T,
  );

  it(
    'a redirect hop without CORS headers blocks (MissingAllowOriginHeader), the target is never requested',
    async () => {
      const target = `${api.origin}/redir-target?acao=*`;
      const { code, out } = await probeJson(`${api.origin}/redir-bare?redirect=${encodeURIComponent(target)}`);
      expect(code).toBe(1);
      expect(out).toMatchObject({ verdict: 'blocked', reason: 'MissingAllowOriginHeader', stage: 'redirect' });
      expect(out.exchanges.map((x: any) => x.status)).toEqual([302]);
      expect(seen(api, '/redir-target')).toEqual([]);
    },
    T,
  );

  it(
    'a redirect with CORS headers is followed; a redirect to a third origin taints: Origin: null on the next hop',
    async () => {
      const ok = await probeJson(
        `${api.origin}/redir-ok?acao=*&redirect=${encodeURIComponent(`${api.origin}/redir-ok-target?acao=*`)}`,
      );
      expect(ok.code).toBe(0);
      expect(ok.out.exchanges.map((x: any) => x.status)).toEqual([302, 200]);
      // api → other (neither is the page's origin): the request origin becomes opaque.
      const taint = await probeJson(
        `${api.origin}/redir-taint?acao=${PAGE}&redirect=${encodeURIComponent(`${other.origin}/tainted?acao=${PAGE}`)}`,
      );
      expect(hdr(seen(other, '/tainted')[0].headers, 'origin')).toEqual(['null']);
      expect(taint.code).toBe(1);
      expect(taint.out).toMatchObject({ verdict: 'blocked', reason: 'AllowOriginMismatch', failedParameter: PAGE });
      const echo = await probeJson(
        `${api.origin}/redir-echo?acao=${PAGE}&redirect=${encodeURIComponent(`${other.origin}/echo?acao=$origin`)}`,
      );
      expect(echo.code).toBe(0);
    },
    T,
  );

  it(
    'a 300 with a Location is an answer, not a redirect: not followed, allowed on its own ACAO (Fetch redirect statuses)',
    async () => {
      const { code, out } = await probeJson(
        `${api.origin}/multi?acao=*&rstatus=300&redirect=${encodeURIComponent(`${api.origin}/multi-target`)}`,
      );
      expect(code).toBe(0);
      // As Chromium and Firefox decided (oracle actual-3xx-300-location): the 300 is the response, its Location unreadable.
      expect(out).toMatchObject({ verdict: 'allowed-hidden-headers' });
      expect(out.exchanges.map((x: any) => x.status)).toEqual([300]);
      expect(seen(api, '/multi-target')).toEqual([]);
    },
    T,
  );

  it(
    'duplicate ACAO lines: Chromium MultipleAllowOriginValues, Firefox CORSMultipleAllowOriginNotAllowed',
    async () => {
      const url = `${api.origin}/dup?acao=${PAGE}&acao=${PAGE}`;
      const c = await probeJson(url);
      expect(c.code).toBe(1);
      expect(c.out).toMatchObject({
        verdict: 'blocked',
        reason: 'MultipleAllowOriginValues',
        failedParameter: `${PAGE}, ${PAGE}`,
      });
      // Both lines are kept as received (rawHeaders), not merged.
      expect(
        c.out.exchanges[0].responseHeaders.filter((h: any) => h.name.toLowerCase() === 'access-control-allow-origin'),
      ).toHaveLength(2);
      const f = await probeJson(url, '--browser', 'firefox');
      expect(f.code).toBe(1);
      expect(f.out).toMatchObject({ verdict: 'blocked', firefoxReason: 'CORSMultipleAllowOriginNotAllowed' });
      const r = await cli(['probe', url, '--origin', PAGE, '--browser', 'firefox']);
      expect(r.stdout).toMatch(/^Firefox verdict: BLOCKED/);
      expect(r.stdout).toContain('Firefox reason:     CORSMultipleAllowOriginNotAllowed');
    },
    T,
  );
});

describe('cors-lens probe: bad input and network errors → exit 2, one line', () => {
  it('no URL', async () => expectOneLineError(await cli(['probe', '--origin', PAGE]), /needs a URL/), T);
  it('no --origin', async () => expectOneLineError(await cli(['probe', `${api.origin}/x`]), /--origin/), T);
  it(
    'bad origin',
    async () => {
      expectOneLineError(
        await cli(['probe', `${api.origin}/x`, '--origin', 'not an origin']),
        /--origin must be an origin/,
      );
      expectOneLineError(
        await cli(['probe', `${api.origin}/x`, '--origin', 'ftp://app.test']),
        /--origin must be an origin/,
      );
    },
    T,
  );
  it(
    'bad URL',
    async () => expectOneLineError(await cli(['probe', 'file:///etc/passwd', '--origin', PAGE]), /http and https only/),
    T,
  );
  it(
    'bad header syntax',
    async () => {
      expectOneLineError(
        await cli(['probe', `${api.origin}/x`, '--origin', PAGE, '--header', 'X-Api-Key']),
        /--header must look like/,
      );
      expectOneLineError(
        await cli(['probe', `${api.origin}/x`, '--origin', PAGE, '--header', 'Bad Name: 1']),
        /not a valid HTTP header name/,
      );
      expectOneLineError(
        await cli(['probe', `${api.origin}/x`, '--origin', PAGE, '--header', 'Cookie: a=1']),
        /forbidden/,
      );
    },
    T,
  );
  it(
    'bad method, browser, timeout, framework',
    async () => {
      expectOneLineError(await cli(['probe', `${api.origin}/x`, '--origin', PAGE, '-X', 'TRACE']), /forbidden/);
      expectOneLineError(await cli(['probe', `${api.origin}/x`, '--origin', PAGE, '--browser', 'safari']), /--browser/);
      expectOneLineError(await cli(['probe', `${api.origin}/x`, '--origin', PAGE, '--timeout', 'soon']), /--timeout/);
      expectOneLineError(
        await cli(['probe', `${api.origin}/x`, '--origin', PAGE, '--framework', 'nope']),
        /unknown framework/,
      );
    },
    T,
  );
  it(
    'connection refused',
    async () => {
      // A port that was just free: listen, note it, close.
      const srv = net.createServer();
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
      const port = (srv.address() as net.AddressInfo).port;
      await new Promise<void>((r) => srv.close(() => r()));
      expectOneLineError(
        await cli(['probe', `http://127.0.0.1:${port}/`, '--origin', PAGE]),
        /network error: .*connection refused \(ECONNREFUSED\) — not CORS \(connection-refused\)/,
      );
    },
    T,
  );
  it(
    'timeout: a server that never answers',
    async () => {
      const sockets: net.Socket[] = [];
      const srv = net.createServer((s) => {
        sockets.push(s);
        s.on('error', () => {});
      });
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
      const port = (srv.address() as net.AddressInfo).port;
      try {
        expectOneLineError(
          await cli(['probe', `http://127.0.0.1:${port}/`, '--origin', PAGE, '--timeout', '500']),
          /network error: .*no answer within 500 ms/,
        );
      } finally {
        for (const s of sockets) s.destroy();
        await new Promise<void>((r) => srv.close(() => r()));
      }
    },
    T,
  );
});
