// The extension's background worker (Chromium service worker, Firefox event page). Everything that must
// wake the worker is registered synchronously at top level, before any await (MV3 rule).
import { browser, browserName } from '../platform/browser';
import { registerWebRequest } from '../platform/web-request';
import { sessionStorage, isQuotaError } from '../platform/storage';
import { forgetBadge, setBadge } from '../platform/badge';
import { CaptureService } from '../../src/capture/capture-service';
import { evaluate } from '../../src/engine';
import { registerMessaging } from './messaging';

/**
 * At most one storage.session call per this many ms under load; in a quiet moment a change goes out at the end of
 * its task. Measured (bench "worker"): one call per event made storage.session the worker's top cost (a call per
 * event, 3.7 per request); events arrive one per task, so only time can batch them. The price: a worker killed
 * abruptly loses what it handled in its last WRITE_INTERVAL_MS (the browser drops its undelivered events too).
 */
const WRITE_INTERVAL_MS = 10;

/** Runs fn at the end of this task if nothing ran in the last `ms`, else when `ms` have passed since then. */
function throttle(ms: number): (fn: () => void) => void {
  let last = -Infinity;
  return (fn) => {
    const wait = last + ms - performance.now();
    const run = () => { last = performance.now(); fn(); };
    if (wait <= 0) queueMicrotask(run); else setTimeout(run, wait);
  };
}

const storage = sessionStorage();
const service = new CaptureService({
  browser: browserName,
  storage,
  evaluate: (req, b) => evaluate(req, { browser: b }),
  isQuotaError,
  now: () => Date.now(),
  scheduleWrite: throttle(WRITE_INTERVAL_MS),
});

registerWebRequest({
  event: (ev) => service.onEvent(ev),
  navigation: (tabId, url) => service.onNavigation(tabId, url),
});

browser.tabs.onRemoved.addListener((tabId) => { forgetBadge(tabId); service.onTabRemoved(tabId); });

registerMessaging(service, () => storage.bytesInUse());

service.subscribe({
  entriesAdded() {},
  tabCleared() {},
  blockedCount: (tabId, n) => setBadge(tabId, n),
});

// Errors anywhere in the worker are kept so getStatus can report them (the e2e suite fails on any).
self.addEventListener('error', (e) => service.errors.push(`uncaught: ${(e as ErrorEvent).message}`));
self.addEventListener('unhandledrejection', (e) => service.errors.push(`unhandled rejection: ${String((e as PromiseRejectionEvent).reason)}`));
