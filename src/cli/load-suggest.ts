// The fix generator, loaded only when a command asks for `--framework` (or `frameworks`), shared by explain and probe.
import { parseArgs } from 'node:util';
import { safeJson } from '../report';
import type { CliIo } from './cli-io';
import { write } from './held-output';
import { UsageError } from './usage';

export type Suggest = typeof import('../suggest/index');

async function loadSuggest(): Promise<Suggest | null> {
  try {
    return await import('../suggest/index');
  } catch {
    return null;
  }
}

/**
 * The fix generator for `--framework <framework>`, null without the option; `fail` makes the command's own error
 * when this build has no generator or the id is unknown.
 */
export async function suggestFor(
  framework: string | undefined,
  fail: (message: string) => Error,
): Promise<Suggest | null> {
  if (framework === undefined) return null;
  const suggest = await loadSuggest();
  if (!suggest) throw fail('--framework is not available in this build');
  const ids = suggest.listFrameworks().map((f) => f.id);
  if (!ids.includes(framework)) throw fail(`unknown framework ${JSON.stringify(framework)}; known: ${ids.join(', ')}`);
  return suggest;
}

/** `cors-lens frameworks [--json]`. */
export async function frameworks(args: string[], io: CliIo): Promise<number> {
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
