// Launcher for `npm run demo`: installs what is missing (npm ci, Debian Chromium/Firefox as root), builds the
// extension unless --no-build, then runs the TypeScript demo (main.ts) through tsx.
// Only node: modules are imported until node_modules is known to exist.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
process.chdir(root);
const args = process.argv.slice(2);
const has = (flag) => args.includes(flag);
const valueOf = (flag) => {
  const i = args.indexOf(flag);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`${flag}=`));
  return eq?.slice(flag.length + 1);
};

function step(what, cmd, cmdArgs) {
  console.log(`demo: ${what}…`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error(`demo: ${what} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
    process.exit(2);
  }
}

const wanted = valueOf('--browser');
if (wanted !== undefined && !['chromium', 'chrome', 'firefox'].includes(wanted)) {
  console.error(`demo: --browser must be chromium or firefox, not ${JSON.stringify(wanted)}`);
  process.exit(2);
}

if (!has('--help') && !has('-h')) {
  if (!existsSync(resolve(root, 'node_modules/tsx'))) {
    step('installing dependencies (npm ci)', process.platform === 'win32' ? 'npm.cmd' : 'npm', [
      'ci',
      '--no-audit',
      '--no-fund',
    ]);
  }
  const browser =
    valueOf('--browser') === 'firefox'
      ? { bin: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', pkg: 'firefox-esr' }
      : { bin: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', pkg: 'chromium' };
  if (!existsSync(browser.bin)) {
    if (process.getuid?.() === 0)
      step(`installing ${browser.pkg} from Debian`, process.execPath, ['test/scripts/setup-machine.mjs']);
    else {
      console.error(
        `demo: ${browser.bin} is missing. Install it with: sudo apt-get install -y ${browser.pkg}  (or: sudo npm run setup)`,
      );
      process.exit(2);
    }
  }
  if (!has('--no-build'))
    step('building the extension (dist/chrome, dist/firefox)', process.execPath, ['test/scripts/build.mjs']);
  const dist = resolve(root, valueOf('--browser') === 'firefox' ? 'dist/firefox' : 'dist/chrome', 'manifest.json');
  if (!existsSync(dist)) {
    console.error(`demo: ${dist} is missing: run without --no-build (or npm run build) first`);
    process.exit(2);
  }
}

await (await import('tsx/esm/api')).register();
// test/e2e/harness/chromium.ts computes DIST_CHROME from `__dirname`, which vitest provides and ESM does not:
// lend it the harness's own directory while the modules load (a bare identifier falls back to globalThis).
globalThis.__dirname = resolve(root, 'test/e2e/harness');
const { main } = await import('./main.ts');
delete globalThis.__dirname;
// Exit explicitly: a browser library may keep a handle open after everything was closed.
process.exit(await main(args));
