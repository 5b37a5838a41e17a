// `npm run build`: both browser builds from one source and one manifest.json → dist/chrome, dist/firefox.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

for (const mode of ['chrome', 'firefox']) {
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--mode', mode, '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const m = JSON.parse(readFileSync(`dist/${mode}/manifest.json`, 'utf8'));
  const bg = mode === 'chrome' ? m.background?.service_worker : m.background?.scripts?.[0];
  if (!bg) { console.error(`dist/${mode}: manifest has no background ${mode === 'chrome' ? 'service_worker' : 'scripts'}`); process.exit(1); }
  console.log(`built dist/${mode} (background: ${bg})`);
}
