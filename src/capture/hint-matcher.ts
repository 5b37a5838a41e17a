// Matches the page observer's word on a call (its mode, credentials, or how it failed in the page) with the request
// webRequest reported. Either may arrive first: a hint waits for its request, a finished request waits (indexed) for
// its hint, and a page failure waits for the request it names. Pure bookkeeping; the service re-diagnoses.
import type { ObservedRequest } from '../engine/types';
import type { Entry } from './tab-store';
import type { PageHint } from './page-hint';
import { failureMatches, type PageFailureHint } from './page-failures';
import { originOf } from './url-origin';

/** A hint and a request match when they name the same URL and method within this window. */
export const HINT_WINDOW_MS = 15_000;

/** Gives a request the page's own word on its mode and credentials. */
export function applyHint(req: ObservedRequest, h: PageHint): void {
  req.hints = { mode: h.mode, credentials: h.credentials, source: 'page-observer' };
  if (h.redirect === 'manual' || h.redirect === 'error') req.hints.redirect = h.redirect;
  if (typeof h.targetAddressSpace === 'string' && h.targetAddressSpace.length < 32)
    req.hints.targetAddressSpace = h.targetAddressSpace;
  if (typeof h.secureContext === 'boolean') req.hints.secureContext = h.secureContext;
  // webRequest calls fetch() and XHR both 'xmlhttprequest'; the page knows which (console wording differs).
  if (h.api === 'fetch' && req.type === 'xmlhttprequest') req.type = 'fetch';
}

const UNHINTED_KEYS = 2000;

export class HintMatcher {
  /** Page-observer hints not matched to a request yet, per tab. */
  private hints = new Map<number, PageHint[]>();
  /** Page failures not matched to a request yet, per tab (a failure can arrive before the network's last event). */
  private failures = new Map<number, PageFailureHint[]>();
  /**
   * Entries diagnosed without a page hint, by tab, method and URL (newest last), so a hint arriving after its request
   * finished finds it directly, instead of every hint that arrives before its request finishes scanning the log in
   * vain (docs/performance.md).
   */
  private unhinted = new Map<string, Entry[]>();

  constructor(private readonly now: () => number) {}

  /** Keeps hints no request has claimed yet (the tab's list, minus stale ones, plus `fresh`). */
  keepHints(tabId: number, fresh: PageHint[]): void {
    const now = this.now();
    const list = (this.hints.get(tabId) ?? []).filter((h) => now - h.t < HINT_WINDOW_MS * 4);
    list.push(...fresh);
    this.hints.set(tabId, list.slice(-2000));
  }

  /** The oldest unused hint for this request, removed from the tab's list. */
  takeHint(tabId: number, req: ObservedRequest): PageHint | undefined {
    const list = this.hints.get(tabId);
    if (!list) return undefined;
    const i = list.findIndex(
      (h) => h.url === req.url && h.method === req.method && Math.abs((req.startedAt ?? h.t) - h.t) < HINT_WINDOW_MS,
    );
    if (i < 0) return undefined;
    return list.splice(i, 1)[0];
  }

  keepFailure(tabId: number, h: PageFailureHint): void {
    const now = this.now();
    const list = this.failures.get(tabId) ?? [];
    list.push(h);
    this.failures.set(tabId, list.filter((f) => now - f.t < HINT_WINDOW_MS * 4).slice(-200));
  }

  takeFailure(tabId: number, req: ObservedRequest): PageFailureHint | undefined {
    if (this.failures.size === 0) return undefined;
    const list = this.failures.get(tabId);
    if (!list) return undefined;
    const i = list.findIndex((f) => failureMatches(f, req, HINT_WINDOW_MS));
    return i < 0 ? undefined : list.splice(i, 1)[0];
  }

  /** A finished entry diagnosed without a hint, for a hint that comes later. */
  rememberUnhinted(tabId: number, e: Entry): void {
    const key = `${tabId} ${e.request.method} ${e.request.url}`;
    const list = this.unhinted.get(key);
    if (list) {
      list.push(e);
      if (list.length > 16) list.shift();
      return;
    }
    this.unhinted.set(key, [e]);
    if (this.unhinted.size > UNHINTED_KEYS) this.unhinted.delete(this.unhinted.keys().next().value as string);
  }

  /** The finished, still-kept, unhinted entry this hint is about (`kept`: the tab's log), removed from the index. */
  recentEntryFor(tabId: number, h: PageHint, kept: readonly Entry[]): Entry | undefined {
    const key = `${tabId} ${h.method} ${h.url}`;
    const list = this.unhinted.get(key);
    if (!list) return undefined;
    const first = kept.length ? kept[0].seq : Infinity;
    let found: Entry | undefined;
    for (let i = list.length - 1; i >= 0 && !found; i--) {
      const e = list[i];
      // Gone from the log (evicted, cleared) or already hinted: forget it.
      if (e.seq < first || kept[e.seq - first] !== e || e.request.hints) {
        list.splice(i, 1);
        continue;
      }
      if (Math.abs((e.request.startedAt ?? h.t) - h.t) > HINT_WINDOW_MS) continue;
      list.splice(i, 1);
      found = e;
    }
    if (list.length === 0) this.unhinted.delete(key);
    return found;
  }

  /**
   * Origins of calls the page made at least `olderThanMs` ago that no request has claimed: calls the network never
   * reported to the extension (in practice: to a site it has no access to, since the page observer runs wherever the
   * page's own site is accessible).
   */
  unclaimedOrigins(tabId: number, olderThanMs: number): string[] {
    const before = this.now() - olderThanMs;
    const out = new Set<string>();
    for (const h of this.hints.get(tabId) ?? []) {
      if (h.t > before || h.t < before - HINT_WINDOW_MS * 4) continue;
      const o = originOf(h.url);
      if (o && o !== 'null') out.add(o);
    }
    return [...out];
  }

  dropTab(tabId: number): void {
    this.hints.delete(tabId);
    this.failures.delete(tabId);
  }
}
