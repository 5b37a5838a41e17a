// The tab's report in the same shape the CLI prints with --json (src/report): {browser,total,counts,groups,diagnoses}.
import type { BrowserName } from '../../src/engine/types';
import { originOf, type Entry, type TabMeta } from '../../src/capture';
import { buildReport, reportObject } from '../../src/report';
import type { TabSummary, WireEntry } from '../protocol/messages';

export function reportFor(entries: readonly Entry[], browser: BrowserName): unknown {
  const report = buildReport(entries.map((e) => ({ request: e.request, verdict: e.verdict })));
  // Secrets in URLs are redacted like the CLI does by default.
  return { ...reportObject(report), browser: report.browser ?? browser };
}

const PER_ORIGIN = 50;

/** The popup's view of a tab, small enough to answer within milliseconds for a tab with 10,000 requests. */
export function summaryFor(tabId: number, meta: TabMeta, entries: readonly Entry[]): TabSummary {
  const report = buildReport(entries.map((e) => ({ request: e.request, verdict: e.verdict })));
  const failing: WireEntry[] = [];
  const working: WireEntry[] = [];
  const perOrigin = new Map<string, number>();
  const workingPerOrigin = new Map<string, number>();
  for (const e of entries) {
    // Calls that failed for another reason (a refused connection, CSP, LNA…) carry their own fix line.
    const failedElsewhere = e.verdict.kind === 'not-cors' && e.verdict.fix !== undefined;
    if (e.verdict.kind !== 'blocked' && e.verdict.kind !== 'allowed-hidden-headers' && !failedElsewhere) continue;
    const origin = originOf(e.request.url) ?? e.request.url;
    const n = perOrigin.get(origin) ?? 0;
    if (n >= PER_ORIGIN) continue;
    perOrigin.set(origin, n + 1);
    failing.push({ seq: e.seq, request: e.request, verdict: e.verdict });
  }
  // The requests that work to those origins: the fix is merged with them so it never breaks them (src/suggest/merged.ts).
  for (const e of entries) {
    if (e.verdict.kind !== 'allowed') continue;
    const origin = originOf(e.request.url) ?? e.request.url;
    if (!perOrigin.has(origin)) continue;
    const n = workingPerOrigin.get(origin) ?? 0;
    if (n >= PER_ORIGIN) continue;
    workingPerOrigin.set(origin, n + 1);
    working.push({ seq: e.seq, request: e.request, verdict: e.verdict });
  }
  return {
    tabId,
    meta,
    total: report.total,
    counts: report.counts,
    groups: report.groups.map((g) => ({
      origin: g.origin,
      total: g.total,
      blocked: g.counts.blocked,
      hidden: g.counts['allowed-hidden-headers'],
      topReasons: g.topReasons.map((r) => ({ text: r.text, count: r.count })),
    })),
    failing,
    working,
  };
}
