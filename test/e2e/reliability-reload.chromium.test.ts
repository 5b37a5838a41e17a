// The extension reloaded (chrome://extensions' Reload button) while DevTools shows the CORS panel, in real
// Chromium. What Chromium does, measured on 156: it closes every open DevTools window together with the panel
// (so the old panel never gets to say anything), starts a new worker with storage.session emptied (the
// documented behaviour of storage.session on reload), and a DevTools opened again shows a live CORS panel.
// This test pins that down: the old DevTools goes away, the reopened panel is live, lists the tab's requests
// exactly as the new worker holds them and says that earlier requests are missing (reload the page), and the new
// worker has no error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import {
  askWorker,
  devtoolsPageFor,
  extensionState,
  launchChromiumWithDevtools,
  openCorsPanel,
  openDevtools,
  reloadExtension,
  setDeveloperMode,
  type DevtoolsSession,
} from './harness/devtools';
import { poll } from './harness/chromium';

interface Status {
  startedAt: number;
  errors: string[];
  restoredFromStorage: { tabs: number; entries: number } | null;
}
interface TabLog {
  entries: { request: { url: string } }[];
}

const rows = (panel: Frame) =>
  panel.evaluate(() => [...document.querySelectorAll('[role=option]')].map((r) => r.textContent ?? ''));

describe('extension reloaded while DevTools is open, in Chromium', () => {
  let page: TestServer, api: TestServer, s: DevtoolsSession, extensions: Page;
  beforeAll(async () => {
    page = await startPageServer();
    api = await startApiServer();
    s = await launchChromiumWithDevtools();
    extensions = await setDeveloperMode(s.browser);
  });
  afterAll(async () => {
    await s?.close();
    await Promise.all([page?.close(), api?.close()]);
  });

  it(
    'DevTools closes with the old panel; reopened, the CORS panel is live and shows what the new worker holds',
    { timeout: 300_000 },
    async () => {
      const tab = await s.browser.newPage();
      await tab.goto(`${page.origin}/?reload`);
      await tab.evaluate(
        (u) =>
          fetch(u)
            .then((r) => r.text())
            .catch(() => ''),
        `${api.origin}/before-reload?acao=*`,
      );
      const devtools = await devtoolsPageFor(s.browser, page.origin);
      const panel = await openCorsPanel(devtools, s.extensionId);
      await poll(
        async () => (await rows(panel)).some((r) => r.includes('/before-reload')),
        'the first request in the panel',
        60_000,
      );
      const before = await askWorker<Status>(s.browser, s.extensionId, 'getStatus', {});
      const bannerBefore = await panel.evaluate(
        () => document.querySelector('[data-testid=started-late]')?.textContent ?? null,
      );

      await reloadExtension(extensions, s.extensionId);
      // Chromium closes the DevTools window, and the panel in it, when the extension unloads.
      await poll(
        async () => devtools.isClosed() || !s.browser.targets().some((t) => t.url() === devtools.url()),
        'the old DevTools to close',
        30_000,
      );
      expect(panel.detached).toBe(true);
      // The extension is back (developer mode on), with a new worker.
      await poll(
        async () => (await extensionState(extensions, s.extensionId))?.state === 'ENABLED',
        'the extension enabled again',
        30_000,
      );
      const after = await poll(
        async () => {
          const st = await askWorker<Status>(s.browser, s.extensionId, 'getStatus', {});
          return st.startedAt > before.startedAt ? st : null;
        },
        'a new worker',
        60_000,
      );
      expect(after.errors).toEqual([]);

      await tab.evaluate(
        (u) =>
          fetch(u)
            .then((r) => r.text())
            .catch(() => ''),
        `${api.origin}/after-reload?acao=*`,
      );
      // The user opens DevTools again.
      await openDevtools(s.browser, tab);
      const devtools2 = await devtoolsPageFor(s.browser, page.origin);
      const panel2 = await openCorsPanel(devtools2, s.extensionId);
      await poll(
        async () => (await rows(panel2)).some((r) => r.includes('/after-reload')),
        'the request made after the reload in the new panel',
        60_000,
      );
      const conn = await panel2.evaluate(() => document.querySelector('.conn')?.className ?? '');
      expect(conn).toContain('live');
      // It says why the requests from before the reload are missing, and what to do.
      const late = await panel2.evaluate(
        () => document.querySelector('[data-testid=started-late]')?.textContent ?? null,
      );
      expect(late).toMatch(/started after this page was loaded.*Reload the page/);
      // The first panel, over a page loaded after the extension, said nothing of the kind (checked before the reload).
      expect(bannerBefore).toBeNull();
      // The panel mirrors the new worker's log exactly.
      const tabId = await panel2.evaluate(
        () =>
          (globalThis as any).chrome.devtools?.inspectedWindow?.tabId ??
          Number(new URL(location.href).searchParams.get('tabId')),
      );
      const log = await askWorker<TabLog>(s.browser, s.extensionId, 'getTabLog', { tabId });
      const shown = await rows(panel2);
      expect(shown.length).toBe(log.entries.length);
      const final = await askWorker<Status>(s.browser, s.extensionId, 'getStatus', {});
      expect(final.errors).toEqual([]);
      console.log(
        `reload: old DevTools closed; new worker restored ${JSON.stringify(after.restoredFromStorage)} from storage.session; ` +
          `reopened panel lists ${shown.length} request(s): ${log.entries.map((e) => new URL(e.request.url).pathname).join(', ')}`,
      );
    },
  );
});
