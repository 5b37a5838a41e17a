// Runs the CLI's main (src/cli/main.ts) in-process, without bin.mjs's tsx registration, so profile-top.ts can bundle
// and profile `explain`: `npx tsx test/bench/profile-top.ts test/bench/cli-entry.ts explain big.har --json`.
import { run } from '../../src/cli/main.ts';

process.stdout.on('error', () => {});
process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  isTTY: false,
  columns: 120,
});
