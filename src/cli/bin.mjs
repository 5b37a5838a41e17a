#!/usr/bin/env node
// The `cors-lens` executable (package.json `bin`): runs src/cli/main.ts from the prebuilt bundle (src/cli/bundle.mjs:
// dist/cli/cors-lens.mjs, rebuilt when a source changed), or, when it cannot be built, through tsx, which compiles the
// TypeScript sources at run time (~150 ms more start-up). Any failure is one line on stderr and exit status 2,
// never a stack trace.
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

let main = null;
try {
  const { freshBundle } = await import('./bundle.mjs');
  const bundle = await freshBundle();
  if (bundle) main = await import(new URL(`file://${bundle}`).href);
} catch {
  main = null;
}
if (!main) {
  let api;
  try {
    api = await import('tsx/esm/api');
  } catch {
    fail('cannot load tsx (run npm install in the cors-lens directory)');
  }
  api.register();
  main = await import('./main.ts');
}
const code = await main.run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  isTTY: process.stdout.isTTY === true,
  columns: process.stdout.columns,
});
process.exitCode = code;
