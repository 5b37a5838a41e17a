// Builds the report model from (request, verdict) pairs, incrementally so the CLI can stream a huge HAR through
// it without keeping every row.
import { messagesFor, parseUrl, type VerdictMessages } from '../engine';
import type { NotCorsCause, ObservedRequest, Verdict, VerdictKind } from '../engine/types';
import type { DiagnosisRow, OriginGroup, ReasonCount, Report, ReportItem, VerdictCounts } from './types';

const KINDS: readonly VerdictKind[] = ['allowed', 'allowed-hidden-headers', 'blocked', 'not-cors', 'unknown'];
const zeroCounts = (): VerdictCounts => ({
  allowed: 0,
  'allowed-hidden-headers': 0,
  blocked: 0,
  'not-cors': 0,
  unknown: 0,
});
// A hostile or huge HAR can name a million origins; past this the rest are pooled.
const MAX_GROUPS = 500;
const OTHER_ORIGINS = '(other origins)';
const TOP_REASONS = 5;

function targetOrigin(url: string): string {
  // The engine's parser answers plain http(s) URLs without building a URL object (`new URL` showed in the profile of
  // `explain` on a big HAR); for them its origin is URL#origin (test/unit/engine/origin-fast.test.ts).
  const p = parseUrl(url);
  if (p !== null && (p.scheme === 'http' || p.scheme === 'https')) return p.origin;
  try {
    const o = new URL(url).origin;
    return o === 'null' ? new URL(url).protocol : o;
  } catch {
    return '(invalid URL)';
  }
}

/** One diagnosis row: what the panel, popup, CLI and exports show for one logical request. */
export function toRow(item: ReportItem): DiagnosisRow {
  const { request, verdict } = item;
  const mains = request.exchanges.filter((x) => x.kind === 'main');
  const lastWithResponse = [...mains].reverse().find((x) => x.response);
  const messages = messagesOf(request, verdict);
  const row: DiagnosisRow = {
    id: request.id,
    url: request.url,
    method: request.method,
    type: request.type ?? null,
    status: lastWithResponse?.response?.status ?? null,
    verdict: verdict.kind,
    browser: verdict.browser,
    reason: null,
    failedParameter: null,
    firefoxReason: null,
    chromiumReason: null,
    summary: messages.summary,
    label: null,
    stage: null,
    findings: verdict.findings,
    preflight: verdict.preflight,
    initiator: request.initiator,
    targetOrigin: targetOrigin(request.url),
  };
  const assumed = verdict.inferences.filter((i) => i.confidence !== 'certain');
  if (assumed.length) row.assumptions = assumed;
  switch (verdict.kind) {
    case 'blocked': {
      const r = verdict.reason;
      row.reason = verdict.browser === 'firefox' ? r.firefoxReason : r.corsError;
      row.failedParameter = r.failedParameter;
      row.firefoxReason = r.firefoxReason;
      row.chromiumReason = r.corsError;
      row.label = row.summary;
      if (messages.chromium) row.chromiumMessage = messages.chromium;
      if (messages.firefox) row.firefoxMessage = messages.firefox;
      row.stage = r.stage;
      break;
    }
    case 'allowed-hidden-headers':
      row.hiddenHeaders = verdict.hiddenHeaders;
      break;
    case 'not-cors':
      row.notCorsWhy = verdict.why;
      row.notCorsCause = verdict.cause;
      // Local Network Access is refused with a CorsError of its own (InsecureLocalNetwork…), though no header fixes it.
      if (verdict.corsError) row.chromiumReason = verdict.corsError;
      break;
    case 'unknown':
      row.missing = verdict.missing;
      break;
    case 'allowed':
      break;
    default: {
      const never: never = verdict;
      void never;
    }
  }
  return row;
}

/**
 * The row's plain-words line. The engine's messages (src/engine/console-texts.ts) own the vocabulary, so the panel, the
 * popup, the CLI and exports all say the same thing ("preflight rejected header x-api-key").
 */
export function summaryOf(request: ObservedRequest, v: Verdict): string {
  return messagesOf(request, v).summary;
}

