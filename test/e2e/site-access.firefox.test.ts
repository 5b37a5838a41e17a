// Site access in Firefox ESR: the watch setting "Sites I choose" withdraws CORS Lens's host permissions (Firefox lets
// the user take back a Manifest V3 add-on's host permissions; the panel does it through permissions.remove). A request
// on a site not chosen then reaches the worker as no event at all; the panel says it has no access, and one click on
// "Allow on …" (permission prompts accepted by the test profile's pref) and a reload bring capture back. A call from
// an allowed page to a site without access is named in the panel, with its own Allow button.
// The panel page is opened as a tab (headless Firefox cannot show a DevTools panel), with the page's URL as DevTools
// would give it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import { launchFirefox, navigateBiDi, type FirefoxSession } from './harness/firefox';
import { poll } from './harness/chromium';
import { FIREFOX_ACCEPT_PERMISSION_REQUESTS, webEventsSince, type WorkerEvents } from './harness/site-access';

describe('site access in Firefox', () => {
  let apiLocal: TestServer;
  let page: TestServer, api: TestServer, s: FirefoxSession, tab: Page, panel: Page, tabId: number;
  const status = () => s.ask<WorkerEvents>('getStatus', {});
  const text = () => panel.evaluate(() => document.body.innerText);
  const fetchApi = (path: string) =>
    tab.evaluate(
      (u) =>
        fetch(u).then(
          (r) => r.status,
          (e) => String(e),
        ),
      `${api.origin}${path}?acao=${encodeURIComponent(page.origin)}`,
    );
  beforeAll(async () => {
    page = await startPageServer();
    api = await startApiServer();
    apiLocal = await startApiServer('localhost');
    s = await launchFirefox({ prefs: FIREFOX_ACCEPT_PERMISSION_REQUESTS });
    tab = await s.browser.newPage();
    await tab.goto(page.origin + '/');
    tabId = await s.tabIdOf(page.origin + '/');
    panel = await s.browser.newPage();
    await navigateBiDi(
      s.browser,
      panel,
      `${s.base}/extension/panel/index.html?tabId=${tabId}&url=${encodeURIComponent(page.origin + '/')}`,
    );
  }, 180_000);
  afterAll(async () => {
    await s?.close();
    await Promise.all([page?.close(), api?.close(), apiLocal?.close()]);
  });

  it('"Sites I choose": the site not chosen gives the worker no event, and the panel says it has no access', async () => {
    const mode = await poll(async () => panel.$('[data-testid=watch-mode]'), 'the watch setting');
    expect(await mode.evaluate((el) => (el as HTMLSelectElement).value)).toBe('all');
    await panel.select('[data-testid=watch-mode]', 'chosen');
    await poll(async () => panel.$('[data-testid=no-site-access]'), 'the no-access notice');
    expect(await mode.evaluate((el) => (el as HTMLSelectElement).value)).toBe('chosen');
    const notice = await text();
    expect(notice).toContain('CORS Lens has no access to http://127.0.0.1');
    expect(notice).toMatch(/requests made before access was granted are not captured/i);

    // The popup says the same (opened as a tab, given the page's URL as the toolbar button's tab would be).
    const popup = await s.browser.newPage();
    await navigateBiDi(
      s.browser,
      popup,
      `${s.base}/extension/popup/index.html?tabId=${tabId}&url=${encodeURIComponent(page.origin + '/')}`,
    );
    await poll(async () => popup.$('[data-testid=no-site-access]'), "the popup's no-access notice");
    expect(await popup.evaluate(() => document.body.innerText)).toContain('Allow on http://127.0.0.1');
    await popup.close();

    const before = (await status()).events;
    expect(await fetchApi('/unwatched')).toBe(200);
    // The worker has nothing to wait for: give a stray event time to arrive before counting.
    await new Promise((r) => setTimeout(r, 1500));
    expect(webEventsSince(await status(), before)).toEqual([]);
  }, 120_000);

  it('one click on Allow and a reload bring capture back', async () => {
    await panel.click('[data-testid=grant-site]');
    await poll(async () => panel.$('[data-testid=site-access-granted]'), 'the panel to see the grant');
    expect(await text()).toMatch(/Reload the page to capture them all/);
    // The setting stays "Sites I choose": one site is allowed, not all.
    expect(await panel.$eval('[data-testid=watch-mode]', (el) => (el as HTMLSelectElement).value)).toBe('chosen');
    await panel.click('[data-testid=reload-page]');
    await poll(
      async () => (await tab.evaluate(() => document.readyState).catch(() => '')) === 'complete',
      'the reload',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(await fetchApi('/after-grant')).toBe(200);
    const st = await poll(async () => {
      const x = await status();
      return x.tabs.some((t) => t.tabId === tabId && t.entries > 0) ? x : null;
    }, 'the cross-origin request captured');
    expect(st.errors).toEqual([]);
    await poll(async () => (await text()).includes('/after-grant'), 'the request listed in the panel');
    expect(await text()).not.toContain('/unwatched');
  }, 120_000);

  it('a call from an allowed page to a site without access: the panel names the site, Allow brings its calls in', async () => {
    // 127.0.0.1 is allowed (above); the API on localhost is not, and Firefox reports a request only where the
    // extension may access its URL. The page observer still sees the call.
    const P = encodeURIComponent(page.origin);
    const call = (path: string) =>
      tab.evaluate(
        (u) =>
          fetch(u).then(
            (r) => r.status,
            (e) => String(e),
          ),
        `${apiLocal.origin}${path}?acao=${P}`,
      );
    expect(await call('/cross-unseen')).toBe(200);
    await poll(async () => panel.$('[data-testid=unseen-sites]'), 'the panel to name the site without access');
    expect(await panel.$eval('[data-testid=unseen-sites]', (el) => (el as HTMLElement).innerText)).toContain(
      'Allow on http://localhost',
    );
    expect((await status()).recentEvents.join('\n')).not.toContain('/cross-unseen');

    await panel.click('[data-testid=grant-unseen]');
    await poll(async () => !(await panel.$('[data-testid=unseen-sites]')), 'the notice to go once the site is allowed');
    expect(await call('/cross-seen')).toBe(200);
    await poll(
      async () => (await status()).recentEvents.some((e) => e.includes('/cross-seen')),
      'the call reported to the worker',
    );
    await poll(async () => (await text()).includes('/cross-seen'), 'the call listed in the panel');
  }, 120_000);
});
