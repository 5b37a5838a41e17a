// What `probe` prints: the verdict as JSON or as text (verdict, why, console message, findings, every exchange with
// its headers redacted, the fix when --framework asks), and the exit status it maps to.
import type { VerdictMessages } from '../engine/index';
import type { ObservedRequest, Verdict } from '../engine/types';
import type { Explanation } from '../report';
import { redactHeaders, redactUrl } from '../report';
import { cleanText } from '../report';
import { fixesTextLines } from '../suggest';
import type { MergedFixes } from '../suggest';
import type { ProbeOptions } from './probe-args';

/** Everything one probe found, for either output. */
export interface ProbeReport {
  opts: ProbeOptions;
  request: ObservedRequest;
  verdict: Verdict;
  messages: VerdictMessages;
  why: Explanation;
  fixes: MergedFixes | null;
}

/** Exit status for a verdict: 0 let through, 1 blocked, 2 undecidable or a network failure. */
export function exitCodeFor(v: Verdict): number {
  switch (v.kind) {
    case 'allowed':
    case 'allowed-hidden-headers':
      return 0;
    case 'blocked':
      return 1;
    // CORS passed (an HTTP error status, withheld cookies): the browser let it through.
    case 'not-cors':
      return v.why === 'same-origin' || v.why === 'cors-passed' ? 0 : 2;
    default:
      return 2;
  }
}

function verdictWord(v: Verdict): string {
  switch (v.kind) {
    case 'allowed':
      return 'ALLOWED';
    case 'allowed-hidden-headers':
      return 'ALLOWED (some response headers hidden from script)';
    case 'blocked':
      return 'BLOCKED';
    case 'not-cors':
      return v.why === 'cors-passed'
        ? `CORS PASSED, BUT ${v.cause === 'http-error' ? 'AN HTTP ERROR' : 'COOKIES WITHHELD'}`
        : `NOT CORS (${v.cause})`;
    default:
      return 'UNKNOWN';
  }
}

function exchangesForOutput(req: ObservedRequest) {
  return req.exchanges.map((x) => ({
    kind: x.kind,
    method: x.method,
    url: redactUrl(x.url),
    requestHeaders: redactHeaders(x.requestHeaders),
    status: x.response?.status ?? null,
    statusText: x.response?.statusText ?? null,
    responseHeaders: x.response ? redactHeaders(x.response.headers) : null,
    ...(x.redirectUrl ? { redirectUrl: redactUrl(x.redirectUrl) } : {}),
  }));
}

/** The console message of the probed browser, for a block. */
function consoleMessage({ opts, verdict, messages }: ProbeReport): string | undefined {
  if (verdict.kind !== 'blocked') return undefined;
  return opts.browser === 'firefox' ? messages.firefox : messages.chromium;
}

/** `fix` in the JSON: absent without --framework, null when nothing needs fixing. */
function fixJson({ opts, fixes }: ProbeReport) {
  if (opts.framework === undefined) return undefined;
  if (!fixes) return null;
  return {
    framework: opts.framework,
    perOrigin: fixes.perOrigin.map((f) => ({
      targetOrigin: f.targetOrigin,
      diff: f.diff,
      narrowing: f.narrowing,
      replacement: f.replacement,
      code: f.config.code,
      filename: f.config.filename ?? null,
      notes: f.notes,
      responseHeaders: f.responseHeaders,
      warnings: f.config.warnings,
      defaults: f.defaults,
    })),
    clientSideAdvice: fixes.clientSideAdvice.map((a) => a.message),
  };
}

/** The object `probe --json` prints. */
export function probeJson(r: ProbeReport) {
  const { opts, verdict, messages, why } = r;
  const reason = verdict.kind === 'blocked' ? verdict.reason : null;
  const fix = fixJson(r);
  return {
    url: redactUrl(opts.url.href),
    origin: opts.origin,
    method: opts.method,
    browser: opts.browser,
    credentials: opts.credentials ? 'include' : 'same-origin',
    verdict: verdict.kind,
    reason: reason?.corsError ?? null,
    failedParameter: reason ? reason.failedParameter : null,
    firefoxReason: reason?.firefoxReason ?? null,
    stage: reason?.stage ?? null,
    summary: messages.summary,
    explanation: why.text,
    action: why.action,
    console: consoleMessage(r) ?? null,
    preflight: verdict.preflight,
    ...(verdict.kind === 'allowed-hidden-headers' ? { hiddenHeaders: verdict.hiddenHeaders } : {}),
    ...(verdict.kind === 'not-cors' ? { notCorsWhy: verdict.why, notCorsCause: verdict.cause } : {}),
    findings: verdict.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message })),
    exchanges: exchangesForOutput(r.request),
    ...(fix !== undefined ? { fix } : {}),
  };
}

function exchangeLines(req: ObservedRequest): string[] {
  const lines: string[] = [];
  exchangesForOutput(req).forEach((x, i) => {
    lines.push(
      `  ${i + 1}. ${x.kind === 'preflight' ? 'preflight ' : ''}${x.method} ${cleanText(x.url, 300)} → ${x.status ?? 'no response'} ${cleanText(x.statusText ?? '', 60)}`.trimEnd(),
    );
    for (const h of x.requestHeaders ?? [])
      lines.push(`       > ${cleanText(h.name, 100)}: ${cleanText(h.value, 300)}`);
    for (const h of x.responseHeaders ?? [])
      lines.push(`       < ${cleanText(h.name, 100)}: ${cleanText(h.value, 300)}`);
    if (x.redirectUrl) lines.push(`       redirects to ${cleanText(x.redirectUrl, 300)}`);
  });
  return lines;
}

function findingWord(severity: Verdict['findings'][number]['severity']): string {
  return severity === 'danger' ? 'DANGER' : severity === 'warning' ? 'Warning' : 'Note';
}

/** What `probe` prints without --json. */
export function probeTextLines(r: ProbeReport): string[] {
  const { opts, verdict, messages, why, fixes } = r;
  const reason = verdict.kind === 'blocked' ? verdict.reason : null;
  const browserName = opts.browser === 'firefox' ? 'Firefox' : 'Chromium';
  const lines: string[] = [];
  lines.push(`${browserName} verdict: ${verdictWord(verdict)} — ${cleanText(messages.summary, 300)}`);
  if (reason) {
    lines.push(
      `  Chromium CorsError: ${reason.corsError}${reason.failedParameter ? ` (failedParameter: ${cleanText(reason.failedParameter, 200)})` : ''}`,
    );
    lines.push(`  Firefox reason:     ${reason.firefoxReason}`);
  }
  lines.push('', cleanText(why.text, 1500), `What to do: ${cleanText(why.action, 600)}`);
  const consoleText = consoleMessage(r);
  if (consoleText) lines.push(`${browserName} console: ${cleanText(consoleText, 1000)}`);
  for (const f of verdict.findings) lines.push(`${findingWord(f.severity)}: ${cleanText(f.message, 600)}`);
  lines.push('', 'Exchanges:', ...exchangeLines(r.request));
  if (opts.framework !== undefined) {
    lines.push('');
    if (!fixes) lines.push(`Fix (${opts.framework}): nothing to fix.`);
    else lines.push(...fixesTextLines(fixes, cleanText));
  }
  return lines;
}

/** Why probe could not give a CORS verdict (exit status 2 without a network error). */
export function undecidedText(verdict: Verdict): string {
  return verdict.kind === 'unknown'
    ? `cannot tell what the browser would decide: ${verdict.missing.join('; ')}`
    : `not a CORS decision: ${verdict.kind === 'not-cors' ? verdict.detail : ''}`;
}
