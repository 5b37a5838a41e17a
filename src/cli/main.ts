// The `cors-lens` command line: `explain <file.har>` diagnoses every cross-origin request of a HAR with the engine,
// `probe <url>` sends a request as the browser would and says whether it would get through,
// `frameworks` lists the fix generators. Exit codes: 0 nothing blocked, 1 something blocked, 2 bad input or usage.
// Every failure is ONE line on stderr (no stack traces): the input is often hostile or just not a HAR.
import type { CliIo } from './cli-io';
import { explain } from './explain';
import { write } from './held-output';
import { frameworks } from './load-suggest';
import { HELP, UsageError, oneLine, version } from './usage';

export type { CliIo } from './cli-io';
export { STREAM_THRESHOLD } from './har-input';
export { THREAD_THRESHOLD, useThreads } from './threads';

async function fail(io: CliIo, msg: string): Promise<number> {
  await write(io.stderr, `cors-lens: ${oneLine(msg)}\n`);
  return 2;
}

/** The command named by `cmd`, run; null when there is none of that name. */
async function dispatch(cmd: string, rest: string[], io: CliIo): Promise<number | null> {
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
    await write(io.stdout, HELP);
    return 0;
  }
  if (cmd === '--version' || cmd === '-v' || cmd === 'version') {
    await write(io.stdout, `${await version()}\n`);
    return 0;
  }
  if (cmd === 'explain') return explain(rest, io);
  if (cmd === 'frameworks') return frameworks(rest, io);
  if (cmd === 'probe') return (await import('./probe')).probe(rest, io);
  return null;
}

/** An error out of a command as one line: usage, argument parsing, or anything else as an internal error. */
function messageOf(err: unknown): string {
  if (err instanceof UsageError) return err.message;
  // Errors from node:util parseArgs carry a code and a readable message.
  const e = err as { code?: string; message?: string };
  if (e?.code?.startsWith('ERR_PARSE_ARGS')) return `${e.message ?? 'bad arguments'} (try cors-lens --help)`;
  return `internal error: ${e?.message ?? String(err)}`;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined)
      return await fail(io, 'missing command: cors-lens explain <file.har> (try cors-lens --help)');
    const code = await dispatch(cmd, rest, io);
    return code ?? (await fail(io, `unknown command ${JSON.stringify(cmd)} (try cors-lens --help)`));
  } catch (err) {
    return fail(io, messageOf(err));
  }
}
