// The watch scope "Tabs I inspect": when on, the worker keeps only the requests of tabs where DevTools (with the
// CORS panel) or the popup was opened, from that moment on, and drops every other tab's events on arrival (no correlation,
// no verdict, no storage write). A tab stays watched until it is closed. What the scope cannot give back is said
// where it matters: a tab opened mid-page has lost what came before, until its page loads again
// (docs/site-access.md, "Watch modes").

export interface TabWatchState {
  /** The scope: every tab (false) or only tabs inspected in DevTools or the popup (true). */
  openedOnly: boolean;
  /** Whether this tab's requests are kept. Always true when openedOnly is false. */
  watched: boolean;
  /** When DevTools or the popup was first opened on the tab (ms since epoch), if it was. */
  since?: number;
  /** Whether the tab's page loaded since then, so nothing of the page is missing. */
  pageLoadedSince?: boolean;
}

interface Watched {
  since: number;
  pageLoadedSince: boolean;
}

/** Stored in storage.session so a restarted worker keeps watching the same tabs. */
export interface TabWatchSnapshot {
  v: 1;
  tabs: [number, number, boolean][];
}

export class TabWatch {
  private tabs = new Map<number, Watched>();
  /** Set when the watched set changed since the last snapshot was taken. */
  dirty = false;

  constructor(public openedOnly = false) {}

  /** The hot path: one check per event. */
  keeps(tabId: number): boolean {
    return !this.openedOnly || this.tabs.has(tabId);
  }

  /** DevTools or the popup was opened on the tab. */
  open(tabId: number, now: number): TabWatchState {
    if (!this.tabs.has(tabId)) {
      this.tabs.set(tabId, { since: now, pageLoadedSince: false });
      this.dirty = true;
    }
    return this.state(tabId);
  }

  /** A top-level navigation of the tab began: if watched, its next page is captured from the start. */
  navigated(tabId: number): void {
    const w = this.tabs.get(tabId);
    if (w && !w.pageLoadedSince) {
      w.pageLoadedSince = true;
      this.dirty = true;
    }
  }

  closed(tabId: number): void {
    if (this.tabs.delete(tabId)) this.dirty = true;
  }

  state(tabId: number): TabWatchState {
    const w = this.tabs.get(tabId);
    return {
      openedOnly: this.openedOnly,
      watched: this.keeps(tabId),
      ...(w ? { since: w.since, pageLoadedSince: w.pageLoadedSince } : {}),
    };
  }

  snapshot(): TabWatchSnapshot {
    this.dirty = false;
    return { v: 1, tabs: [...this.tabs].map(([id, w]) => [id, w.since, w.pageLoadedSince]) };
  }

  /** Reads a stored snapshot back; anything malformed is skipped (a torn or foreign value watches nothing). */
  restore(raw: unknown): void {
    const s = raw as TabWatchSnapshot | undefined;
    if (!s || s.v !== 1 || !Array.isArray(s.tabs)) return;
    for (const t of s.tabs) {
      if (!Array.isArray(t) || !Number.isInteger(t[0]) || typeof t[1] !== 'number') continue;
      this.tabs.set(t[0], { since: t[1], pageLoadedSince: t[2] === true });
    }
  }
}
