// The tab's report in the same shape the CLI prints with --json (src/report): {browser,total,counts,groups,diagnoses}.
import type { BrowserName } from '../../src/engine/types';
import type { Entry } from '../../src/capture/tab-store';
import { buildReport, rowForJson } from '../../src/report';

export function reportFor(entries: readonly Entry[], browser: BrowserName): unknown {
  const report = buildReport(entries.map((e) => ({ request: e.request, verdict: e.verdict })));
  return {
    browser: report.browser ?? browser,
    total: report.total,
    counts: report.counts,
    groups: report.groups,
    // Secrets in URLs are redacted like the CLI does by default.
    diagnoses: report.rows.map((r) => rowForJson(r)),
  };
}
