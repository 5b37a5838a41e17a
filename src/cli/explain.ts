// `cors-lens explain <file.har>`: every request of the HAR through the engine, rows held while they stream in, the
// merged fix when --framework asks, then the output. Exit status 0 nothing blocked, 1 something blocked.
import type { BrowserName, ObservedRequest, Verdict } from '../engine/types';
import { needsServerFix } from '../engine';
import { browserOfHar } from '../har';
import { ReportBuilder } from '../report';
import { tableLayout, tableRow, type TableLayout } from '../report';
import { rowJson } from '../report';
import type { DiagnosisRow } from '../report';
import type { CliIo } from './cli-io';
import { parseExplain, type ExplainOptions } from './explain-args';
import { emitExplain } from './explain-output';
import { checkFile, headOf, openHar, streamThreshold } from './har-input';
import { HeldOutput, write } from './held-output';
import { suggestFor } from './load-suggest';
import { threadChoice } from './threads';
import { UsageError } from './usage';

/** Requests the fix is computed from (`--framework`): up to this many failing and this many allowed ones. */
const MAX_FIX_ITEMS = 5000;

/** The requests the merged fix is computed from. Allowed ones go in too: the fix is merged with what works today. */
class FixItems {
  readonly items: { request: ObservedRequest; verdict: Verdict }[] = [];
  private failing = 0;

  add(request: ObservedRequest, verdict: Verdict): void {
    if (needsServerFix(verdict) && this.failing < MAX_FIX_ITEMS) {
      this.items.push({ request, verdict });
      this.failing++;
    } else if (verdict.kind === 'allowed' && this.items.length - this.failing < MAX_FIX_ITEMS) {
      this.items.push({ request, verdict });
    }
  }
}

/** The input's size (Infinity for stdin), after the one-line checks of a missing, unreadable or odd path. */
async function inputSize(opts: ExplainOptions, io: CliIo): Promise<number> {
  if (opts.file !== '-') {
    const checked = await checkFile(opts.file);
    if ('code' in checked) throw new UsageError(checked.message);
    return checked.size;
  }
  if (!io.stdin) throw new UsageError('no standard input to read');
  return Infinity;
}

/** The row as the format writes it while requests stream in; null for Markdown, which is written from the report. */
function heldRow(row: DiagnosisRow, opts: ExplainOptions, layout: TableLayout, first: boolean): string | null {
  if (opts.format === 'json') return (first ? '\n' : ',\n') + rowJson(row, { redact: opts.redact });
  if (opts.format === 'table') return tableRow(row, layout) + '\n';
  return null;
}

/** What each request goes through as it streams in. */
interface Diagnosis {
  evaluate: typeof import('../engine/index').evaluate;
  browser: BrowserName;
  builder: ReportBuilder;
  held: HeldOutput;
  layout: TableLayout;
  opts: ExplainOptions;
  /** Null without --framework. */
  fixItems: FixItems | null;
}

/** Every request through the engine, its row held for output; the count of requests without a page origin. */
async function diagnoseAll(batches: AsyncIterable<ObservedRequest[]>, d: Diagnosis): Promise<number> {
  let noOrigin = 0;
  for await (const batch of batches) {
    for (const request of batch) {
      if (request.initiator === null) noOrigin++;
      const verdict = d.evaluate(request, { browser: d.browser });
      const row = d.builder.add({ request, verdict });
      const text = heldRow(row, d.opts, d.layout, d.builder.count <= 1);
      // push() returns a promise only while it moves to (or writes) its spill file.
      const spilling = text === null ? undefined : d.held.push(text);
      if (spilling) await spilling;
      d.fixItems?.add(request, verdict);
    }
  }
  return noOrigin;
}

export async function explain(args: string[], io: CliIo): Promise<number> {
  const opts = parseExplain(args);
  const suggest = await suggestFor(opts.framework, (m) => new UsageError(m));
  const fromStdin = opts.file === '-';
  const size = await inputSize(opts, io);
  // Started before the engine loads, decided when the import starts (threads.ts).
  const twoThreads = fromStdin ? () => false : threadChoice(size, process.env.CORS_LENS_THREADS);
  const { evaluate } = await import('../engine/index');
  const detected = opts.browser === null && !fromStdin ? browserOfHar(await headOf(opts.file).catch(() => '')) : null;
  const browser: BrowserName = opts.browser ?? detected ?? 'chromium';

  const har = openHar(
    { file: opts.file, origin: opts.origin, stdin: fromStdin ? io.stdin : undefined, twoThreads },
    size,
  );
  const streamed = size > streamThreshold();
  // Small inputs keep every row (Markdown lists them); huge ones keep only what each format needs.
  const builder = new ReportBuilder({
    keepRows: opts.format === 'markdown' || !streamed,
    maxRows: streamed ? 5000 : undefined,
  });
  const held = new HeldOutput();
  const layout = tableLayout({ width: io.columns, color: io.isTTY === true, redact: opts.redact });
  const fixItems = suggest ? new FixItems() : null;
  const noOrigin = await diagnoseAll(har.batches(), { evaluate, browser, builder, held, layout, opts, fixItems });
  // For the tests that compare the two-thread path with the one-thread path: says which one ran.
  if (process.env.CORS_LENS_DEBUG_THREADS)
    await write(io.stderr, `cors-lens: debug: ${har.usedThread() ? 'two threads' : 'one thread'}\n`);
  const error = har.error();
  if (error) {
    await held.discard();
    throw new UsageError(`${fromStdin ? 'standard input' : opts.file}: ${error.message}`);
  }
  const report = builder.build();
  const fixes = suggest && opts.framework ? suggest.suggestMergedFix(fixItems?.items ?? [], opts.framework) : null;
  try {
    await emitExplain(
      {
        opts,
        browser,
        detected,
        report,
        held,
        layout,
        warnings: har.warnings(),
        dropped: har.dropped(),
        fixes,
        noOrigin,
      },
      io,
    );
  } finally {
    await held.discard();
  }
  return report.counts.blocked > 0 ? 1 : 0;
}
