// storage.session behind a small interface, writes serialised on one promise chain so a burst of events
// becomes a few large writes instead of thousands of small ones (the uBlock Origin pattern).
import { browser } from './browser';

export interface SessionStorage {
  getAll(): Promise<Record<string, unknown>>;
  /** Queue a write; resolves when it (and every write before it) has been handed to the browser. */
  write(set: Record<string, unknown>, remove: string[]): Promise<void>;
  /** What the browser counts against the quota (Chromium), or null where it cannot say. */
  bytesInUse(): Promise<number | null>;
  /** Free bytes: QUOTA_BYTES minus bytes in use (Chromium), or null where the browser cannot say. */
  room(): Promise<number | null>;
}

export function sessionStorage(): SessionStorage {
  const area = browser.storage.session;
  return {
    getAll: () => area.get(null) as Promise<Record<string, unknown>>,
    async write(set, remove) {
      // Both calls are issued before either is awaited: the browser applies storage calls in call order, so
      // writes issued one after another (without waiting) can never land out of order.
      const calls: Promise<void>[] = [];
      if (remove.length) calls.push(area.remove(remove));
      if (Object.keys(set).length) calls.push(area.set(set));
      await Promise.all(calls);
    },
    async room() {
      const quota = (area as unknown as { QUOTA_BYTES?: number }).QUOTA_BYTES;
      const used = await this.bytesInUse();
      return typeof quota === 'number' && used !== null ? Math.max(0, quota - used) : null;
    },
    async bytesInUse() {
      const a = area as unknown as { getBytesInUse?: (keys: null) => Promise<number> };
      try {
        return typeof a.getBytesInUse === 'function' ? await a.getBytesInUse(null) : null;
      } catch {
        return null;
      }
    },
  };
}

/** True for the error storage.session throws when its quota (10 MiB in Chromium) is exceeded. */
export function isQuotaError(e: unknown): boolean {
  return /quota/i.test(String((e as Error)?.message ?? e));
}
