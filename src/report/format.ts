// Renders the report model as JSON (machines), Markdown (a bug ticket) and a fixed-width table (terminal). Every
// value that came from a server is cleaned (src/report/sanitize.ts) and URLs are redacted unless told otherwise.
import type { VerdictKind } from '../engine/types';
import { redactUrl } from './redact';
import { cleanText, markdownCode, markdownText, safeJson, truncateMiddle } from './sanitize';
import type { DiagnosisRow, Report, VerdictCounts } from './types';

export interface FormatOptions {
  /** Redact userinfo and token-like query parameters in URLs (default true). */
  redact?: boolean;
}

const url = (row: DiagnosisRow, o: FormatOptions) => (o.redact === false ? row.url : redactUrl(row.url));

/** The `--json` report as an object: `{browser, total, counts, groups, diagnoses}` (the worker's getReport too). */
export function reportObject(report: Report, opts: FormatOptions = {}) {
  return {
    browser: report.browser,
    total: report.total,
    counts: report.counts,
    groups: report.groups,
    diagnoses: report.rows.map((r) => rowForJson(r, opts)),
  };
}

/** `{diagnoses:[…], counts, groups, total, browser}`; bidi controls and line separators escaped. */
export function toJson(report: Report, opts: FormatOptions & { indent?: number } = {}): string {
  return safeJson(reportObject(report, opts), opts.indent);
}

/** One diagnosis as the JSON output shows it (the CLI streams these one by one for huge inputs). */
export function rowForJson(row: DiagnosisRow, opts: FormatOptions = {}): DiagnosisRow {
  return opts.redact === false ? row : { ...row, url: url(row, opts) };
}

const VERDICT_LABEL: Record<VerdictKind, string> = {
  allowed: 'allowed',
  'allowed-hidden-headers': 'allowed (hidden)',
  blocked: 'BLOCKED',
  'not-cors': 'not CORS',
  unknown: 'unknown',
};

