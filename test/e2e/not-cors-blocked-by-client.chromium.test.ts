// Another extension blocks a call (an ad blocker, say): a second, tiny MV3 extension with one declarativeNetRequest
// rule is loaded next to CORS Lens, and what CORS Lens says is compared with what Chromium itself reported (CDP
// Network.loadingFailed). The page only ever sees "TypeError: Failed to fetch".
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_CHROME, launchChromium, poll, type ChromiumSession } from './harness/chromium';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';

interface Diagnosis {
  url: string;
  verdict: string;
  notCorsCause?: string;
  summary: string;
}

/** An extension whose only rule blocks fetch/XHR to any URL with /ads/ in it (a declarativeNetRequest static rule). */
function writeBlocker(dir: string): void {
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'test blocker',
      version: '1.0',
      permissions: ['declarativeNetRequest'],
      declarative_net_request: { rule_resources: [{ id: 'ads', enabled: true, path: 'rules.json' }] },
    }),
  );
  writeFileSync(
    join(dir, 'rules.json'),
    JSON.stringify([
      {
        id: 1,
        priority: 1,
        action: { type: 'block' },
        condition: { urlFilter: '/ads/', resourceTypes: ['xmlhttprequest'] },
      },
    ]),
  );
}

describe('a call another extension blocks, in Chromium', () => {
  let s: ChromiumSession;
  let api: TestServer, page: TestServer;
  let blocker: string;

  beforeAll(async () => {
    blocker = mkdtempSync(join(tmpdir(), 'cors-lens-blocker-'));
    writeBlocker(blocker);
    api = await startApiServer();
    page = await startPageServer();
    // The last --load-extension / --disable-extensions-except on the command line wins: both extensions.
    s = await launchChromium({
      args: [`--disable-extensions-except=${DIST_CHROME},${blocker}`, `--load-extension=${DIST_CHROME},${blocker}`],
    });
  });
  afterAll(async () => {
    await s?.close();
    await Promise.all([api?.close(), page?.close()]);
    if (blocker) rmSync(blocker, { recursive: true, force: true });
  });

  it('Chromium reports net::ERR_BLOCKED_BY_CLIENT; CORS Lens says blocked-by-client, not CORS', async () => {
    const tab = await s.ctx.newPage();
    const cdp = await s.ctx.newCDPSession(tab);
    const failed = new Map<string, string>();
    const urls = new Map<string, string>();
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.loadingFailed', (e) => {
      const u = urls.get(e.requestId);
      if (u) failed.set(u, e.errorText);
    });
    await cdp.send('Network.enable');
    await tab.goto(`${page.origin}/`);
    const tabId = await s.tabIdOf(`${page.origin}/`);
    const url = `${api.origin}/ads/banner?acao=*`;
    const allowedUrl = `${api.origin}/news?acao=*`;
    const seen = await tab.evaluate(
      `(async () => { try { await fetch('${url}'); return 'ok'; } catch (e) { return e.name + ': ' + e.message; } })()`,
    );
    expect(seen).toMatch(/^TypeError/);
    // The control: a URL the rule does not match goes through (the blocker is what failed the first call).
    expect(await tab.evaluate(`fetch('${allowedUrl}').then((r) => r.status)`)).toBe(200);
    const errorText = await poll(async () => failed.get(url) ?? null, "Chromium's loadingFailed for the blocked call");
    expect(errorText).toBe('net::ERR_BLOCKED_BY_CLIENT');
    expect(api.log.some((l) => l.url.startsWith('/ads/'))).toBe(false);
    const d = await poll(async () => {
      const r = await s.ask<{ diagnoses: Diagnosis[] }>('getReport', { tabId });
      return r.diagnoses.find((x) => x.url === url) ?? null;
    }, "CORS Lens's diagnosis of the blocked call");
    expect([d.verdict, d.notCorsCause]).toEqual(['not-cors', 'blocked-by-client']);
    expect(d.summary).toBe('not CORS: cancelled by an extension (ad blocker?)');
    await tab.close();
  });
});
