// Per-tab logs of diagnosed requests, bounded in entries and bytes, evicting oldest first and counting
// exactly what it dropped. Pure: persistence is expressed as key/value writes the worker hands to
// storage.session: one key per entry by default, so appending an entry writes that entry only, and evicting
// one writes nothing but the tab's meta (the evicted key is removed later, in a batch: see staleBatch).
import type { ObservedRequest, Verdict } from '../engine/types';

export interface Entry {
  /** Per-tab sequence number, from 0, never reused while the tab's log lives. */
  seq: number;
  request: ObservedRequest;
  verdict: Verdict;
  /** Approximate stored size in bytes (JSON length). */
  bytes: number;
}

export interface TabMeta {
  tabId: number;
  firstSeq: number;
  nextSeq: number;
  /** Entries evicted because the tab hit its entry cap. */
  dropped: number;
  /** Entries evicted because the global byte budget (storage.session quota) was reached. */
  droppedForQuota: number;
  preserveLog: boolean;
  /** Blocked verdicts among the entries kept (the toolbar badge). */
  blocked: number;
  /** Times the log was cleared by a navigation. */
  navigations: number;
  pageUrl?: string;
}

export interface StoreLimits {
  maxEntriesPerTab: number;
  /** Budget for all tabs together (Chromium's storage.session quota is 10 MiB: leave headroom). */
  maxBytesTotal: number;
  /** Entries per storage key. Appending rewrites the entry's whole chunk, so 1 writes the least per request. */
  chunkSize: number;
  /**
   * Keys of evicted chunks are removed once this many have piled up: one storage.remove call per batch instead of
   * one per evicted request. Until then they hold only entries below the tab's firstSeq, which load() ignores.
   */
  staleBatch?: number;
}

// One entry per key and batched removals: each entry is written once, where chunks of entries and an immediate
// remove per eviction rewrote whole chunks (docs/performance.md).
export const DEFAULT_LIMITS: StoreLimits = {
  maxEntriesPerTab: 5000,
  maxBytesTotal: 8 * 1024 * 1024,
  chunkSize: 1,
  staleBatch: 64,
};

export const KEY_PREFIX = 'cl1:';
const metaKey = (tabId: number) => `${KEY_PREFIX}m:${tabId}`;
const chunkKey = (tabId: number, chunk: number) => `${KEY_PREFIX}c:${tabId}:${chunk}`;

interface TabLog {
  meta: TabMeta;
  entries: Entry[];
  bytes: number;
}

export interface Writes {
  set: Record<string, unknown>;
  remove: string[];
}

export class TabStore {
  private tabs = new Map<number, TabLog>();
  private totalBytes = 0;
  private dirtyMeta = new Set<number>();
  private dirtyChunks = new Map<number, Set<number>>();
  private removedKeys = new Set<string>();
  /** Keys of fully evicted chunks, removed in batches (their entries are below firstSeq: load() skips them). */
  private staleKeys = new Set<string>();
  /**
   * Bytes of evicted entries still in storage, per chunk key (until the key is removed), and their sum. The budget
   * keeps room for them (staleAllowance), so live + dead bytes never exceed it.
   */
  private dead = new Map<string, number>();
  private deadTotal = 0;
  /** The byte budget in force: the configured one, lowered when the real storage said it was full (lowerBudget). */
  private budget: number;
  /**
   * Each new or changed entry's JSON (computed anyway to measure it), kept only until the next takeWrites writes it:
   * holding every entry's JSON for its lifetime would double the worker's heap (docs/performance.md).
   */
  private json = new Map<Entry, string>();

  /**
   * An entry as stored: its sequence number, size and request, not its verdict, which load() recomputes (the engine
   * is pure, and storage.session is emptied whenever the extension's code changes). Why: the verdict is a third of
   * the JSON, and its messages' typographic characters (— → …) would make most entry strings two-byte.
   * Sets e.bytes and keeps the text until the next takeWrites.
   */
  private serialise(e: Entry): string {
    const request = JSON.stringify(e.request);
    e.bytes = request.length + 48;
    const text = `{"seq":${e.seq},"bytes":${e.bytes},"request":${request}}`;
    this.json.set(e, text);
    return text;
  }

  constructor(readonly limits: StoreLimits = DEFAULT_LIMITS) {
    this.budget = limits.maxBytesTotal;
  }

  get byteBudget(): number {
    return this.budget;
  }

