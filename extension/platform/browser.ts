// The one place that touches the WebExtension API object. Everything browser-specific is decided here.
import browser from 'webextension-polyfill';
import type { BrowserName } from '../../src/engine/types';

export { browser };

/** Which engine profile applies: Firefox exposes runtime.getBrowserInfo, Chromium does not. */
export const browserName: BrowserName =
  typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo === 'function' ? 'firefox' : 'chromium';

/**
 * Chromium needs 'extraHeaders' to see preflights, the Origin header and CORS-blocked responses at all;
 * Firefox throws "Invalid enumeration value" for it. Feature-detect instead of sniffing the browser.
 */
export const EXTRA_HEADERS: boolean = (() => {
  const opts = (globalThis as { chrome?: { webRequest?: { OnBeforeSendHeadersOptions?: Record<string, string> } } })
    .chrome?.webRequest?.OnBeforeSendHeadersOptions;
  return !!opts && Object.values(opts).includes('extraHeaders');
})();
