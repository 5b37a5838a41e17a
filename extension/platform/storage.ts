// storage.session behind a small interface, writes serialised on one promise chain so a burst of events
// becomes a few large writes instead of thousands of small ones (the uBlock Origin pattern).
import { browser } from './browser';

export interface SessionStorage {
  getAll(): Promise<Record<string, unknown>>;
  /** Queue a write; resolves when it (and every write before it) has been handed to the browser. */
  write(set: Record<string, unknown>, remove: string[]): Promise<void>;
}

export function sessionStorage(): SessionStorage {
  const area = browser.storage.session;
  return {
    getAll: () => area.get(null) as Promise<Record<string, unknown>>,
    async write(set, remove) {
      if (remove.length) await area.remove(remove);
      if (Object.keys(set).length) await area.set(set);
    },
  };
}

/** True for the error storage.session throws when its quota (10 MiB in Chromium) is exceeded. */
export function isQuotaError(e: unknown): boolean {
  return /quota/i.test(String((e as Error)?.message ?? e));
}
