// The extension's background worker (Chromium service worker, Firefox event page). Everything that must
// wake the worker is registered synchronously at top level, before any await (MV3 rule).
import { browserName } from '../platform/browser';
import { onTabRemoved } from '../platform/tabs';
import { registerWebRequest } from '../platform/web-request';
import { sessionStorage, isQuotaError } from '../platform/storage';
import { forgetBadge, setBadge } from '../platform/badge';
import { CaptureService, writeSchedule } from '../../src/capture';
import { evaluate } from '../../src/engine';
import { registerMessaging } from './messaging';
import { applyObserverMode, observerWraps } from '../platform/page-observer-mode';
import { openedTabsOnly } from '../platform/watch-scope';

/**
 * When storage writes go out (why, and what it costs: src/capture/write-schedule.ts): in a quiet moment at the end of
 * the task; in a burst at most one call per 10 ms; once a burst has lasted 10 calls (≈ 0.1 s of continuous capture),
 * one per 50 ms. A worker killed abruptly loses what it handled since the last call: docs/architecture.md, "Durability window".
 */
const WRITES = { shortMs: 10, longMs: 50, burstCalls: 10 };

const storage = sessionStorage();
const service = new CaptureService({
  browser: browserName,
  storage,
  evaluate: (req, b) => evaluate(req, { browser: b }),
  isQuotaError,
  now: () => Date.now(),
  scheduleWrite: writeSchedule(WRITES),
  openedTabsOnly,
});

registerWebRequest({
  event: (ev) => service.onEvent(ev),
  navigation: (tabId, url) => service.onNavigation(tabId, url),
});

onTabRemoved((tabId) => {
  forgetBadge(tabId);
  service.onTabRemoved(tabId);
});

registerMessaging(service, () => storage.bytesInUse());

// The registration persists across sessions; this only repairs it if the saved choice and the scripts disagree.
observerWraps()
  .then((wraps) => (wraps ? undefined : applyObserverMode(false)))
  .catch(() => {
    /* no scripting API: always wraps */
  });

service.subscribe({
  entriesAdded() {},
  tabCleared() {},
  blockedCount: (tabId, n) => setBadge(tabId, n),
});

// Errors anywhere in the worker are kept so getStatus can report them (the e2e suite fails on any).
self.addEventListener('error', (e) => service.errors.push(`uncaught: ${(e as ErrorEvent).message}`));
self.addEventListener('unhandledrejection', (e) =>
  service.errors.push(`unhandled rejection: ${String((e as PromiseRejectionEvent).reason)}`),
);
