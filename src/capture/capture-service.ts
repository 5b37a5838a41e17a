// The worker's brain, free of browser APIs so it can be tested in Node: events in → correlated requests →
// engine verdicts → bounded per-tab logs → storage.session writes and live updates out. It survives the
// worker being killed: state is restored from storage before any queued event is handled, and changes are
// written when deps.scheduleWrite says (end of task by default; the worker batches by time: write-schedule.ts).
import type { BrowserName, ObservedRequest, Verdict } from '../engine/types';
import type { NetEvent } from './events';
import { Correlator, type CorrelatorState } from './correlator';
import { TabStore, type Entry, type TabMeta, DEFAULT_LIMITS, type StoreLimits } from './tab-store';
import { boundRequest, DEFAULT_BOUNDS, type Bounds } from './bounds';
import { isPageHint, type PageHint } from './page-hint';
import {
  failureHints,
  failureMatches,
  isPageFailureHint,
  requestFromFailure,
  type PageFailureHint,
} from './page-failures';
import { applyHint, HintMatcher, HINT_WINDOW_MS } from './hint-matcher';
import { EventRing } from './event-ring';
import { SessionWriter, type KeyValueStorage } from './session-writer';
import { TabWatch, type TabWatchState } from './tab-watch';
import { KEY_PREFIX } from './tab-store';

export { FLIGHT_PREFIX, type KeyValueStorage } from './session-writer';

export interface CaptureListener {
  entriesAdded(tabId: number, entries: Entry[], meta: TabMeta): void;
  /** Entries re-diagnosed after the page observer's hints arrived. */
  entriesUpdated?(tabId: number, entries: Entry[], meta: TabMeta): void;
  tabCleared(tabId: number, meta: TabMeta): void;
  blockedCount(tabId: number, blocked: number): void;
}

export interface CaptureDeps {
  browser: BrowserName;
  storage: KeyValueStorage;
  evaluate(req: ObservedRequest, browser: BrowserName): Verdict;
  isQuotaError(e: unknown): boolean;
  now(): number;
  limits?: StoreLimits;
  bounds?: Bounds;
  /**
   * When the pending write goes out. Default: at the end of the current task (queueMicrotask). The worker passes
   * writeSchedule (one call per 10 ms in a burst, 50 ms once it lasts): events arrive one per task, so only time
   * batches a burst into one call.
   */
  scheduleWrite?: (fn: () => void) => void;
  /** The saved watch scope (tab-watch.ts): true keeps only tabs inspected in DevTools or the popup. Read once at start. */
  openedTabsOnly?: () => Promise<boolean>;
}

/** The watched tabs of the scope "Tabs I inspect", one storage.session key (tab-watch.ts). */
export const WATCH_KEY = `${KEY_PREFIX}watch`;

export class CaptureService {
  readonly store: TabStore;
  readonly correlator: Correlator;
  readonly errors: string[] = [];
  readonly startedAt: number;
  events = 0;
  /** Events dropped on arrival because their tab is not watched (tab-watch.ts). */
  eventsOutsideWatch = 0;
  readonly watch = new TabWatch();
  restored: { tabs: number; entries: number; inflight: number } | null = null;
  /** Resolves once storage has been read back; events that arrive before are queued, in order. */
  readonly ready: Promise<void>;
  private isReady = false;
  private queue: Array<() => void> = [];
  private listeners = new Set<CaptureListener>();
  private lastSweep = 0;
  private pendingAdds = new Map<number, Entry[]>();
  private notifyScheduled = false;
  private closedTabs = new Set<number>();
  private readonly matcher: HintMatcher;
  private readonly writer: SessionWriter;
  private readonly ring = new EventRing(40);
  private pageOnlySeq = 0;
  hintsMatched = 0;
  /** Notes are not errors: the quota eviction is expected behaviour under load. */
  readonly notes: string[] = [];
  private noteAt = new Map<string, number>();

