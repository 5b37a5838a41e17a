// The `cors-lens` command line: `explain <file.har>` diagnoses every cross-origin request of a HAR with the engine,
// `probe <url>` sends a request as the browser would and says whether it would get through,
// `frameworks` lists the fix generators. Exit codes: 0 nothing blocked, 1 something blocked, 2 bad input or usage.
// Every failure is ONE line on stderr (no stack traces): the input is often hostile or just not a HAR.
import { open, readFile, stat } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { BrowserName, ObservedRequest, Verdict } from '../engine/types';
import { importHar, sniffNonJson } from '../har/import';
import { browserOfHar } from '../har/browser-of';
import { HarStreamImport } from '../har/stream';
import type { HarImportError, HarWarning } from '../har/types';
import { ReportBuilder } from '../report/build';
import { rowJson } from '../report/row-json';
import { tableFooter, tableHeader, tableLayout, tableRow, toMarkdown } from '../report/format';
import { cleanText, markdownCode, markdownText, safeJson } from '../report/sanitize';
import { fixText, fixesTextLines } from '../suggest/fix-text';
import { NodeUtf8Decoder } from './utf8';
import { readChunks } from './read-chunks';
import { scanInThread, scanThreadAvailable } from './har-thread';
import { runnableOthers } from './runnable';
import { HeldOutput, write } from './held-output';

/** Above this size a HAR goes through the streaming importer so memory stays bounded (tested up to 1 GB). */
export const STREAM_THRESHOLD = 50 * 1024 * 1024;
// Tests set CORS_LENS_STREAM_THRESHOLD to run small fixtures through the streaming path too.
const streamThreshold = () => {
  const n = Number(process.env.CORS_LENS_STREAM_THRESHOLD);
  return Number.isFinite(n) && n >= 0 && process.env.CORS_LENS_STREAM_THRESHOLD !== '' ? n : STREAM_THRESHOLD;
};
/**
 * From this size on, a streamed HAR is scanned in a worker thread while the main thread does the rest
 * (src/cli/har-thread.ts). The worker costs ~50 ms of start-up (wall, on a streamed 40 KB fixture); on the 200 MB
 * bench HAR with a core free it saved ~0.15-0.25 s (1.78 s against 1.93-2.03 s on one thread), ~1 ms per MB, so it
 * pays from ~50-65 MB (bench "har", 2 cores).
 */
export const THREAD_THRESHOLD = 64 * 1024 * 1024;

/**
 * Two threads for a streamed file of `size` bytes, on a machine with `cores` cores? Only when a second core looks
 * free: the split costs little CPU (~0.1-0.3 s per 200 MB: start-up, copying entry texts), but on a busy machine the
 * pipeline stalls whenever one thread waits for the other to be scheduled again: with the load average at 7-9 on 2
 * cores, two threads were slower than one in 8 of 9 paired runs (bench "har"). "Free" is judged by `others`, the
 * threads runnable right now besides ours (runnable.ts: at most cores - 2), or where the system cannot say, by the
 * 1-minute load average `load1` (below the core count minus a half), which lags by a minute. `setting` is
 * CORS_LENS_THREADS: `always` or `never` override the size and load checks (the tests compare both paths on small
 * fixtures; the bench times both).
 */
export function useThreads(size: number, setting: string | undefined, cores: number, load1: number, others: number | null = null): boolean {
  if (setting === 'never') return false;
  if (setting === 'always') return true;
  if (size < THREAD_THRESHOLD || cores < 2) return false;
  return others !== null ? others <= cores - 2 : load1 < cores - 0.5;
}
/** Read at start-up and again when the choice is made: the smaller count wins (a busy competitor is in both). */
const othersAtStart = runnableOthers();
const othersNow = (): number | null => {
  const now = runnableOthers();
  return now === null || othersAtStart === null ? now : Math.min(now, othersAtStart);
};
/** Requests the fix is computed from (`--framework`): up to this many failing and this many allowed ones. */
const MAX_FIX_ITEMS = 5000;

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Read for `explain -`. */
  stdin?: AsyncIterable<Uint8Array | string>;
  isTTY?: boolean;
  columns?: number;
}

class UsageError extends Error {}

