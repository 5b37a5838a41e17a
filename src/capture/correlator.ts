// Turns the stream of NetEvents into ObservedRequests: correlates by requestId, pairs each CORS preflight
// with its actual request, chains redirect hops, records the outcome. Pure and serialisable, so the worker
// can persist in-flight state and pick up where it left off after being killed (MV3 workers die).
//
// Ordering facts this relies on (measured in Chromium 156 and Firefox ESR 153; replayed from recordings by
// test/unit/capture/oracle-replay.test.ts and checked live by test/e2e/capture.*.test.ts):
// * Chromium: the preflight has its own requestId and fires right after the actual request's onBeforeRequest,
//   i.e. before the actual request's onSendHeaders — or, when the preflight fails, before the actual request's
//   onErrorOccurred (the actual request is then never sent and has no header events at all).
// * Firefox: the preflight fires right before the actual request's response, possibly after the actual
//   request's onSendHeaders. So pairing works in both directions: a main request claims a waiting preflight,
//   and a new preflight attaches itself to a waiting main request.
// * After a 307/308 to another origin (measured, Chromium 156 and Firefox ESR 153): Chromium fires the request's
//   redirect, then the next hop's preflight, then the hop's send-headers only if that preflight passed (else the
//   request's error, on the new URL); Firefox fires the next hop's send-headers before its preflight.
import type { Exchange, Header, ObservedRequest } from '../engine/types';
import type { NetEvent } from './events';
import { methodAfterRedirect } from '../engine';
import { originOf, isExtensionOrigin } from './url-origin';

export interface Flight {
  requestId: string;
  tabId: number;
  req: ObservedRequest;
  /** True once any hop went to an origin other than the initiator's: only those are diagnosed. */
  crossOrigin: boolean;
  /** This flight is a CORS preflight (OPTIONS + Access-Control-Request-Method). */
  preflight: boolean;
  /** For a preflight: its Access-Control-Request-Method, the method of the request it precedes. */
  acrm?: string;
  /** For a claimed preflight: the main flight that took it and the index of its exchange there. */
  claimedBy?: string;
  claimedIndex?: number;
  /** For a main flight: whether the current hop already has its preflight. */
  hopHasPreflight: boolean;
  lastSeen: number;
  /** Read back from storage after the worker restarted. */
  restored?: boolean;
}

export interface CorrelatorState {
  v: 1;
  flights: Flight[];
}

export interface CorrelatorOptions {
  /** A finished logical request that was cross-origin at some hop. */
  onFinished(tabId: number, req: ObservedRequest): void;
  /** How long an unclaimed preflight, or a main request with no further event, is kept (ms). */
  staleAfterMs?: number;
}

const ACRM = 'access-control-request-method';

function headerValue(headers: Header[], lowerName: string): string | undefined {
  for (const h of headers) if (h.name.toLowerCase() === lowerName) return h.value;
  return undefined;
}

export class Correlator {
  private flights = new Map<string, Flight>();
  private readonly staleAfterMs: number;
  /** Preflights seen but not yet claimed, oldest first, by pairing key. */
  private waiting = new Map<string, string[]>();
  /** Count of preflights that never found their request (aborted fetches, lost state). */
  orphanPreflights = 0;
  /** Flights changed or gone since the last takeChanges(): persisted one key per flight. */
  private changed = new Set<string>();
  private gone = new Set<string>();
  /** Flights handed out by takeChanges (so in storage): only their end needs a removal. */
  private persisted = new Set<string>();

  constructor(private readonly opts: CorrelatorOptions) {
    this.staleAfterMs = opts.staleAfterMs ?? 5 * 60_000;
  }

  get size(): number {
    return this.flights.size;
  }

  /** Whether an event is page traffic we diagnose at all. */
  static relevant(ev: NetEvent): boolean {
    if (ev.tabId < 0) return false; // other extensions' and the browser's own requests
    if (ev.initiator === null) return false; // browser-initiated: nothing to be cross-origin to
    if (isExtensionOrigin(ev.initiator)) return false;
    if (ev.url.startsWith('chrome-extension:') || ev.url.startsWith('moz-extension:')) return false;
    return true;
  }

