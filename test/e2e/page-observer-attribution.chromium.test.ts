// The page observer's footprint on the page, measured in real Chromium: who CDP names as the initiator of a fetch()
// the page's own script made, and which frames the page's own fetch error carries — with the observer wrapping
// fetch/XHR (the default) and with wrapping turned off (setObserverMode), and what each mode still diagnoses.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, poll, type ChromiumSession } from './harness/chromium';
import { startApiServer, type TestServer } from './harness/servers';

interface Diagnosis {
  url: string;
  verdict: string;
  notCorsCause?: string;
  assumptions?: { what: string }[];
}

const APP_JS = 'window.callApi = (u) => fetch(u).then((r) => String(r.status), (e) => "ERR " + e.stack);\n';

async function appServer(headers: Record<string, string> = {}) {
  const server = http.createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(APP_JS);
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store', ...headers })
      .end('<!doctype html><title>app</title><script src="/app.js"></script>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('the page observer leaves the page as it was, or says what wrapping costs', () => {
  let s: ChromiumSession;
  let api: TestServer;
  let app: { origin: string; close(): Promise<void> };
  let cspApp: { origin: string; close(): Promise<void> };
  beforeAll(async () => {
    api = await startApiServer();
    app = await appServer();
    cspApp = await appServer({ 'content-security-policy': "connect-src 'self'" });
    s = await launchChromium();
  });
  afterAll(async () => {
    await s?.close();
    await Promise.all([api?.close(), app?.close(), cspApp?.close()]);
  });

  /** Calls the page's own callApi(url) and returns CDP's initiator top frame and what the page's script got. */
  async function measure(origin: string, url: string, sent = true) {
    const page = await s.ctx.newPage();
    const cdp = await s.ctx.newCDPSession(page);
    const initiators = new Map<string, string[]>();
    cdp.on('Network.requestWillBeSent', (e) => {
      if (!initiators.has(e.request.url))
        initiators.set(
          e.request.url,
          (e.initiator?.stack?.callFrames ?? []).map((f: { url: string }) => f.url),
        );
    });
    await cdp.send('Network.enable');
    await page.goto(`${origin}/`);
    const result = (await page.evaluate((u) => (window as any).callApi(u), url)) as string;
    const frames = sent ? await poll(async () => initiators.get(url), `CDP requestWillBeSent for ${url}`) : null;
    const tabId = await s.tabIdOf(`${origin}/`);
    return { page, frames, result, tabId };
  }

  async function diagnosis(tabId: number, url: string) {
    return poll(
      async () =>
        (await s.ask<{ diagnoses: Diagnosis[] }>('getReport', { tabId })).diagnoses.find((d) => d.url === url),
      `a diagnosis for ${url}`,
    );
  }

  it("wrapping (default): CDP names page-observer.js as the initiator; the mode is the page's own word", async () => {
    expect(await s.ask<{ wraps: boolean }>('getObserverMode', {})).toEqual({ wraps: true });
    const url = `${api.origin}/wrapped?acao=*`;
    const { page, frames, result, tabId } = await measure(app.origin, url);
    expect(result).toBe('200');
    expect(frames?.[0]).toMatch(/^chrome-extension:\/\/.*\/content\/page-observer\.js$/);
    expect(frames).toContain(`${app.origin}/app.js`);
    const d = await diagnosis(tabId, url);
    expect(d.verdict).toBe('allowed');
    expect((d.assumptions ?? []).some((a) => a.what === 'mode')).toBe(false); // the page said so: nothing assumed
    const refused = (await page.evaluate(() => (window as any).callApi('http://127.0.0.1:9/x'))) as string;
    console.log(`wrapped: initiator frames ${JSON.stringify(frames)}; page error stack: ${JSON.stringify(refused)}`);
    await page.close();
  });

  it("unwrapped: CDP names the page's own script; the page's errors carry no extension frame; CSP is still diagnosed", async () => {
    await s.ask('setObserverMode', { wraps: false });
    try {
      expect(await s.ask<{ wraps: boolean }>('getObserverMode', {})).toEqual({ wraps: false });
      const url = `${api.origin}/unwrapped?acao=*`;
      const { page, frames, result, tabId } = await measure(app.origin, url);
      expect(result).toBe('200');
      expect(frames?.[0]).toBe(`${app.origin}/app.js`);
      expect(frames?.some((f) => f.startsWith('chrome-extension://'))).toBe(false);
      expect(await page.evaluate(() => window.fetch.toString())).toBe('function fetch() { [native code] }');
      const refused = (await page.evaluate(() => (window as any).callApi('http://127.0.0.1:9/x'))) as string;
      expect(refused).not.toContain('chrome-extension://');
      console.log(
        `unwrapped: initiator frames ${JSON.stringify(frames)}; page error stack: ${JSON.stringify(refused)}`,
      );
      // Still diagnosed, from the network alone (Chromium's Sec-Fetch-Mode tells the mode for a loopback or https URL).
      expect((await diagnosis(tabId, url)).verdict).toBe('allowed');
      await page.close();
      // The CSP listener wraps nothing: a connect-src block still becomes a csp row.
      const blocked = `${api.origin}/csp-unwrapped?acao=*`;
      const c = await measure(cspApp.origin, blocked, false);
      expect(c.result).toMatch(/^ERR TypeError/);
      expect((await diagnosis(c.tabId, blocked)).notCorsCause).toBe('csp');
      await c.page.close();
    } finally {
      await s.ask('setObserverMode', { wraps: true });
    }
  });
});
