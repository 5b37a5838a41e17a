// The not-CORS rows Firefox ESR produces on 127.0.0.1 (refused connection, simple and preflighted; the page's CSP;
// a 404 with correct CORS headers; the page's own timeout; Local Network Access denied and granted), and what CORS
// Lens says about each compared with what Firefox reported: its console ("CORS request did not succeed", the CSP
// message), the channel's error over WebDriver BiDi and what the page's script got.
// Local Network Access: the pref network.lna.address_space.public.override puts the page servers in the public
// address space while the API stays loopback. BiDi permissions.setPermission denies or grants loopback-network:
// left to the prompt nobody answers headless, the first call can wait the whole network.lna.prompt.timeout.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll } from './harness/chromium';
import { launchFirefox, type FirefoxSession } from './harness/firefox';
import { startApiServer, type TestServer } from './harness/servers';

interface Diagnosis {
  url: string;
  verdict: string;
  notCorsCause?: string;
  summary: string;
  firefoxReason: string | null;
}

async function pageServer(headers: Record<string, string> = {}, host = '127.0.0.1') {
  const server = http.createServer((_req, res) => {
    res
      .writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store', ...headers })
      .end('<!doctype html><title>not-cors</title><h1>page</h1>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('calls that fail for a reason other than CORS, in Firefox ESR', () => {
  let s: FirefoxSession;
  let api: TestServer;
  let plain: { origin: string; close(): Promise<void> };
  let csp: { origin: string; close(): Promise<void> };
  let lnaDenied: { origin: string; close(): Promise<void> };
  let lnaGranted: { origin: string; close(): Promise<void> };
  let lnaInsecure: { origin: string; close(): Promise<void> };
  let refused: number;
  beforeAll(async () => {
    api = await startApiServer();
    plain = await pageServer();
    csp = await pageServer({ 'content-security-policy': "connect-src 'self'" });
    lnaDenied = await pageServer();
    lnaGranted = await pageServer();
    // A page that is not a secure context: a host name (Firefox resolves network.dns.localDomains to loopback).
    lnaInsecure = await pageServer({}, 'insecure.test');
    refused = await closedPort();
    s = await launchFirefox({
      prefs: {
        'network.lna.address_space.public.override': [lnaDenied, lnaGranted, lnaInsecure]
          .map((p) => `127.0.0.1:${new URL(p.origin).port}`)
          .join(','),
        'network.lna.prompt.timeout': 1000,
        'network.dns.localDomains': 'insecure.test',
      },
    });
  });
  afterAll(async () => {
    await s?.close();
    await Promise.all([
      api?.close(),
      plain?.close(),
      csp?.close(),
      lnaDenied?.close(),
      lnaGranted?.close(),
      lnaInsecure?.close(),
    ]);
  });

  async function open(origin: string) {
    const page = await s.browser.newPage();
    const consoleText: string[] = [];
    // The channel's own error per URL, as Firefox reports it over BiDi (network.fetchError).
    const failed = new Map<string, string>();
    page.on('pageerror', (e) => consoleText.push(String((e as Error).message ?? e)));
    page.on('console', (m) => consoleText.push(m.text()));
    page.on('requestfailed', (r) => failed.set(r.url(), r.failure()?.errorText ?? ''));
    await page.goto(`${origin}/`);
    const tabId = await s.tabIdOf(`${origin}/`);
    return { page, consoleText, failed, tabId };
  }
  const run = (page: Awaited<ReturnType<FirefoxSession['browser']['newPage']>>, js: string) =>
    page.evaluate(
      `(async () => { try { ${js} } catch (e) { return e.name + ': ' + e.message; } })()`,
    ) as Promise<string>;
  async function diagnosis(tabId: number, url: string, settled: (d: Diagnosis) => boolean = () => true) {
    return poll(
      async () =>
        (await s.ask<{ diagnoses: Diagnosis[] }>('getReport', { tabId })).diagnoses.find(
          (d) => d.url === url && settled(d),
        ),
      `a diagnosis for ${url}`,
      20_000,
    ).catch(async (e) => {
      throw new Error(
        `${e.message}; have ${JSON.stringify((await s.ask<{ diagnoses: Diagnosis[] }>('getReport', { tabId })).diagnoses.map((d) => [d.url, d.verdict, d.notCorsCause]))}`,
      );
    });
  }

  it('refused connection, simple and preflighted: Firefox says "CORS request did not succeed", CORS Lens connection-refused', async () => {
    const { page, consoleText, tabId } = await open(plain.origin);
    const simple = `http://127.0.0.1:${refused}/simple`;
    const pre = `http://127.0.0.1:${refused}/pre`;
    expect(await run(page, `await fetch('${simple}'); return 'ok'`)).toMatch(/^TypeError/);
    expect(
      await run(page, `await fetch('${pre}', { method: 'PUT', headers: { 'X-Api-Key': '1' } }); return 'ok'`),
    ).toMatch(/^TypeError/);
    await poll(
      async () =>
        [simple, pre].every((u) =>
          consoleText.some((t) => t.includes(u) && t.includes('CORS request did not succeed')),
        ),
      "Firefox's console for both calls",
    );
    for (const u of [simple, pre]) {
      const d = await diagnosis(tabId, u);
      expect({ u, verdict: d.verdict, cause: d.notCorsCause }).toEqual({
        u,
        verdict: 'not-cors',
        cause: 'connection-refused',
      });
    }
    await page.close();
  });

  it('CSP connect-src: Firefox reports the CSP violation, CORS Lens a csp row from the page observer', async () => {
    const { page, consoleText, tabId } = await open(csp.origin);
    const url = `${api.origin}/csp?acao=*`;
    expect(await run(page, `await fetch('${url}'); return 'ok'`)).toMatch(/^TypeError/);
    await poll(
      async () => consoleText.some((t) => /Content-Security-Policy|Content Security Policy/.test(t)),
      "Firefox's CSP message",
      10_000,
    ).catch((e) => {
      throw new Error(`${e.message}: the page log holds ${JSON.stringify(consoleText)}`);
    });
    expect(api.log.some((l) => l.url.startsWith('/csp'))).toBe(false);
    expect((await diagnosis(tabId, url)).notCorsCause).toBe('csp');
    await page.close();
  });

  it('404 with correct CORS headers: the page reads 404, CORS Lens says CORS passed', async () => {
    const { page, tabId } = await open(plain.origin);
    const url = `${api.origin}/nope?acao=*&status=404`;
    expect(await run(page, `return String((await fetch('${url}')).status)`)).toBe('404');
    const d = await diagnosis(tabId, url);
    expect([d.verdict, d.notCorsCause, d.summary]).toEqual([
      'not-cors',
      'http-error',
      'CORS passed; the server answered 404',
    ]);
    await page.close();
  });

  it('AbortSignal.timeout: the page gets TimeoutError, CORS Lens aborted-by-page', async () => {
    const { page, tabId } = await open(plain.origin);
    const url = `${api.origin}/slow?acao=*&delay=3000`;
    expect(await run(page, `await fetch('${url}', { signal: AbortSignal.timeout(300) }); return 'ok'`)).toMatch(
      /^TimeoutError/,
    );
    const d = await diagnosis(tabId, url, (x) => x.notCorsCause === 'aborted-by-page');
    expect(d.verdict).toBe('not-cors');
    await page.close();
  });

  const setLoopbackNetwork = (origin: string, state: 'granted' | 'denied') =>
    (s.browser as unknown as { connection: { send(m: string, p: unknown): Promise<unknown> } }).connection.send(
      'permissions.setPermission',
      { descriptor: { name: 'loopback-network' }, state, origin },
    );

  it('Local Network Access denied: Firefox logs "CORS request did not succeed"; CORS Lens says local-network-access and names loopback-network', async () => {
    await setLoopbackNetwork(lnaDenied.origin, 'denied');
    const { page, consoleText, failed, tabId } = await open(lnaDenied.origin);
    const url = `${api.origin}/lna?acao=*`;
    const pre = `${api.origin}/lna-pre?acao=*`;
    expect(await run(page, `await fetch('${url}'); return 'ok'`)).toMatch(/^TypeError/);
    expect(
      await run(page, `await fetch('${pre}', { method: 'PUT', headers: { 'X-Api-Key': '1' } }); return 'ok'`),
    ).toMatch(/^TypeError/);
    for (const u of [url, pre]) {
      // What Firefox says: the console blames CORS, the channel's error names Local Network Access.
      await poll(
        async () => consoleText.some((t) => t.includes(u) && t.includes('CORS request did not succeed')),
        `Firefox's console for ${u}`,
      );
      expect(await poll(async () => failed.get(u), `Firefox's channel error for ${u}`)).toBe(
        'NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED',
      );
      const d = await diagnosis(tabId, u, (x) => x.verdict !== 'unknown');
      expect({ u, verdict: d.verdict, cause: d.notCorsCause, summary: d.summary }).toEqual({
        u,
        verdict: 'not-cors',
        cause: 'local-network-access',
        summary: 'not CORS: Local Network Access, loopback-network permission not granted',
      });
    }
    expect(api.log.some((l) => l.url.startsWith('/lna'))).toBe(false); // nothing reached the API
    await page.close();
  });

  it('Local Network Access granted over BiDi (loopback-network): the calls go through and CORS decides as usual', async () => {
    await setLoopbackNetwork(lnaGranted.origin, 'denied');
    const { page, consoleText, failed, tabId } = await open(lnaGranted.origin);
    // The same page before the grant: denied, so the grant below is what lets the calls through.
    const before = `${api.origin}/before-grant?acao=*`;
    expect(await run(page, `await fetch('${before}'); return 'ok'`)).toMatch(/^TypeError/);
    expect(await poll(async () => failed.get(before), "Firefox's channel error before the grant")).toBe(
      'NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED',
    );
    await setLoopbackNetwork(lnaGranted.origin, 'granted');
    const ok = `${api.origin}/granted?acao=*`;
    const put = `${api.origin}/granted-put?acao=*&pf_acao=*&pf_acam=PUT&pf_acah=x-api-key`;
    const noAcao = `${api.origin}/granted-no-acao`;
    expect(await run(page, `return String((await fetch('${ok}')).status)`)).toBe('200');
    expect(
      await run(
        page,
        `return String((await fetch('${put}', { method: 'PUT', headers: { 'X-Api-Key': '1' } })).status)`,
      ),
    ).toBe('200');
    expect(api.log.filter((l) => l.url.startsWith('/granted-put')).map((l) => l.method)).toEqual(['OPTIONS', 'PUT']);
    expect(await run(page, `await fetch('${noAcao}'); return 'ok'`)).toMatch(/^TypeError/);
    expect((await diagnosis(tabId, ok)).verdict).toBe('allowed');
    expect((await diagnosis(tabId, put)).verdict).toBe('allowed');
    // Refused by CORS itself now: Firefox names the reason, CORS Lens the same one.
    const logged = await poll(
      async () => consoleText.find((t) => t.includes(noAcao) && t.includes('Reason:')),
      "Firefox's CORS message for the call without ACAO",
    );
    expect(logged).toContain('CORS header \u2018Access-Control-Allow-Origin\u2019 missing');
    const d = await diagnosis(tabId, noAcao);
    expect([d.verdict, d.firefoxReason]).toEqual(['blocked', 'CORSMissingAllowOrigin']);
    await page.close();
  });

  it('Local Network Access from an http page: Firefox denies it like any other and lets it be granted, so CORS Lens names the permission, not "serve over https"', async () => {
    await setLoopbackNetwork(lnaInsecure.origin, 'denied');
    const { page, failed, tabId } = await open(lnaInsecure.origin);
    expect(await page.evaluate('isSecureContext')).toBe(false);
    const url = `${api.origin}/insecure?acao=*`;
    expect(await run(page, `await fetch('${url}'); return 'ok'`)).toMatch(/^TypeError/);
    expect(await poll(async () => failed.get(url), "Firefox's channel error")).toBe(
      'NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED',
    );
    const d = await diagnosis(tabId, url, (x) => x.verdict !== 'unknown');
    expect([d.verdict, d.notCorsCause, d.summary]).toEqual([
      'not-cors',
      'local-network-access',
      'not CORS: Local Network Access, loopback-network permission not granted',
    ]);
    // Firefox grants loopback-network to a non-secure page (Chromium refuses to: InsecureLocalNetwork).
    await setLoopbackNetwork(lnaInsecure.origin, 'granted');
    const after = `${api.origin}/insecure-granted?acao=*`;
    expect(await run(page, `return String((await fetch('${after}')).status)`)).toBe('200');
    expect((await diagnosis(tabId, after)).verdict).toBe('allowed');
    await page.close();
  });
});