  handle(ev: NetEvent): void {
    if (!Correlator.relevant(ev)) return;
    this.touch(ev.requestId);
    const known = this.flights.get(ev.requestId);
    if (known?.restored) known.restored = false;
    switch (ev.kind) {
      case 'send-headers':
        return this.onSendHeaders(ev);
      case 'headers-received': {
        const f = this.flights.get(ev.requestId) ?? this.adopt(ev);
        const x = this.current(f);
        x.response = { status: ev.statusCode, statusText: statusText(ev.statusLine), headers: ev.responseHeaders };
        if (ev.fromCache) x.response.fromCache = true;
        if (ev.ip) x.response.ip = ev.ip;
        f.lastSeen = ev.timeStamp;
        return;
      }
      case 'redirect': {
        const f = this.flights.get(ev.requestId) ?? this.adopt(ev);
        const x = this.current(f);
        x.redirectUrl = ev.redirectUrl;
        if (!x.response) x.response = { status: ev.statusCode, headers: ev.responseHeaders ?? [] };
        x.endedAt = ev.timeStamp;
        f.lastSeen = ev.timeStamp;
        // A redirect that leaves the initiator's origin makes a same-origin request a CORS request.
        if (originOf(ev.redirectUrl) !== f.req.initiator) f.crossOrigin = true;
        this.claimForNextHop(f);
        return;
      }
      case 'completed': {
        const f = this.flights.get(ev.requestId) ?? this.adopt(ev);
        const x = this.current(f);
        if (!x.response) x.response = { status: ev.statusCode, headers: ev.responseHeaders ?? [] };
        if (ev.fromCache) x.response.fromCache = true;
        x.endedAt = ev.timeStamp;
        f.lastSeen = ev.timeStamp;
        if (f.preflight) return; // waits to be claimed (or already was)
        f.req.outcome = { kind: 'completed', status: ev.statusCode };
        return this.finish(f);
      }
      case 'error': {
        const f = this.flights.get(ev.requestId) ?? this.adopt(ev);
        const x = this.current(f);
        x.error = ev.error;
        x.endedAt = ev.timeStamp;
        f.lastSeen = ev.timeStamp;
        if (f.preflight) return;
        f.req.outcome = { kind: 'error', error: ev.error };
        return this.finish(f);
      }
    }
  }

  private onSendHeaders(ev: Extract<NetEvent, { kind: 'send-headers' }>): void {
    const existing = this.flights.get(ev.requestId);
    if (existing && !existing.preflight) {
      // The next hop after a redirect (same requestId), or Chromium re-issuing the request.
      const cur = this.current(existing);
      if (cur.kind === 'main' && cur.requestHeaders === null && !cur.response && cur.url === ev.url) {
        cur.requestHeaders = ev.requestHeaders; // adopted earlier from a later event; fill in
      } else {
        existing.req.exchanges.push(mainExchange(ev));
        existing.hopHasPreflight = false;
      }
      if (originOf(ev.url) !== existing.req.initiator) existing.crossOrigin = true;
      existing.lastSeen = ev.timeStamp;
      this.claimWaitingPreflight(existing);
      return;
    }
    if (existing) {
      existing.lastSeen = ev.timeStamp;
      return;
    }

    const acrm = ev.method === 'OPTIONS' ? headerValue(ev.requestHeaders, ACRM) : undefined;
    if (acrm !== undefined) {
      const f = this.newFlight(ev, true);
      f.acrm = acrm;
      f.req.exchanges.push({
        kind: 'preflight',
        url: ev.url,
        method: ev.method,
        requestHeaders: ev.requestHeaders,
        response: null,
        startedAt: ev.timeStamp,
      });
      this.flights.set(ev.requestId, f);
      // Firefox order: the actual request may already be waiting for this preflight.
      if (!this.attachToWaitingMain(f)) this.enqueueWaiting(f);
      return;
    }
    const f = this.newFlight(ev, false);
    f.req.exchanges.push(mainExchange(ev));
    this.flights.set(ev.requestId, f);
    this.claimWaitingPreflight(f);
  }

  /** A flight first seen at a later event (its earlier events happened before a restart, or never fire). */
  private adopt(ev: NetEvent): Flight {
    const f = this.newFlight(ev, false);
    f.req.exchanges.push({
      kind: 'main',
      url: ev.url,
      method: ev.method,
      requestHeaders: null,
      response: null,
      startedAt: ev.timeStamp,
    });
    this.flights.set(ev.requestId, f);
    this.claimWaitingPreflight(f);
    return f;
  }

  private newFlight(ev: NetEvent, preflight: boolean): Flight {
    return {
      requestId: ev.requestId,
      tabId: ev.tabId,
      preflight,
      crossOrigin: originOf(ev.url) !== ev.initiator,
      hopHasPreflight: false,
      lastSeen: ev.timeStamp,
      req: {
        id: ev.requestId,
        initiator: ev.initiator,
        documentUrl: ev.documentUrl,
        type: ev.type,
        method: ev.method,
        url: ev.url,
        exchanges: [],
        outcome: { kind: 'pending' },
        startedAt: ev.timeStamp,
      },
    };
  }