function messagesOf(request: ObservedRequest, v: Verdict): VerdictMessages {
  try {
    return messagesFor(request, v);
  } catch {
    // A verdict built by hand (tests, older stored data) must still render.
    return { summary: v.kind };
  }
}

/** Not-CORS causes that mean the call failed the page (not same-origin, navigation, no-cors and the like). */
const FAILED_CAUSES: ReadonlySet<NotCorsCause> = new Set<NotCorsCause>([
  'csp',
  'mixed-content',
  'local-network-access',
  'connection-refused',
  'dns',
  'tls',
  'network-error',
  'blocked-by-client',
  'aborted-by-page',
  'aborted',
  'corp',
  'coep',
  'orb',
  'other-policy',
  'third-party-cookies',
  'http-error',
]);

/** Accumulates rows into counts and per-origin groups; keeps the rows only when asked. */
export class ReportBuilder {
  private readonly counts = zeroCounts();
  private total = 0;
  private findings = 0;
  private browser: Report['browser'] = null;
  private readonly rows: DiagnosisRow[] = [];
  private readonly groups = new Map<
    string,
    { total: number; counts: VerdictCounts; reasons: Map<string, ReasonCount> }
  >();

  constructor(private readonly opts: { keepRows?: boolean; maxRows?: number } = {}) {}

  add(item: ReportItem): DiagnosisRow {
    const row = toRow(item);
    this.addRow(row);
    return row;
  }

  /** Rows added so far. */
  get count(): number {
    return this.total;
  }

  addRow(row: DiagnosisRow): void {
    this.total++;
    this.counts[row.verdict]++;
    this.findings += row.findings.length;
    this.browser ??= row.browser;
    if (this.opts.keepRows !== false && this.rows.length < (this.opts.maxRows ?? Infinity)) this.rows.push(row);
    let key = row.targetOrigin;
    if (!this.groups.has(key) && this.groups.size >= MAX_GROUPS) key = OTHER_ORIGINS;
    let g = this.groups.get(key);
    if (!g) {
      g = { total: 0, counts: zeroCounts(), reasons: new Map() };
      this.groups.set(key, g);
    }
    g.total++;
    g.counts[row.verdict]++;
    if (row.verdict === 'blocked' && row.reason) {
      const rk = `${row.reason}\u0000${row.failedParameter ?? ''}`;
      const rc = g.reasons.get(rk);
      if (rc) rc.count++;
      // Bound the distinct reasons per origin too (failedParameter comes from the server).
      else if (g.reasons.size < 200) {
        g.reasons.set(rk, {
          reason: row.reason,
          failedParameter: row.failedParameter ?? '',
          label: row.label ?? row.reason,
          count: 1,
          text: '',
        });
      }
    } else if (row.verdict === 'not-cors' && row.notCorsCause && FAILED_CAUSES.has(row.notCorsCause)) {
      // A call that failed for another reason (refused connection, CSP, LNA…) is a line of the origin's summary too.
      const rk = `not-cors\u0000${row.notCorsCause}`;
      const rc = g.reasons.get(rk);
      if (rc) rc.count++;
      else if (g.reasons.size < 200)
        g.reasons.set(rk, { reason: row.notCorsCause, failedParameter: '', label: row.summary, count: 1, text: '' });
    }
  }

  build(): Report {
    const groups: OriginGroup[] = [...this.groups.entries()].map(([origin, g]) => ({
      origin,
      total: g.total,
      counts: { ...g.counts },
      topReasons: [...g.reasons.values()]
        .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
        .slice(0, TOP_REASONS)
        .map((r) => ({ ...r, text: `${r.count} × ${r.label}` })),
    }));
    // Origins with blocked requests first, then the busiest.
    groups.sort((a, b) => b.counts.blocked - a.counts.blocked || b.total - a.total || a.origin.localeCompare(b.origin));
    return {
      browser: this.browser,
      total: this.total,
      counts: { ...this.counts },
      groups,
      rows: this.rows,
      findings: this.findings,
    };
  }
}

export function buildReport(items: Iterable<ReportItem>): Report {
  const b = new ReportBuilder();
  for (const it of items) b.add(it);
  return b.build();
}

export { KINDS as VERDICT_KINDS };
