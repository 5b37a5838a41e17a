// The not-CORS rows Firefox ESR produces on 127.0.0.1 (refused connection, simple and preflighted; the page's CSP;
// a 404 with correct CORS headers; the page's own timeout), and what CORS Lens says about each compared with what
// Firefox reported: its console ("CORS request did not succeed", the CSP message) and what the page's script got.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll } from './harness/chromium';
import { launchFirefox, type FirefoxSession } from './harness/firefox';
import { startApiServer, type TestServer } from './harness/servers';

interface Diagnosis { url: string; verdict: string; notCorsCause?: string; summary: string }

async function pageServer(headers: Record<string, string> = {}) {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store', ...headers }).end('<!doctype html><title>not-cors</title><h1>page</h1>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
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
  let refused: number;
  beforeAll(async () => {
    api = await startApiServer();
    plain = await pageServer();
    csp = await pageServer({ 'content-security-policy': "connect-src 'self'" });
    refused = await closedPort();
    s = await launchFirefox();
  });
  afterAll(async () => {
    await s?.close();
    await Promise.all([api?.close(), plain?.close(), csp?.close()]);
  });

  async function open(origin: string) {
    const page = await s.browser.newPage();
    const consoleText: string[] = [];
    page.on('pageerror', (e) => consoleText.push(String((e as Error).message ?? e)));
    page.on('console', (m) => consoleText.push(m.text()));
    await page.goto(`${origin}/`);
    const tabId = await s.tabIdOf(`${origin}/`);
    return { page, consoleText, tabId };
  }
  const run = (page: Awaited<ReturnType<FirefoxSession['browser']['newPage']>>, js: string) =>
    page.evaluate(`(async () => { try { ${js} } catch (e) { return e.name + ': ' + e.message; } })()`) as Promise<string>;
  async function diagnosis(tabId: number, url: string, settled: (d: Diagnosis) => boolean = () => true) {
    return poll(async () => (await s.ask<{ diagnoses: Diagnosis[] }>('getReport', { tabId })).diagnoses.find((d) => d.url === url && settled(d)), `a diagnosis for ${url}`, 20_000)
      .catch(async (e) => { throw new Error(`${e.message}; have ${JSON.stringify((await s.ask<{ diagnoses: Diagnosis[] }>('getReport', { tabId })).diagnoses.map((d) => [d.url, d.verdict, d.notCorsCause]))}`); });
  }

  it('refused connection, simple and preflighted: Firefox says "CORS request did not succeed", CORS Lens connection-refused', async () => {
    const { page, consoleText, tabId } = await open(plain.origin);
    const simple = `http://127.0.0.1:${refused}/simple`;
    const pre = `http://127.0.0.1:${refused}/pre`;
    expect(await run(page, `await fetch('${simple}'); return 'ok'`)).toMatch(/^TypeError/);
    expect(await run(page, `await fetch('${pre}', { method: 'PUT', headers: { 'X-Api-Key': '1' } }); return 'ok'`)).toMatch(/^TypeError/);
    await poll(async () => [simple, pre].every((u) => consoleText.some((t) => t.includes(u) && t.includes('CORS request did not succeed'))), 'Firefox\'s console for both calls');
    for (const u of [simple, pre]) {
      const d = await diagnosis(tabId, u);
      expect({ u, verdict: d.verdict, cause: d.notCorsCause }).toEqual({ u, verdict: 'not-cors', cause: 'connection-refused' });
    }
    await page.close();
  });

  it('CSP connect-src: Firefox reports the CSP violation, CORS Lens a csp row from the page observer', async () => {
    const { page, consoleText, tabId } = await open(csp.origin);
    const url = `${api.origin}/csp?acao=*`;
    expect(await run(page, `await fetch('${url}'); return 'ok'`)).toMatch(/^TypeError/);
    await poll(async () => consoleText.some((t) => /Content-Security-Policy|Content Security Policy/.test(t)), 'Firefox\'s CSP message', 10_000)
      .catch((e) => { throw new Error(`${e.message}: the page log holds ${JSON.stringify(consoleText)}`); });
    expect(api.log.some((l) => l.url.startsWith('/csp'))).toBe(false);
    expect((await diagnosis(tabId, url)).notCorsCause).toBe('csp');
    await page.close();
  });

  it('404 with correct CORS headers: the page reads 404, CORS Lens says CORS passed', async () => {
    const { page, tabId } = await open(plain.origin);
    const url = `${api.origin}/nope?acao=*&status=404`;
    expect(await run(page, `return String((await fetch('${url}')).status)`)).toBe('404');
    const d = await diagnosis(tabId, url);
    expect([d.verdict, d.notCorsCause, d.summary]).toEqual(['not-cors', 'http-error', 'CORS passed; the server answered 404']);
    await page.close();
  });

  it('AbortSignal.timeout: the page gets TimeoutError, CORS Lens aborted-by-page', async () => {
    const { page, tabId } = await open(plain.origin);
    const url = `${api.origin}/slow?acao=*&delay=3000`;
    expect(await run(page, `await fetch('${url}', { signal: AbortSignal.timeout(300) }); return 'ok'`)).toMatch(/^TimeoutError/);
    const d = await diagnosis(tabId, url, (x) => x.notCorsCause === 'aborted-by-page');
    expect(d.verdict).toBe('not-cors');
    await page.close();
  });
});