const HELP = `cors-lens — explain the CORS verdict of every cross-origin request in a HAR file, or probe a live URL

Usage:
  cors-lens explain <file.har> [options]   one diagnosis per logical request (preflights and redirects folded in)
  cors-lens explain - [options]            read the HAR from standard input (e.g. gunzip -c x.har.gz | …)
  cors-lens probe <url> --origin <origin> [options]
                                           send the request as the browser would (preflight, redirects) and
                                           say whether it would let it through
  cors-lens frameworks                     list the frameworks --framework can write a fix for
  cors-lens --help | --version

Options for explain:
  --browser chromium|firefox   browser whose rules and vocabulary to use (default: the browser that
                               made the HAR, from log.browser/log.creator; chromium when it does not say)
  --format table|json|markdown output format (default table); --json is short for --format json
  --origin <origin>            page origin to assume when the HAR does not say (e.g. https://app.example)
  --framework <id>             also print the server config that fixes the blocked requests
  --no-redact                  show URLs as recorded (tokens in query strings are redacted by default)

Options for probe:
  --origin <origin>            origin of the page making the request (required)
  --method <M>, -X <M>         request method (default GET)
  --header 'Name: value', -H   request header set by the page (repeatable)
  --credentials                credentials: 'include' (no cookie is sent; the CORS rules for credentials apply)
  --browser chromium|firefox   browser whose rules to apply (default chromium)
  --framework <id>             also print the server config that fixes a block
  --json                       {url, origin, method, verdict, reason, failedParameter, firefoxReason, summary, exchanges, fix?}
  --timeout <ms>               per exchange (default 10000)
  Exit status: 0 the browser would let it through, 1 it would block it, 2 bad input or network error.

Exit status (explain): 0 nothing blocked, 1 at least one request blocked, 2 bad input or usage error.
JSON output: {"diagnoses":[{"url","method","verdict","reason","failedParameter",...}], "counts", "groups", ...}
  verdict is allowed | allowed-hidden-headers | blocked | not-cors | unknown; reason is Chromium's CorsError name
  (Firefox's reason key with --browser firefox), null unless blocked.
`;

async function version(): Promise<string> {
  try {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function oneLine(s: string): string {
  return cleanText(s, 300);
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const fail = async (msg: string) => {
    await write(io.stderr, `cors-lens: ${oneLine(msg)}\n`);
    return 2;
  };
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined) return await fail('missing command: cors-lens explain <file.har> (try cors-lens --help)');
    if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
      await write(io.stdout, HELP);
      return 0;
    }
    if (cmd === '--version' || cmd === '-v' || cmd === 'version') {
      await write(io.stdout, `${await version()}\n`);
      return 0;
    }
    if (cmd === 'explain') return await explain(rest, io);
    if (cmd === 'frameworks') return await frameworks(rest, io);
    if (cmd === 'probe') return await (await import('./probe')).probe(rest, io);
    return await fail(`unknown command ${JSON.stringify(cmd)} (try cors-lens --help)`);
  } catch (err) {
    if (err instanceof UsageError) return fail(err.message);
    // Errors from node:util parseArgs carry a code and a readable message.
    const e = err as { code?: string; message?: string };
    if (e?.code?.startsWith('ERR_PARSE_ARGS')) return fail(`${e.message ?? 'bad arguments'} (try cors-lens --help)`);
    return fail(`internal error: ${e?.message ?? String(err)}`);
  }
}

async function loadSuggest(): Promise<typeof import('../suggest/index') | null> {
  try {
    return await import('../suggest/index');
  } catch {
    return null;
  }
}

async function frameworks(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: false });
  const suggest = await loadSuggest();
  if (!suggest) throw new UsageError('fix suggestions are not available in this build');
  const list = suggest.listFrameworks();
  if (values.json) await write(io.stdout, `${safeJson({ frameworks: list })}\n`);
  else {
    const w = Math.max(...list.map((f) => f.id.length));
    for (const f of list) await write(io.stdout, `${f.id.padEnd(w)}  ${f.label} (${f.targetVersion})\n`);
  }
  return 0;
}

interface ExplainOptions {
  file: string;
  /** From --browser; when absent, the HAR's own log.browser / log.creator decides (see browserOfHar). */
  browser: BrowserName | null;
  format: 'table' | 'json' | 'markdown';
  origin?: string;
  framework?: string;
  redact: boolean;
}

function parseExplain(args: string[]): ExplainOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      browser: { type: 'string' },
      json: { type: 'boolean' },
      format: { type: 'string' },
      origin: { type: 'string' },
      framework: { type: 'string' },
      'no-redact': { type: 'boolean' },
      redact: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'explain takes exactly one HAR file' : 'explain needs a HAR file: cors-lens explain <file.har>');
  const browser = values.browser ?? null;
  if (browser !== null && browser !== 'chromium' && browser !== 'firefox') throw new UsageError(`--browser must be chromium or firefox, not ${JSON.stringify(browser)}`);
  const format = values.json ? 'json' : (values.format ?? 'table');
  if (format !== 'table' && format !== 'json' && format !== 'markdown') throw new UsageError(`--format must be table, json or markdown, not ${JSON.stringify(format)}`);
  if (values.json && values.format && values.format !== 'json') throw new UsageError('--json conflicts with --format ' + values.format);
  let origin: string | undefined;
  if (values.origin !== undefined) {
    try {
      const u = new URL(values.origin);
      if (u.origin === 'null') throw new Error();
      origin = u.origin;
    } catch {
      throw new UsageError(`--origin must be an origin such as https://app.example, not ${JSON.stringify(values.origin)}`);
    }
  }
  return { file: positionals[0], browser, format, origin, framework: values.framework, redact: !values['no-redact'] };
}

