// Answers the typed requests of protocol/messages.ts and streams live updates to subscribed ports.
import { observerWraps, setObserverWraps } from '../platform/page-observer-mode';
import type { Runtime } from 'webextension-polyfill';
import { browser, browserName } from '../platform/browser';
import {
  PROTOCOL_VERSION, PORT_NAME, HINT_PORT_NAME, isRequestEnvelope,
  type PortCommand, type PortEvent, type RequestMap, type RequestName, type ResponseEnvelope, type TabSnapshot, type WireEntry,
} from '../protocol/messages';
import type { CaptureService } from '../../src/capture';
import type { Entry } from '../../src/capture';
import { reportFor, summaryFor } from './report';

const wire = (e: Entry): WireEntry => ({ seq: e.seq, request: e.request, verdict: e.verdict });

function snapshot(service: CaptureService, tabId: number): TabSnapshot {
  return { tabId, meta: service.store.meta(tabId), entries: service.store.entries(tabId).map(wire) };
}

/**
 * Extension messages are serialised as JSON on both sides: a full tab (≈ 3,800 entries, ≈ 9 MB of JSON) took
 * ~300 ms to reach the panel in one message (bench "panel", real panel). The first screenful goes alone, the rest
 * follows in slices, all posted in this task so no live event can come between them.
 */
const FIRST_SLICE = 60;
const SLICE = 500;

function postSnapshot(port: Runtime.Port, service: CaptureService, tabId: number): void {
  const all = service.store.entries(tabId);
  const first = all.slice(0, FIRST_SLICE).map(wire);
  port.postMessage({ type: 'snapshot', snapshot: { tabId, meta: service.store.meta(tabId), entries: first, more: all.length - first.length } } satisfies PortEvent);
  for (let i = first.length; i < all.length; i += SLICE) {
    port.postMessage({ type: 'snapshotMore', tabId, entries: all.slice(i, i + SLICE).map(wire) } satisfies PortEvent);
  }
}

type Handlers = { [N in RequestName]: (args: RequestMap[N][0]) => Promise<RequestMap[N][1]> };

export function registerMessaging(service: CaptureService, bytesInUse: () => Promise<number | null>): void {
  const handlers: Handlers = {
    getStatus: async () => {
      await service.ready;
      service.settleRestored();
      return {
        protocol: PROTOCOL_VERSION,
        version: browser.runtime.getManifest().version,
        browser: browserName,
        startedAt: service.startedAt,
        restoredFromStorage: service.restored,
        inflight: service.correlator.size,
        storedBytes: service.store.bytes,
        byteBudget: service.store.byteBudget,
        storageBytesInUse: await bytesInUse(),
        hintsMatched: service.hintsMatched,
        notes: [...service.notes],
        tabs: service.store.tabIds().map((tabId) => {
          const m = service.store.meta(tabId);
          return { tabId, entries: service.store.entries(tabId).length, blocked: service.blockedIn(tabId), dropped: m.dropped, droppedForQuota: m.droppedForQuota };
        }),
        errors: [...service.errors],
        events: service.events,
        recentEvents: service.recentEvents(),
      };
    },
    getTabLog: async ({ tabId }) => { await service.ready; service.settleRestored(); return snapshot(service, tabId); },
    getReport: async ({ tabId }) => { await service.ready; service.settleRestored(); return reportFor(service.store.entries(tabId), browserName); },
    getSummary: async ({ tabId }) => { await service.ready; service.settleRestored(); return summaryFor(tabId, service.store.meta(tabId), service.store.entries(tabId)); },
    clearTab: async ({ tabId }) => { await service.clearTab(tabId); return { ok: true as const }; },
    setPreserveLog: async ({ tabId, on }) => { await service.setPreserveLog(tabId, on); return { ok: true as const }; },
    getObserverMode: async () => ({ wraps: await observerWraps() }),
    setObserverMode: async ({ wraps }) => { await setObserverWraps(wraps === true); return { ok: true as const }; },
  };

  browser.runtime.onMessage.addListener((msg: unknown, sender: Runtime.MessageSender) => {
    if (!isRequestEnvelope(msg)) return undefined;
    if (sender.id !== browser.runtime.id) return undefined;
    const fromExtensionPage = !sender.tab || !!sender.url?.startsWith(browser.runtime.getURL(''));
    // Only our own extension pages may ask (content scripts run in web pages: they must not read any tab's traffic).
    if (!fromExtensionPage) return undefined;
    const handler = handlers[msg.name] as ((a: unknown) => Promise<unknown>) | undefined;
    if (!handler) return Promise.resolve({ ok: false, error: `unknown request ${msg.name}` } satisfies ResponseEnvelope);
    return handler(msg.args).then(
      (result) => ({ ok: true, result }) as ResponseEnvelope,
      (e) => ({ ok: false, error: String(e) }) as ResponseEnvelope,
    );
  });

  browser.runtime.onConnect.addListener((port) => {
    if (port.name === HINT_PORT_NAME) {
      // Our relay content script: the tab is the sender's, whatever the page does.
      const tabId = port.sender?.tab?.id;
      const fromExtensionPage = !!port.sender?.url?.startsWith(browser.runtime.getURL(''));
      if (port.sender?.id !== browser.runtime.id || typeof tabId !== 'number' || fromExtensionPage) { port.disconnect(); return; }
      port.onMessage.addListener((m: unknown) => {
        const hints = (m as { hints?: unknown } | null)?.hints;
        if (Array.isArray(hints)) service.onPageHints(tabId, hints, port.sender?.url);
      });
      return;
    }
    if (!port.name.startsWith('cors-lens/')) return;
    if (port.name !== PORT_NAME) {
      port.postMessage({ type: 'protocolMismatch', expected: PROTOCOL_VERSION, got: Number(port.name.split('/v')[1]) } satisfies PortEvent);
      return;
    }
    let tabId: number | null = null;
    const unsubscribe = service.subscribe({
      entriesAdded(t, entries, meta) {
        if (t === tabId) port.postMessage({ type: 'entriesAdded', tabId: t, entries: entries.map(wire), meta } satisfies PortEvent);
      },
      entriesUpdated(t, entries, meta) {
        if (t === tabId) port.postMessage({ type: 'entriesUpdated', tabId: t, entries: entries.map(wire), meta } satisfies PortEvent);
      },
      tabCleared(t, meta) {
        if (t === tabId) port.postMessage({ type: 'tabCleared', tabId: t, meta } satisfies PortEvent);
      },
      blockedCount() {},
    });
    port.onMessage.addListener(async (m: unknown) => {
      const cmd = m as PortCommand;
      if (cmd?.type !== 'subscribe' || typeof cmd.tabId !== 'number') return;
      await service.ready;
      tabId = cmd.tabId;
      postSnapshot(port, service, cmd.tabId);
    });
    port.onDisconnect.addListener(() => unsubscribe());
  });
}
