// A blocked request's reason in words ("preflight rejected header x-api-key"), for the panel's Reason column and its
// filter, without building the console messages for every row: the words depend on the block reason alone
// (summaryOf in src/engine/console-texts.ts reads corsError, failedParameter, stage, expected and actual), and a page
// repeats the same few reasons, so they are worked out once per distinct reason.
import type { ObservedRequest, Verdict } from '../engine/types';
import { summaryOf } from './build';

const cache = new Map<string, string>();
/** Distinct reasons kept; past that (a hostile server varying failedParameter) the cache starts over. */
const MAX = 5_000;

export function reasonWords(request: ObservedRequest, v: Extract<Verdict, { kind: 'blocked' }>): string {
  const r = v.reason;
  const key = `${r.corsError}\u0000${r.failedParameter}\u0000${r.stage}\u0000${r.expected ?? '\u0001'}\u0000${r.actual === undefined ? '\u0001' : r.actual === null ? '\u0002' : r.actual}`;
  let w = cache.get(key);
  if (w === undefined) {
    w = summaryOf(request, v);
    if (cache.size >= MAX) cache.clear();
    cache.set(key, w);
  }
  return w;
}
