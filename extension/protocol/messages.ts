// The typed, versioned messages between the worker, the DevTools panel, the popup and any other
// extension page. Request/response goes over runtime.sendMessage; live updates over a runtime Port.
// Bump PROTOCOL_VERSION when a message changes shape incompatibly (a renamed field, a changed meaning);
// adding an optional field does not need a bump. Documented in docs/protocol.md, which also says who may send what.
import type { BrowserName, ObservedRequest, Verdict } from '../../src/engine/types';
import type { TabMeta, TabWatchState } from '../../src/capture';

export const PROTOCOL_VERSION = 1;
export const SOURCE = 'cors-lens';
export const PORT_NAME = `cors-lens/v${PROTOCOL_VERSION}`;
/**
 * The hint relay content script (public/content/hint-relay.js) posts `{ hints }` batches over a Port of this name:
 * one channel per page instead of one runtime.sendMessage (channel opened, answered, closed) per request.
 */
export const HINT_PORT_NAME = `cors-lens/hints/v${PROTOCOL_VERSION}`;

/** One diagnosed request as the UI receives it. */
export interface WireEntry {
  seq: number;
  request: ObservedRequest;
  verdict: Verdict;
}

export interface TabSnapshot {
  tabId: number;
  meta: TabMeta;
  entries: WireEntry[];
  /**
   * Over the Port only: how many more entries follow in `snapshotMore` events (the first screenful comes alone, so
   * the panel shows rows before the whole log has crossed the process boundary). Absent or 0: complete.
   */
  more?: number;
}

export interface TabSummary {
  tabId: number;
  meta: TabMeta;
  total: number;
  counts: Record<Verdict['kind'], number>;
  groups: {
    origin: string;
    total: number;
    blocked: number;
    hidden: number;
    topReasons: { text: string; count: number }[];
  }[];
  /** Up to 50 failing requests per target origin, enough to derive that origin's fix. */
  failing: WireEntry[];
  /** Up to 50 allowed requests per origin that has a failing one: the merged fix keeps them working. */
  working?: WireEntry[];
}

export interface WorkerStatus {
  protocol: number;
  version: string;
  browser: BrowserName;
  startedAt: number;
  /** When the worker last restored its state from storage.session (it restarts often). */
  restoredFromStorage: { tabs: number; entries: number; inflight: number } | null;
  inflight: number;
  /** The capture layer's own estimate of what it keeps (JSON length). */
  storedBytes: number;
  /** The byte budget for all tabs: 8 MiB, lower for a while after storage.session said it was full. */
  byteBudget?: number;
  /** What the browser counts against the storage.session quota (Chromium), null where unknown. */
  storageBytesInUse: number | null;
  /** Requests whose mode/credentials came from the page observer. */
  hintsMatched: number;
  /** Expected events worth knowing (storage quota evictions). */
  notes: string[];
  tabs: { tabId: number; entries: number; blocked: number; dropped: number; droppedForQuota: number }[];
  /** Errors caught in the worker since it started (tests fail on any). */
  errors: string[];
  /** Events handled since the worker started. */
  events: number;
  /** Events dropped on arrival since the worker started: their tab is not watched ("Tabs I inspect"). */
  eventsOutsideWatch?: number;
  /** The watch scope: only tabs where DevTools or the popup was opened (src/capture/tab-watch.ts). */
  openedTabsOnly?: boolean;
  /** The last 40 events handled (kind, request id, tab, URL, time): a diagnostic, never sent anywhere. */
  recentEvents: string[];
}

/** Request name → [arguments, result]. */
export interface RequestMap {
  getStatus: [Record<string, never>, WorkerStatus];
  getTabLog: [{ tabId: number }, TabSnapshot];
  /** The tab's report in the CLI's `--json` format (src/report). */
  getReport: [{ tabId: number }, unknown];
  /** What the popup needs: counts, groups with top reasons, and a sample of failing requests per origin. */
  getSummary: [{ tabId: number }, TabSummary];
  clearTab: [{ tabId: number }, { ok: true }];
  setPreserveLog: [{ tabId: number; on: boolean }, { ok: true }];
  /** Whether the page observer wraps fetch/XHR (extension/platform/page-observer-mode.ts); applies to pages loaded next. */
  getObserverMode: [Record<string, never>, { wraps: boolean }];
  setObserverMode: [{ wraps: boolean }, { ok: true }];
  /**
   * Origins the tab's page called (seen by the page observer) that the network never reported: sites CORS Lens has no
   * access to (docs/site-access.md). May include origins it can access whose calls are still in flight.
   */
  getUnseenOrigins: [{ tabId: number }, { origins: string[] }];
  /**
   * DevTools (the devtools page and the panel) or the popup was opened on the tab: under the scope "Tabs I inspect" the tab is watched from now
   * on. Answers the tab's watch state (whether its page loaded since, so nothing is missing).
   */
  watchTab: [{ tabId: number }, TabWatchState];
  /** Sets the watch scope; `tabId`, the tab it was set from, is watched from now on. */
  setWatchScope: [{ openedTabsOnly: boolean; tabId?: number }, { ok: true }];
}

export type RequestName = keyof RequestMap;

export interface RequestEnvelope<N extends RequestName = RequestName> {
  source: typeof SOURCE;
  protocol: number;
  name: N;
  args: RequestMap[N][0];
}

export type ResponseEnvelope<N extends RequestName = RequestName> =
  { ok: true; result: RequestMap[N][1] } | { ok: false; error: string };

/** Worker → page, over the Port. */
export type PortEvent =
  | { type: 'snapshot'; snapshot: TabSnapshot }
  /** The rest of a snapshot, in seq order, sent right after it (before any live event). */
  | { type: 'snapshotMore'; tabId: number; entries: WireEntry[] }
  | { type: 'entriesAdded'; tabId: number; entries: WireEntry[]; meta: TabMeta }
  | { type: 'entriesUpdated'; tabId: number; entries: WireEntry[]; meta: TabMeta }
  | { type: 'tabCleared'; tabId: number; meta: TabMeta }
  | { type: 'protocolMismatch'; expected: number; got: number };

/** Page → worker, over the Port. A command with another `protocol` gets `protocolMismatch`. */
export type PortCommand = { type: 'subscribe'; tabId: number; protocol: number };

export function isRequestEnvelope(m: unknown): m is RequestEnvelope {
  return (
    !!m &&
    typeof m === 'object' &&
    (m as RequestEnvelope).source === SOURCE &&
    typeof (m as RequestEnvelope).name === 'string'
  );
}

export function makeRequest<N extends RequestName>(name: N, args: RequestMap[N][0]): RequestEnvelope<N> {
  return { source: SOURCE, protocol: PROTOCOL_VERSION, name, args };
}