  /** Dead bytes tolerated before evicted keys are removed early (before a full batch): an eighth, at most 256 KiB. */
  private get staleAllowance(): number {
    return Math.min(256 * 1024, Math.floor(this.budget / 8));
  }

  /** Bytes of evicted entries not yet removed from storage. */
  get deadBytes(): number {
    return this.deadTotal;
  }

  private removeKey(k: string): void {
    this.removedKeys.add(k);
    const d = this.dead.get(k);
    if (d !== undefined) {
      this.deadTotal -= d;
      this.dead.delete(k);
    }
  }

  private flushStale(): void {
    for (const k of this.staleKeys) this.removeKey(k);
    this.staleKeys.clear();
  }

  has(tabId: number): boolean {
    return this.tabs.has(tabId);
  }

  tabIds(): number[] {
    return [...this.tabs.keys()];
  }

  meta(tabId: number): TabMeta {
    return this.log(tabId).meta;
  }

  entries(tabId: number): readonly Entry[] {
    return this.tabs.get(tabId)?.entries ?? [];
  }

  get bytes(): number {
    return this.totalBytes;
  }

  private log(tabId: number): TabLog {
    let t = this.tabs.get(tabId);
    if (!t) {
      t = {
        meta: {
          tabId,
          firstSeq: 0,
          nextSeq: 0,
          dropped: 0,
          droppedForQuota: 0,
          preserveLog: false,
          blocked: 0,
          navigations: 0,
        },
        entries: [],
        bytes: 0,
      };
      this.tabs.set(tabId, t);
    }
    return t;
  }

  add(tabId: number, request: ObservedRequest, verdict: Verdict): Entry {
    const t = this.log(tabId);
    const seq = t.meta.nextSeq++;
    const entry: Entry = { seq, request, verdict, bytes: 0 };
    this.serialise(entry);
    t.entries.push(entry);
    if (verdict.kind === 'blocked') t.meta.blocked++;
    t.bytes += entry.bytes;
    this.totalBytes += entry.bytes;
    this.markChunk(tabId, seq);
    this.dirtyMeta.add(tabId);
    while (t.entries.length > this.limits.maxEntriesPerTab) {
      this.evictOldest(t);
      t.meta.dropped++;
    }
    this.evictToBudget(t);
    return entry;
  }

  /**
   * Evicts the oldest entries of all tabs until live bytes fit the budget minus room for dead bytes, counting them as
   * dropped for quota; never the last entry of `keep` (the tab that just added it). Returns how many were evicted.
   */
  private evictToBudget(keep?: TabLog): number {
    let n = 0;
    while (this.totalBytes > this.budget - this.staleAllowance) {
      const victim = this.oldestTab();
      if (!victim || (victim === keep && victim.entries.length <= 1)) break;
      this.evictOldest(victim);
      victim.meta.droppedForQuota++;
      n++;
    }
    return n;
  }

  /** Replace one entry's request and verdict (page hints arrived after it was diagnosed). */
  update(tabId: number, seq: number, request: ObservedRequest, verdict: Verdict): Entry | null {
    const t = this.tabs.get(tabId);
    if (!t || t.entries.length === 0) return null;
    const e = t.entries[seq - t.entries[0].seq];
    if (!e || e.seq !== seq) return null;
    if (e.verdict.kind === 'blocked') t.meta.blocked--;
    if (verdict.kind === 'blocked') t.meta.blocked++;
    e.request = request;
    e.verdict = verdict;
    const before = e.bytes;
    this.serialise(e);
    t.bytes += e.bytes - before;
    this.totalBytes += e.bytes - before;
    this.markChunk(tabId, seq);
    this.dirtyMeta.add(tabId);
    return e;
  }

  /**
   * The real storage said it is full although our estimate was under budget (other data in storage.session, or the
   * browser counting differently): make the budget what fits — `toBytes` — and evict the oldest entries down to it,
   * so later requests evict one old entry each instead of failing a write each (measured in the quota e2e test:
   * without this, nearly every request after the first failure failed its write and triggered a full rewrite).
   * Evicted keys are removed with the next write, not batched. Returns how many entries were evicted.
   */
  lowerBudget(toBytes: number): number {
    this.budget = Math.max(0, Math.min(this.budget, Math.floor(toBytes)));
    const n = this.evictToBudget();
    this.flushStale();
    return n;
  }

  /** Storage has room again (another writer freed some): the budget may grow back, up to the configured one. */
  raiseBudget(toBytes: number): void {
    this.budget = Math.min(this.limits.maxBytesTotal, Math.max(this.budget, Math.floor(toBytes)));
  }

