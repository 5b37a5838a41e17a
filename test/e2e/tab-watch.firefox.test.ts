// The watch scope "Tabs I inspect", in Firefox ESR: a tab nobody opened CORS Lens in gives the worker events
// it drops on arrival; opening the panel on the tab watches it from then on, says what was missed and offers the
// reload, which captures the page from its start. The panel page is opened as a tab (headless Firefox cannot show a
// DevTools panel), with the tab id DevTools would give it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import { launchFirefox, navigateBiDi, type FirefoxSession } from './harness/firefox';
import { poll } from './harness/chromium';
import { expectDroppedOnArrival } from './harness/site-access';
import { fetchStatus } from './harness/page-fetch';
import type { WorkerStatus } from '../../extension/protocol/messages';

describe('watch scope "Tabs I inspect" in Firefox', () => {
  let page: TestServer, api: TestServer, s: FirefoxSession;
  const status = () => s.ask<WorkerStatus>('getStatus', {});
  const fetchFrom = (tab: Page, path: string) =>
    fetchStatus(tab, `${api.origin}${path}?acao=${encodeURIComponent(page.origin)}`);
  beforeAll(async () => {
    page = await startPageServer();
    api = await startApiServer();
    s = await launchFirefox();
    await s.ask('setWatchScope', { openedTabsOnly: true });
  }, 180_000);
  afterAll(async () => {
    await s?.close();
    await Promise.all([page?.close(), api?.close()]);
  });

  it('drops a tab nobody opened CORS Lens in; the panel watches it from then on, and the reload captures the page', async () => {
    const tab = await s.browser.newPage();
    await tab.goto(`${page.origin}/?opened`);
    const tabId = await s.tabIdOf(`${page.origin}/?opened`);
    expect((await status()).openedTabsOnly).toBe(true);
    const dropped = await expectDroppedOnArrival(status, async () =>
      expect(await fetchFrom(tab, '/before-open')).toBe(200),
    );
    expect(dropped.tabs.find((t) => t.tabId === tabId)).toBeUndefined();

    const panel = await s.browser.newPage();
    await navigateBiDi(
      s.browser,
      panel,
      `${s.base}/extension/panel/index.html?tabId=${tabId}&url=${encodeURIComponent(`${page.origin}/?opened`)}`,
    );
    await poll(async () => panel.$('[data-testid=tab-watch-notice]'), 'the notice that earlier requests were missed');
    const text = () => panel.evaluate(() => document.body.innerText);
    expect(await text()).toMatch(/Watching this tab since .*requests the page made before are not captured/);
    expect(await panel.$eval('[data-testid=watch-mode]', (el) => (el as HTMLSelectElement).value)).toBe('opened');

    expect(await fetchFrom(tab, '/after-open')).toBe(200);
    await poll(async () => (await text()).includes('/after-open'), 'the request made after opening, listed');
    expect(await text()).not.toContain('/before-open');

    await panel.click('[data-testid=tab-watch-reload]');
    await poll(async () => !(await panel.$('[data-testid=tab-watch-notice]')), 'the notice to go once the page loaded');
    await poll(async () => (await tab.evaluate(() => document.readyState)) === 'complete', 'the reload');
    expect(await fetchFrom(tab, '/after-reload')).toBe(200);
    await poll(async () => (await text()).includes('/after-reload'), 'the request after the reload, listed');

    // Another tab, never opened in CORS Lens: dropped on arrival.
    const other = await s.browser.newPage();
    await other.goto(`${page.origin}/?other`);
    const st = await expectDroppedOnArrival(status, async () => expect(await fetchFrom(other, '/other-tab')).toBe(200));
    expect(st.errors).toEqual([]);
  }, 240_000);
});
