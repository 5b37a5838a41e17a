// Calls that fail for a reason other than CORS, reproduced in real Chromium on 127.0.0.1, and what CORS Lens says
// about each compared with what Chromium itself reported: CDP loadingFailed (errorText, corsErrorStatus,
// blockedReason), responseReceived, Audits issues and console entries. The browser is the judge.
// Local Network Access: --ip-address-space-overrides makes the page servers public while the API stays loopback;
// mixed content: an https page on a host name mapped to 127.0.0.1 with a self-signed certificate.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, poll, type ChromiumSession } from './harness/chromium';
import { startApiServer, type TestServer } from './harness/servers';

interface Diagnosis {
  url: string;
  method: string;
  verdict: string;
  notCorsCause?: string;
  chromiumReason: string | null;
  summary: string;
  status: number | null;
}
interface Report {
  diagnoses: Diagnosis[];
  groups: { origin: string; topReasons: { text: string }[] }[];
}

/** What Chromium reported about one URL, from every source it has. */
interface Truth {
  errorText?: string;
  corsError?: string;
  blockedReason?: string;
  status?: number;
  canceled?: boolean;
}

interface Page1 {
  origin: string;
  port: number;
  close(): Promise<void>;
}

const PAGE = '<!doctype html><meta charset="utf-8"><title>not-cors test page</title><h1>test page</h1>';

async function listen(server: http.Server | https.Server, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  return (server.address() as AddressInfo).port;
}