  /** The exchange that the next response event belongs to. */
  private current(f: Flight): Exchange {
    if (f.preflight && f.claimedBy !== undefined) {
      const main = this.flights.get(f.claimedBy);
      const x = main?.req.exchanges[f.claimedIndex ?? -1];
      if (x) return x;
    }
    return f.req.exchanges[f.req.exchanges.length - 1];
  }

  private key(tabId: number, url: string, initiator: string | null): string {
    return `${tabId}\u0000${initiator}\u0000${url}`;
  }

  private enqueueWaiting(p: Flight): void {
    const k = this.key(p.tabId, p.req.url, p.req.initiator);
    const list = this.waiting.get(k);
    if (list) list.push(p.requestId);
    else this.waiting.set(k, [p.requestId]);
  }

  /** Main request (Chromium order): take the oldest unclaimed preflight for this URL and method. */
  private claimWaitingPreflight(main: Flight): void {
    if (main.hopHasPreflight) return;
    const cur = main.req.exchanges[main.req.exchanges.length - 1];
    const k = this.key(main.tabId, cur.url, main.req.initiator);
    const list = this.waiting.get(k);
    if (!list) return;
    for (let i = 0; i < list.length; i++) {
      const p = this.flights.get(list[i]);
      if (!p) {
        list.splice(i--, 1);
        continue;
      }
      if (p.acrm !== cur.method) continue;
      list.splice(i, 1);
      if (list.length === 0) this.waiting.delete(k);
      this.link(p, main);
      return;
    }
  }

  /**
   * Preflight: attach to the main request it belongs to. Firefox order: a main request on this URL still
   * waiting for its response. Chromium order after a redirect: a main request whose last hop redirected to
   * this URL — its next hop is only sent once this preflight passes, so when it fails that hop has no
   * event of its own and the preflight must open it (https://fetch.spec.whatwg.org/#http-redirect-fetch
   * step 19 runs main fetch, and so a new CORS-preflight fetch, for the new URL).
   */
  private attachToWaitingMain(p: Flight): boolean {
    for (const f of this.flights.values()) {
      if (f.preflight || f.tabId !== p.tabId || f.req.initiator !== p.req.initiator) continue;
      const cur = f.req.exchanges[f.req.exchanges.length - 1];
      if (this.redirectsTo(f, p)) {
        this.openNextHop(f);
        this.link(p, f);
        return true;
      }
      if (f.hopHasPreflight || cur.url !== p.req.url || cur.method !== p.acrm || cur.response || cur.error) continue;
      this.link(p, f);
      return true;
    }
    return false;
  }

  /** Whether `main`'s last hop is a redirect to `p`'s URL with the method `p` asks for (its next hop not yet seen). */
  private redirectsTo(main: Flight, p: Flight): boolean {
    const cur = main.req.exchanges[main.req.exchanges.length - 1];
    if (cur.kind !== 'main' || cur.redirectUrl !== p.req.url || cur.error) return false;
    return methodAfterRedirect(cur.response?.status ?? 0, cur.method) === p.acrm;
  }

  /** The hop a redirect leads to, before any event of its own: its request headers come with its send-headers. */
  private openNextHop(main: Flight): void {
    const cur = main.req.exchanges[main.req.exchanges.length - 1];
    main.req.exchanges.push({
      kind: 'main',
      url: cur.redirectUrl ?? cur.url,
      method: methodAfterRedirect(cur.response?.status ?? 0, cur.method),
      requestHeaders: null,
      response: null,
      startedAt: cur.endedAt ?? cur.startedAt,
    });
    main.hopHasPreflight = false;
  }

  /** After a redirect event: a preflight for the next hop that arrived first (and waits unclaimed) is taken now. */
  private claimForNextHop(main: Flight): void {
    const cur = main.req.exchanges[main.req.exchanges.length - 1];
    if (!cur.redirectUrl) return;
    const k = this.key(main.tabId, cur.redirectUrl, main.req.initiator);
    const list = this.waiting.get(k);
    if (!list) return;
    for (let i = 0; i < list.length; i++) {
      const p = this.flights.get(list[i]);
      if (!p || !this.redirectsTo(main, p)) continue;
      list.splice(i, 1);
      if (list.length === 0) this.waiting.delete(k);
      this.openNextHop(main);
      this.link(p, main);
      return;
    }
  }

  private touch(requestId: string): void {
    this.changed.add(requestId);
    this.gone.delete(requestId);
  }

  private forget(requestId: string): void {
    this.flights.delete(requestId);
    this.changed.delete(requestId);
    this.gone.add(requestId);
  }