  private oldestTab(): TabLog | undefined {
    let best: TabLog | undefined;
    let bestAt = Infinity;
    for (const t of this.tabs.values()) {
      const e = t.entries[0];
      if (!e) continue;
      const at = e.request.startedAt ?? 0;
      if (at < bestAt) {
        bestAt = at;
        best = t;
      }
    }
    return best;
  }

  private evictOldest(t: TabLog): void {
    const e = t.entries.shift();
    if (!e) return;
    if (e.verdict.kind === 'blocked') t.meta.blocked--;
    t.bytes -= e.bytes;
    this.totalBytes -= e.bytes;
    t.meta.firstSeq = e.seq + 1;
    this.dirtyMeta.add(t.meta.tabId);
    const cs = this.limits.chunkSize;
    const c = Math.floor(e.seq / cs);
    const key = chunkKey(t.meta.tabId, c);
    this.dead.set(key, (this.dead.get(key) ?? 0) + e.bytes);
    this.deadTotal += e.bytes;
    // Nothing is rewritten: the meta's firstSeq hides the evicted entry from load(). When it was the last of its
    // chunk, the chunk key goes away with the next batch of stale keys.
    if ((e.seq + 1) % cs === 0) {
      this.dirtyChunks.get(t.meta.tabId)?.delete(c);
      // Possibly never written (added and evicted between two writes): removing a missing key is harmless.
      this.staleKeys.add(key);
    }
  }

  setPreserveLog(tabId: number, on: boolean): void {
    this.log(tabId).meta.preserveLog = on;
    this.dirtyMeta.add(tabId);
  }

  /** A top-level navigation: clear unless the user asked to preserve the log. Returns whether it cleared. */
  navigated(tabId: number, url: string): boolean {
    const t = this.log(tabId);
    t.meta.pageUrl = url;
    t.meta.navigations++;
    this.dirtyMeta.add(tabId);
    if (t.meta.preserveLog) return false;
    this.clear(tabId);
    return true;
  }

  clear(tabId: number): void {
    const t = this.tabs.get(tabId);
    if (!t) return;
    for (const k of this.chunkKeysOf(t)) this.removeKey(k);
    this.dirtyChunks.delete(tabId);
    this.totalBytes -= t.bytes;
    t.bytes = 0;
    t.entries = [];
    t.meta.firstSeq = t.meta.nextSeq;
    t.meta.dropped = 0;
    t.meta.droppedForQuota = 0;
    t.meta.blocked = 0;
    this.dirtyMeta.add(tabId);
  }

  /** The tab closed: free everything. */
  remove(tabId: number): void {
    const t = this.tabs.get(tabId);
    if (!t) return;
    for (const k of this.chunkKeysOf(t)) this.removeKey(k);
    this.removedKeys.add(metaKey(tabId));
    this.totalBytes -= t.bytes;
    this.tabs.delete(tabId);
    this.dirtyMeta.delete(tabId);
    this.dirtyChunks.delete(tabId);
  }

  private chunkKeysOf(t: TabLog): string[] {
    const cs = this.limits.chunkSize;
    const keys: string[] = [];
    if (t.entries.length === 0) return keys;
    const first = Math.floor(t.entries[0].seq / cs);
    const last = Math.floor(t.entries[t.entries.length - 1].seq / cs);
    for (let c = first; c <= last; c++) keys.push(chunkKey(t.meta.tabId, c));
    return keys;
  }

  private markChunk(tabId: number, seq: number): void {
    const c = Math.floor(seq / this.limits.chunkSize);
    let s = this.dirtyChunks.get(tabId);
    if (!s) {
      s = new Set();
      this.dirtyChunks.set(tabId, s);
    }
    s.add(c);
    this.removedKeys.delete(chunkKey(tabId, c));
  }

  /** After a failed write: everything must be written again. */
  markAllDirty(): void {
    for (const t of this.tabs.values()) {
      this.dirtyMeta.add(t.meta.tabId);
      for (const e of t.entries) this.markChunk(t.meta.tabId, e.seq);
    }
  }

  get dirty(): boolean {
    return this.dirtyMeta.size > 0 || this.dirtyChunks.size > 0 || this.removedKeys.size > 0;
  }

