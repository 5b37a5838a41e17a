// What every `cors-lens` executable does around the CLI's main: any failure is one line on stderr and exit status 2,
// never a stack trace; a closed pipe (`cors-lens explain x.har | head`) is not an error. Shared by the checkout's
// launcher (bin.mjs) and the packaged one (dist/cli/bin.mjs, built from packaged-bin.mjs by bundle.mjs).

export function fail(msg) {
  process.stderr.write(`cors-lens: ${String(msg).split('\n')[0]}\n`);
  process.exit(2);
}

/** Runs `main.run(argv)` from the module `loadMain()` resolves to, with the process wired as its terminal. */
export async function launch(loadMain) {
  process.on('uncaughtException', (e) => fail(`internal error: ${e && e.message ? e.message : e}`));
  process.on('unhandledRejection', (e) => fail(`internal error: ${e && e.message ? e.message : e}`));
  process.stdout.on('error', (e) => {
    if (e && e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    fail(e.message);
  });
  const main = await loadMain();
  process.exitCode = await main.run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns,
  });
}
