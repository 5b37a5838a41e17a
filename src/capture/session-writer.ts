// Writes the capture state to storage.session: the per-tab logs (TabStore's writes) and one key per request in
// flight (Correlator's changes), when deps.scheduleWrite says. Handles the quota: a full storage lowers the byte
// budget and writes again, and a lowered budget is raised again once storage has room.
import type { Correlator } from './correlator';
import { KEY_PREFIX, type TabStore } from './tab-store';

export interface KeyValueStorage {
  getAll(): Promise<Record<string, unknown>>;
  write(set: Record<string, unknown>, remove: string[]): Promise<void>;
  /** Bytes still free in the storage area (quota minus bytes in use), or null where the browser cannot say. */
  room?(): Promise<number | null>;
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

export interface WriterDeps {
  storage: KeyValueStorage;
  isQuotaError(e: unknown): boolean;
  scheduleWrite?: (fn: () => void) => void;
  maxBytesTotal: number;
  /** A note for getStatus, one per topic, updated in place. */
  note(topic: string, text: string): void;
  fail(where: string, e: unknown): void;
}

export class SessionWriter {
  private writeScheduled = false;
  private idle: Promise<void> = Promise.resolve();
  private tombstones: string[] = [];
  /** Markers left by the previous worker go with this worker's first write. */
  private leftoverTombstones = false;
  private quota = { errors: 0, evicted: 0 };
  private budgetTimer: ReturnType<typeof setTimeout> | null = null;

  /** How often a lowered budget is checked against the room storage really has (another writer may have left). */
  static readonly BUDGET_CHECK_MS = 5_000;

  constructor(
    private readonly store: TabStore,
    private readonly correlator: Correlator,
    private readonly deps: WriterDeps,
  ) {}

  /** The stored flights (parsed) from a storage read; keys that cannot be read back are marked for removal. */
  restoreFlights(all: Record<string, unknown>): unknown[] {
    const flights: unknown[] = [];
    for (const [k, v] of Object.entries(all)) {
      if (!k.startsWith(FLIGHT_PREFIX)) continue;
      if (typeof v !== 'string') {
        this.tombstones.push(k);
        continue;
      }
      try {
        flights.push(JSON.parse(v));
      } catch {
        this.tombstones.push(k);
      } // a torn write: that flight is lost
    }
    this.leftoverTombstones = this.tombstones.length > 0;
    return flights;
  }

  /** Resolves when every write issued so far has been handed to storage. */
  flushed(): Promise<void> {
    return this.idle;
  }

  /**
   * A write goes out when deps.scheduleWrite runs it (by default at the end of the task that changed something; the
   * worker batches by time: write-schedule.ts), without waiting for earlier writes (storage.session applies them in call
   * order). A worker killed abruptly loses only what it handled since the last write went out: docs/architecture.md, "Durability
   * window".
   */
  requestWrite(): void {
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
      if (this.deps.isQuotaError(e)) this.quotaReached();
      else this.deps.fail('storage', e);
    }
  }

  /**
   * Our byte estimate was too optimistic: lower the budget to nine tenths of what we hold (evicting the oldest down to
   * it), and write everything again (the failed call wrote nothing: storage applies a set whole or not).
   */
  private quotaReached(): void {
    const n = this.store.lowerBudget(this.store.bytes * 0.9);
    this.quota.errors++;
    this.quota.evicted += n;
    this.deps.note(
      'quota',
      `storage quota reached ${this.quota.errors === 1 ? 'once' : `${this.quota.errors} times`}: evicted ${this.quota.evicted} oldest entries in all; budget now ${Math.round(this.store.byteBudget / 1024)} KiB`,
    );
    this.store.markAllDirty();
    this.correlator.markAllChanged();
    this.requestWrite();
    this.scheduleBudgetCheck();
  }

  private scheduleBudgetCheck(): void {
    if (this.budgetTimer) return;
    this.budgetTimer = setTimeout(() => {
      this.budgetTimer = null;
      void this.checkBudget();
    }, SessionWriter.BUDGET_CHECK_MS);
    (this.budgetTimer as { unref?: () => void }).unref?.();
  }

  /** Raise a budget lowered by a quota error to what now fits: our bytes plus nine tenths of the free room. */
  async checkBudget(): Promise<void> {
    const max = this.deps.maxBytesTotal;
    if (this.store.byteBudget >= max) return;
    let room: number | null = null;
    try {
      room = (await this.deps.storage.room?.()) ?? null;
    } catch {
      room = null;
    }
    // Where the browser cannot say (Firefox), grow by a quarter and let the next quota error correct it.
    const next = room === null ? this.store.byteBudget * 1.25 : this.store.bytes + this.store.deadBytes + room * 0.9;
    this.store.raiseBudget(Math.min(max, next));
    if (this.store.byteBudget < max) this.scheduleBudgetCheck();
  }
}
