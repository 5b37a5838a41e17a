// `cors-lens probe <url> --origin <origin>`: sends from Node what the browser would send (the preflight when one is
// needed, then the actual request, following redirects hop by hop), feeds the exchanges to the engine and prints what
// Chromium or Firefox would decide. Exit codes: 0 let through, 1 blocked, 2 bad input, network error or undecidable.
import { messagesFor, needsServerFix } from '../engine/index';
import { explain as explainVerdict } from '../report';
import { safeJson } from '../report';
import { write } from './held-output';
import { suggestFor } from './load-suggest';
import { ProbeError, parseProbeArgs } from './probe-args';
import { exitCodeFor, probeJson, probeTextLines, undecidedText, type ProbeReport } from './probe-output';
import { runProbe } from './probe-run';
import { oneLine } from './usage';

export { DEFAULT_TIMEOUT_MS, ProbeError, parseHeaderArg, parseProbeArgs, type ProbeOptions } from './probe-args';
export { accessControlRequestHeaders, runProbe, type ProbeResult } from './probe-run';
export { exitCodeFor } from './probe-output';

export interface ProbeIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Probes and prints; the exit status. */
async function probeAndPrint(args: string[], io: ProbeIo): Promise<number> {
  const opts = parseProbeArgs(args);
  const suggest = await suggestFor(opts.framework, (m) => new ProbeError(m));
  const { request, verdict } = await runProbe(opts);
  const needsFix = needsServerFix(verdict);
  const fixes =
    suggest && opts.framework && needsFix ? suggest.suggestMergedFix([{ request, verdict }], opts.framework) : null;
  const report: ProbeReport = {
    opts,
    request,
    verdict,
    messages: messagesFor(request, verdict),
    why: explainVerdict(request, verdict),
    fixes,
  };
  const code = exitCodeFor(verdict);
  if (opts.json) {
    await write(io.stdout, `${safeJson(probeJson(report), 2)}\n`);
    return code;
  }
  await write(io.stdout, probeTextLines(report).join('\n') + '\n');
  if (code === 2) await write(io.stderr, `cors-lens: ${oneLine(undecidedText(verdict))}\n`);
  return code;
}

/** `cors-lens probe …`: returns the exit status; bad input and network errors are one line on stderr. */
export async function probe(args: string[], io: ProbeIo): Promise<number> {
  try {
    return await probeAndPrint(args, io);
  } catch (err) {
    if (err instanceof ProbeError) {
      await write(io.stderr, `cors-lens: ${oneLine(err.message)}\n`);
      return 2;
    }
    throw err;
  }
}