async function headOf(file: string, bytes = 65536): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString('latin1');
  } finally {
    await fh.close();
  }
}

/** Checks the path before reading: missing, a directory, unreadable… each gets its own one-line message. */
async function checkFile(file: string): Promise<{ size: number } | HarImportError> {
  try {
    const st = await stat(file);
    if (st.isDirectory()) return { code: 'io', message: `${file} is a directory, not a HAR file` };
    if (!st.isFile()) return { code: 'io', message: `${file} is not a regular file` };
    return { size: st.size };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') return { code: 'io', message: `${file}: no such file` };
    if (code === 'EACCES') return { code: 'io', message: `${file}: permission denied` };
    return { code: 'io', message: `cannot read ${file}: ${(err as Error).message}` };
  }
}

/**
 * Yields the requests of the HAR in batches (one per chunk read when streaming: no await per request), whole-file or
 * streamed by size; `error()` is set afterwards on bad input.
 */
function openHar(file: string, size: number, origin: string | undefined, stdin?: AsyncIterable<Uint8Array | string>) {
  let error: HarImportError | undefined;
  let warnings: HarWarning[] = [];
  let dropped = 0;
  let usedThread = false;
  async function* batches(): AsyncGenerator<ObservedRequest[]> {
    if (stdin || size > streamThreshold()) {
      // A file big enough is scanned in a worker thread while this one parses, folds, evaluates and writes; stdin and
      // the tsx fallback (no worker bundle) stay on one thread. Either way the importer gets the same scan events.
      const threaded = !stdin && useThreads(size, process.env.CORS_LENS_THREADS, availableParallelism(), loadavg()[0], othersNow()) && scanThreadAvailable();
      const thread = { usedThread: false };
      const imp = threaded
        ? HarStreamImport.ofEvents(scanInThread(file, thread), { origin })
        : new HarStreamImport(stdin ?? readChunks(file), { origin, decoder: new NodeUtf8Decoder() });
      try {
        yield* imp.batches();
      } catch (err) {
        error = { code: 'io', message: `cannot read ${file}: ${(err as Error).message}` };
      }
      warnings = imp.warnings;
      dropped = imp.droppedWarnings;
      error ??= imp.error;
      usedThread = thread.usedThread;
      return;
    }
    let buf: Buffer;
    try {
      buf = await readFile(file);
    } catch (err) {
      error = { code: 'io', message: `cannot read ${file}: ${(err as Error).message}` };
      return;
    }
    const sniff = sniffNonJson(buf.subarray(0, 1024).toString('latin1'));
    if (sniff) {
      error = sniff;
      return;
    }
    const r = importHar(buf.toString('utf8'), { origin });
    warnings = r.warnings;
    error = r.error;
    yield r.requests;
  }
  return { batches, error: () => error, warnings: () => warnings, dropped: () => dropped, usedThread: () => usedThread };
}

