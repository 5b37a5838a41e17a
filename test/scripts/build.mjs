// `npm run build`: both browser builds from one source and one manifest.json → dist/chrome, dist/firefox; the CLI bundle → dist/cli.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

// The one source manifest's content scripts (left out of the crxjs build, see vite.config.ts).
const source = JSON.parse(readFileSync('manifest.json', 'utf8'));

for (const mode of ['chrome', 'firefox']) {
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--mode', mode, '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const m = JSON.parse(readFileSync(`dist/${mode}/manifest.json`, 'utf8'));
  if (source.content_scripts) {
    for (const cs of source.content_scripts) for (const js of cs.js) {
      if (!existsSync(`dist/${mode}/${js}`)) { console.error(`dist/${mode}/${js} missing (content script)`); process.exit(1); }
    }
    m.content_scripts = source.content_scripts;
    writeFileSync(`dist/${mode}/manifest.json`, JSON.stringify(m, null, 2));
  }
  const bg = mode === 'chrome' ? m.background?.service_worker : m.background?.scripts?.[0];
  if (!bg) { console.error(`dist/${mode}: manifest has no background ${mode === 'chrome' ? 'service_worker' : 'scripts'}`); process.exit(1); }
  console.log(`built dist/${mode} (background: ${bg})`);
}

// The CLI's prebuilt bundle (src/cli/bundle.mjs): built here so the first `cors-lens` run does not pay for it, and
// concurrent test runs never build it at the same moment. bin.mjs still rebuilds it when a source changes.
const cli = spawnSync(process.execPath, ['src/cli/bundle.mjs'], { stdio: 'inherit' });
if (cli.status !== 0) process.exit(cli.status ?? 1);
