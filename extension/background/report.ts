// The tab's report in the same shape the CLI prints with --json.
import type { BrowserName } from '../../src/engine/types';
import type { Entry } from '../../src/capture/tab-store';

export function reportFor(entries: readonly Entry[], browser: BrowserName): unknown {
  return {
    browser,
    diagnoses: entries.map((e) => ({
      id: e.request.id,
      url: e.request.url,
      method: e.request.method,
      type: e.request.type ?? null,
      verdict: e.verdict.kind,
      reason: e.verdict.kind === 'blocked' ? (browser === 'firefox' ? e.verdict.reason.firefoxReason : e.verdict.reason.corsError) : null,
      failedParameter: e.verdict.kind === 'blocked' ? e.verdict.reason.failedParameter : null,
    })),
  };
}
