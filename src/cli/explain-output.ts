// What `explain` prints once every request is diagnosed: the held rows between the format's head and tail, the fix
// when --framework asked for one, then the notes on stderr.
import type { BrowserName } from '../engine/types';
import type { HarWarning } from '../har';
import type { Report } from '../report';
import { tableFooter, tableHeader, type TableLayout, toMarkdown } from '../report';
import { cleanText, markdownCode, markdownText, safeJson } from '../report';
import { fixText, fixesTextLines } from '../suggest';
import type { MergedFixes } from '../suggest';
import type { CliIo } from './cli-io';
import type { ExplainOptions } from './explain-args';
import { type HeldOutput, write } from './held-output';
import { oneLine } from './usage';

export interface ExplainResult {
  opts: ExplainOptions;
  browser: BrowserName;
  /** The browser the HAR says made it, when --browser did not say. */
  detected: BrowserName | null;
  report: Report;
  held: HeldOutput;
  layout: TableLayout;
  warnings: HarWarning[];
  /** Warnings beyond those kept. */
  dropped: number;
  fixes: MergedFixes | null;
  /** Requests whose page origin the HAR does not give. */
  noOrigin: number;
}

function fixesText(f: MergedFixes): string {
  return ['', ...fixesTextLines(f, cleanText)].join('\n') + '\n';
}

function fixesMarkdown(f: MergedFixes): string {
  const out: string[] = [];
  for (const fix of f.perOrigin) {
    const t = fixText(fix);
    out.push(
      `### Fix for ${markdownCode(fix.targetOrigin, 200, false)} (${markdownText(fix.config.framework, 50)})`,
      '',
      markdownText(t.intro, 300),
      '',
    );
    for (const d of t.diff) out.push(`- ${markdownText(d, 600)}`);
    for (const n of t.narrowing) out.push(`- **Narrowed:** ${markdownText(n, 600)}`);
    for (const n of t.notes) out.push(`- ${markdownText(n, 400)}`);
    const code = t.code
      .split('\n')
      .map((l) => cleanText(l, 400))
      .join('\n');
    let fence = '```';
    while (code.includes(fence)) fence += '`';
    out.push(
      '',
      markdownText(t.configTitle, 200),
      '',
      fence,
      code,
      fence,
      '',
      `Framework defaults: ${markdownText(t.defaults, 400)}`,
      '',
    );
  }
  for (const a of f.clientSideAdvice) out.push(`- Client side: ${markdownText(a.message, 400)}`);
  return out.join('\n') + '\n';
}

async function emitJson(r: ExplainResult, io: CliIo): Promise<void> {
  await write(io.stdout, '{"diagnoses":[');
  await r.held.flushTo(io.stdout);
  const tail = {
    browser: r.browser,
    total: r.report.total,
    counts: r.report.counts,
    groups: r.report.groups,
    warnings: r.warnings.slice(0, 100),
    warningCount: r.warnings.length + r.dropped,
    ...(r.fixes ? { fixes: r.fixes } : {}),
  };
  await write(io.stdout, `\n],${safeJson(tail).slice(1)}\n`);
}

async function emitTable(r: ExplainResult, io: CliIo): Promise<void> {
  await write(io.stdout, tableHeader(r.layout) + '\n');
  await r.held.flushTo(io.stdout);
  await write(io.stdout, tableFooter(r.report, r.layout).join('\n') + '\n');
  if (r.fixes) await write(io.stdout, fixesText(r.fixes));
}

async function emitMarkdown(r: ExplainResult, io: CliIo): Promise<void> {
  await write(io.stdout, toMarkdown(r.report, { redact: r.opts.redact }) + '\n');
  if (r.fixes) await write(io.stdout, fixesMarkdown(r.fixes));
}

/** Which browser's rules applied, requests without a page origin, problems in the HAR: one line each on stderr. */
async function emitNotes(r: ExplainResult, io: CliIo): Promise<void> {
  const { opts, warnings, noOrigin } = r;
  if (r.detected === 'firefox' && opts.format !== 'json') {
    await write(
      io.stderr,
      "cors-lens: note: the HAR was made by Firefox, so Firefox's rules apply (--browser chromium to override)\n",
    );
  }
  if (noOrigin > 0) {
    await write(
      io.stderr,
      `cors-lens: hint: the HAR does not say which page made ${noOrigin} request${noOrigin === 1 ? '' : 's'}; pass --origin <page origin>\n`,
    );
  }
  if (opts.format !== 'json' && warnings.length) {
    const n = warnings.length + r.dropped;
    await write(
      io.stderr,
      `cors-lens: warning: ${n} problem${n === 1 ? '' : 's'} in the HAR (first: ${oneLine(warnings[0].message)})\n`,
    );
  }
}

export async function emitExplain(r: ExplainResult, io: CliIo): Promise<void> {
  if (r.opts.format === 'json') await emitJson(r, io);
  else if (r.opts.format === 'table') await emitTable(r, io);
  else await emitMarkdown(r, io);
  await emitNotes(r, io);
}
