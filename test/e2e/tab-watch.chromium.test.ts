// The watch scope "Tabs I inspect" in Chromium. Without DevTools: a tab nobody opened CORS Lens on gives the worker
// events it drops on arrival (nothing handled, nothing kept); opening the popup on it watches it from then on, says
// what was missed and offers the reload, which captures the page from its start; another tab stays dropped; back to
// "All sites" every tab is kept again. With DevTools (the real DevTools, opened with the tab): the tab is watched as
// DevTools opens, before the CORS panel is ever shown, so the panel later lists the requests made in between.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import { launchChromium, poll, type ChromiumSession } from './harness/chromium';
import {
  askWorker,
  devtoolsPageFor,
  launchChromiumWithDevtools,
  openCorsPanel,
  type DevtoolsSession,
} from './harness/devtools';
import { expectDroppedOnArrival } from './harness/site-access';
import { fetchStatus } from './harness/page-fetch';
import type { WorkerStatus } from '../../extension/protocol/messages';

let page: TestServer, api: TestServer;
beforeAll(async () => {
  page = await startPageServer();
  api = await startApiServer();
});
afterAll(async () => {
  await Promise.all([page?.close(), api?.close()]);
});
const fetchFrom = (tab: Page | PuppeteerPage, path: string) =>
  fetchStatus(tab as Page, `${api.origin}${path}?acao=${encodeURIComponent(page.origin)}`);

describe('watch scope "Tabs I inspect" in Chromium, without DevTools', () => {
  let s: ChromiumSession;
  const status = () => s.ask<WorkerStatus>('getStatus', {});
  beforeAll(async () => {
    s = await launchChromium();
    // The saved choice, as an earlier session left it.
    await s.ask('setWatchScope', { openedTabsOnly: true });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it('drops a tab nobody opened CORS Lens on; the popup watches it from then on, and its reload captures the page', async () => {
    const url = `${page.origin}/?opened`;
    const tab = await s.ctx.newPage();
    await tab.goto(url);
    const tabId = await s.tabIdOf(url);
    expect((await status()).openedTabsOnly).toBe(true);
    const dropped = await expectDroppedOnArrival(status, async () =>
      expect(await fetchFrom(tab, '/before-open')).toBe(200),
    );
    expect(dropped.tabs.find((t) => t.tabId === tabId)).toBeUndefined();

    const popup = await s.ctx.newPage();
    await popup.goto(
      `chrome-extension://${s.extensionId}/extension/popup/index.html?tabId=${tabId}&url=${encodeURIComponent(url)}`,
    );
    const notice = await poll(async () => popup.$('[data-testid=tab-watch-notice]'), 'the notice of what was missed');
    expect(await notice.textContent()).toMatch(
      /Watching this tab since .*requests the page made before are not captured/,
    );
    expect(await popup.$eval('[data-testid=watch-mode]', (el) => (el as HTMLSelectElement).value)).toBe('opened');

    expect(await fetchFrom(tab, '/after-open')).toBe(200);
    const log = await poll(async () => {
      const l = await s.ask<{ entries: { request: { url: string } }[] }>('getTabLog', { tabId });
      return l.entries.length ? l : null;
    }, 'the request made after opening, kept');
    expect(log.entries.map((e) => new URL(e.request.url).pathname)).toEqual(['/after-open']);

    await popup.click('[data-testid=tab-watch-reload]');
    await poll(async () => !(await popup.$('[data-testid=tab-watch-notice]')), 'the notice to go once the page loaded');

    // Another tab, never opened in CORS Lens: dropped on arrival.
    const other = await s.ctx.newPage();
    await other.goto(`${page.origin}/?other`);
    await expectDroppedOnArrival(status, async () => expect(await fetchFrom(other, '/other-tab')).toBe(200));

    // Back to "All sites" in the popup: every tab is kept again.
    await popup.selectOption('[data-testid=watch-mode]', 'all');
    await poll(async () => ((await status()).openedTabsOnly === false ? true : null), 'the scope to be off');
    expect(await fetchFrom(other, '/other-tab-kept')).toBe(200);
    await poll(
      async () => ((await status()).recentEvents.join('\n').includes('/other-tab-kept') ? true : null),
      "the other tab's request handled",
    );
    expect((await status()).errors).toEqual([]);
  }, 180_000);
});

describe('watch scope "Tabs I inspect" in Chromium, with DevTools', () => {
  let s: DevtoolsSession;
  beforeAll(async () => {
    s = await launchChromiumWithDevtools();
    await askWorker(s.browser, s.extensionId, 'setWatchScope', { openedTabsOnly: true });
  }, 180_000);
  afterAll(async () => {
    await s?.close();
  });

  it('DevTools opened on the tab watches it: the CORS panel, shown later, lists what came in between', async () => {
    const url = `${page.origin}/?inspected`;
    const tab = await s.browser.newPage(); // DevTools opens with the tab (--auto-open-devtools-for-tabs)
    await tab.goto(url);
    const devtools = await devtoolsPageFor(s.browser, url);
    expect(devtools).toBeTruthy();
    // The CORS panel has not been shown yet: only DevTools is open, on its first panel.
    expect(await fetchFrom(tab, '/while-devtools-open')).toBe(200);
    await poll(async () => {
      const st = await askWorker<WorkerStatus>(s.browser, s.extensionId, 'getStatus', {});
      return st.recentEvents.join('\n').includes('/while-devtools-open') ? st : null;
    }, 'the request handled, not dropped');
    const panel = await openCorsPanel(devtools, s.extensionId);
    const panelText = () => panel.evaluate(() => document.body.innerText);
    await poll(async () => (await panelText()).includes('/while-devtools-open'), 'the request listed in the panel');
    // Reloaded: the page now loaded while the tab was watched, so nothing of it is missing and no notice shows.
    await tab.reload();
    expect(await fetchFrom(tab, '/after-reload')).toBe(200);
    await poll(async () => (await panelText()).includes('/after-reload'), 'the request after the reload listed');
    await poll(async () => !(await panel.$('[data-testid=tab-watch-notice]')), 'no notice once the page loaded');
    expect(await panel.$eval('[data-testid=watch-mode]', (el) => (el as HTMLSelectElement).value)).toBe('opened');
    const st = await askWorker<WorkerStatus>(s.browser, s.extensionId, 'getStatus', {});
    expect(st.errors).toEqual([]);
  }, 180_000);
});
