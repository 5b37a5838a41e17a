// Folds HAR exchanges (one entry per round trip) into logical requests: a preflight joins the actual request it
// announced, redirect hops chain into one request (har.md). Works on a stream with a bounded look-behind window, so
// the same code serves whole-file import (window = ∞) and the streaming importer (window = N entries).
import type { Exchange, ObservedRequest, Outcome } from '../engine/types';
import { originOf } from '../engine';
import { headerValue, type NormalizedEntry } from './entry';
import type { HarWarning, PageMap } from './types';

export interface FolderOptions {
  /** Entries a preflight or an unfinished redirect chain may wait for its partner. */
  window: number;
  /** Entries a finished request is held back, so a preflight listed after it (Chrome's order) can still join. */
  lag: number;
  /** `--origin`: the page origin to assume when nothing in the HAR says. */
  origin?: string;
  pages: PageMap;
  warnings: HarWarning[];
  /** False for proxy-written HARs: a completed response there is the server's answer, not the browser's verdict. */
  browserOutcome?: () => boolean;
  /**
   * Called for a request whose page origin can only come from `log.pages` before those pages are known (a
   * streamed HAR with `pages` after `entries`); returning true means the caller keeps it and resolves it later.
   */
  deferUnresolved?: (req: ObservedRequest, pageref: string) => boolean;
}

interface Pending {
  seq: number;
  firstIndex: number;
  lastIndex: number;
  entries: NormalizedEntry[];
  requestId: string | null;
  pageref: string | null;
  /** Redirect target the chain waits for (its last main hop was a followed redirect). */
  awaitingUrl: string | null;
  hasMain: boolean;
  done: boolean;
  merged: boolean;
  closed: boolean;
}

/** Candidates for a preflight listed after its actual request (Chrome DevTools lists the fetch row first). */
interface HopRef {
  p: Pending;
  entry: NormalizedEntry;
}

/**
 * Default look-behind, shared by the whole-file and the streaming importer so both give the same answer: a preflight
 * waits up to 5000 entries for its request (a busy page rarely has more than a few hundred in flight), a finished
 * request waits 500 entries for a preflight Chrome listed after it. Bounded windows also keep the matching linear
 * on hostile files (10,000 orphan preflights to one URL).
 */
export const DEFAULT_WINDOW = 5000;
export const DEFAULT_LAG = 500;
const MAX_BACK_CANDIDATES = 64;
// How long after a main request started a preflight may start and still be its own, when the main request's end
// is unknown or instantaneous (Chrome exports a blocked request with `time` 0 or tiny): generous, the other checks
// (method = ACRM, ACRH ⊆ request headers, no preflight yet) carry the weight.
const PREFLIGHT_SLACK_MS = 5000;

/** The origin of a HAR URL or Origin header value; null when missing, unparsable or opaque (nothing to attribute). */
export function tupleOriginOf(value: string | null | undefined): string | null {
  const o = originOf(value);
  return o === 'null' ? null : o;
}

/** Waiting preflights are keyed by URL and the method they announce (`*` when Chrome left ACRM out). */
const pfKey = (url: string, acrm: string | null) => `${acrm ?? '*'} ${url}`;

function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

function removeFrom<K, V>(m: Map<K, V[]>, k: K, pred: (v: V) => boolean): void {
  const a = m.get(k);
  if (!a) return;
  const b = a.filter((v) => !pred(v));
  if (b.length) m.set(k, b);
  else m.delete(k);
}

export class HarFolder {
  private queue: Pending[] = [];
  private head = 0;
  private seq = 0;
  private current = -1;
  private preflights = new Map<string, Pending[]>();
  private awaiting = new Map<string, Pending[]>();
  private recentMains = new Map<string, HopRef[]>();
  private byRequestId = new Map<string, Pending>();

  constructor(private readonly opts: FolderOptions) {}

