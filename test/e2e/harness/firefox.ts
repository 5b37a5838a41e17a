// Launches Debian Firefox ESR with the built extension (puppeteer-core over WebDriver BiDi), and collects
// Firefox's own CORS verdicts: the "(Reason: …)" console errors it logs.
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { resolve } from 'node:path';
import { parseFirefoxCorsMessage } from '../../oracle/firefox-reasons';
import type { FirefoxCorsReason } from '../../../src/engine/types';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const DIST_FIREFOX = resolve(import.meta.dirname, '../../../dist/firefox');
export const GECKO_ID = 'cors-lens@cors-lens.dev';
/** Pinned so tests can open moz-extension://<uuid>/… pages. */
export const FIXED_UUID = '0b6e6a3c-2f9e-4d5e-9c3e-8f1a2b3c4d5e';

export interface FirefoxSession {
  browser: Browser;
  base: string;
  /** A page showing one of our extension pages (navigated with raw BiDi: page.goto hangs there). */
  extensionPage(): Promise<Page>;
  ask<T = unknown>(name: string, args: Record<string, unknown>): Promise<T>;
  tabIdOf(url: string): Promise<number>;
  close(): Promise<void>;
}

export async function navigateBiDi(browser: Browser, page: Page, url: string): Promise<void> {
  const context = (page.mainFrame() as unknown as { _id: string })._id;
  const conn = (browser as unknown as { connection: { send(m: string, p: unknown): Promise<unknown> } }).connection;
  await conn.send('browsingContext.navigate', { context, url, wait: 'complete' });
}

export async function launchFirefox(
  opts: { extensionDir?: string | null; prefs?: Record<string, unknown>; extraArgs?: string[] } = {},
): Promise<FirefoxSession> {
  const extensionDir = opts.extensionDir === undefined ? DIST_FIREFOX : opts.extensionDir;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    protocol: 'webDriverBiDi',
    args: ['--remote-allow-system-access', ...(opts.extraArgs ?? [])],
    timeout: 90_000,
    protocolTimeout: 90_000,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIXED_UUID }),
      // Puppeteer's test profile turns cookie isolation off; put the user default back.
      'network.cookie.cookieBehavior': 5,
      ...opts.prefs,
    },
  });
  if (extensionDir) await browser.installExtension(extensionDir);
  const base = `moz-extension://${FIXED_UUID}`;
  let extPage: Page | null = null;
  const extensionPage = async () => {
    if (extPage && !extPage.isClosed()) return extPage;
    extPage = await browser.newPage();
    await navigateBiDi(browser, extPage, `${base}/extension/popup/index.html?tabId=0`);
    return extPage;
  };
  const ask = async <T>(name: string, args: Record<string, unknown>): Promise<T> => {
    const p = await extensionPage();
    const res = await p.evaluate(
      (n, a) => (globalThis as any).browser.runtime.sendMessage({ source: 'cors-lens', protocol: 1, name: n, args: a }),
      name,
      args,
    );
    if (!res?.ok) throw new Error(`worker request ${name} failed: ${res?.error ?? 'no answer'}`);
    return res.result as T;
  };
  const tabIdOf = async (url: string) => {
    const p = await extensionPage();
    const tabs = (await p.evaluate(() => (globalThis as any).browser.tabs.query({}))) as {
      id?: number;
      url?: string;
    }[];
    const t = tabs.find((x) => x.url === url) ?? tabs.find((x) => x.url?.startsWith(url));
    if (!t?.id) throw new Error(`no tab shows ${url}: ${tabs.map((x) => x.url).join(', ')}`);
    return t.id;
  };
  return { browser, base, extensionPage, ask, tabIdOf, close: () => browser.close().catch(() => {}) };
}

export interface FirefoxVerdict {
  url: string;
  reason: string;
  key: FirefoxCorsReason | null;
  text: string;
}

/** Firefox logs "Cross-Origin Request Blocked: … at <url>. (Reason: …)": puppeteer surfaces it as pageerror. */
export function collectFirefoxVerdicts(page: Page): FirefoxVerdict[] {
  const out: FirefoxVerdict[] = [];
  const take = (text: string) => {
    const parsed = parseFirefoxCorsMessage(text);
    if (parsed && !parsed.warning) out.push({ url: parsed.url, reason: parsed.reasonText, key: parsed.reason, text });
  };
  page.on('pageerror', (e) => take(String((e as Error).message ?? e)));
  page.on('console', (m) => take(m.text()));
  return out;
}
