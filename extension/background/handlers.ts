// The worker's answers to the typed requests of protocol/messages.ts.
import type { BrowserName } from '../../src/engine/types';
import type { CaptureService, Entry } from '../../src/capture';
import {
  PROTOCOL_VERSION,
  type RequestMap,
  type RequestName,
  type TabSnapshot,
  type WireEntry,
} from '../protocol/messages';
import { reportFor, summaryFor } from './report';

/** What the handlers need beyond the capture service; browser APIs come in through extension/platform. */
export interface WorkerDeps {
  service: CaptureService;
  browser: BrowserName;
  version: string;
  bytesInUse(): Promise<number | null>;
  observerMode: { get(): Promise<boolean>; set(wraps: boolean): Promise<void> };
  /** Saves the watch scope "Tabs I inspect" (the worker reads it back at start). */
  saveOpenedTabsOnly(on: boolean): Promise<void>;
}

export type Handlers = { [N in RequestName]: (args: RequestMap[N][0]) => Promise<RequestMap[N][1]> };

export const wire = (e: Entry): WireEntry => ({ seq: e.seq, request: e.request, verdict: e.verdict });

function snapshot(service: CaptureService, tabId: number): TabSnapshot {
  return { tabId, meta: service.store.meta(tabId), entries: service.store.entries(tabId).map(wire) };
}

export function requestHandlers(deps: WorkerDeps): Handlers {
  const { service } = deps;
  const settled = async () => {
    await service.ready;
    service.settleRestored();
  };
  return {
    getStatus: async () => {
      await settled();
      return {
        protocol: PROTOCOL_VERSION,
        version: deps.version,
        browser: deps.browser,
        startedAt: service.startedAt,
        restoredFromStorage: service.restored,
        inflight: service.correlator.size,
        storedBytes: service.store.bytes,
        byteBudget: service.store.byteBudget,
        storageBytesInUse: await deps.bytesInUse(),
        hintsMatched: service.hintsMatched,
        notes: [...service.notes],
        tabs: service.store.tabIds().map((tabId) => {
          const m = service.store.meta(tabId);
          return {
            tabId,
            entries: service.store.entries(tabId).length,
            blocked: service.blockedIn(tabId),
            dropped: m.dropped,
            droppedForQuota: m.droppedForQuota,
          };
        }),
        errors: [...service.errors],
        events: service.events,
        eventsOutsideWatch: service.eventsOutsideWatch,
        openedTabsOnly: service.watch.openedOnly,
        recentEvents: service.recentEvents(),
      };
    },
    getTabLog: async ({ tabId }) => {
      await settled();
      return snapshot(service, tabId);
    },
    getReport: async ({ tabId }) => {
      await settled();
      return reportFor(service.store.entries(tabId), deps.browser);
    },
    getSummary: async ({ tabId }) => {
      await settled();
      return summaryFor(tabId, service.store.meta(tabId), service.store.entries(tabId));
    },
    clearTab: async ({ tabId }) => {
      await service.clearTab(tabId);
      return { ok: true as const };
    },
    setPreserveLog: async ({ tabId, on }) => {
      await service.setPreserveLog(tabId, on);
      return { ok: true as const };
    },
    getUnseenOrigins: async ({ tabId }) => {
      await settled();
      return { origins: service.unseenOrigins(tabId) };
    },
    watchTab: async ({ tabId }) => service.openTab(tabId),
    setWatchScope: async ({ openedTabsOnly, tabId }) => {
      // The worker switches first: pages that follow the saved choice (storage.onChanged) then ask a worker that agrees.
      await service.setOpenedTabsOnly(openedTabsOnly === true, tabId);
      await deps.saveOpenedTabsOnly(openedTabsOnly === true);
      return { ok: true as const };
    },
    getObserverMode: async () => ({ wraps: await deps.observerMode.get() }),
    setObserverMode: async ({ wraps }) => {
      await deps.observerMode.set(wraps === true);
      return { ok: true as const };
    },
  };
}