  /** After a failed write: every flight must be written again. */
  markAllChanged(): void {
    for (const id of this.flights.keys()) this.changed.add(id);
  }

  /** Flights to persist and flight ids to delete since the last call. */
  takeChanges(): { set: Flight[]; removed: string[] } {
    const set: Flight[] = [];
    for (const id of this.changed) {
      const f = this.flights.get(id);
      // Same-origin requests (most of a page's traffic) are never diagnosed unless a redirect makes them
      // cross-origin, which touches them again: persisting them before that would only cost storage writes.
      if (f && (f.crossOrigin || f.preflight)) {
        set.push(f);
        this.persisted.add(id);
      }
    }
    const removed: string[] = [];
    for (const id of this.gone) if (this.persisted.delete(id)) removed.push(id);
    this.changed.clear();
    this.gone.clear();
    return { set, removed };
  }

  private link(p: Flight, main: Flight): void {
    this.touch(main.requestId);
    this.touch(p.requestId);
    const x = p.req.exchanges[0];
    const at = main.req.exchanges.length - 1; // just before the hop it preflights
    main.req.exchanges.splice(at, 0, x);
    main.hopHasPreflight = true;
    p.claimedBy = main.requestId;
    p.claimedIndex = at;
  }

  private finish(f: Flight): void {
    this.forget(f.requestId);
    // Drop this request's preflight flights: they live on inside its exchanges. Deleting from a Map while iterating
    // it is safe, so no copy of the flights is made per finished request.
    for (const p of this.flights.values()) if (p.preflight && p.claimedBy === f.requestId) this.forget(p.requestId);
    if (f.crossOrigin) this.opts.onFinished(f.tabId, f.req);
  }

  /** Forget flights that saw no event for a long time (aborted requests whose end we never saw, orphan preflights). */
  sweep(now: number): void {
    for (const f of [...this.flights.values()]) {
      if (now - f.lastSeen < this.staleAfterMs) continue;
      if (f.preflight) {
        if (f.claimedBy === undefined) this.orphanPreflights++;
        this.forget(f.requestId);
        continue;
      }
      f.req.outcome = { kind: 'unknown' };
      this.finish(f);
    }
    for (const [k, list] of this.waiting) {
      const live = list.filter((id) => this.flights.has(id));
      if (live.length) this.waiting.set(k, live);
      else this.waiting.delete(k);
    }
  }

  /**
   * Chromium drops the events of requests in flight when it stops a worker abruptly (measured: a
   * Target.closeTarget mid-burst loses their onCompleted). A flight restored from storage that sees no
   * event for `graceMs` is finished with what was observed, and says why, instead of being lost.
   */
  abandonRestored(now: number, graceMs: number): number {
    let n = 0;
    for (const f of [...this.flights.values()]) {
      if (!f.restored || f.preflight || now - f.lastSeen < graceMs) continue;
      f.req.outcome = { kind: 'unknown' };
      (f.req.notes ??= []).push(
        'The extension worker was stopped while this request was in flight; the browser never reported how it ended, so the verdict rests on the headers seen before.',
      );
      this.finish(f);
      n++;
    }
    return n;
  }

  /** Forget everything about one tab (closed, or navigated without "preserve log"). */
  dropTab(tabId: number): void {
    for (const f of [...this.flights.values()]) if (f.tabId === tabId) this.forget(f.requestId);
  }

  toJSON(): CorrelatorState {
    return { v: 1, flights: [...this.flights.values()] };
  }

  restore(state: CorrelatorState | undefined): void {
    if (!state || state.v !== 1 || !Array.isArray(state.flights)) return;
    // Claimed preflights first need their main flight present; order does not matter otherwise.
    for (const f of state.flights) {
      if (!f || typeof f !== 'object' || !f.req || !Array.isArray(f.req.exchanges)) continue;
      if (this.flights.has(f.requestId)) continue; // events handled since the restart win
      f.restored = true;
      this.flights.set(f.requestId, f);
      this.persisted.add(f.requestId);
      if (f.preflight && f.claimedBy === undefined) this.enqueueWaiting(f);
    }
  }
}

function mainExchange(ev: Extract<NetEvent, { kind: 'send-headers' }>): Exchange {
  return {
    kind: 'main',
    url: ev.url,
    method: ev.method,
    requestHeaders: ev.requestHeaders,
    response: null,
    startedAt: ev.timeStamp,
  };
}

function statusText(statusLine: string | undefined): string | undefined {
  if (!statusLine) return undefined;
  // "HTTP/1.1 404 Not Found" → "Not Found"
  const m = /^\S+\s+\d{3}\s?(.*)$/.exec(statusLine);
  return m ? m[1] : undefined;
}
