// The worker's brain, free of browser APIs so it can be tested in Node: events in → correlated requests →
// engine verdicts → bounded per-tab logs → storage.session writes and live updates out. It survives the
// worker being killed: state is restored from storage before any queued event is handled, and changes are
// written when deps.scheduleWrite says (end of task by default; the worker batches by time: write-schedule.ts).
import type { BrowserName, ObservedRequest, Verdict } from '../engine/types';
import type { NetEvent } from './events';
import { Correlator, type CorrelatorState } from './correlator';
import { TabStore, type Entry, type TabMeta, KEY_PREFIX, DEFAULT_LIMITS, type StoreLimits } from './tab-store';
import { boundRequest, DEFAULT_BOUNDS, type Bounds } from './bounds';
import { isPageHint, type PageHint } from './page-hint';
import { failureHints, failureMatches, isPageFailureHint, requestFromFailure, type PageFailureHint } from './page-failures';

export interface KeyValueStorage {
  getAll(): Promise<Record<string, unknown>>;
  write(set: Record<string, unknown>, remove: string[]): Promise<void>;
  /** Bytes still free in the storage area (quota minus bytes in use), or null where the browser cannot say. */
  room?(): Promise<number | null>;
}

/** A hint and a request match when they name the same URL and method within this window. */
const HINT_WINDOW_MS = 15_000;


/** Gives a request the page's own word on its mode and credentials. */
function applyHint(req: ObservedRequest, h: PageHint): void {
  req.hints = { mode: h.mode, credentials: h.credentials, source: 'page-observer' };
  if (h.redirect === 'manual' || h.redirect === 'error') req.hints.redirect = h.redirect;
  if (typeof h.targetAddressSpace === 'string' && h.targetAddressSpace.length < 32) req.hints.targetAddressSpace = h.targetAddressSpace;
  if (typeof h.secureContext === 'boolean') req.hints.secureContext = h.secureContext;
  // webRequest calls fetch() and XHR both 'xmlhttprequest'; the page knows which (console wording differs).
  if (h.api === 'fetch' && req.type === 'xmlhttprequest') req.type = 'fetch';
}

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
}

/**
 * One key per request in flight, so an event rewrites only its own request's state. Stored as a JSON string:
 * Chromium charges a structured value about three times its JSON size against the quota (see TabStore).
 */
export const FLIGHT_PREFIX = `${KEY_PREFIX}f:`;
/**
 * A finished flight's key is overwritten with this marker in the same storage.set that stores its entry (so a
 * restart never restores it twice), and the markers are removed in batches: one storage.remove call per
 * TOMBSTONE_BATCH requests instead of one per request.
 */
const TOMBSTONE = 0;
const TOMBSTONE_BATCH = 64;

export class CaptureService {
  readonly store: TabStore;
  readonly correlator: Correlator;
  readonly errors: string[] = [];
  readonly startedAt: number;
  events = 0;
  restored: { tabs: number; entries: number; inflight: number } | null = null;
  /** Resolves once storage has been read back; events that arrive before are queued, in order. */
  readonly ready: Promise<void>;
  private isReady = false;
  private queue: Array<() => void> = [];
  private listeners = new Set<CaptureListener>();
  private writeScheduled = false;
  private idle: Promise<void> = Promise.resolve();
  private lastSweep = 0;
  private pendingAdds = new Map<number, Entry[]>();
  private notifyScheduled = false;
  /** Page-observer hints not matched to a request yet, per tab. */
  private hints = new Map<number, PageHint[]>();
  private closedTabs = new Set<number>();
  private tombstones: string[] = [];
  /** Markers left by the previous worker go with this worker's first write. */
  private leftoverTombstones = false;
  hintsMatched = 0;

  constructor(private readonly deps: CaptureDeps) {
    this.startedAt = deps.now();
    this.store = new TabStore(deps.limits ?? DEFAULT_LIMITS);
    this.correlator = new Correlator({ onFinished: (tabId, req) => this.finished(tabId, req) });
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
      const all = await this.deps.storage.getAll();
      const loaded = this.store.load(all, (r) => this.verdictFor(r));
      const flights: unknown[] = [];
      for (const [k, v] of Object.entries(all)) {
        if (!k.startsWith(FLIGHT_PREFIX)) continue;
        if (typeof v !== 'string') { this.tombstones.push(k); continue; }
        try { flights.push(JSON.parse(v)); } catch { this.tombstones.push(k); } // a torn write: that flight is lost
      }
      this.correlator.restore({ v: 1, flights } as CorrelatorState);
      this.leftoverTombstones = this.tombstones.length > 0;
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
    if (this.isReady) fn(); else this.queue.push(fn);
  }

