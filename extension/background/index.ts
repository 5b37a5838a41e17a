// The extension's background worker (Chromium service worker, Firefox event page). Everything that must
// wake the worker is registered synchronously at top level, before any await (MV3 rule).
import { browser, browserName } from '../platform/browser';
import { registerWebRequest } from '../platform/web-request';
import { sessionStorage, isQuotaError } from '../platform/storage';
import { setBadge } from '../platform/badge';
import { CaptureService } from '../../src/capture/capture-service';
import { evaluate } from '../../src/engine';
import { registerMessaging } from './messaging';

const storage = sessionStorage();
const service = new CaptureService({
  browser: browserName,
  storage,
  evaluate: (req, b) => evaluate(req, { browser: b }),
  isQuotaError,
  now: () => Date.now(),
});

registerWebRequest({
  event: (ev) => service.onEvent(ev),
  navigation: (tabId, url) => service.onNavigation(tabId, url),
});

browser.tabs.onRemoved.addListener((tabId) => service.onTabRemoved(tabId));

registerMessaging(service, () => storage.bytesInUse());

service.subscribe({
  entriesAdded() {},
  tabCleared() {},
  blockedCount: (tabId, n) => setBadge(tabId, n),
});

// Errors anywhere in the worker are kept so getStatus can report them (the e2e suite fails on any).
self.addEventListener('error', (e) => service.errors.push(`uncaught: ${(e as ErrorEvent).message}`));
self.addEventListener('unhandledrejection', (e) => service.errors.push(`unhandled rejection: ${String((e as PromiseRejectionEvent).reason)}`));