export function countsLine(total: number, c: VerdictCounts): string {
  const parts = (Object.keys(VERDICT_LABEL) as VerdictKind[])
    .filter((k) => c[k] > 0)
    .map((k) => `${c[k]} ${VERDICT_LABEL[k].toLowerCase()}`);
  return `${total} request${total === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/** The reason column: what went wrong in a few plain words. */
function shortReason(row: DiagnosisRow): string {
  switch (row.verdict) {
    case 'blocked':
      return row.label ?? row.reason ?? 'blocked';
    case 'allowed-hidden-headers':
      return `cannot read ${(row.hiddenHeaders ?? []).join(', ')}`;
    case 'not-cors':
      // A cause with its own short line (src/engine/not-cors-summary.ts) shows it; the long fallback
      // `not CORS (<family>): <detail>` (src/engine/console-texts.ts) gives way to the family's name.
      return row.notCorsCause && !row.summary.startsWith('not CORS (') ? row.summary : (row.notCorsWhy ?? 'not CORS');
    case 'unknown':
      return row.missing?.length ? `missing ${row.missing.join(', ')}` : 'not enough data';
    case 'allowed':
      return '';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Table

export interface TableOptions extends FormatOptions {
  /** Total width in columns (default 160, min 60): the terminal's width when writing to one. */
  width?: number;
  /** ANSI colours for the verdict column: only when writing to a TTY. */
  color?: boolean;
}

export interface TableLayout {
  width: number;
  urlWidth: number;
  reasonWidth: number;
  color: boolean;
  redact: boolean;
}

const W_VERDICT = 16;
const W_METHOD = 7;
const W_STATUS = 6;

export function tableLayout(opts: TableOptions = {}): TableLayout {
  const width = Math.max(60, Math.min(opts.width ?? 160, 1000));
  const rest = width - W_VERDICT - W_METHOD - W_STATUS - 4;
  const urlWidth = Math.max(20, Math.floor(rest * 0.5));
  return {
    width,
    urlWidth,
    reasonWidth: Math.max(10, rest - urlWidth - 1),
    color: opts.color === true,
    redact: opts.redact !== false,
  };
}

const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length));
const COLORS: Record<VerdictKind, string> = {
  allowed: '\x1b[32m',
  'allowed-hidden-headers': '\x1b[33m',
  blocked: '\x1b[1;31m',
  'not-cors': '\x1b[2m',
  unknown: '\x1b[35m',
};

export function tableHeader(l: TableLayout): string {
  return [pad('VERDICT', W_VERDICT), pad('METHOD', W_METHOD), pad('STATUS', W_STATUS), pad('URL', l.urlWidth), 'REASON']
    .join(' ')
    .trimEnd();
}

export function tableRow(row: DiagnosisRow, l: TableLayout): string {
  const verdict = pad(VERDICT_LABEL[row.verdict], W_VERDICT);
  const status = row.status === null ? (row.verdict === 'blocked' ? 'failed' : '-') : String(row.status);
  const u = truncateMiddle(cleanText(l.redact ? redactUrl(row.url) : row.url, 4096), l.urlWidth);
  const cells = [
    l.color ? `${COLORS[row.verdict]}${verdict}\x1b[0m` : verdict,
    pad(cleanText(row.method, W_METHOD), W_METHOD),
    pad(status, W_STATUS),
    pad(u, l.urlWidth),
    cleanText(shortReason(row), l.reasonWidth),
  ];
  return cells.join(' ').trimEnd();
}

export function tableFooter(report: Report, l: TableLayout): string[] {
  const lines = ['', countsLine(report.total, report.counts)];
  for (const g of report.groups) {
    if (!g.topReasons.length) continue;
    lines.push(`  ${cleanText(g.origin, 100)}: ${g.topReasons.map((r) => cleanText(r.text, 200)).join('; ')}`);
  }
  return lines.map((s) => truncateMiddle(s, Math.max(l.width, 200)));
}

export function toTable(report: Report, opts: TableOptions = {}): string {
  const l = tableLayout(opts);
  return [tableHeader(l), ...report.rows.map((r) => tableRow(r, l)), ...tableFooter(report, l)].join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown

export interface MarkdownOptions extends FormatOptions {
  title?: string;
  /** Rows listed in the table (default 200); the rest are counted. */
  maxRows?: number;
  /** Blocked requests detailed below the table (default 20). */
  maxDetails?: number;
}

export function toMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const maxRows = opts.maxRows ?? 200;
  const maxDetails = opts.maxDetails ?? 20;
  const out: string[] = [];
  out.push(`## ${markdownText(opts.title ?? 'CORS Lens report', 200)}`, '');
  out.push(
    `**${markdownText(countsLine(report.total, report.counts))}**${report.browser ? ` (verdicts for ${report.browser})` : ''}`,
    '',
  );
  const withReasons = report.groups.filter((g) => g.topReasons.length);
  if (withReasons.length) {
    out.push('### By origin', '');
    for (const g of withReasons.slice(0, 50)) {
      out.push(
        `- ${markdownCode(g.origin, 200, false)}: ${g.total} request${g.total === 1 ? '' : 's'}, ${g.counts.blocked} blocked — ${g.topReasons.map((r) => markdownText(r.text, 200)).join('; ')}`,
      );
    }
    out.push('');
  }
  if (report.rows.length) {
    out.push('### Requests', '', '| Verdict | Method | Status | URL | Reason |', '|---|---|---|---|---|');
    for (const r of report.rows.slice(0, maxRows)) {
      const reason =
        r.verdict === 'blocked'
          ? `${markdownCode(r.reason, 100)}${r.failedParameter ? ` ${markdownCode(r.failedParameter, 100)}` : ''} ${markdownText(r.label, 200)}`
          : markdownText(shortReason(r), 200);
      out.push(
        `| ${VERDICT_LABEL[r.verdict]} | ${markdownText(r.method, 20)} | ${r.status ?? '—'} | ${markdownCode(url(r, opts), 300)} | ${reason} |`,
      );
    }
    const shown = Math.min(report.rows.length, maxRows);
    if (report.total > shown) out.push('', `… and ${report.total - shown} more.`);
    out.push('');
  }
  const blocked = report.rows.filter((r) => r.verdict === 'blocked' || r.findings.length > 0);
  if (blocked.length) {
    out.push('### Details', '');
    blocked.slice(0, maxDetails).forEach((r, i) => {
      out.push(`#### ${i + 1}. ${markdownText(r.method, 20)} ${markdownCode(url(r, opts), 300, false)}`, '');
      if (r.verdict === 'blocked') {
        out.push(
          `- **Chromium:** ${markdownCode(r.chromiumReason, 100, false)}${r.failedParameter ? ` (failed parameter ${markdownCode(r.failedParameter, 200, false)})` : ''}`,
        );
        out.push(`- **Firefox:** ${markdownCode(r.firefoxReason, 100, false)}`);
      }
      out.push(`- **What it means:** ${markdownText(r.summary, 600)}`);
      if (r.verdict === 'blocked' && r.browser === 'firefox' ? r.firefoxMessage : r.chromiumMessage) {
        out.push(`- **Console:** ${markdownText(r.browser === 'firefox' ? r.firefoxMessage : r.chromiumMessage, 800)}`);
      }
      if (r.initiator) out.push(`- **Page origin:** ${markdownCode(r.initiator, 200, false)}`);
      out.push(`- **Preflight:** ${r.preflight}`);
      for (const f of r.findings.slice(0, 10)) out.push(`- **${f.severity}:** ${markdownText(f.message, 400)}`);
      out.push('');
    });
    if (blocked.length > maxDetails) out.push(`… and ${blocked.length - maxDetails} more.`, '');
  }
  return out.join('\n');
}