  /** Feeds the next entry (in file order); returns the requests that are now complete, in file order. */
  push(e: NormalizedEntry): ObservedRequest[] {
    this.current = e.index;
    if (e.isPreflight) this.pushPreflight(e);
    else this.pushMain(e);
    return this.drain(false);
  }

  /** Ends the input: every request still open is completed as it stands. */
  finish(): ObservedRequest[] {
    return this.drain(true);
  }

  /** Preflights still waiting for their request, for this URL and announced method (ACRM). */
  private waitingPreflights(url: string, acrm: string | null): Pending[] | undefined {
    const key = pfKey(url, acrm);
    this.purge(key);
    return this.preflights.get(key);
  }

  /**
   * The earliest waiting preflight that can announce main request `e` (its ACRM is `e`'s method, or unknown), taken
   * out of the waiting lists (it becomes part of a request).
   */
  private findWaitingPreflight(e: NormalizedEntry, ok: (q: Pending) => boolean): Pending | undefined {
    let best: Pending | undefined;
    for (const acrm of [e.exchange.method.toUpperCase(), null]) {
      const q = this.waitingPreflights(e.exchange.url, acrm)?.find(
        (x) => !x.closed && !x.merged && !x.hasMain && ok(x),
      );
      if (q && (!best || q.seq < best.seq)) best = q;
    }
    if (best) {
      const found = best;
      removeFrom(this.preflights, pfKey(e.exchange.url, found.entries[0].acrm), (q) => q === found);
    }
    return best;
  }

  /**
   * Drops finished items from the front of a waiting list. Lists are in file order and items finish roughly in that
   * order, so this keeps them short without a linear removal per item (10,000 orphan preflights to one URL).
   */
  private purge(key: string): void {
    const a = this.preflights.get(key);
    if (!a) return;
    let n = 0;
    while (n < a.length && (a[n].closed || a[n].merged || a[n].hasMain)) n++;
    if (n === a.length) this.preflights.delete(key);
    else if (n > 0) a.splice(0, n);
  }

  private newPending(e: NormalizedEntry): Pending {
    const p: Pending = {
      seq: this.seq++,
      firstIndex: e.index,
      lastIndex: e.index,
      entries: [e],
      requestId: e.requestId,
      pageref: e.pageref,
      awaitingUrl: null,
      hasMain: false,
      done: false,
      merged: false,
      closed: false,
    };
    this.queue.push(p);
    if (e.requestId) this.byRequestId.set(e.requestId, p);
    return p;
  }

  /** Same page (pageref), same Origin header, same logical request id — whichever both sides state. */
  private compatible(a: NormalizedEntry, b: NormalizedEntry, sameHop = true): boolean {
    if (a.pageref && b.pageref && a.pageref !== b.pageref) return false;
    // Across redirect hops the Origin header legitimately changes (it becomes "null" once tainted).
    if (sameHop && a.originHeader && b.originHeader && a.originHeader !== b.originHeader) return false;
    if (a.requestId && b.requestId && a.requestId !== b.requestId) return false;
    return true;
  }

  /** A preflight `pf` can announce `main`: ACRM is its method and every ACRH name is among its headers. */
  private announces(pf: NormalizedEntry, main: NormalizedEntry, sameHop = true): boolean {
    if (pf.exchange.url !== main.exchange.url) return false;
    if (pf.acrm !== null && pf.acrm !== main.exchange.method.toUpperCase()) return false;
    if (!this.compatible(pf, main, sameHop)) return false;
    const acrh = headerValue(pf.exchange.requestHeaders, 'access-control-request-headers');
    const sent = main.exchange.requestHeaders;
    // An actual request that never reached the server is exported by some tools with no request headers at all.
    if (acrh && sent && sent.length > 0) {
      const names = new Set(sent.map((h) => h.name.toLowerCase()));
      for (const n of acrh.split(',')) {
        const name = n.trim().toLowerCase();
        if (name && !names.has(name)) return false;
      }
    }
    return true;
  }

