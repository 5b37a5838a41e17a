// Tab lifecycle events the worker needs, behind the platform boundary.
import { browser } from './browser';

/** Registered synchronously at the worker's top level, so a closed tab wakes it (MV3). */
export function onTabRemoved(listener: (tabId: number) => void): void {
  browser.tabs.onRemoved.addListener((tabId) => listener(tabId));
}
