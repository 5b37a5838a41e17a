// Opens the real Chrome DevTools with CORS Lens's "CORS" panel for a page (puppeteer-core: Playwright hides
// DevTools windows). Works headless; the DevTools front-end takes 3–20 s to appear on 2 cores, so we poll.
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { CHROMIUM, DIST_CHROME, poll } from './chromium';

export interface DevtoolsSession {
  browser: Browser;
  extensionId: string;
  close(): Promise<void>;
}

export async function launchChromiumWithDevtools(extensionDir = DIST_CHROME): Promise<DevtoolsSession> {
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    enableExtensions: [extensionDir],
    handleDevToolsAsPage: true,
    protocolTimeout: 120_000,
    args: ['--auto-open-devtools-for-tabs', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--window-size=1400,900'],
  });
  const sw = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), { timeout: 30_000 });
  const extensionId = new URL(sw.url()).host;
  return { browser, extensionId, close: () => browser.close().catch(() => {}) };
}

/** The DevTools front-end page attached to the tab showing `pageUrl`. */
export async function devtoolsPageFor(browser: Browser, pageUrl: string): Promise<Page> {
  return poll(async () => {
    for (const t of browser.targets()) {
      if (!t.url().startsWith('devtools://')) continue;
      const p = await t.asPage();
      // The inspected page's URL is not in the devtools URL: ask the front-end which target it inspects.
      const inspected = await p.evaluate(`(async () => {
        try {
          const SDK = await import('./core/sdk/sdk.js');
          const t = SDK.TargetManager.TargetManager.instance().primaryPageTarget();
          return t ? t.inspectedURL() : '';
        } catch (e) { return ''; }
      })()`).catch(() => '');
      if (typeof inspected === 'string' && inspected.startsWith(pageUrl)) return p;
    }
    return null;
  }, `DevTools for ${pageUrl}`, 90_000);
}

/** Shows the CORS panel and returns its frame (an out-of-process iframe inside DevTools). */
export async function openCorsPanel(devtools: Page, extensionId: string): Promise<Frame> {
  await poll(async () => devtools.evaluate(`(async () => {
    const UI = await import('./ui/legacy/legacy.js');
    const view = UI.InspectorView.InspectorView.instance();
    const id = 'chrome-extension://${extensionId}CORS';
    if (!view.hasPanel(id)) return false;
    await view.showPanel(id);
    return true;
  })()`).catch(() => false), 'the CORS panel to be registered in DevTools', 90_000);
  return poll(async () => devtools.frames().find((f) => f.url().startsWith(`chrome-extension://${extensionId}/extension/panel/`)) ?? null,
    'the CORS panel frame', 60_000);
}
