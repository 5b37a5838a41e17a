// Foundation, Firefox ESR: the built extension installs, its event page sees an allowed and a CORS-blocked
// fetch with the blocked request's Origin and response headers, and Firefox itself logs the block.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import { launchFirefox, collectFirefoxVerdicts, type FirefoxSession } from './harness/firefox';
import { poll } from './harness/chromium';
import type { TabSnapshot } from '../../extension/protocol/messages';

describe('foundation in Firefox', () => {
  let page: TestServer, api: TestServer, s: FirefoxSession;
  beforeAll(async () => {
    page = await startPageServer();
    api = await startApiServer();
    s = await launchFirefox();
  });
  afterAll(async () => {
    await s?.close();
    await page?.close();
    await api?.close();
  });

  it('captures an allowed and a blocked fetch with their headers, and Firefox logs the block', async () => {
    const tab = await s.browser.newPage();
    const logged = collectFirefoxVerdicts(tab);
    await tab.goto(page.origin + '/');
    const allowedUrl = `${api.origin}/allowed?acao=${encodeURIComponent(page.origin)}`;
    const blockedUrl = `${api.origin}/blocked?hdr=X-Secret:42`;
    const results = await tab.evaluate(
      async (a, b) => {
        const r: string[] = [];
        for (const u of [a, b]) {
          try {
            await fetch(u);
            r.push('ok');
          } catch (e) {
            r.push(String(e));
          }
        }
        return r;
      },
      allowedUrl,
      blockedUrl,
    );
    expect(results[0]).toBe('ok');
    expect(results[1]).toMatch(/TypeError/);
    const reason = await poll(async () => logged.find((v) => v.url === blockedUrl), 'Firefox to log the CORS block');
    expect(reason.reason).toMatch(/Access-Control-Allow-Origin.*missing/);

    const tabId = await s.tabIdOf(page.origin + '/');
    const snap = await poll(async () => {
      const l = await s.ask<TabSnapshot>('getTabLog', { tabId });
      return l.entries.length >= 2 ? l : null;
    }, 'the worker to log both requests');
    const allowed = snap.entries.find((e) => e.request.url === allowedUrl)!;
    const blocked = snap.entries.find((e) => e.request.url === blockedUrl)!;
    expect(allowed, 'allowed request captured').toBeTruthy();
    expect(blocked, 'blocked request captured').toBeTruthy();
    // Firefox reports a response-side CORS block as a normal completion: the verdict must come from headers.
    expect(blocked.request.outcome.kind).toBe('completed');
    const main = blocked.request.exchanges.find((x) => x.kind === 'main')!;
    expect(main.requestHeaders?.find((h) => h.name.toLowerCase() === 'origin')?.value).toBe(page.origin);
    expect(main.response?.headers.find((h) => h.name.toLowerCase() === 'x-secret')?.value).toBe('42');
    expect(allowed.request.initiator).toBe(page.origin);

    const status = await s.ask<{ errors: string[]; browser: string }>('getStatus', {});
    expect(status.browser).toBe('firefox');
    expect(status.errors).toEqual([]);
  });
});
