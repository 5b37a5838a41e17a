// Site access in Chromium, driven through Chrome's own "Site access" controls (test/e2e/harness/site-access.ts):
// where CORS Lens may not access a site the real DevTools panel says so instead of an empty log, one click on
// "Allow on …" (approved as Chrome's prompt would be) and a reload bring capture back; and with "On specific sites"
// a request on a site left out reaches the worker as no event at all, while one on an allowed site does. The popup
// shows the same notice. A call from an allowed page to a site not allowed is still captured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import {
  askWorker,
  devtoolsPageFor,
  launchChromiumWithDevtools,
  openCorsPanel,
  setDeveloperMode,
  type DevtoolsSession,
} from './harness/devtools';
import { poll } from './harness/chromium';
import { allowSite, setHostAccess, webEventsSince, type WorkerEvents } from './harness/site-access';

describe('site access in Chromium', () => {
  let page: TestServer, api: TestServer, apiLocal: TestServer, s: DevtoolsSession, extensions: Page;
  let tab: Page, panel: Frame;
  const status = () => askWorker<WorkerEvents>(s.browser, s.extensionId, 'getStatus', {});
  const text = (f: Frame) => f.evaluate(() => document.body.innerText);
  beforeAll(async () => {
    page = await startPageServer();
    api = await startApiServer();
    apiLocal = await startApiServer('localhost');
    s = await launchChromiumWithDevtools();
    extensions = await setDeveloperMode(s.browser);
    // "On specific sites" with no site yet: the host permission of manifest.json is withheld everywhere.
    await setHostAccess(extensions, s.extensionId, 'ON_SPECIFIC_SITES');
  }, 180_000);
  afterAll(async () => {
    await s?.close();
    await Promise.all([page?.close(), api?.close(), apiLocal?.close()]);
  });

  it('without access the panel says so; Allow on the site and a reload bring capture back', async () => {
    const before = (await status()).events;
    tab = await s.browser.newPage();
    await tab.goto(page.origin + '/');
    const P = encodeURIComponent(page.origin);
    const fetchApi = (path: string) =>
      tab.evaluate(
        (u) =>
          fetch(u).then(
            (r) => r.status,
            (e) => String(e),
          ),
        `${api.origin}${path}?acao=${P}`,
      );
    expect(await fetchApi('/before-grant')).toBe(200);
    const devtools = await devtoolsPageFor(s.browser, page.origin);
    panel = await openCorsPanel(devtools, s.extensionId);
    await poll(async () => panel.$('[data-testid=no-site-access]'), 'the no-access notice', 60_000);
    const notice = await text(panel);
    expect(notice).toContain('CORS Lens has no access to http://127.0.0.1');
    expect(notice).toMatch(/requests made before access was granted are not captured/i);
    expect(notice).not.toMatch(/No cross-origin requests captured yet/);
    // The watch setting reads Chrome's own: "On specific sites" is "Sites I choose".
    expect(await panel.$eval('[data-testid=watch-mode]', (el) => (el as HTMLSelectElement).value)).toBe('chosen');
    // The popup says the same (opened as a tab, given the page's URL as the toolbar button's tab would be).
    const tabId = await panel.evaluate(() => (globalThis as any).chrome.devtools.inspectedWindow.tabId as number);
    const popup = await s.browser.newPage();
    await popup.goto(
      `chrome-extension://${s.extensionId}/extension/popup/index.html?tabId=${tabId}&url=${encodeURIComponent(page.origin + '/')}`,
    );
    await poll(async () => popup.$('[data-testid=no-site-access]'), "the popup's no-access notice");
    expect(await popup.evaluate(() => document.body.innerText)).toContain('Allow on http://127.0.0.1');
    await popup.close();
    // Nothing of this page reached the worker: the only events since are the extension's own pages loading.
    expect(webEventsSince(await status(), before)).toEqual([]);

    // The one click: Chrome shows its prompt, which the test approves as the user would, through Chrome's site access.
    await panel.click('[data-testid=grant-site]');
    await allowSite(extensions, s.extensionId, 'http://127.0.0.1/*');
    await poll(async () => panel.$('[data-testid=site-access-granted]'), 'the panel to see the grant', 30_000);
    expect(await text(panel)).toMatch(/Reload the page to capture them all/);

    await panel.click('[data-testid=reload-page]');
    await poll(
      async () =>
        (await tab.evaluate(() => document.readyState)) === 'complete' &&
        (await tab.evaluate(() => performance.getEntriesByType('navigation').length)) > 0,
      'the reload',
    );
    expect(await fetchApi('/after-grant')).toBe(200);
    const st = await poll(async () => {
      const x = await status();
      return x.tabs.some((t) => t.entries > 0) ? x : null;
    }, 'the cross-origin request captured');
    expect(st.errors).toEqual([]);
    expect(st.recentEvents.join('\n')).toContain('/after-grant');
    expect(st.recentEvents.join('\n')).not.toContain('/before-grant');
    await poll(async () => (await text(panel)).includes('/after-grant'), 'the request listed in the panel');
    expect(await panel.$('[data-testid=no-site-access]')).toBeNull();
  }, 240_000);

  it('on specific sites: a request on a site left out produces no event in the worker, one on an allowed site does', async () => {
    // 127.0.0.1 is allowed (above); localhost is not.
    const localPage = `${page.origin.replace('127.0.0.1', 'localhost')}/`;
    const other = await s.browser.newPage();
    await other.goto(localPage);
    await new Promise((r) => setTimeout(r, 500));
    const before = (await status()).events;
    const L = encodeURIComponent(new URL(localPage).origin);
    expect(
      await other.evaluate(
        (u) =>
          fetch(u).then(
            (r) => r.status,
            (e) => String(e),
          ),
        `${apiLocal.origin}/unwatched?acao=${L}`,
      ),
    ).toBe(200);
    // The control: the same kind of request from the allowed site does reach the worker.
    const P = encodeURIComponent(page.origin);
    expect(
      await tab.evaluate(
        (u) =>
          fetch(u).then(
            (r) => r.status,
            (e) => String(e),
          ),
        `${api.origin}/watched?acao=${P}`,
      ),
    ).toBe(200);
    const st = await poll(async () => {
      const x = await status();
      return x.recentEvents.some((e) => e.includes('/watched')) ? x : null;
    }, "the allowed site's request in the worker");
    expect(st.recentEvents.join('\n')).not.toContain('/unwatched');
    // Every web event since is the watched request's (send-headers, headers-received, completed): none from localhost.
    const since = webEventsSince(st, before);
    expect(since.length).toBeGreaterThan(0);
    for (const e of since) expect(e).toContain('/watched');
  }, 120_000);

  it("a call from an allowed page to a site not allowed is captured: Chromium asks for access to the page's site", async () => {
    // 127.0.0.1 is allowed; localhost (the API) is not. Chromium still reports the call: with the manifest's host
    // permission withheld by site access, what decides is access to the page that made the request.
    const P = encodeURIComponent(page.origin);
    expect(
      await tab.evaluate(
        (u) =>
          fetch(u).then(
            (r) => r.status,
            (e) => String(e),
          ),
        `${apiLocal.origin}/cross-site?acao=${P}`,
      ),
    ).toBe(200);
    await poll(
      async () => (await status()).recentEvents.some((e) => e.includes('/cross-site')),
      'the call reported to the worker',
    );
    await poll(async () => (await text(panel)).includes('/cross-site'), 'the call listed in the panel');
    expect(await panel.$('[data-testid=unseen-sites]')).toBeNull();
  }, 120_000);
});
