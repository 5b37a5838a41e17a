#!/usr/bin/env node
// The `cors-lens` executable (package.json `bin`): registers tsx so Node loads the TypeScript sources directly,
// then runs src/cli/main.ts. Any failure is one line on stderr and exit status 2, never a stack trace.
const fail = (msg) => {
  process.stderr.write(`cors-lens: ${String(msg).split('\n')[0]}\n`);
  process.exit(2);
};
process.on('uncaughtException', (e) => fail(`internal error: ${e && e.message ? e.message : e}`));
process.on('unhandledRejection', (e) => fail(`internal error: ${e && e.message ? e.message : e}`));
// `cors-lens explain x.har | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  fail(e.message);
});

let api;
try {
  api = await import('tsx/esm/api');
} catch {
  fail('cannot load tsx (run npm install in the cors-lens directory)');
}
api.register();
const { run } = await import('./main.ts');
const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  isTTY: process.stdout.isTTY === true,
  columns: process.stdout.columns,
});
process.exitCode = code;
