// `npm test`: everything CI checks, in order, stopping at the first failure with its name.
// Steps: machine setup (browsers) → typecheck (whole project, then the pure core alone) → lint → format check → build both
// targets → web-ext lint (Firefox build) → unit + component tests → end-to-end tests in real Chromium and Firefox.
import { spawnSync } from 'node:child_process';

const node = process.execPath;
const steps = [
  ['setup', [node, 'test/scripts/setup-machine.mjs']],
  ['typecheck', [node, 'node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']],
  // The pure core again without DOM or Node types: a browser or Node API in src/engine etc. fails here.
  ['typecheck core', [node, 'node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.core.json']],
  ['lint', [node, 'node_modules/eslint/bin/eslint.js', '.']],
  // Prettier (.prettierrc.json): `npm run format` rewrites what this step reports.
  ['format check', [node, 'node_modules/prettier/bin/prettier.cjs', '--check', '.']],
  ['build', [node, 'test/scripts/build.mjs']],
  [
    'web-ext lint',
    [
      node,
      'node_modules/web-ext/bin/web-ext.js',
      'lint',
      '--source-dir',
      'dist/firefox',
      '--self-hosted',
      '--output',
      'text',
    ],
  ],
  [
    'unit + component tests',
    [node, 'node_modules/vitest/vitest.mjs', 'run', '--project', 'unit', '--project', 'components'],
  ],
  ['end-to-end tests', [node, 'node_modules/vitest/vitest.mjs', 'run', '--project', 'e2e']],
];
const only = process.argv.slice(2);
const t0 = Date.now();
for (const [name, cmd] of steps) {
  if (only.length && !only.includes(name.split(' ')[0])) continue;
  const s = Date.now();
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const secs = ((Date.now() - s) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n✗ ${name} failed (exit ${r.status ?? r.signal}) after ${secs}s`);
    process.exit(1);
  }
  console.log(`✓ ${name} (${secs}s)`);
}
console.log(`\nall steps passed in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
