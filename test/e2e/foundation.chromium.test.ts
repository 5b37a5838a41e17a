// Foundation, Chromium: the built extension loads, its worker sees an allowed and a CORS-blocked fetch
// (with the blocked request's Origin and response headers), Chromium's own verdict is recorded over CDP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import { launchChromium, poll, recordChromiumVerdicts, type ChromiumSession } from './harness/chromium';
import type { TabSnapshot } from '../../extension/protocol/messages';

describe('foundation in Chromium', () => {
  let page: TestServer, api: TestServer, s: ChromiumSession;
  beforeAll(async () => {
    page = await startPageServer();
    api = await startApiServer();
    s = await launchChromium();
  });
  afterAll(async () => {
    await s?.close();
    await page?.close();
    await api?.close();
  });

  it('captures an allowed and a blocked fetch with their headers, and Chromium agrees it blocked one', async () => {
    const tab = await s.ctx.newPage();
    const cdp = await recordChromiumVerdicts(s.ctx, tab);
    await tab.goto(page.origin + '/');
    const allowedUrl = `${api.origin}/allowed?acao=${encodeURIComponent(page.origin)}`;
    const blockedUrl = `${api.origin}/blocked?hdr=X-Secret:42`;
    const results = await tab.evaluate(
      async ([a, b]) => {
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
      [allowedUrl, blockedUrl] as const,
    );
    expect(results[0]).toBe('ok');
    expect(results[1]).toMatch(/TypeError/);

    // Chromium's own verdict, the oracle later tests compare the engine with.
    const blockedByChromium = await poll(
      async () => cdp.verdicts.find((v) => v.url === blockedUrl),
      'CDP loadingFailed',
    );
    expect(blockedByChromium.corsError).toBe('MissingAllowOriginHeader');
    expect(cdp.verdicts.find((v) => v.url === allowedUrl)?.corsError ?? null).toBeNull();

    const tabId = await s.tabIdOf(page.origin + '/');
    const snap = await poll(async () => {
      const l = await s.ask<TabSnapshot>('getTabLog', { tabId });
      return l.entries.length >= 2 ? l : null;
    }, 'the worker to log both requests');
    const byUrl = (u: string) => snap.entries.find((e) => e.request.url === u);
    const allowed = byUrl(allowedUrl)!;
    const blocked = byUrl(blockedUrl)!;
    expect(allowed, 'allowed request captured').toBeTruthy();
    expect(blocked, 'blocked request captured').toBeTruthy();
    expect(allowed.request.outcome).toEqual({ kind: 'completed', status: 200 });
    expect(blocked.request.outcome).toEqual({ kind: 'error', error: 'net::ERR_FAILED' });
    const main = blocked.request.exchanges.find((x) => x.kind === 'main')!;
    const origin = main.requestHeaders?.find((h) => h.name.toLowerCase() === 'origin');
    expect(origin?.value).toBe(page.origin);
    // The response the browser blocked is visible thanks to 'extraHeaders'.
    expect(main.response?.status).toBe(200);
    expect(main.response?.headers.find((h) => h.name.toLowerCase() === 'x-secret')?.value).toBe('42');
    expect(allowed.request.initiator).toBe(page.origin);
    await cdp.stop();

    const status = await s.ask<{ errors: string[] }>('getStatus', {});
    expect(status.errors).toEqual([]);
  });
});
