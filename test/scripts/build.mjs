// `npm run build`: both browser builds from one source and one manifest.json → dist/chrome, dist/firefox; the CLI bundle → dist/cli.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

for (const mode of ['chrome', 'firefox']) {
  const r = spawnSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--mode', mode, '--logLevel', 'warn'],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
  const m = JSON.parse(readFileSync(`dist/${mode}/manifest.json`, 'utf8'));
  if (!m.content_scripts?.length) {
    console.error(`dist/${mode}: manifest has no content_scripts`);
    process.exit(1);
  }
  const bg = mode === 'chrome' ? m.background?.service_worker : m.background?.scripts?.[0];
  if (!bg) {
    console.error(`dist/${mode}: manifest has no background ${mode === 'chrome' ? 'service_worker' : 'scripts'}`);
    process.exit(1);
  }
  console.log(`built dist/${mode} (background: ${bg})`);
}

// The CLI's prebuilt bundle (src/cli/bundle.mjs): built here so the first `cors-lens` run does not pay for it, and
// concurrent test runs never build it at the same moment. bin.mjs still rebuilds it when a source changes.
const cli = spawnSync(process.execPath, ['src/cli/bundle.mjs'], { stdio: 'inherit' });
if (cli.status !== 0) process.exit(cli.status ?? 1);