/** A page server sending `headers` with every page (a CSP, say); https with the given key and certificate. */
async function pageServer(
  opts: { headers?: Record<string, string>; tls?: { key: Buffer; cert: Buffer }; host?: string } = {},
): Promise<Page1> {
  const handler: http.RequestListener = (_req, res) => {
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...opts.headers })
      .end(PAGE);
  };
  const server = opts.tls
    ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler)
    : http.createServer(handler);
  const port = await listen(server);
  return {
    port,
    origin: `${opts.tls ? 'https' : 'http'}://${opts.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function closedPort(): Promise<number> {
  const s = http.createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

/** Records Chromium's own account of every request of a page, by URL, plus Audits issue codes and console errors. */
async function recordTruth(s: ChromiumSession, page: Page) {
  const cdp: CDPSession = await s.ctx.newCDPSession(page);
  const urls = new Map<string, string>();
  const truth = new Map<string, Truth>();
  const issues: { code: string; text: string }[] = [];
  const consoleErrors: string[] = [];
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.request.method === 'OPTIONS' && e.request.headers?.['Access-Control-Request-Method']) return;
    if (!urls.has(e.requestId)) urls.set(e.requestId, e.request.url);
  });
  cdp.on('Network.responseReceived', (e) => {
    const u = urls.get(e.requestId);
    if (u) truth.set(u, { ...truth.get(u), status: e.response.status });
  });
  cdp.on('Network.loadingFailed', (e) => {
    const u = urls.get(e.requestId);
    if (u)
      truth.set(u, {
        ...truth.get(u),
        errorText: e.errorText,
        corsError: e.corsErrorStatus?.corsError,
        blockedReason: e.blockedReason,
        canceled: e.canceled,
      });
  });
  // Set-Cookie lines the browser refused, with its reasons (the oracle for third-party cookies).
  const blockedCookies = new Map<string, string[]>();
  cdp.on('Network.responseReceivedExtraInfo', (e) => {
    const u = urls.get(e.requestId);
    const reasons = (e.blockedCookies ?? []).flatMap((b: { blockedReasons: string[] }) => b.blockedReasons);
    if (u && reasons.length) blockedCookies.set(u, reasons);
  });
  cdp.on('Audits.issueAdded', (e) =>
    issues.push({ code: e.issue.code, text: JSON.stringify(e.issue.details).slice(0, 2000) }),
  );
  cdp.on('Log.entryAdded', (e) => {
    if (e.entry.level === 'error') consoleErrors.push(e.entry.text);
  });
  await cdp.send('Network.enable');
  await cdp.send('Audits.enable');
  await cdp.send('Log.enable');
  return { cdp, truth, issues, consoleErrors, blockedCookies };
}

/** Runs one call in the page and returns what the page's script saw. */
async function call(page: Page, js: string): Promise<string> {
  return page.evaluate(
    `(async () => { const t0 = performance.now(); try { ${js} } catch (e) { return (e && e.name) + ': ' + (e && e.message) + ' after ' + Math.round(performance.now() - t0) + ' ms'; } })()`,
  ) as Promise<string>;
}

async function diagnosisFor(
  s: ChromiumSession,
  tabId: number,
  url: string,
  settled: (d: Diagnosis) => boolean = () => true,
): Promise<Diagnosis> {
  return poll(
    async () => {
      const r = await s.ask<Report>('getReport', { tabId });
      const d = r.diagnoses.find((x) => x.url === url);
      return d && settled(d) ? d : null;
    },
    `a diagnosis for ${url}`,
    20_000,
  ).catch(async (e) => {
    const r = await s.ask<Report>('getReport', { tabId });
    throw new Error(
      `${e.message}; the report holds ${JSON.stringify(r.diagnoses.map((d) => [d.url, d.verdict, d.notCorsCause]))}`,
    );
  });
}

describe('calls that fail for a reason other than CORS, in Chromium', () => {
  let s: ChromiumSession;
  let api: TestServer, apiOtherSite: TestServer;
  let coep: Page1;
  let plain: Page1, csp: Page1, secure: Page1, lnaDenied: Page1, lnaGranted: Page1, insecure: Page1;
  let refused: number;
  let certDir: string;

  beforeAll(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'cors-lens-cert-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(certDir, 'key.pem'),
        '-out',
        join(certDir, 'cert.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=app.test',
        '-addext',
        'subjectAltName=DNS:app.test',
      ],
      { stdio: 'ignore' },
    );
    const tls = { key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) };
    api = await startApiServer();
    apiOtherSite = await startApiServer('localhost');
    coep = await pageServer({ headers: { 'cross-origin-embedder-policy': 'require-corp' } });
    plain = await pageServer();
    csp = await pageServer({ headers: { 'content-security-policy': "connect-src 'self'" } });
    secure = await pageServer({ tls, host: 'app.test' });
    lnaDenied = await pageServer();
    lnaGranted = await pageServer();
    insecure = await pageServer({ host: 'insecure.test' });
    refused = await closedPort();
    const pub = [lnaDenied, lnaGranted, insecure].map((p) => `127.0.0.1:${p.port}=public`).join(',');
    s = await launchChromium({
      args: [
        `--ip-address-space-overrides=${pub}`,
        '--host-resolver-rules=MAP app.test 127.0.0.1, MAP api.test 127.0.0.1, MAP insecure.test 127.0.0.1, MAP nxdomain.test ~NOTFOUND',
        '--ignore-certificate-errors',
      ],
    });
  });
  afterAll(async () => {
    await s?.close();
    await Promise.all(
      [api, apiOtherSite, coep, plain, csp, secure, lnaDenied, lnaGranted, insecure].map((x) => x?.close()),
    );
    if (certDir) rmSync(certDir, { recursive: true, force: true });
  });

  async function open(origin: string) {
    const page = await s.ctx.newPage();
    const rec = await recordTruth(s, page);
    await page.goto(`${origin}/`);
    const tabId = await s.tabIdOf(`${origin}/`);
    return { page, rec, tabId };
  }

  it('connection refused and DNS failure, simple and preflighted: Chromium names the net error, CORS Lens the cause', async () => {
    const { page, rec, tabId } = await open(plain.origin);
    const simple = `http://127.0.0.1:${refused}/simple`;
    const pre = `http://127.0.0.1:${refused}/preflighted`;
    const dns = `http://nxdomain.test:${api.port}/x`;
    const dnsPre = `http://nxdomain.test:${api.port}/pre`;
    const seen = [
      await call(page, `await fetch('${simple}'); return 'ok'`),
      await call(page, `await fetch('${pre}', { method: 'PUT', headers: { 'X-Api-Key': '1' } }); return 'ok'`),
      await call(page, `await fetch('${dns}'); return 'ok'`),
      await call(page, `await fetch('${dnsPre}', { method: 'PUT', headers: { 'X-Api-Key': '1' } }); return 'ok'`),
    ];
    expect(seen.every((x) => x.startsWith('TypeError'))).toBe(true);
    const cases: [string, string, string][] = [
      [simple, 'net::ERR_CONNECTION_REFUSED', 'connection-refused'],
      [pre, 'net::ERR_CONNECTION_REFUSED', 'connection-refused'],
      [dns, 'net::ERR_NAME_NOT_RESOLVED', 'dns'],
      [dnsPre, 'net::ERR_NAME_NOT_RESOLVED', 'dns'],
    ];
    for (const [url, errorText, cause] of cases) {
      const truth = await poll(
        async () => (rec.truth.get(url)?.errorText ? rec.truth.get(url) : null),
        `Chromium's verdict on ${url}`,
      );
      expect({ url, errorText: truth.errorText, corsError: truth.corsError }).toEqual({
        url,
        errorText,
        corsError: undefined,
      });
      const d = await diagnosisFor(s, tabId, url);
      expect({ url, verdict: d.verdict, cause: d.notCorsCause }).toEqual({ url, verdict: 'not-cors', cause });
    }
    const d = await diagnosisFor(s, tabId, simple);
    expect(d.summary).toBe(`not CORS: connection refused, nothing listens on 127.0.0.1:${refused}`);
    // The popup's summary has a line for it.
    const r = await s.ask<Report>('getReport', { tabId });
    expect(r.groups.find((g) => g.origin === `http://127.0.0.1:${refused}`)?.topReasons.map((x) => x.text)).toContain(
      `2 × not CORS: connection refused, nothing listens on 127.0.0.1:${refused}`,
    );
    // The real popup for this tab shows the line and the fix.
    const popup = await s.ctx.newPage();
    await popup.goto(`chrome-extension://${s.extensionId}/extension/popup/index.html?tabId=${tabId}`);
    const text = await poll(async () => {
      const t = await popup.textContent('body');
      return t?.includes('connection refused') ? t : null;
    }, "the popup's line for the refused calls");
    expect(text).toContain(`Start the server on 127.0.0.1:${refused}`);
    await popup.close();
    await page.close();
  });

  it('CSP connect-src: no network event at all; Chromium reports a CSP issue, CORS Lens a csp row from the page observer', async () => {
    const { page, rec, tabId } = await open(csp.origin);
    const url = `${api.origin}/data?acao=*`;
    const seen = await call(page, `await fetch('${url}'); return 'ok'`);
    expect(seen).toMatch(/^TypeError/);
    await poll(
      async () =>
        rec.issues.some((i) => i.code === 'ContentSecurityPolicyIssue') ||
        rec.consoleErrors.some((t) => t.includes('Content Security Policy')),
      "Chromium's CSP report",
    );
    expect(rec.truth.has(url)).toBe(false); // no request ever existed
    expect(api.log.some((l) => l.url.startsWith('/data'))).toBe(false);
    const d = await diagnosisFor(s, tabId, url);
    expect([d.verdict, d.notCorsCause]).toEqual(['not-cors', 'csp']);
    // An XHR blocked by the CSP: CDP reports blockedReason csp.
    const xurl = `${api.origin}/xhr?acao=*`;
    await call(
      page,
      `return await new Promise((res) => { const x = new XMLHttpRequest(); x.open('GET', '${xurl}'); x.onerror = () => res('error'); x.onload = () => res('ok'); x.send(); })`,
    );
    const xt = await poll(
      async () => (rec.truth.get(xurl)?.blockedReason ? rec.truth.get(xurl) : null),
      'CDP blockedReason for the XHR',
    );
    expect(xt.blockedReason).toBe('csp');
    expect((await diagnosisFor(s, tabId, xurl)).notCorsCause).toBe('csp');
    await page.close();
  });

  it('mixed content: an https page calling an http host name; Chromium reports MixedContentIssue, CORS Lens mixed-content', async () => {
    const { page, rec, tabId } = await open(secure.origin);
    const url = `http://api.test:${api.port}/mixed?acao=*`;
    const seen = await call(page, `await fetch('${url}'); return 'ok'`);
    expect(seen).toMatch(/^TypeError/);
    await poll(
      async () =>
        rec.issues.some((i) => i.code === 'MixedContentIssue') ||
        rec.consoleErrors.some((t) => t.includes('Mixed Content')),
      "Chromium's mixed-content report",
    );
    expect(api.log.some((l) => l.url.startsWith('/mixed'))).toBe(false);
    const d = await diagnosisFor(s, tabId, url);
    expect([d.verdict, d.notCorsCause]).toEqual(['not-cors', 'mixed-content']);
    await page.close();
  });

  it('404 with correct CORS headers: Chromium lets it through with status 404, CORS Lens says CORS passed, check the route', async () => {
    const { page, rec, tabId } = await open(plain.origin);
    const url = `${api.origin}/nope?acao=*&status=404`;
    expect(await call(page, `const r = await fetch('${url}'); return String(r.status)`)).toBe('404');
    const truth = await poll(
      async () => (rec.truth.get(url)?.status ? rec.truth.get(url) : null),
      "Chromium's response",
    );
    expect([truth.status, truth.corsError]).toEqual([404, undefined]);
    const d = await diagnosisFor(s, tabId, url);
    expect([d.verdict, d.notCorsCause, d.summary]).toEqual([
      'not-cors',
      'http-error',
      'CORS passed; the server answered 404',
    ]);
    await page.close();
  });

  it('aborted by the page: AbortSignal.timeout and an XHR timeout; Chromium says net::ERR_ABORTED, CORS Lens aborted-by-page', async () => {
    const { page, rec, tabId } = await open(plain.origin);
    const url = `${api.origin}/slow?acao=*&delay=3000`;
    const xurl = `${api.origin}/slow-xhr?acao=*&delay=3000`;
    expect(await call(page, `await fetch('${url}', { signal: AbortSignal.timeout(300) }); return 'ok'`)).toMatch(
      /^TimeoutError/,
    );
    expect(
      await call(
        page,
        `return await new Promise((res) => { const x = new XMLHttpRequest(); x.open('GET', '${xurl}'); x.timeout = 300; x.ontimeout = () => res('timeout'); x.onload = () => res('ok'); x.send(); })`,
      ),
    ).toBe('timeout');
    for (const u of [url, xurl]) {
      const truth = await poll(
        async () => (rec.truth.get(u)?.errorText ? rec.truth.get(u) : null),
        `Chromium's verdict on ${u}`,
      );
      expect(truth.errorText).toBe('net::ERR_ABORTED');
      const d = await diagnosisFor(s, tabId, u, (x) => x.notCorsCause === 'aborted-by-page');
      expect(d.verdict).toBe('not-cors');
    }
    await page.close();
  });

  it('CORP, COEP and ORB on no-cors images, and third-party cookies withheld on a credentialed call', async () => {
    const img = (u: string) =>
      `return await new Promise((res) => { const i = new Image(); i.onload = () => res('load'); i.onerror = () => res('error'); i.src = '${u}'; })`;
    const { page, rec, tabId } = await open(plain.origin);
    const corp = `${api.origin}/corp.png?hdr=Cross-Origin-Resource-Policy:same-origin`;
    const orb = `${api.origin}/data.json`;
    expect(await call(page, img(corp))).toBe('error');
    expect(await call(page, img(orb))).toBe('error');
    const cookie = `${apiOtherSite.origin}/login?acao=$origin&acac=true&hdr=Set-Cookie:sid%3D1%3B%20Path%3D%2F`;
    expect(
      await call(
        page,
        `const r = await fetch('${cookie.replace('$origin', '$' + 'origin')}', { credentials: 'include' }); return String(r.status)`,
      ),
    ).toBe('200');
    const truthOf = (u: string) =>
      poll(
        async () => (rec.truth.get(u)?.errorText || rec.truth.get(u)?.status ? rec.truth.get(u) : null),
        `Chromium's verdict on ${u}`,
      );
    const corpTruth = await truthOf(corp);
    const orbTruth = await truthOf(orb);
    console.log(
      `Chromium: CORP ${JSON.stringify(corpTruth)}, ORB ${JSON.stringify(orbTruth)}, issues ${JSON.stringify(rec.issues.map((i) => i.code))}`,
    );
    expect(corpTruth.blockedReason ?? corpTruth.errorText).toMatch(/corp|BLOCKED_BY_RESPONSE/i);
    expect((await diagnosisFor(s, tabId, corp)).notCorsCause).toBe('corp');
    expect(orbTruth.errorText).toBe('net::ERR_BLOCKED_BY_ORB');
    expect((await diagnosisFor(s, tabId, orb)).notCorsCause).toBe('orb');
    const refusedCookie = await poll(async () => rec.blockedCookies.get(cookie), "Chromium's blocked Set-Cookie");
    console.log(`Chromium: Set-Cookie blocked because ${JSON.stringify(refusedCookie)}`);
    const d = await diagnosisFor(s, tabId, cookie);
    expect([d.verdict, d.notCorsCause]).toEqual(['not-cors', 'third-party-cookies']);
    await page.close();
    // COEP: the page requires CORP and the image sends none.
    const c = await open(coep.origin);
    const coepImg = `${api.origin}/coep.png`;
    expect(await call(c.page, img(coepImg))).toBe('error');
    const coepTruth = await poll(
      async () => (c.rec.truth.get(coepImg)?.errorText ? c.rec.truth.get(coepImg) : null),
      "Chromium's verdict on the COEP image",
    );
    console.log(`Chromium: COEP ${JSON.stringify(coepTruth)}`);
    expect(coepTruth.blockedReason ?? coepTruth.errorText).toMatch(/coep|BLOCKED_BY_RESPONSE/i);
    expect((await diagnosisFor(s, c.tabId, coepImg)).notCorsCause).toBe('coep');
    await c.page.close();
  });

  it("Local Network Access denied: a public page calling loopback; the CorsError is Chromium's and the permission is loopback-network", async () => {
    const { page, rec, tabId } = await open(lnaDenied.origin);
    const url = `${api.origin}/lna?acao=*`;
    expect(await call(page, `await fetch('${url}'); return 'ok'`)).toMatch(/^TypeError/);
    const truth = await poll(
      async () => (rec.truth.get(url)?.corsError ? rec.truth.get(url) : null),
      "Chromium's CorsError",
    );
    expect(truth.corsError).toBe('LocalNetworkAccessPermissionDenied');
    const d = await diagnosisFor(s, tabId, url);
    expect([d.verdict, d.notCorsCause, d.chromiumReason]).toEqual([
      'not-cors',
      'local-network-access',
      truth.corsError,
    ]);
    expect(d.summary).toBe('not CORS: Local Network Access, loopback-network permission not granted');
    // Preflighted: webRequest shows only net::ERR_FAILED on the OPTIONS and the request; CORS Lens reads the shape.
    const pre = `${api.origin}/lna-preflighted?acao=*`;
    expect(
      await call(page, `await fetch('${pre}', { method: 'PUT', headers: { 'X-Api-Key': '1' } }); return 'ok'`),
    ).toMatch(/^TypeError/);
    const preTruth = await poll(
      async () => (rec.truth.get(pre)?.corsError ? rec.truth.get(pre) : null),
      "Chromium's CorsError for the preflighted call",
    );
    expect(preTruth.corsError).toBe('LocalNetworkAccessPermissionDenied');
    const pd = await diagnosisFor(s, tabId, pre, (x) => x.verdict !== 'unknown');
    expect([pd.verdict, pd.notCorsCause, pd.chromiumReason]).toEqual([
      'not-cors',
      'local-network-access',
      preTruth.corsError,
    ]);
    expect(api.log.some((l) => l.url.startsWith('/lna-preflighted'))).toBe(false);
    await page.close();
  });

  it('Local Network Access granted (loopback-network): the call goes through and CORS decides as usual', async () => {
    const { page, rec, tabId } = await open(lnaGranted.origin);
    await rec.cdp.send('Browser.setPermission', {
      permission: { name: 'loopback-network' },
      setting: 'granted',
      origin: lnaGranted.origin,
    });
    const url = `${api.origin}/granted?acao=*`;
    expect(await call(page, `const r = await fetch('${url}'); return String(r.status)`)).toBe('200');
    const truth = await poll(
      async () => (rec.truth.get(url)?.status ? rec.truth.get(url) : null),
      "Chromium's response",
    );
    expect(truth.corsError).toBeUndefined();
    expect((await diagnosisFor(s, tabId, url)).verdict).toBe('allowed');
    // A preflighted call from the granted page: Chromium sends the OPTIONS and the PUT, CORS Lens says allowed.
    const put = `${api.origin}/granted-put?acao=*&pf_acao=*&pf_acam=PUT&pf_acah=x-api-key`;
    expect(
      await call(
        page,
        `const r = await fetch('${put}', { method: 'PUT', headers: { 'X-Api-Key': '1' } }); return String(r.status)`,
      ),
    ).toBe('200');
    expect(api.log.filter((l) => l.url.startsWith('/granted-put')).map((l) => l.method)).toEqual(['OPTIONS', 'PUT']);
    const pd = await diagnosisFor(s, tabId, put);
    expect([pd.verdict, (pd as Diagnosis & { preflight?: string }).preflight]).toEqual(['allowed', 'sent']);
    // The wrong targetAddressSpace for a loopback target: InvalidLocalNetworkAccess, from the page observer's view.
    const wrong = `${api.origin}/wrong-space?acao=*`;
    expect(await call(page, `await fetch('${wrong}', { targetAddressSpace: 'local' }); return 'ok'`)).toMatch(
      /^TypeError/,
    );
    const wt = await poll(
      async () => (rec.truth.get(wrong)?.corsError ? rec.truth.get(wrong) : null),
      "Chromium's CorsError",
    );
    expect(wt.corsError).toBe('InvalidLocalNetworkAccess');
    const d = await diagnosisFor(s, tabId, wrong, (x) => x.verdict === 'not-cors');
    expect([d.notCorsCause, d.chromiumReason]).toEqual(['local-network-access', 'InvalidLocalNetworkAccess']);
    await page.close();
  });

  it('Local Network Access from an http page (not a secure context): InsecureLocalNetwork', async () => {
    const { page, rec, tabId } = await open(insecure.origin);
    const url = `${api.origin}/insecure?acao=*`;
    expect(await call(page, `await fetch('${url}'); return 'ok'`)).toMatch(/^TypeError/);
    const truth = await poll(
      async () => (rec.truth.get(url)?.corsError ? rec.truth.get(url) : null),
      "Chromium's CorsError",
    );
    expect(truth.corsError).toBe('InsecureLocalNetwork');
    const d = await diagnosisFor(s, tabId, url);
    expect([d.verdict, d.notCorsCause, d.chromiumReason]).toEqual([
      'not-cors',
      'local-network-access',
      'InsecureLocalNetwork',
    ]);
    await page.close();
  });
});
