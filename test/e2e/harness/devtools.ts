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
    args: [
      '--auto-open-devtools-for-tabs',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--window-size=1400,900',
    ],
  });
  const isWorker = (t: { type(): string; url(): string }) =>
    t.type() === 'service_worker' && t.url().startsWith('chrome-extension://');
  let sw = await browser.waitForTarget(isWorker, { timeout: 30_000 });
  const extensionId = new URL(sw.url()).host;
  // The first worker of a fresh profile is replaced ~250 ms later, and events in between are lost (see
  // launchChromium in chromium.ts): wait until the same worker target has lived for 750 ms.
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 750));
    const now = browser.targets().find(isWorker);
    if (now === sw) break;
    if (now) sw = now;
  }
  return { browser, extensionId, close: () => browser.close().catch(() => {}) };
}

/** The DevTools front-end page attached to the tab showing `pageUrl`. */
export async function devtoolsPageFor(browser: Browser, pageUrl: string): Promise<Page> {
  return poll(
    async () => {
      for (const t of browser.targets()) {
        if (!t.url().startsWith('devtools://')) continue;
        const p = await t.asPage();
        // The inspected page's URL is not in the devtools URL: ask the front-end which target it inspects.
        const inspected = await p
          .evaluate(
            `(async () => {
        try {
          const SDK = await import('./core/sdk/sdk.js');
          const t = SDK.TargetManager.TargetManager.instance().primaryPageTarget();
          return t ? t.inspectedURL() : '';
        } catch (e) { return ''; }
      })()`,
          )
          .catch(() => '');
        if (typeof inspected === 'string' && inspected.startsWith(pageUrl)) return p;
      }
      return null;
    },
    `DevTools for ${pageUrl}`,
    90_000,
  );
}

/** Shows the CORS panel and returns its frame (an out-of-process iframe inside DevTools). */
export async function openCorsPanel(devtools: Page, extensionId: string): Promise<Frame> {
  await poll(
    async () =>
      devtools
        .evaluate(
          `(async () => {
    const UI = await import('./ui/legacy/legacy.js');
    const view = UI.InspectorView.InspectorView.instance();
    const id = 'chrome-extension://${extensionId}CORS';
    if (!view.hasPanel(id)) return false;
    await view.showPanel(id);
    return true;
  })()`,
        )
        .catch(() => false),
    'the CORS panel to be registered in DevTools',
    90_000,
  );
  return poll(
    async () =>
      devtools.frames().find((f) => f.url().startsWith(`chrome-extension://${extensionId}/extension/panel/`)) ?? null,
    'the CORS panel frame',
    60_000,
  );
}

/**
 * Turns chrome://extensions "Developer mode" on or off (chrome.developerPrivate, which that page may call). With it
 * off, Chromium disables an unpacked extension when it is reloaded (developerPrivate disableReasons
 * .unsupportedDeveloperExtension, measured on Chromium 156); a developer reloading CORS Lens has it on.
 */
export async function setDeveloperMode(browser: Browser, on = true): Promise<Page> {
  const page = await browser.newPage();
  await page.goto('chrome://extensions/');
  await page.evaluate(
    (v) =>
      new Promise((r) =>
        (globalThis as any).chrome.developerPrivate.updateProfileConfiguration({ inDeveloperMode: v }, r),
      ),
    on,
  );
  return page;
}

/** Reloads the extension as chrome://extensions' Reload button does (developerPrivate.reload), from that page. */
export async function reloadExtension(extensionsPage: Page, extensionId: string): Promise<void> {
  const err = await extensionsPage.evaluate(
    (id) =>
      new Promise<string>((r) => {
        const c = (globalThis as any).chrome;
        c.developerPrivate.reload(id, { failQuietly: true }, () => r(String(c.runtime.lastError?.message ?? '')));
      }),
    extensionId,
  );
  if (err) throw new Error(`reload failed: ${err}`);
}

/** The extension's state as chrome://extensions shows it ('ENABLED', 'DISABLED', …) with its disable reasons. */
export async function extensionState(
  extensionsPage: Page,
  extensionId: string,
): Promise<{ state: string; disableReasons: Record<string, boolean> } | null> {
  return extensionsPage.evaluate(
    (id) =>
      new Promise<{ state: string; disableReasons: Record<string, boolean> } | null>((r) =>
        (globalThis as any).chrome.developerPrivate.getExtensionsInfo(
          { includeDisabled: true, includeTerminated: true },
          (list: { id: string; state: string; disableReasons: Record<string, boolean> }[]) => {
            const e = list.find((x) => x.id === id);
            r(e ? { state: e.state, disableReasons: e.disableReasons } : null);
          },
        ),
      ),
    extensionId,
  );
}

/** Opens DevTools for a tab that is already open, as a user pressing F12 would (CDP Target.openDevTools). */
export async function openDevtools(browser: Browser, page: Page): Promise<void> {
  const c = await page.createCDPSession();
  const { targetInfo } = await c.send('Target.getTargetInfo');
  await c.detach();
  const b = await browser.target().createCDPSession();
  await b.send('Target.openDevTools', { targetId: targetInfo.targetId });
  await b.detach();
}

/** Sends one protocol request to the worker from an extension page, as the panel does (puppeteer flavour). */
export async function askWorker<T = unknown>(
  browser: Browser,
  extensionId: string,
  name: string,
  args: Record<string, unknown>,
): Promise<T> {
  const page = await browser.newPage();
  try {
    await page.goto(`chrome-extension://${extensionId}/extension/popup/index.html?tabId=0`);
    const res = await page.evaluate(
      (n, a) => (globalThis as any).chrome.runtime.sendMessage({ source: 'cors-lens', protocol: 1, name: n, args: a }),
      name,
      args,
    );
    if (!res?.ok) throw new Error(`worker request ${name} failed: ${res?.error ?? 'no answer'}`);
    return res.result as T;
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * Switches the DevTools theme as Settings → Preferences → Theme does (the front-end's 'ui-theme' setting, named
 * 'uiTheme' before DevTools moved to kebab-case setting names). Extensions hear of it through setThemeChangeHandler.
 */
export async function setDevtoolsTheme(devtools: Page, theme: 'light' | 'dark'): Promise<void> {
  const ok = await devtools.evaluate(`(async () => {
    const Common = await import('./core/common/common.js');
    const s = Common.Settings.Settings.instance();
    for (const n of ['ui-theme', 'uiTheme']) {
      try { const st = s.moduleSetting(n); st.set('${theme === 'dark' ? 'dark' : 'default'}'); return true; } catch {}
    }
    return false;
  })()`);
  if (!ok) throw new Error('no DevTools theme setting found');
}

/** Waits for DevTools and the panel to paint two frames: a screenshot right after a theme switch showed the old theme. */
export async function settled(devtools: Page, panel: Frame): Promise<void> {
  const frames = 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))';
  await devtools.evaluate(frames);
  await panel.evaluate(frames);
  await new Promise((r) => setTimeout(r, 300));
}
