// The browsers the demo drives, behind one small interface: Chromium headless (the e2e harness's
// launchChromium, playwright-core), Chromium with a visible window and DevTools open on the CORS panel
// (puppeteer-core, the harness's devtools helpers), and Firefox ESR headless or visible (puppeteer-core, BiDi).
import { spawnSync } from 'node:child_process';
import type { Frame as PpFrame, Page as PpPage, Browser as PpBrowser } from 'puppeteer-core';
import puppeteer from 'puppeteer-core';
import type { Page as PwPage } from 'playwright-core';
import { CHROMIUM, DIST_CHROME, launchChromium, poll, recordChromiumVerdicts } from '../e2e/harness/chromium';
import { devtoolsPageFor, openCorsPanel } from '../e2e/harness/devtools';
import {
  DIST_FIREFOX,
  FIREFOX,
  FIXED_UUID,
  GECKO_ID,
  collectFirefoxVerdicts,
  launchFirefox,
  navigateBiDi,
} from '../e2e/harness/firefox';
import type { BrowserName } from '../../src/engine/types';
import { parseFirefoxCorsMessage } from '../oracle/firefox-reasons';

/** What the browser itself said about one request (its own CORS error), for the cross-check column. */
export interface NativeVerdict {
  url: string;
  reason: string | null;
}

export interface Shot {
  /** Page of the extension: 'panel' or 'popup'. */
  page: 'panel' | 'popup';
  query: string;
  width: number;
  height: number;
  file: string;
  /** Text of the request row to click first (the panel's detail view then shows it). */
  select?: string;
  /** Size the viewport to the popup's content, as the browser sizes a popup (at most 800×600). */
  fitContent?: boolean;
}

export interface DemoBrowser {
  name: BrowserName;
  label: string;
  extensionBase: string;
  /** Opens the frontend; with `deferRun` the page waits for runAll() (so a visible panel can be opened first). */
  openFrontend(url: string, deferRun: boolean): Promise<void>;
  runAll(): Promise<void>;
  /** True once the page has run every call (window.demoState.done). */
  pageDone(): Promise<boolean>;
  tabIdOf(url: string): Promise<number>;
  ask<T>(name: string, args: Record<string, unknown>): Promise<T>;
  nativeVerdicts(): NativeVerdict[];
  screenshot(shot: Shot): Promise<void>;
  /** Visible mode: show the CORS panel in DevTools (Chromium) or the panel page in a tab (Firefox). */
  showPanel?(tabId: number, select?: string): Promise<void>;
  /** Resolves when the user closes the browser. */
  disconnected: Promise<void>;
  close(): Promise<void>;
}

const PROBE = `(() => { const s = globalThis.demoState; return !!(s && s.done); })()`;

function chromiumVersion(): string {
  const r = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 15_000 });
  return (r.stdout ?? '').trim().replace(/\s+built on.*$/, '') || 'Chromium';
}

/** Sends one protocol request to the worker from an extension page, as the panel does. */
const ASK = `(async ([name, args]) => {
  const api = globalThis.browser ?? globalThis.chrome;
  return api.runtime.sendMessage({ source: 'cors-lens', protocol: 1, name, args });
})`;

function unwrap<T>(name: string, res: any): T {
  if (!res?.ok) throw new Error(`worker request ${name} failed: ${res?.error ?? 'no answer'}`);
  return res.result as T;
}

/** Clicks the panel row containing `text`, then waits for the detail view. False when there is no such row. */
const SELECT_ROW = `(text) => {
  const row = [...document.querySelectorAll('[role=option]')].find((r) => (r.textContent ?? '').includes(text));
  if (!row) return false;
  row.scrollIntoView({ block: 'center' });
  row.click();
  return true;
}`;
const ROWS = `document.querySelectorAll('[role=option]').length`;
const PANEL_RENDERED = `!!document.querySelector('.panel, .empty-state, [role=listbox]')`;
const DETAIL_SHOWN = `!!document.querySelector('.detail, [aria-label="Request details"]')`;
const POPUP_READY = `!!document.querySelector('.popup') && !document.querySelector('[aria-busy=true]')`;
const POPUP_SIZE = `(() => { const p = document.querySelector('.popup') ?? document.body; const r = p.getBoundingClientRect();
  return { w: Math.ceil(r.width), h: Math.ceil(Math.max(r.height, document.documentElement.scrollHeight)) }; })()`;