  private pushPreflight(e: NormalizedEntry): void {
    // 1. Our recordings say which logical request a preflight belongs to.
    if (e.requestId) {
      const p = this.byRequestId.get(e.requestId);
      if (p && !p.closed && !p.merged) {
        const hop = p.entries.findIndex(
          (x, i) => !x.isPreflight && this.announces(e, x) && !(i > 0 && p.entries[i - 1].isPreflight),
        );
        if (hop >= 0 && !p.awaitingUrl) p.entries.splice(hop, 0, e);
        else p.entries.push(e);
        p.lastIndex = e.index;
        return;
      }
    }
    // 2. Listed after its actual request (Chrome DevTools order): the preflight started while that request ran.
    const back = this.findBackward(e);
    if (back) {
      const { p, entry } = back;
      p.entries.splice(p.entries.indexOf(entry), 0, e);
      p.lastIndex = Math.max(p.lastIndex, e.index);
      removeFrom(this.recentMains, entry.exchange.url, (r) => r.entry === entry);
      return;
    }
    // 3. A retry: Firefox re-sends a preflight that died on the network (NS_ERROR_NET_RESET) for the same request.
    const waiting = this.waitingPreflights(e.exchange.url, e.acrm);
    const retryOf = waiting?.[waiting.length - 1];
    const prev = retryOf?.entries[retryOf.entries.length - 1];
    if (
      retryOf &&
      prev &&
      !retryOf.closed &&
      !retryOf.merged &&
      !retryOf.hasMain &&
      prev.exchange.response === null &&
      prev.exchange.error !== undefined &&
      this.compatible(prev, e)
    ) {
      retryOf.entries.push(e);
      retryOf.lastIndex = e.index;
      return;
    }
    // 4. Listed before it (our recordings, Firefox, proxies): wait for it.
    const p = this.newPending(e);
    pushTo(this.preflights, pfKey(e.exchange.url, e.acrm), p);
  }

  private findBackward(pf: NormalizedEntry): HopRef | null {
    const cands = this.recentMains.get(pf.exchange.url);
    if (!cands) return null;
    const t = pf.exchange.startedAt;
    for (let i = cands.length - 1; i >= 0; i--) {
      const { p, entry } = cands[i];
      // A redirect hop may carry a tainted `Origin: null` that its preflight does not.
      const firstHop = p.entries.find((x) => !x.isPreflight) === entry;
      if (p.closed || p.merged || !this.announces(pf, entry, firstHop)) continue;
      const s = entry.exchange.startedAt;
      if (t === undefined || s === undefined) {
        if (pf.preflightFor === entry.exchange.url) return cands[i];
        continue;
      }
      const end = Math.max(entry.exchange.endedAt ?? s, s + PREFLIGHT_SLACK_MS);
      // chrome-har stamps the actual request when it is sent, after its preflight ended (measured on a recording,
      // test/unit/har/corpus/chrome-har-recorded.har), and may still list it first: a preflight that started shortly
      // before counts too.
      if (t >= s - PREFLIGHT_SLACK_MS && t <= end) return cands[i];
    }
    return null;
  }

