// The real DevTools "CORS" panel in Chromium: it opens next to Network, renders, and lists the page's requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import { launchChromiumWithDevtools, devtoolsPageFor, openCorsPanel, type DevtoolsSession } from './harness/devtools';
import { poll } from './harness/chromium';

describe('DevTools panel in Chromium', () => {
  let page: TestServer, api: TestServer, s: DevtoolsSession;
  beforeAll(async () => {
    page = await startPageServer();
    api = await startApiServer();
    s = await launchChromiumWithDevtools();
  });
  afterAll(async () => {
    await s?.close();
    await page?.close();
    await api?.close();
  });

  it('opens the CORS panel in real DevTools and it renders the captured requests', async () => {
    const tab = await s.browser.newPage();
    await tab.goto(page.origin + '/');
    const devtools = await devtoolsPageFor(s.browser, page.origin);
    const panel = await openCorsPanel(devtools, s.extensionId);
    // Empty state first: nothing captured yet.
    await poll(async () => (await panel.$('.empty-state, .panel')) !== null, 'the panel to render');
    const blockedUrl = `${api.origin}/blocked`;
    await tab.evaluate((u) => fetch(u).catch(() => {}), blockedUrl);
    const rowText = await poll(async () => {
      const t = await panel.evaluate(() => document.querySelector('[role=option]')?.textContent ?? '');
      return t.includes('/blocked') ? t : null;
    }, 'the blocked request to appear in the panel');
    expect(rowText).toContain('GET');
  });
});