  constructor(private readonly deps: CaptureDeps) {
    this.startedAt = deps.now();
    const limits = deps.limits ?? DEFAULT_LIMITS;
    this.store = new TabStore(limits);
    this.correlator = new Correlator({ onFinished: (tabId, req) => this.finished(tabId, req) });
    this.matcher = new HintMatcher(deps.now);
    this.writer = new SessionWriter(this.store, this.correlator, {
      storage: deps.storage,
      isQuotaError: deps.isQuotaError,
      scheduleWrite: deps.scheduleWrite,
      maxBytesTotal: limits.maxBytesTotal,
      note: (topic, text) => this.noteOnce(topic, text),
      fail: (where, e) => this.fail(where, e),
    });
    this.ready = this.restore();
  }

  /** How long a request restored in flight may stay silent before it is finished with what was seen. */
  static readonly RESTORED_GRACE_MS = 8_000;

  /** Finish restored requests whose end the browser will never report (see Correlator.abandonRestored). */
  settleRestored(): void {
    if (!this.isReady) return;
    try {
      if (this.correlator.abandonRestored(this.deps.now(), CaptureService.RESTORED_GRACE_MS) > 0) this.requestWrite();
    } catch (e) {
      this.fail('settle', e);
    }
  }

  subscribe(l: CaptureListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private async restore(): Promise<void> {
    try {
      const [all, openedOnly] = await Promise.all([
        this.deps.storage.getAll(),
        this.deps.openedTabsOnly?.().catch(() => false) ?? false,
      ]);
      this.watch.openedOnly = openedOnly;
      this.watch.restore(typeof all[WATCH_KEY] === 'string' ? safeParse(all[WATCH_KEY] as string) : undefined);
      const loaded = this.store.load(all, (r) => this.verdictFor(r));
      const flights = this.writer.restoreFlights(all);
      this.correlator.restore({ v: 1, flights } as CorrelatorState);
      this.restored = { ...loaded, inflight: flights.length };
    } catch (e) {
      this.fail('restore', e);
    } finally {
      this.isReady = true;
      const q = this.queue;
      this.queue = [];
      for (const fn of q) fn();
      if (this.restored?.inflight) {
        const t = setTimeout(() => this.settleRestored(), CaptureService.RESTORED_GRACE_MS + 250);
        (t as { unref?: () => void }).unref?.();
      }
    }
  }

  private whenReady(fn: () => void): void {
    if (this.isReady) fn();
    else this.queue.push(fn);
  }

  /** The last events handled, oldest first: kind, request id, tab, URL (cut), time (for getStatus). */
  recentEvents(): string[] {
    return this.ring.lines();
  }

  onEvent(ev: NetEvent): void {
    // No closure per event once restored (the hot path: ~4 events per request).
    if (this.isReady) this.handle(ev);
    else this.queue.push(() => this.handle(ev));
  }

  private handle(ev: NetEvent): void {
    if (!this.watch.keeps(ev.tabId)) {
      this.eventsOutsideWatch++;
      return;
    }
    this.events++;
    this.ring.push(ev);
    // Answers still arriving for a tab that was closed must not bring its log back.
    if (this.closedTabs.has(ev.tabId)) return;
    try {
      this.correlator.handle(ev);
      if (ev.timeStamp - this.lastSweep > 5_000) {
        this.lastSweep = ev.timeStamp;
        this.correlator.sweep(ev.timeStamp);
        this.correlator.abandonRestored(ev.timeStamp, CaptureService.RESTORED_GRACE_MS);
      }
    } catch (e) {
      this.fail('event', e);
    }
    this.requestWrite();
  }

  onNavigation(tabId: number, url: string): void {
    this.whenReady(() => {
      if (!this.watch.keeps(tabId)) return;
      this.watch.navigated(tabId);
      this.saveWatch();
      try {
        if (this.store.navigated(tabId, url)) {
          this.correlator.dropTab(tabId);
          this.pendingAdds.delete(tabId);
          const meta = this.store.meta(tabId);
          for (const l of this.listeners) {
            l.tabCleared(tabId, meta);
            l.blockedCount(tabId, 0);
          }
        }
      } catch (e) {
        this.fail('navigation', e);
      }
      this.requestWrite();
    });
  }

  onTabRemoved(tabId: number): void {
    this.whenReady(() => {
      this.closedTabs.add(tabId);
      this.watch.closed(tabId);
      this.saveWatch();
      // Tab ids are not reused while the browser runs; keep the set small anyway.
      if (this.closedTabs.size > 1000) this.closedTabs.delete(this.closedTabs.values().next().value as number);
      this.matcher.dropTab(tabId);
      this.store.remove(tabId);
      this.correlator.dropTab(tabId);
      this.requestWrite();
    });
  }

  async clearTab(tabId: number): Promise<void> {
    await this.ready;
    this.store.clear(tabId);
    const meta = this.store.meta(tabId);
    for (const l of this.listeners) {
      l.tabCleared(tabId, meta);
      l.blockedCount(tabId, 0);
    }
    this.requestWrite();
  }

  async setPreserveLog(tabId: number, on: boolean): Promise<void> {
    await this.ready;
    this.store.setPreserveLog(tabId, on);
    this.requestWrite();
  }

  /**
   * Origins the page called (page observer) more than 3 s ago without the network reporting the call: where CORS Lens
   * lacks access to the called site. The panel offers to allow them (docs/site-access.md).
   */
  unseenOrigins(tabId: number): string[] {
    return this.isReady ? this.matcher.unclaimedOrigins(tabId, 3_000) : [];
  }

  /** DevTools or the popup was opened on the tab: under the scope "Tabs I inspect" it is watched from now. */
  async openTab(tabId: number): Promise<TabWatchState> {
    await this.ready;
    const st = this.watch.open(tabId, this.deps.now());
    this.saveWatch();
    return st;
  }

  /** Sets the watch scope (the caller saves the choice); the tab it was set from is watched from now. */
  async setOpenedTabsOnly(on: boolean, fromTab?: number): Promise<TabWatchState | null> {
    await this.ready;
    this.watch.openedOnly = on;
    if (fromTab === undefined) return null;
    return this.openTab(fromTab);
  }

  private saveWatch(): void {
    if (!this.watch.dirty) return;
    const text = JSON.stringify(this.watch.snapshot());
    this.deps.storage.write({ [WATCH_KEY]: text }, []).catch((e) => {
      // A full storage loses only the watched set, which the next DevTools or popup opened rebuilds.
      if (!this.deps.isQuotaError(e)) this.fail('storage', e);
    });
  }

  /** Blocked requests kept for a tab: the badge, the popup and the panel all count the same entries. */
  blockedIn(tabId: number): number {
    return this.store.has(tabId) ? this.store.meta(tabId).blocked : 0;
  }

  /**
   * Hints from the page observer of one tab (the tab and the document URL come from the message sender, never the
   * page): each call's mode and credentials, and the calls that failed in the page (page-failures.ts).
   */
  onPageHints(tabId: number, hints: unknown[], documentUrl?: string): void {
    this.whenReady(() => {
      if (!this.watch.keeps(tabId)) return;
      try {
        const fresh: PageHint[] = [];
        const updated: Entry[] = [];
        for (const h of hints.slice(0, 500)) {
          if (isPageFailureHint(h)) {
            this.pageFailure(tabId, h, documentUrl, updated);
            continue;
          }
          if (!isPageHint(h)) continue;
          // The request may already have been diagnosed without it: re-diagnose with the page's own word.
          const e = this.matcher.recentEntryFor(tabId, h, this.store.entries(tabId));
          if (e) {
            const request: ObservedRequest = { ...e.request };
            applyHint(request, h);
            const next = this.store.update(tabId, e.seq, request, this.verdictFor(request));
            this.hintsMatched++;
            if (next) updated.push(next);
          } else {
            fresh.push(h);
          }
        }
        this.matcher.keepHints(tabId, fresh);
        if (updated.length) {
          const meta = this.store.meta(tabId);
          for (const l of this.listeners) {
            l.entriesUpdated?.(tabId, updated, meta);
            l.blockedCount(tabId, this.blockedIn(tabId));
          }
          this.requestWrite();
        }
      } catch (e) {
        this.fail('hints', e);
      }
    });
  }

  /**
   * A call that failed in the page: a request of its own when it never reached the network, otherwise the page's
   * word on the matching observed request (re-diagnosed now if it already finished, else when it does).
   */
  private pageFailure(tabId: number, h: PageFailureHint, documentUrl: string | undefined, updated: Entry[]): void {
    if (h.failure.networkless) {
      this.finished(
        tabId,
        requestFromFailure(h, `page-${this.startedAt}-${++this.pageOnlySeq}`, documentUrl, this.deps.browser),
      );
      return;
    }
    const kept = this.store.entries(tabId);
    for (let i = kept.length - 1; i >= 0 && i >= kept.length - 300; i--) {
      const e = kept[i];
      if (!failureMatches(h, e.request, HINT_WINDOW_MS)) continue;
      const request: ObservedRequest = { ...e.request, hints: { ...e.request.hints, ...failureHints(h) } };
      const next = this.store.update(tabId, e.seq, request, this.verdictFor(request));
      if (next) updated.push(next);
      return;
    }
    this.matcher.keepFailure(tabId, h);
  }

  private verdictFor(req: ObservedRequest): Verdict {
    try {
      return this.deps.evaluate(req, this.deps.browser);
    } catch (e) {
      this.fail('evaluate', e);
      return {
        kind: 'unknown',
        missing: [`the engine failed: ${String(e)}`],
        browser: this.deps.browser,
        mode: null,
        credentials: null,
        inferences: [],
        findings: [],
        preflight: 'missing',
        trace: [],
      };
    }
  }

  private finished(tabId: number, req: ObservedRequest): void {
    const hint = req.hints ? undefined : this.matcher.takeHint(tabId, req);
    if (hint) {
      applyHint(req, hint);
      this.hintsMatched++;
    }
    const failure = this.matcher.takeFailure(tabId, req);
    if (failure) req.hints = { ...req.hints, ...failureHints(failure) };
    const verdict = this.verdictFor(req);
    // The verdict is computed on the full request; only the stored copy is bounded.
    const entry = this.store.add(tabId, boundRequest(req, this.deps.bounds ?? DEFAULT_BOUNDS), verdict);
    if (!req.hints) this.matcher.rememberUnhinted(tabId, entry);
    const list = this.pendingAdds.get(tabId);
    if (list) list.push(entry);
    else this.pendingAdds.set(tabId, [entry]);
    this.scheduleNotify();
  }

  /** Coalesce live updates: one message per tab per burst, not one per request. */
  private scheduleNotify(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    queueMicrotask(() => {
      this.notifyScheduled = false;
      const adds = this.pendingAdds;
      this.pendingAdds = new Map();
      for (const [tabId, entries] of adds) {
        // Evicted before anyone saw them: don't send what is no longer in the log.
        const first = this.store.meta(tabId).firstSeq;
        const live = entries.filter((e) => e.seq >= first);
        const meta = this.store.meta(tabId);
        for (const l of this.listeners) {
          if (live.length) l.entriesAdded(tabId, live, meta);
          l.blockedCount(tabId, this.blockedIn(tabId));
        }
      }
    });
  }

  /** Resolves when every write issued so far has been handed to storage. */
  flushed(): Promise<void> {
    return this.writer.flushed();
  }

  /** Raise a budget lowered by a quota error to what now fits (session-writer.ts). */
  checkBudget(): Promise<void> {
    return this.writer.checkBudget();
  }

  private requestWrite(): void {
    this.writer.requestWrite();
  }

  /** One note per topic, updated in place (a full storage would otherwise repeat the same note per request). */
  private noteOnce(topic: string, text: string): void {
    const i = this.noteAt.get(topic);
    if (i !== undefined) {
      this.notes[i] = text;
      return;
    }
    if (this.notes.length >= 100) return;
    this.noteAt.set(topic, this.notes.length);
    this.notes.push(text);
  }

  private fail(where: string, e: unknown): void {
    const msg = `${where}: ${e instanceof Error ? e.stack || e.message : String(e)}`;
    if (this.errors.length < 100) this.errors.push(msg);
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
