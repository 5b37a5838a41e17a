// The rows a filter leaves, in request start order, for the live list and the HAR tab alike.
import { useMemo } from 'react';
import type { WireEntry } from '../protocol/messages';
import { filterTarget, matchesFilter, parseFilter, type FilterTarget } from '../../src/report/filter';
import { originOf as urlOrigin } from '../../src/capture/url-origin';

export interface Filters { blockedOnly: boolean; text: string; origin: string }

export const NO_FILTERS: Filters = { blockedOnly: false, text: '', origin: '' };

export function isFiltering(f: Filters): boolean {
  return f.blockedOnly || f.text.trim() !== '' || f.origin !== '';
}

interface Key { origin: string; target: FilterTarget | null }
/** Per entry, computed once (entries are immutable: an update replaces the object), not per keystroke. */
const keys = new WeakMap<WireEntry, Key>();
function keyOf(e: WireEntry): Key {
  let k = keys.get(e);
  if (!k) { k = { origin: urlOrigin(e.request.url) ?? e.request.url, target: null }; keys.set(e, k); }
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
  return e.verdict.kind === 'blocked' || e.verdict.kind === 'allowed-hidden-headers';
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
  for (const e of entries) { const t = startOf(e); if (t < prev) { sorted = false; break; } if (!Number.isNaN(t)) prev = t; }
  if (sorted) return entries;
  let last = -Infinity;
  const keyed = entries.map((e, i) => { const t = startOf(e); if (!Number.isNaN(t)) last = t; return { e, t: Number.isNaN(t) ? last : t, i }; });
  keyed.sort((a, b) => a.t - b.t || a.i - b.i);
  return keyed.map((k) => k.e);
}

export function useFiltered(entries: WireEntry[], filters: Filters): WireEntry[] {
  const ordered = useMemo(() => inStartOrder(entries), [entries]);
  return useMemo(() => {
    const terms = parseFilter(filters.text);
    if (!filters.blockedOnly && !filters.origin && terms.length === 0) return ordered;
    return ordered.filter((e) => {
      if (filters.blockedOnly && !failing(e)) return false;
      if (filters.origin && keyOf(e).origin !== filters.origin) return false;
      return terms.length === 0 || matchesFilter(terms, targetOf(e));
    });
  }, [ordered, filters]);
}
