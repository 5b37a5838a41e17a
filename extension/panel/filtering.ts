// The rows a filter leaves, in request start order, for the live list and the HAR tab alike.
import { useEffect, useMemo } from 'react';
import type { WireEntry } from '../protocol/messages';
import { needsServerFix } from '../../src/engine';
import { filterTarget, matchesFilter, parseFilter, type FilterTarget } from '../../src/report';
import { originOf as urlOrigin } from '../../src/capture';
import { shortReason, statusOf } from '../ui/describe';
import { chipOf, type TypeChip } from './type-chips';

export interface Filters {
  blockedOnly: boolean;
  text: string;
  origin: string;
  types: TypeChip[];
}

export const NO_FILTERS: Filters = { blockedOnly: false, text: '', origin: '', types: [] };

export function isFiltering(f: Filters): boolean {
  return f.blockedOnly || f.text.trim() !== '' || f.origin !== '' || f.types.length > 0;
}

interface Key {
  origin: string;
  target: FilterTarget | null;
}
/** Per entry, computed once (entries are immutable: an update replaces the object), not per keystroke. */
const keys = new WeakMap<WireEntry, Key>();
function keyOf(e: WireEntry): Key {
  let k = keys.get(e);
  if (!k) {
    k = { origin: urlOrigin(e.request.url) ?? e.request.url, target: null };
    keys.set(e, k);
  }
  return k;
}
function targetOf(e: WireEntry): FilterTarget {
  const k = keyOf(e);
  return (k.target ??= filterTarget(e.request, e.verdict));
}

export function originsOf(entries: WireEntry[]): string[] {
  const s = new Set<string>();
  for (const e of entries) s.add(keyOf(e).origin);
  return [...s].sort();
}

function failing(e: WireEntry): boolean {
  return needsServerFix(e.verdict);
}

const startOf = (e: WireEntry): number => e.request.startedAt ?? e.request.exchanges[0]?.startedAt ?? Number.NaN;

/**
 * Entries in the order the page started them, as Network lists them: the log holds them in the order they ended. Only
 * sorted when out of order (a pass over the list), stably, entries without a start time keeping their place after
 * the one before.
 */
export function inStartOrder(entries: WireEntry[]): WireEntry[] {
  let sorted = true;
  let prev = -Infinity;
  for (const e of entries) {
    const t = startOf(e);
    if (t < prev) {
      sorted = false;
      break;
    }
    if (!Number.isNaN(t)) prev = t;
  }
  if (sorted) return entries;
  let last = -Infinity;
  const keyed = entries.map((e, i) => {
    const t = startOf(e);
    if (!Number.isNaN(t)) last = t;
    return { e, t: Number.isNaN(t) ? last : t, i };
  });
  keyed.sort((a, b) => a.t - b.t || a.i - b.i);
  return keyed.map((k) => k.e);
}

export type SortKey = 'start' | 'method' | 'url' | 'verdict' | 'status' | 'reason' | 'type' | 'time';
export interface Sort {
  key: SortKey;
  descending: boolean;
}
export const START_ORDER: Sort = { key: 'start', descending: false };

const VERDICT_RANK = { blocked: 0, 'allowed-hidden-headers': 1, unknown: 2, 'not-cors': 3, allowed: 4 } as const;
const durationMs = (e: WireEntry): number => {
  const start = startOf(e);
  let end = -Infinity;
  for (const x of e.request.exchanges) if (x.endedAt !== undefined && x.endedAt > end) end = x.endedAt;
  return Number.isFinite(end) && !Number.isNaN(start) ? end - start : -1;
};
const SORT_VALUE: Record<Exclude<SortKey, 'start'>, (e: WireEntry) => string | number> = {
  method: (e) => e.request.method,
  url: (e) => e.request.url,
  verdict: (e) => VERDICT_RANK[e.verdict.kind],
  status: (e) => statusOf(e.request, e.verdict).code,
  reason: (e) => shortReason(e.request, e.verdict),
  type: (e) => e.request.type ?? '',
  time: durationMs,
};

/** The list sorted by a column (a header click), ties kept in start order. */
export function sortedBy(entries: WireEntry[], sort: Sort): WireEntry[] {
  const ordered = inStartOrder(entries);
  if (sort.key === 'start') return sort.descending ? [...ordered].reverse() : ordered;
  const value = SORT_VALUE[sort.key];
  const keyed = ordered.map((e, i) => ({ e, v: value(e), i }));
  const dir = sort.descending ? -1 : 1;
  keyed.sort((a, b) => (a.v < b.v ? -dir : a.v > b.v ? dir : a.i - b.i));
  return keyed.map((k) => k.e);
}

/**
 * Works out what the filter compares for every entry in the background, a slice per task, so the first keystroke
 * does not pay for the whole log at once (50,000 entries: seconds on the loaded bench machine, test/bench/panel.ts).
 * A keystroke before it is done computes the rest itself.
 */
function useWarmTargets(entries: WireEntry[]): void {
  useEffect(() => {
    let i = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const slice = () => {
      const end = Math.min(entries.length, i + 1000);
      for (; i < end; i++) targetOf(entries[i]);
      timer = i < entries.length ? setTimeout(slice, 0) : null;
    };
    timer = setTimeout(slice, 50);
    return () => {
      if (timer !== null) clearTimeout(timer);
    };
  }, [entries]);
}

export function useFiltered(entries: WireEntry[], filters: Filters, sort: Sort = START_ORDER): WireEntry[] {
  useWarmTargets(entries);
  const ordered = useMemo(() => sortedBy(entries, sort), [entries, sort]);
  return useMemo(() => {
    const terms = parseFilter(filters.text);
    if (!filters.blockedOnly && !filters.origin && terms.length === 0 && filters.types.length === 0) return ordered;
    return ordered.filter((e) => {
      if (filters.blockedOnly && !failing(e)) return false;
      if (filters.types.length && !filters.types.includes(chipOf(e.request.type))) return false;
      if (filters.origin && keyOf(e).origin !== filters.origin) return false;
      return terms.length === 0 || matchesFilter(terms, targetOf(e));
    });
  }, [ordered, filters]);
}