  private pushMain(e: NormalizedEntry): void {
    let p: Pending | undefined;
    // Redirect continuation: by request id, else the open chain whose last hop pointed here.
    if (e.requestId) {
      const q = this.byRequestId.get(e.requestId);
      if (q && !q.closed && !q.merged && q.awaitingUrl !== null) p = q;
    }
    if (!p) {
      const chains = this.awaiting.get(e.exchange.url);
      p = chains?.find((q) => !q.closed && !q.merged && this.compatible(q.entries[q.entries.length - 1], e, false));
    }
    if (p) {
      removeFrom(this.awaiting, p.awaitingUrl, (q) => q === p);
      p.awaitingUrl = null;
      // A preflight for this hop listed between the hops (cross-origin redirect of a preflighted request); the
      // hop itself may carry a tainted `Origin: null` while its preflight does not.
      const last = p.lastIndex;
      const pf = this.findWaitingPreflight(e, (q) => q.firstIndex > last && this.announces(q.entries[0], e, false));
      if (pf) {
        pf.merged = true;
        p.entries.push(...pf.entries);
      }
      p.entries.push(e);
      if (!pf) this.rememberMain(p, e);
    } else {
      p = this.findWaitingPreflight(e, (q) => this.announces(q.entries[0], e));
      if (p) {
        p.entries.push(e);
        if (!p.requestId && e.requestId) {
          p.requestId = e.requestId;
          this.byRequestId.set(e.requestId, p);
        }
      } else {
        p = this.newPending(e);
        this.rememberMain(p, e);
      }
      if (!p.pageref) p.pageref = e.pageref;
    }
    p.hasMain = true;
    p.lastIndex = e.index;
    if (e.exchange.redirectUrl) {
      p.awaitingUrl = e.exchange.redirectUrl;
      pushTo(this.awaiting, p.awaitingUrl, p);
      p.done = false;
    } else {
      p.done = true;
    }
  }

  /** A hop without a preflight yet: Chrome may list its preflight just after it. */
  private rememberMain(p: Pending, e: NormalizedEntry): void {
    pushTo(this.recentMains, e.exchange.url, { p, entry: e });
    const list = this.recentMains.get(e.exchange.url);
    if (list && list.length > MAX_BACK_CANDIDATES) list.splice(0, list.length - MAX_BACK_CANDIDATES);
  }

  private drain(all: boolean): ObservedRequest[] {
    const out: ObservedRequest[] = [];
    while (this.head < this.queue.length) {
      const p = this.queue[this.head];
      const age = this.current - p.lastIndex;
      if (!(all || p.merged || (p.done && age > this.opts.lag) || age > this.opts.window)) break;
      this.head++;
      if (p.merged) continue;
      this.close(p);
      if (!p.done && p.hasMain === false) {
        this.opts.warnings.push({
          index: p.firstIndex,
          code: 'orphan-preflight',
          message: `entry ${p.firstIndex}: preflight without its actual request; reported as the request it announced`,
        });
      }
      const req = this.build(p);
      const deferred = req.initiator === null && p.pageref !== null && this.opts.deferUnresolved?.(req, p.pageref);
      if (!deferred) out.push(req);
    }
    // Compact now and then so a long stream does not keep every request it ever saw.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  private close(p: Pending): void {
    p.closed = true;
    for (const e of p.entries) {
      const url = e.exchange.url;
      if (e.isPreflight) this.purge(pfKey(url, e.acrm));
      else removeFrom(this.recentMains, url, (r) => r.p === p);
    }
    if (p.awaitingUrl) removeFrom(this.awaiting, p.awaitingUrl, (q) => q === p);
    if (p.requestId && this.byRequestId.get(p.requestId) === p) this.byRequestId.delete(p.requestId);
  }

  private build(p: Pending): ObservedRequest {
    const entries = p.entries;
    const exchanges: Exchange[] = entries.map((e) => e.exchange);
    const mains = entries.filter((e) => !e.isPreflight);
    const first = mains[0] ?? entries[0];
    const method = mains[0] ? mains[0].exchange.method : (entries[0].acrm ?? 'GET');
    const req: ObservedRequest = {
      id: p.requestId ?? `har-${p.firstIndex}`,
      initiator: this.resolveInitiator(p),
      method,
      url: first.exchange.url,
      exchanges,
      outcome: outcomeOf(mains, entries),
    };
    if (req.outcome.kind === 'completed' && this.opts.browserOutcome && !this.opts.browserOutcome())
      req.outcome = { kind: 'unknown' };
    const doc =
      entries.map((e) => e.initiatorUrl).find((u) => tupleOriginOf(u) !== null) ??
      (p.pageref ? this.opts.pages.get(p.pageref) : undefined);
    if (doc) req.documentUrl = doc;
    const type = mains[0]?.resourceType;
    if (type) req.type = type;
    const hints = entries.find((e) => e.hints)?.hints;
    if (hints) req.hints = hints;
    const notes = notesOf(entries);
    if (notes.length) req.notes = notes;
    const started = exchanges.find((x) => x.startedAt !== undefined)?.startedAt;
    if (started !== undefined) req.startedAt = started;
    return req;
  }

