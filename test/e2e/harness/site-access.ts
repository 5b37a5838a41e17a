// Drives the browsers' own site-access controls for CORS Lens, as a user does, so tests can withdraw and grant
// host access without a permission prompt (no browser here lets automation click its own prompt).
//   Chromium: chrome://extensions' chrome.developerPrivate, the API behind that page's "Site access" menu
//     (updateExtensionConfiguration hostAccess ON_CLICK / ON_SPECIFIC_SITES / ON_ALL_SITES, add/removeHostPermission).
//     It withholds and grants the host permissions named in manifest.json; a permissions.request for an origin
//     granted there resolves true without a prompt (measured, Chromium 156).
//   Firefox: the pref extensions.webextOptionalPermissionPrompts=false accepts permissions.request without a prompt,
//     and an extension page may withdraw the add-on's host permissions with permissions.remove.

import { poll } from './chromium';

export type HostAccess = 'ON_CLICK' | 'ON_SPECIFIC_SITES' | 'ON_ALL_SITES';

/** A page showing chrome://extensions (Playwright's or Puppeteer's Page: both have this evaluate). */
interface EvalPage {
  evaluate(fn: (a: any) => unknown, arg: any): Promise<any>;
}

async function call(page: EvalPage, fn: string, args: unknown[]): Promise<void> {
  const err: string = await page.evaluate(
    ([f, a]: [string, unknown[]]) =>
      new Promise<string>((r) => {
        const c = (globalThis as any).chrome;
        c.developerPrivate[f](...a, () => r(String(c.runtime.lastError?.message ?? '')));
      }),
    [fn, args] as [string, unknown[]],
  );
  if (err) throw new Error(`developerPrivate.${fn} failed: ${err}`);
}

/** Chrome's "Site access" menu for the extension: on click, on specific sites, on all sites. */
export const setHostAccess = (extensionsPage: EvalPage, extensionId: string, hostAccess: HostAccess) =>
  call(extensionsPage, 'updateExtensionConfiguration', [{ extensionId, hostAccess }]);

/** Adds a site to "On specific sites" (a match pattern such as http://127.0.0.1/*). */
export const allowSite = (extensionsPage: EvalPage, extensionId: string, pattern: string) =>
  call(extensionsPage, 'addHostPermission', [extensionId, pattern]);

export const disallowSite = (extensionsPage: EvalPage, extensionId: string, pattern: string) =>
  call(extensionsPage, 'removeHostPermission', [extensionId, pattern]);

/** Firefox prefs under which permissions.request is granted without a prompt. */
export const FIREFOX_ACCEPT_PERMISSION_REQUESTS = { 'extensions.webextOptionalPermissionPrompts': false };

/** What these tests read of the worker's getStatus. */
export interface WorkerEvents {
  events: number;
  errors: string[];
  tabs: { tabId: number; entries: number }[];
  recentEvents: string[];
}

/**
 * The events the worker handled since the count `before`, leaving out the extension's own pages loading their
 * scripts (chrome-extension:// and moz-extension:// URLs: the panel, and the page the test asks the worker from).
 * getStatus keeps the last 40 events: fail rather than guess if more came.
 */
export function webEventsSince(st: WorkerEvents, before: number): string[] {
  const n = st.events - before;
  if (n > st.recentEvents.length)
    throw new Error(`${n} events since, more than the ${st.recentEvents.length} getStatus keeps`);
  return (n === 0 ? [] : st.recentEvents.slice(-n)).filter((e) => !/ (chrome|moz)-extension:\/\//.test(e));
}

/**
 * Runs `act` (a request from a tab nobody inspected, under the watch scope "Tabs I inspect") and waits until the worker
 * dropped its events on arrival (getStatus eventsOutsideWatch, at least `events` more). Fails if any web event was
 * handled meanwhile. Answers the status after.
 */
export async function expectDroppedOnArrival<S extends WorkerEvents & { eventsOutsideWatch?: number }>(
  status: () => Promise<S>,
  act: () => Promise<unknown>,
  events = 3,
): Promise<S> {
  const before = await status();
  await act();
  const after = await poll(async () => {
    const st = await status();
    return (st.eventsOutsideWatch ?? 0) >= (before.eventsOutsideWatch ?? 0) + events ? st : null;
  }, 'the worker to drop the events of a tab nobody inspected');
  const handled = webEventsSince(after, before.events);
  if (handled.length) throw new Error(`the worker handled events it should have dropped: ${handled.join(' | ')}`);
  return after;
}
