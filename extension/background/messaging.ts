// Wires the router (requests and live updates, router.ts) to the runtime's messages and ports (extension/platform).
import type { CaptureService } from '../../src/capture';
import { browserName } from '../platform/browser';
import { onConnect, onMessage, ownExtension } from '../platform/messaging';
import { observerWraps, setObserverWraps } from '../platform/page-observer-mode';
import { saveOpenedTabsOnly } from '../platform/watch-scope';
import { createRouter } from './router';

export function registerMessaging(service: CaptureService, bytesInUse: () => Promise<number | null>): void {
  const own = ownExtension();
  const router = createRouter({
    service,
    own,
    browser: browserName,
    version: own.version,
    bytesInUse,
    observerMode: { get: observerWraps, set: setObserverWraps },
    saveOpenedTabsOnly,
  });
  onMessage(router.message);
  onConnect(router.connect);
}
