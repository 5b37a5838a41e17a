// Site access: which sites CORS Lens may watch. "Watched" means "the extension holds a host permission for the
// site": Chromium and Firefox deliver webRequest events, and inject the content scripts, only where it does
// (Chromium: extensions/browser/api/web_request/web_request_permissions.cc; both measured in
// test/e2e/site-access.*.test.ts). So the listeners stay registered synchronously at the worker's top level, and an
// unwatched site sends CORS Lens nothing (it still pays part of the webRequest cost: docs/performance.md). The browser's own site-access controls (Chrome's "On click" / "On specific sites",
// Firefox's per-add-on permissions) and the watch setting here change the same state: docs/site-access.md.
import { browser } from './browser';
import { ALL_SITES, sitePatternOf } from '../../src/capture';

export type WatchMode = 'all' | 'chosen';

/** Whether CORS Lens may see requests of the page at `url`; null for a page no host permission can name. */
export async function hasSiteAccess(url: string): Promise<boolean | null> {
  const pattern = sitePatternOf(url);
  if (!pattern) return null;
  return browser.permissions.contains({ origins: [pattern] });
}

/**
 * Asks the browser for access to the site of `url` (its permission prompt; must run in a click handler). The grant
 * applies to requests made from then on: the page must be reloaded to capture what it already did.
 */
export async function requestSiteAccess(url: string): Promise<boolean> {
  const pattern = sitePatternOf(url);
  if (!pattern) return false;
  return browser.permissions.request({ origins: [pattern] });
}

/** All sites when the extension holds <all_urls>; otherwise only the sites granted one by one. */
export async function watchMode(): Promise<WatchMode> {
  return (await browser.permissions.contains({ origins: [ALL_SITES] })) ? 'all' : 'chosen';
}

/**
 * Switches the watch mode. "all" asks for <all_urls> (a prompt; click handler only). "chosen" gives it up where
 * the browser lets an extension do so (Firefox: host permissions of a Manifest V3 add-on are the user's to withdraw);
 * Chromium refuses to remove a host permission named in the manifest ("You cannot remove required permissions"),
 * so there the answer is 'browser-settings': the user picks "On specific sites" in Chrome's own site access.
 */
export async function setWatchMode(mode: WatchMode): Promise<'done' | 'refused' | 'browser-settings'> {
  if (mode === 'all') return (await browser.permissions.request({ origins: [ALL_SITES] })) ? 'done' : 'refused';
  try {
    await browser.permissions.remove({ origins: [ALL_SITES] });
  } catch {
    return 'browser-settings';
  }
  return (await watchMode()) === 'chosen' ? 'done' : 'browser-settings';
}

/** Opens the browser's own page for CORS Lens's site access (Chromium: chrome://extensions/?id=…). */
export async function openBrowserSiteSettings(): Promise<void> {
  const url = browser.runtime.getURL('').startsWith('chrome-extension://')
    ? `chrome://extensions/?id=${browser.runtime.id}`
    : 'about:addons';
  await browser.tabs.create({ url });
}

/** Calls `changed` whenever a host permission is granted or withdrawn (here, in the browser's UI, or by policy). */
export function onSiteAccessChanged(changed: () => void): () => void {
  const fn = () => changed();
  browser.permissions.onAdded.addListener(fn);
  browser.permissions.onRemoved.addListener(fn);
  return () => {
    browser.permissions.onAdded.removeListener(fn);
    browser.permissions.onRemoved.removeListener(fn);
  };
}

type DevtoolsApi = {
  inspectedWindow: { eval(expr: string): Promise<unknown>; reload(o?: object): void };
  network: {
    onNavigated: { addListener(fn: (url: string) => void): void; removeListener(fn: (url: string) => void): void };
  };
};
const devtools = (): DevtoolsApi | null => (browser as unknown as { devtools?: DevtoolsApi }).devtools ?? null;

/**
 * The URL of the page a panel or popup is about, and its changes. Without host access the browser hides tab.url
 * (tabs.Tab: "only present if the extension has the tabs permission or host permissions for the page"), so DevTools
 * asks the inspected page itself; a panel or popup opened as a tab takes `?url=` beside `?tabId=`.
 */
export function watchPageUrl(tabId: number, onUrl: (url: string | null) => void): () => void {
  const fromQuery = new URLSearchParams(location.search).get('url');
  if (fromQuery) {
    onUrl(fromQuery);
    return () => {};
  }
  const dt = devtools();
  if (dt) {
    // Firefox (and the polyfill) resolve with [result, exceptionInfo]; Chromium's own promise with the result alone.
    const ask = () =>
      dt.inspectedWindow.eval('location.href').then(
        (r) => {
          const v = Array.isArray(r) ? r[0] : r;
          onUrl(typeof v === 'string' ? v : null);
        },
        () => onUrl(null),
      );
    void ask();
    const nav = (url: string) => onUrl(url);
    dt.network.onNavigated.addListener(nav);
    return () => dt.network.onNavigated.removeListener(nav);
  }
  browser.tabs.get(tabId).then(
    (t) => onUrl(t.url ?? null),
    () => onUrl(null),
  );
  return () => {};
}

/** Reloads the inspected page (DevTools) or the tab. */
export function reloadPage(tabId: number): void {
  const dt = devtools();
  if (dt) dt.inspectedWindow.reload();
  else void browser.tabs.reload(tabId);
}