/** Polls a panel or popup page until it is ready for a screenshot; a UI that changed shape only costs a warning. */
async function settle(
  evaluate: (js: string, arg?: unknown) => Promise<unknown>,
  shot: Shot,
  minRows: number,
  warn: (m: string) => void,
): Promise<void> {
  if (shot.page === 'panel') {
    await poll(async () => (await evaluate(PANEL_RENDERED)) === true, 'the panel to render', 30_000).catch(() =>
      warn('panel: did not render'),
    );
    await poll(async () => Number(await evaluate(ROWS)) >= minRows, `${minRows} rows in the panel`, 30_000).catch(() =>
      warn(`panel: fewer than ${minRows} rows shown`),
    );
    if (shot.select) {
      const clicked = await evaluate(`(${SELECT_ROW})(${JSON.stringify(shot.select)})`).catch(() => false);
      if (!clicked) warn(`panel: no row contains ${shot.select}`);
      else
        await poll(async () => (await evaluate(DETAIL_SHOWN)) === true, 'the detail view', 15_000).catch(() =>
          warn('panel: the detail view did not show'),
        );
    }
  } else {
    await poll(async () => (await evaluate(POPUP_READY)) === true, 'the popup to load', 20_000).catch(() =>
      warn('popup: still loading'),
    );
  }
  // Let fonts and the last React commit land before the picture.
  await evaluate(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`);
}

export interface LaunchOptions {
  headless: boolean;
  /** How many requests the panel must list before a screenshot. */
  minRows: number;
  warn(message: string): void;
  /** Origins Chromium must count as public (Local Network Access), e.g. http://127.0.0.1:4183. */
  publicOrigins: string[];
}

/**
 * Chromium's switch that puts an address:port in another address space (services/network/public/cpp/
 * network_switches.cc, kIpAddressSpaceOverrides): the widget's port becomes public, the API stays loopback.
 */
function addressSpaceArgs(origins: string[]): string[] {
  if (!origins.length) return [];
  return [`--ip-address-space-overrides=${origins.map((o) => `${new URL(o).host}=public`).join(',')}`];
}

// ---------------------------------------------------------------------------------------------------------------
// Chromium, headless: the e2e harness (playwright-core, the browser's real command line, CDP for its verdicts)

export async function chromiumHeadless(opts: LaunchOptions): Promise<DemoBrowser> {
  const s = await launchChromium({ args: addressSpaceArgs(opts.publicOrigins) });
  const base = `chrome-extension://${s.extensionId}`;
  let page: PwPage | null = null;
  let recorder: Awaited<ReturnType<typeof recordChromiumVerdicts>> | null = null;
  let closed!: () => void;
  const disconnected = new Promise<void>((r) => {
    closed = r;
  });
  s.ctx.on('close', () => closed());
  return {
    name: 'chromium',
    label: `${chromiumVersion()} (headless)`,
    extensionBase: base,
    async openFrontend(url, deferRun) {
      page = await s.ctx.newPage();
      recorder = await recordChromiumVerdicts(s.ctx, page);
      await page.goto(deferRun ? `${url}?autorun=0` : url);
    },
    async runAll() {
      await page!.click('#run-all');
    },
    async pageDone() {
      return (await page?.evaluate(PROBE).catch(() => false)) === true;
    },
    tabIdOf: (url) => s.tabIdOf(url),
    async ask<T>(name: string, args: Record<string, unknown>) {
      const p = await s.extensionPage();
      return unwrap<T>(name, await p.evaluate(`${ASK}(${JSON.stringify([name, args])})`));
    },
    nativeVerdicts: () => (recorder?.verdicts ?? []).map((v) => ({ url: v.url, reason: v.corsError })),
    async screenshot(shot) {
      const p = await s.ctx.newPage();
      try {
        await p.setViewportSize({ width: shot.width, height: shot.height });
        await p.goto(`${base}/extension/${shot.page}/index.html?${shot.query}`);
        await settle((js) => p.evaluate(js), shot, opts.minRows, opts.warn);
        if (shot.fitContent) {
          const { w, h } = (await p.evaluate(POPUP_SIZE)) as { w: number; h: number };
          await p.setViewportSize({ width: Math.min(800, Math.max(w, 200)), height: Math.min(600, Math.max(h, 100)) });
        }
        await p.screenshot({ path: shot.file });
      } finally {
        await p.close().catch(() => {});
      }
    },
    disconnected,
    close: async () => {
      await recorder?.stop();
      await s.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Chromium, visible: puppeteer-core (Playwright hides DevTools windows), DevTools opened on every tab

export async function chromiumWithDevtools(opts: LaunchOptions): Promise<DemoBrowser> {
  // The harness's launchChromiumWithDevtools is headless-only; this is its visible twin. Signals are ours
  // (main.ts closes everything in order), so puppeteer must not exit the process on Ctrl-C itself.
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: false,
    pipe: true,
    enableExtensions: [DIST_CHROME],
    handleDevToolsAsPage: true,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    // No "Chrome is being controlled by automated test software" bar over the demo.
    ignoreDefaultArgs: ['--enable-automation'],
    defaultViewport: null,
    protocolTimeout: 120_000,
    // Root cannot use Chromium's sandbox; --test-type hides the "unsupported command-line flag" bar that says so.
    args: [
      '--auto-open-devtools-for-tabs',
      ...(process.getuid?.() === 0 ? ['--no-sandbox', '--test-type'] : []),
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--window-size=1500,1000',
      '--window-position=0,0',
      ...addressSpaceArgs(opts.publicOrigins),
    ],
  });
  const sw = await browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'),
    { timeout: 30_000 },
  );
  const extensionId = new URL(sw.url()).host;
  const base = `chrome-extension://${extensionId}`;
  let page: PpPage | null = null;
  let panel: PpFrame | null = null;
  let frontendUrl = '';
  const disconnected = new Promise<void>((r) => browser.once('disconnected', () => r()));
  // The panel is an extension page: it can talk to the worker without opening another tab in the user's window.
  const extensionFrame = async (): Promise<PpFrame | PpPage> => {
    if (panel && !panel.detached) return panel;
    const devtools = await devtoolsPageFor(browser, frontendUrl);
    // Docked at the bottom the panel gets the window's full width for its list and detail columns.
    await devtools
      .evaluate(
        `(async () => {
      const UI = await import('./ui/legacy/legacy.js');
      UI.DockController.DockController.instance().setDockSide('bottom');
    })()`,
      )
      .catch(() => opts.warn('DevTools: could not dock it at the bottom'));
    panel = await openCorsPanel(devtools, extensionId);
    return panel;
  };
  return {
    name: 'chromium',
    label: `${await browser.version()} (DevTools open)`,
    extensionBase: base,
    async openFrontend(url, deferRun) {
      frontendUrl = url;
      // The first tab (about:blank) is reused so the window shows one tab with its DevTools.
      page = (await browser.pages()).find((p) => p.url() === 'about:blank') ?? (await browser.newPage());
      await page.goto(deferRun ? `${url}?autorun=0` : url);
    },
    async runAll() {
      await page!.click('#run-all');
    },
    async pageDone() {
      return (await page?.evaluate(PROBE).catch(() => false)) === true;
    },
    async tabIdOf() {
      const f = await extensionFrame();
      return Number(await f.evaluate(`(globalThis.browser ?? globalThis.chrome).devtools.inspectedWindow.tabId`));
    },
    async ask<T>(name: string, args: Record<string, unknown>) {
      const f = await extensionFrame();
      return unwrap<T>(name, await f.evaluate(`${ASK}(${JSON.stringify([name, args])})`));
    },
    nativeVerdicts: () => [],
    async screenshot() {
      throw new Error('screenshots are taken in headless runs');
    },
    async showPanel(_tabId, select) {
      const f = await extensionFrame();
      await settle(
        (js) => f.evaluate(js),
        { page: 'panel', query: '', width: 0, height: 0, file: '', select },
        select ? opts.minRows : 0,
        opts.warn,
      );
    },
    disconnected,
    close: () => browser.close().catch(() => {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Firefox ESR: puppeteer-core over WebDriver BiDi; no DevTools panel to drive, so the panel page opens as a tab

function firefoxNative(page: PpPage): () => NativeVerdict[] {
  const seen = collectFirefoxVerdicts(page);
  return () =>
    seen.map((v) => {
      const parsed = parseFirefoxCorsMessage(v.text);
      return { url: (parsed?.url ?? v.url).replace(/^[‘']|[’']$/g, ''), reason: parsed?.reason ?? v.reason };
    });
}

async function visibleFirefox(): Promise<PpBrowser> {
  // The harness's launchFirefox is headless-only: the same settings, with a window, and our own signal handling.
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: false,
    protocol: 'webDriverBiDi',
    args: ['--remote-allow-system-access'],
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    defaultViewport: null,
    timeout: 90_000,
    protocolTimeout: 90_000,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIXED_UUID }),
      'network.cookie.cookieBehavior': 5,
    },
  });
  await browser.installExtension(DIST_FIREFOX);
  return browser;
}