  /**
   * Page origin, from the strongest evidence down (har.md), after `_corsLens.initiator` (written only by our exporter):
   * the Origin header of the request or its preflight; `Sec-Fetch-Site: same-origin` on the first hop (the page has
   * the URL's origin, https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-site-header); the page of `pageref`
   * (`pages[].title`); `_initiator` when it names the page (entry.ts: never a script URL); the Referer (the page URL
   * or origin under the default referrer policy); `--origin`. An `Origin: null` counts only on the first hop: later
   * hops get it from redirect tainting (https://fetch.spec.whatwg.org/#concept-request-tainted-origin), which says
   * nothing about the page.
   */
  resolveInitiator(p: Pending): string | null {
    // Written by our own exporter: the origin a previous diagnosis settled on.
    for (const e of p.entries) {
      if (e.statedInitiator === 'null') return 'null';
      const o = tupleOriginOf(e.statedInitiator);
      if (o) return o;
    }
    let seenMain = false;
    for (const e of p.entries) {
      if (e.originHeader !== null) {
        const v = e.originHeader.trim();
        if (v === 'null') {
          if (!seenMain) return 'null';
        } else {
          const o = tupleOriginOf(v);
          if (o) return o;
        }
      }
      if (!e.isPreflight) seenMain = true;
    }
    const firstHop = p.entries.find((e) => !e.isPreflight) ?? p.entries[0];
    if (headerValue(firstHop.exchange.requestHeaders, 'sec-fetch-site')?.trim().toLowerCase() === 'same-origin') {
      const o = tupleOriginOf(firstHop.exchange.url);
      if (o) return o;
    }
    if (p.pageref) {
      const o = tupleOriginOf(this.opts.pages.get(p.pageref));
      if (o) return o;
    }
    for (const e of p.entries) {
      const o = tupleOriginOf(e.initiatorUrl);
      if (o) return o;
    }
    for (const e of p.entries) {
      const o = tupleOriginOf(e.referer);
      if (o) return o;
    }
    return tupleOriginOf(this.opts.origin) ?? null;
  }
}

/** What the importer assumed for an exchange, in plain words (ObservedRequest.notes). */
function notesOf(entries: NormalizedEntry[]): string[] {
  const notes: string[] = [];
  for (const e of entries) {
    if (e.statusAssumed === null) continue;
    const beside = e.exchange.error ? ` beside ${e.exchange.error}` : '';
    notes.push(
      e.statusAssumed === 'preflight'
        ? `entry ${e.index}: preflight recorded with status 0 and its response headers kept${beside}; its headers were judged as if the status was 2xx (unknown)`
        : `entry ${e.index}: recorded with status 0 and its response headers kept${beside}; the headers were judged, the status is unknown`,
    );
  }
  return notes;
}

/** How the request ended: the last actual hop's error or status; a lone preflight tells only of its own failure. */
function outcomeOf(mains: NormalizedEntry[], entries: NormalizedEntry[]): Outcome {
  const last = mains[mains.length - 1];
  if (!last) {
    const err = entries.find((e) => e.exchange.error)?.exchange.error;
    return err ? { kind: 'error', error: err } : { kind: 'unknown' };
  }
  if (last.exchange.error) return { kind: 'error', error: last.exchange.error };
  if (last.exchange.response) return { kind: 'completed', status: last.exchange.response.status };
  return { kind: 'unknown' };
}