  /**
   * The last events handled, for getStatus (to diagnose a request that went wrong): a ring of references, formatted
   * only when someone asks, so the hot path pays one array store per event.
   */
  private ring: NetEvent[] = [];
  private ringAt = 0;
  private static readonly RING = 40;

  /** The last events handled, oldest first: kind, request id, tab, URL (cut), time. */
  recentEvents(): string[] {
    const n = this.ring.length;
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const ev = this.ring[(this.ringAt + i) % n];
      out.push(`${ev.kind} ${ev.requestId} ${ev.tabId} ${ev.url.slice(0, 120)} ${ev.timeStamp.toFixed(1)}`);
    }
    return out;
  }

  onEvent(ev: NetEvent): void {
    // No closure per event once restored (the hot path: ~4 events per request).
    if (this.isReady) this.handle(ev); else this.queue.push(() => this.handle(ev));
  }

  private handle(ev: NetEvent): void {
    this.events++;
    if (this.ring.length < CaptureService.RING) this.ring.push(ev);
    else { this.ring[this.ringAt] = ev; this.ringAt = (this.ringAt + 1) % CaptureService.RING; }
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
      try {
        if (this.store.navigated(tabId, url)) {
          this.correlator.dropTab(tabId);
          this.pendingAdds.delete(tabId);
          const meta = this.store.meta(tabId);
          for (const l of this.listeners) { l.tabCleared(tabId, meta); l.blockedCount(tabId, 0); }
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
      // Tab ids are not reused while the browser runs; keep the set small anyway.
      if (this.closedTabs.size > 1000) this.closedTabs.delete(this.closedTabs.values().next().value as number);
      this.hints.delete(tabId);
      this.failures.delete(tabId);
      this.store.remove(tabId);
      this.correlator.dropTab(tabId);
      this.requestWrite();
    });
  }

  async clearTab(tabId: number): Promise<void> {
    await this.ready;
    this.store.clear(tabId);
    const meta = this.store.meta(tabId);
    for (const l of this.listeners) { l.tabCleared(tabId, meta); l.blockedCount(tabId, 0); }
    this.requestWrite();
  }

  async setPreserveLog(tabId: number, on: boolean): Promise<void> {
    await this.ready;
    this.store.setPreserveLog(tabId, on);
    this.requestWrite();
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
      try {
        const list = this.hints.get(tabId) ?? [];
        const now = this.deps.now();
        const fresh = list.filter((h) => now - h.t < HINT_WINDOW_MS * 4);
        const updated: Entry[] = [];
        for (const h of hints.slice(0, 500)) {
          if (isPageFailureHint(h)) {
            this.pageFailure(tabId, h, documentUrl, updated);
            continue;
          }
          if (!isPageHint(h)) continue;
          // The request may already have been diagnosed without it: re-diagnose with the page's own word.
          const e = this.recentEntryFor(tabId, h);
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
        this.hints.set(tabId, fresh.slice(-2000));
        if (updated.length) {
          const meta = this.store.meta(tabId);
          for (const l of this.listeners) { l.entriesUpdated?.(tabId, updated, meta); l.blockedCount(tabId, this.blockedIn(tabId)); }
          this.requestWrite();
        }
      } catch (e) {
        this.fail('hints', e);
      }
    });
  }

  /** Page failures not matched to a request yet, per tab (a failure can arrive before the network's last event). */
  private failures = new Map<number, PageFailureHint[]>();
  private pageOnlySeq = 0;

  /**
   * A call that failed in the page: a request of its own when it never reached the network, otherwise the page's
   * word on the matching observed request (re-diagnosed now if it already finished, else when it does).
   */
  private pageFailure(tabId: number, h: PageFailureHint, documentUrl: string | undefined, updated: Entry[]): void {
    if (h.failure.networkless) {
      this.finished(tabId, requestFromFailure(h, `page-${this.startedAt}-${++this.pageOnlySeq}`, documentUrl, this.deps.browser));
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
    const list = this.failures.get(tabId) ?? [];
    list.push(h);
    this.failures.set(tabId, list.filter((f) => this.deps.now() - f.t < HINT_WINDOW_MS * 4).slice(-200));
  }

  private takeFailure(tabId: number, req: ObservedRequest): PageFailureHint | undefined {
    const list = this.failures.get(tabId);
    if (!list) return undefined;
    const i = list.findIndex((f) => failureMatches(f, req, HINT_WINDOW_MS));
    return i < 0 ? undefined : list.splice(i, 1)[0];
  }

  /**
   * Entries diagnosed without a page hint, by tab, method and URL (newest last), so a hint arriving after its request
   * finished finds it directly. Scanning the log instead cost 2 % of the worker's time in the bench: every hint that
   * arrives before its request finishes searched 500 entries in vain.
   */
  private unhinted = new Map<string, Entry[]>();
  private static readonly UNHINTED_KEYS = 2000;

  private rememberUnhinted(tabId: number, e: Entry): void {
    const key = `${tabId} ${e.request.method} ${e.request.url}`;
    const list = this.unhinted.get(key);
    if (list) { list.push(e); if (list.length > 16) list.shift(); return; }
    this.unhinted.set(key, [e]);
    if (this.unhinted.size > CaptureService.UNHINTED_KEYS) this.unhinted.delete(this.unhinted.keys().next().value as string);
  }

  private recentEntryFor(tabId: number, h: PageHint): Entry | undefined {
    const key = `${tabId} ${h.method} ${h.url}`;
    const list = this.unhinted.get(key);
    if (!list) return undefined;
    const kept = this.store.entries(tabId);
    const first = kept.length ? kept[0].seq : Infinity;
    let found: Entry | undefined;
    for (let i = list.length - 1; i >= 0 && !found; i--) {
      const e = list[i];
      // Gone from the log (evicted, cleared) or already hinted: forget it.
      if (e.seq < first || kept[e.seq - first] !== e || e.request.hints) { list.splice(i, 1); continue; }
      if (Math.abs((e.request.startedAt ?? h.t) - h.t) > HINT_WINDOW_MS) continue;
      list.splice(i, 1);
      found = e;
    }
    if (list.length === 0) this.unhinted.delete(key);
    return found;
  }

  /** The oldest unused hint for this request, removed from the tab's list. */
  private takeHint(tabId: number, req: ObservedRequest): PageHint | undefined {
    const list = this.hints.get(tabId);
    if (!list) return undefined;
    const i = list.findIndex((h) => h.url === req.url && h.method === req.method && Math.abs((req.startedAt ?? h.t) - h.t) < HINT_WINDOW_MS);
    if (i < 0) return undefined;
    return list.splice(i, 1)[0];
  }

  private verdictFor(req: ObservedRequest): Verdict {
    try {
      return this.deps.evaluate(req, this.deps.browser);
    } catch (e) {
      this.fail('evaluate', e);
      return { kind: 'unknown', missing: [`the engine failed: ${String(e)}`], browser: this.deps.browser, mode: null, credentials: null, inferences: [], findings: [], preflight: 'missing', trace: [] };
    }
  }

  private finished(tabId: number, req: ObservedRequest): void {
    const hint = req.hints ? undefined : this.takeHint(tabId, req);
    if (hint) {
      applyHint(req, hint);
      this.hintsMatched++;
    }
    const failure = this.failures.size ? this.takeFailure(tabId, req) : undefined;
    if (failure) req.hints = { ...req.hints, ...failureHints(failure) };
    const verdict = this.verdictFor(req);
    // The verdict is computed on the full request; only the stored copy is bounded.
    const entry = this.store.add(tabId, boundRequest(req, this.deps.bounds ?? DEFAULT_BOUNDS), verdict);
    if (!req.hints) this.rememberUnhinted(tabId, entry);
    const list = this.pendingAdds.get(tabId);
    if (list) list.push(entry); else this.pendingAdds.set(tabId, [entry]);
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
    return this.idle;
  }

  /**
   * A write goes out when deps.scheduleWrite runs it (by default at the end of the task that changed something; the
   * worker batches by time: write-schedule.ts), without waiting for earlier writes (storage.session applies them in call
   * order). A worker killed abruptly loses only what it handled since the last write went out: README, "Durability
   * window".
   */
  private requestWrite(): void {
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    (this.deps.scheduleWrite ?? queueMicrotask)(() => {
      this.writeScheduled = false;
      const p = this.writeOnce();
      this.idle = Promise.all([this.idle, p]).then(() => {});
    });
  }

  private async writeOnce(): Promise<void> {
    const changes = this.correlator.takeChanges();
    if (!this.store.dirty && changes.set.length === 0 && changes.removed.length === 0) return;
    const w = this.store.takeWrites();
    for (const f of changes.set) w.set[FLIGHT_PREFIX + f.requestId] = JSON.stringify(f);
    for (const id of changes.removed) {
      w.set[FLIGHT_PREFIX + id] = TOMBSTONE;
      this.tombstones.push(FLIGHT_PREFIX + id);
    }
    // Markers written in earlier calls only: storage applies calls in order, and remove goes before set.
    if (this.leftoverTombstones || this.tombstones.length >= TOMBSTONE_BATCH + changes.removed.length) {
      this.leftoverTombstones = false;
      const older = this.tombstones.splice(0, this.tombstones.length - changes.removed.length);
      w.remove.push(...older);
    }
    try {
      await this.deps.storage.write(w.set, w.remove);
    } catch (e) {
      if (this.deps.isQuotaError(e)) {
        // Our byte estimate was too optimistic: lower the budget to nine tenths of what we hold (evicting the oldest
        // down to it), and write everything again (the failed call wrote nothing: storage applies a set whole or not).
        const n = this.store.lowerBudget(this.store.bytes * 0.9);
        this.quota.errors++;
        this.quota.evicted += n;
        this.noteOnce('quota', `storage quota reached ${this.quota.errors === 1 ? 'once' : `${this.quota.errors} times`}: evicted ${this.quota.evicted} oldest entries in all; budget now ${Math.round(this.store.byteBudget / 1024)} KiB`);
        this.store.markAllDirty();
        this.correlator.markAllChanged();
        this.requestWrite();
        this.scheduleBudgetCheck();
      } else {
        this.fail('storage', e);
      }
    }
  }

  /** How often a lowered budget is checked against the room storage really has (another writer may have left). */
  static readonly BUDGET_CHECK_MS = 5_000;
  private budgetTimer: ReturnType<typeof setTimeout> | null = null;

  private scheduleBudgetCheck(): void {
    if (this.budgetTimer) return;
    this.budgetTimer = setTimeout(() => { this.budgetTimer = null; void this.checkBudget(); }, CaptureService.BUDGET_CHECK_MS);
    (this.budgetTimer as { unref?: () => void }).unref?.();
  }

  /** Raise a budget lowered by a quota error to what now fits: our bytes plus nine tenths of the free room. */
  async checkBudget(): Promise<void> {
    const max = (this.deps.limits ?? DEFAULT_LIMITS).maxBytesTotal;
    if (this.store.byteBudget >= max) return;
    let room: number | null = null;
    try { room = (await this.deps.storage.room?.()) ?? null; } catch { room = null; }
    // Where the browser cannot say (Firefox), grow by a quarter and let the next quota error correct it.
    const next = room === null ? this.store.byteBudget * 1.25 : this.store.bytes + this.store.deadBytes + room * 0.9;
    this.store.raiseBudget(Math.min(max, next));
    if (this.store.byteBudget < max) this.scheduleBudgetCheck();
  }

  /** Notes are not errors: the quota eviction is expected behaviour under load. */
  readonly notes: string[] = [];
  private noteAt = new Map<string, number>();
  private quota = { errors: 0, evicted: 0 };
  /** One note per topic, updated in place (a full storage would otherwise repeat the same note per request). */
  private noteOnce(topic: string, text: string): void {
    const i = this.noteAt.get(topic);
    if (i !== undefined) { this.notes[i] = text; return; }
    if (this.notes.length >= 100) return;
    this.noteAt.set(topic, this.notes.length);
    this.notes.push(text);
  }

  private fail(where: string, e: unknown): void {
    const msg = `${where}: ${e instanceof Error ? e.stack || e.message : String(e)}`;
    if (this.errors.length < 100) this.errors.push(msg);
  }
}