export async function firefox(opts: LaunchOptions): Promise<DemoBrowser> {
  let browser: PpBrowser;
  let extensionPage: () => Promise<PpPage>;
  let tabIdOf: (url: string) => Promise<number>;
  let closeBrowser: () => Promise<void>;
  const base = `moz-extension://${FIXED_UUID}`;
  if (opts.headless) {
    const s = await launchFirefox();
    browser = s.browser;
    extensionPage = s.extensionPage;
    tabIdOf = s.tabIdOf;
    closeBrowser = s.close;
  } else {
    browser = await visibleFirefox();
    let ext: PpPage | null = null;
    extensionPage = async () => {
      if (ext && !ext.isClosed()) return ext;
      ext = await browser.newPage();
      await navigateBiDi(browser, ext, `${base}/extension/popup/index.html?tabId=0`);
      return ext;
    };
    tabIdOf = async (url) => {
      const p = await extensionPage();
      const tabs = (await p.evaluate(`browser.tabs.query({})`)) as { id?: number; url?: string }[];
      const t = tabs.find((x) => x.url?.startsWith(url));
      if (!t?.id) throw new Error(`no tab shows ${url}`);
      return t.id;
    };
    closeBrowser = () => browser.close().catch(() => {});
  }
  let page: PpPage | null = null;
  let panelPage: PpPage | null = null;
  let native: () => NativeVerdict[] = () => [];
  const disconnected = new Promise<void>((r) => browser.once('disconnected', () => r()));
  // Once the panel is open in a tab it answers for the extension: the helper tab can go.
  const askPage = async () => (panelPage && !panelPage.isClosed() ? panelPage : extensionPage());
  return {
    name: 'firefox',
    label: `Firefox ${(await browser.version()).replace(/^firefox\//i, '')}${opts.headless ? ' (headless)' : ''}`,
    extensionBase: base,
    async openFrontend(url, deferRun) {
      page = (await browser.pages()).find((p) => p.url() === 'about:blank') ?? (await browser.newPage());
      native = firefoxNative(page);
      await page.goto(deferRun ? `${url}?autorun=0` : url);
    },
    async runAll() {
      await page!.click('#run-all');
    },
    async pageDone() {
      return (await page?.evaluate(PROBE).catch(() => false)) === true;
    },
    tabIdOf: (url) => tabIdOf(url),
    async ask<T>(name: string, args: Record<string, unknown>) {
      const p = await askPage();
      return unwrap<T>(name, await p.evaluate(`${ASK}(${JSON.stringify([name, args])})`));
    },
    nativeVerdicts: () => native(),
    async screenshot(shot) {
      const p = await browser.newPage();
      try {
        await p.setViewport({ width: shot.width, height: shot.height });
        await navigateBiDi(browser, p, `${base}/extension/${shot.page}/index.html?${shot.query}`);
        await settle((js) => p.evaluate(js), shot, opts.minRows, opts.warn);
        if (shot.fitContent) {
          const { w, h } = (await p.evaluate(POPUP_SIZE)) as { w: number; h: number };
          await p.setViewport({ width: Math.min(800, Math.max(w, 200)), height: Math.min(600, Math.max(h, 100)) });
        }
        await p.screenshot({ path: shot.file as `${string}.png` });
      } finally {
        await p.close().catch(() => {});
      }
    },
    async showPanel(tabId, select) {
      if (!panelPage || panelPage.isClosed()) {
        const helper = await extensionPage();
        panelPage = await browser.newPage();
        await navigateBiDi(browser, panelPage, `${base}/extension/panel/index.html?tabId=${tabId}`);
        await helper.close().catch(() => {});
      }
      const p = panelPage;
      await p.bringToFront().catch(() => {});
      await settle(
        (js) => p.evaluate(js),
        { page: 'panel', query: '', width: 0, height: 0, file: '', select },
        select ? opts.minRows : 0,
        opts.warn,
      );
    },
    disconnected,
    close: closeBrowser,
  };
}