async function explain(args: string[], io: CliIo): Promise<number> {
  const opts = parseExplain(args);
  const suggest = opts.framework !== undefined ? await loadSuggest() : null;
  if (opts.framework !== undefined) {
    if (!suggest) throw new UsageError('--framework is not available in this build');
    const ids = suggest.listFrameworks().map((f) => f.id);
    if (!ids.includes(opts.framework)) throw new UsageError(`unknown framework ${JSON.stringify(opts.framework)}; known: ${ids.join(', ')}`);
  }
  const fromStdin = opts.file === '-';
  if (fromStdin && !io.stdin) throw new UsageError('no standard input to read');
  const checked = fromStdin ? { size: Infinity } : await checkFile(opts.file);
  if ('code' in checked) throw new UsageError(checked.message);
  const { evaluate } = await import('../engine/index');
  const detected = opts.browser === null && !fromStdin ? browserOfHar(await headOf(opts.file).catch(() => '')) : null;
  const browser: BrowserName = opts.browser ?? detected ?? 'chromium';

  const har = openHar(opts.file, checked.size, opts.origin, fromStdin ? io.stdin : undefined);
  const streamed = checked.size > streamThreshold();
  // Small inputs keep every row (Markdown lists them); huge ones keep only what each format needs.
  const builder = new ReportBuilder({ keepRows: opts.format === 'markdown' || !streamed, maxRows: streamed ? 5000 : undefined });
  const held = new HeldOutput();
  const layout = tableLayout({ width: io.columns, color: io.isTTY === true, redact: opts.redact });
  const fixItems: { request: ObservedRequest; verdict: Verdict }[] = [];
  let failingFixItems = 0;
  let noOrigin = 0;
  for await (const batch of har.batches()) {
    for (const request of batch) {
      if (request.initiator === null) noOrigin++;
      const verdict = evaluate(request, { browser });
      const row = builder.add({ request, verdict });
      // push() returns a promise only while it moves to (or writes) its spill file.
      let spilling: Promise<void> | undefined;
      if (opts.format === 'json') spilling = held.push((builder.count > 1 ? ',\n' : '\n') + rowJson(row, { redact: opts.redact }));
      else if (opts.format === 'table') spilling = held.push(tableRow(row, layout) + '\n');
      if (spilling) await spilling;
      // Allowed requests go in too: the fix is merged with what works today (src/suggest/merged.ts).
      if (suggest && (verdict.kind === 'blocked' || verdict.kind === 'allowed-hidden-headers') && failingFixItems < MAX_FIX_ITEMS) {
        fixItems.push({ request, verdict });
        failingFixItems++;
      } else if (suggest && verdict.kind === 'allowed' && fixItems.length - failingFixItems < MAX_FIX_ITEMS) {
        fixItems.push({ request, verdict });
      }
    }
  }
  // For the tests that compare the two-thread path with the one-thread path: says which one ran.
  if (process.env.CORS_LENS_DEBUG_THREADS) await write(io.stderr, `cors-lens: debug: ${har.usedThread() ? 'two threads' : 'one thread'}\n`);
  const error = har.error();
  if (error) {
    await held.discard();
    throw new UsageError(`${fromStdin ? 'standard input' : opts.file}: ${error.message}`);
  }
  const report = builder.build();
  const warnings = har.warnings();
  const fixes = suggest && opts.framework ? suggest.suggestMergedFix(fixItems, opts.framework) : null;
  try {
    await emit();
  } finally {
    await held.discard();
  }
  return report.counts.blocked > 0 ? 1 : 0;

  async function emit(): Promise<void> {
    if (opts.format === 'json') {
      await write(io.stdout, '{"diagnoses":[');
      await held.flushTo(io.stdout);
      const tail = {
        browser, total: report.total, counts: report.counts, groups: report.groups,
        warnings: warnings.slice(0, 100), warningCount: warnings.length + har.dropped(),
        ...(fixes ? { fixes } : {}),
      };
      await write(io.stdout, `\n],${safeJson(tail).slice(1)}\n`);
    } else if (opts.format === 'table') {
      await write(io.stdout, tableHeader(layout) + '\n');
      await held.flushTo(io.stdout);
      await write(io.stdout, tableFooter(report, layout).join('\n') + '\n');
      if (fixes) await write(io.stdout, fixesText(fixes));
    } else {
      await write(io.stdout, toMarkdown(report, { redact: opts.redact }) + '\n');
      if (fixes) await write(io.stdout, fixesMarkdown(fixes));
    }
    if (detected === 'firefox' && opts.format !== 'json') {
      await write(io.stderr, 'cors-lens: note: the HAR was made by Firefox, so Firefox\'s rules apply (--browser chromium to override)\n');
    }
    if (noOrigin > 0) {
      await write(io.stderr, `cors-lens: hint: the HAR does not say which page made ${noOrigin} request${noOrigin === 1 ? '' : 's'}; pass --origin <page origin>\n`);
    }
    if (opts.format !== 'json' && warnings.length) {
      const n = warnings.length + har.dropped();
      await write(io.stderr, `cors-lens: warning: ${n} problem${n === 1 ? '' : 's'} in the HAR (first: ${oneLine(warnings[0].message)})\n`);
    }
  }
}

type Fixes = import('../suggest/index').MergedFixes;

function fixesText(f: Fixes): string {
  return ['', ...fixesTextLines(f, cleanText)].join('\n') + '\n';
}

function fixesMarkdown(f: Fixes): string {
  const out: string[] = [];
  for (const fix of f.perOrigin) {
    const t = fixText(fix);
    out.push(`### Fix for ${markdownCode(fix.targetOrigin, 200, false)} (${markdownText(fix.config.framework, 50)})`, '', markdownText(t.intro, 300), '');
    for (const d of t.diff) out.push(`- ${markdownText(d, 600)}`);
    for (const n of t.narrowing) out.push(`- **Narrowed:** ${markdownText(n, 600)}`);
    for (const n of t.notes) out.push(`- ${markdownText(n, 400)}`);
    const code = t.code.split('\n').map((l) => cleanText(l, 400)).join('\n');
    let fence = '```';
    while (code.includes(fence)) fence += '`';
    out.push('', markdownText(t.configTitle, 200), '', fence, code, fence, '', `Framework defaults: ${markdownText(t.defaults, 400)}`, '');
  }
  for (const a of f.clientSideAdvice) out.push(`- Client side: ${markdownText(a.message, 400)}`);
  return out.join('\n') + '\n';
}