  /** Everything changed since the last call, as storage writes. */
  takeWrites(): Writes {
    const set: Record<string, unknown> = {};
    const cs = this.limits.chunkSize;
    for (const [tabId, chunks] of this.dirtyChunks) {
      const t = this.tabs.get(tabId);
      if (!t) continue;
      for (const c of chunks) {
        const lo = c * cs,
          hi = lo + cs;
        // Entries are contiguous by seq: slice, don't scan.
        const first = t.entries.length ? t.entries[0].seq : 0;
        const list = t.entries.slice(Math.max(0, lo - first), Math.max(0, hi - first));
        // One string per chunk: Chromium counts a structured value against the storage.session quota at about
        // three times its JSON length (measured: 895 KB of JSON = 2.76 MB in use), a string at its length.
        if (list.length)
          set[chunkKey(tabId, c)] = `[${list.map((e) => this.json.get(e) ?? this.serialise(e)).join(',')}]`;
        else this.removedKeys.add(chunkKey(tabId, c));
      }
    }
    for (const tabId of this.dirtyMeta) {
      const t = this.tabs.get(tabId);
      if (t) set[metaKey(tabId)] = t.meta;
    }
    if (this.staleKeys.size >= (this.limits.staleBatch ?? 1) || this.deadTotal > this.staleAllowance) this.flushStale();
    const remove = [...this.removedKeys].filter((k) => !(k in set));
    this.dirtyChunks.clear();
    this.dirtyMeta.clear();
    this.removedKeys.clear();
    this.json.clear();
    return { set, remove };
  }

  /**
   * Rebuild from everything storage.session holds (after the worker was restarted): reads back what takeWrites
   * wrote; `diagnose` gives each entry its verdict again (see serialise).
   */
  load(
    all: Record<string, unknown>,
    diagnose: (request: ObservedRequest) => Verdict,
  ): { tabs: number; entries: number } {
    const metas = new Map<number, TabMeta>();
    const chunks = new Map<number, Entry[][]>();
    const staleCandidates: [string, number, Entry[]][] = [];
    for (const [k, v] of Object.entries(all)) {
      if (!k.startsWith(KEY_PREFIX)) continue;
      const parts = k.slice(KEY_PREFIX.length).split(':');
      const tabId = Number(parts[1]);
      if (!Number.isInteger(tabId)) continue;
      if (parts[0] === 'm' && v && typeof v === 'object') metas.set(tabId, v as TabMeta);
      else if (parts[0] === 'c') {
        let arr: unknown = v;
        if (typeof v === 'string') {
          try {
            arr = JSON.parse(v);
          } catch {
            continue;
          } // a torn write: that chunk is lost, the rest is not
        }
        if (!Array.isArray(arr)) continue;
        staleCandidates.push([k, tabId, arr as Entry[]]);
        const list = chunks.get(tabId) ?? [];
        list.push(arr as Entry[]);
        chunks.set(tabId, list);
      }
    }
    let n = 0;
    for (const [tabId, meta] of metas) {
      const entries = (chunks.get(tabId) ?? [])
        .flat()
        .filter((e) => e && e.seq >= meta.firstSeq && e.seq < meta.nextSeq && e.request);
      entries.sort((a, b) => a.seq - b.seq);
      for (const e of entries) e.verdict = diagnose(e.request);
      const existing = this.tabs.get(tabId);
      // Entries added since the restart (there should be none: events wait for the restore) go after.
      const merged = existing ? [...entries, ...existing.entries.filter((e) => e.seq >= meta.nextSeq)] : entries;
      const bytes = merged.reduce((s, e) => s + (e.bytes || 0), 0);
      this.totalBytes += bytes - (existing?.bytes ?? 0);
      const blocked = merged.reduce((n, e) => n + (e.verdict?.kind === 'blocked' ? 1 : 0), 0);
      this.tabs.set(tabId, {
        meta: { ...meta, blocked, nextSeq: Math.max(meta.nextSeq, existing?.meta.nextSeq ?? 0) },
        entries: merged,
        bytes,
      });
      n += merged.length;
    }
    // Chunks the previous worker had evicted but not yet removed (its last batch): remove them with the next one.
    for (const [k, tabId, list] of staleCandidates) {
      const meta = metas.get(tabId);
      if (!meta || list.every((e) => !e || e.seq < meta.firstSeq)) {
        this.staleKeys.add(k);
        const b = list.reduce((sum, e) => sum + (e?.bytes || 0), 0);
        this.dead.set(k, b);
        this.deadTotal += b;
      }
    }
    return { tabs: metas.size, entries: n };
  }
}
