// The hops of one observed request as the walk reads them (each exchange indexed once), and which observed
// preflight belongs to which hop.
import { S_ACRH } from './header-names';
import type { HeaderIndex } from './headers';
import type { parseUrl } from './origin';
import { parseRequestHeaderList, type PreflightNeed } from './preflight-needed';
import type { BrowserProfile } from './profiles';
import type { EvaluateOptions, Exchange, ObservedRequest, Outcome, RequestMode } from './types';

/** Ordering index of a hop that was inferred, not observed (sorts after every real exchange). */
export const SYNTHETIC = Number.MAX_SAFE_INTEGER;
/** The exchange index a BlockReason reports: -1 for hops that never happened. */
export const reportIndex = (i: number) => (i >= 0 && i !== SYNTHETIC ? i : -1);

export interface Hop {
  /** Memoized per hop: both credentials walks read them. */
  memo?: { parsed?: ReturnType<typeof parseUrl>; need?: PreflightNeed };
  /** The hop URL's origin is the initiator (set once the initiator is known, from `memo.parsed`). */
  sameAsInitiator?: boolean;
  ex: Exchange;
  /** Index in req.exchanges, -1 for the synthetic hop of a request never seen on the wire. */
  index: number;
  req: HeaderIndex | null;
  res: HeaderIndex | null;
  url: string;
}

/** The ACRH names a preflight announced (parsed once per request, read by the mode inference and both walks). */
export function pfRequestHeaders(pf: Pf): string[] {
  return (pf.acrh ??= parseRequestHeaderList(pf.req?.value(S_ACRH) ?? null));
}

export interface Pf {
  /** Memoized by pfRequestHeaders; read only. */
  acrh?: string[];
  ex: Exchange;
  index: number;
  req: HeaderIndex | null;
  res: HeaderIndex | null;
  url: string;
}

export interface Ctx {
  req: ObservedRequest;
  opts: EvaluateOptions;
  profile: BrowserProfile;
  initiator: string;
  mode: RequestMode;
  hops: Hop[];
  preflights: Pf[];
  outcome: Outcome;
  /** Preflight assigned to each hop index, memoized by the first walk. */
  assigned?: ReadonlyMap<number, Pf>;
}

/** URLs compared without fragment (never sent on the wire). */
export function urlKey(u: string): string {
  const i = u.indexOf('#');
  return i === -1 ? u : u.slice(0, i);
}

/** What a request without preflights gets (read only: walk only calls get/has on it). */
const NO_PREFLIGHTS: ReadonlyMap<number, Pf> = new Map();

/**
 * Assigns observed preflights to the hop they precede: first by URL (the last matching one before the next hop
 * wins, a retry replaces the first), then by position for preflights whose URL matched no hop.
 */
export function assignPreflights(hops: Hop[], preflights: Pf[]): ReadonlyMap<number, Pf> {
  if (preflights.length === 0) return NO_PREFLIGHTS;
  const out = new Map<number, Pf>();
  if (hops.length === 1) {
    // What the general passes below reduce to for a single hop: the last preflight for its URL, else (none
    // matched, a capture quirk) the last preflight of all.
    const key = urlKey(hops[0].url);
    let pick = preflights[preflights.length - 1];
    for (let i = preflights.length - 1; i >= 0; i--) {
      if (urlKey(preflights[i].url) === key) {
        pick = preflights[i];
        break;
      }
    }
    out.set(0, pick);
    return out;
  }
  const used = new Set<number>();
  // Preflights per URL, in index order, consumed left to right as hops advance: O(n) over a whole chain.
  const byUrl = new Map<string, { list: Pf[]; next: number }>();
  for (const p of preflights) {
    const key = urlKey(p.url);
    const e = byUrl.get(key);
    if (e) e.list.push(p);
    else byUrl.set(key, { list: [p], next: 0 });
  }
  for (let k = 0; k < hops.length; k++) {
    const hi = k + 1 < hops.length ? hops[k + 1].index : Infinity;
    const e = byUrl.get(urlKey(hops[k].url));
    if (!e) continue;
    let pick: Pf | undefined;
    while (e.next < e.list.length && e.list[e.next].index < hi) pick = e.list[e.next++];
    if (pick) {
      used.add(pick.index);
      out.set(k, pick);
    }
  }
  if (used.size === preflights.length) return out;
  // Positional fallback for preflights whose URL matched no hop (capture quirks): the last one between the hops.
  const hopUrls = new Set(hops.map((h) => urlKey(h.url)));
  for (let k = 0; k < hops.length; k++) {
    if (out.has(k)) continue;
    const lo = k > 0 ? hops[k - 1].index : -Infinity;
    const hi = k + 1 < hops.length ? hops[k + 1].index : Infinity;
    let pick: Pf | undefined;
    for (const p of preflights) {
      if (p.index >= hi) break;
      if (!used.has(p.index) && p.index > lo && !hopUrls.has(urlKey(p.url))) pick = p;
    }
    if (pick) {
      used.add(pick.index);
      out.set(k, pick);
    }
  }
  return out;
}
