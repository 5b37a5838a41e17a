// Prebuilt CLI: bundles src/cli/main.ts (and everything it imports) into one ESM file with esbuild, so `cors-lens`
// starts without the time tsx spends compiling the TypeScript sources at every run (docs/performance.md, HAR).
// bin.mjs calls `freshBundle()` at start-up: it returns the bundle when it is newer than every source it was built
// from, rebuilds it when a source changed (esbuild ships with tsx, a runtime dependency), and returns null when it
// cannot (bin.mjs then falls back to tsx). `node src/cli/bundle.mjs` builds it eagerly (e.g. from `npm run build`).
// A second bundle, dist/cli/har-thread-worker.mjs, is the scan thread of `explain` on big HARs (src/cli/har-thread.ts);
// a third, dist/cli/bin.mjs, is the npm package's executable (packaged-bin.mjs), which loads dist/cli/cors-lens.mjs.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = join(ROOT, 'src/cli/main.ts');
const WORKER_ENTRY = join(ROOT, 'src/cli/har-thread-worker.ts');
// dist/cli/: two levels below the root like src/cli/, so usage.ts's `new URL('../../package.json', import.meta.url)`
// still finds package.json from inside the bundle.
export const BUNDLE = join(ROOT, 'dist/cli/cors-lens.mjs');
// har-thread.ts finds it next to the CLI bundle.
export const WORKER_BUNDLE = join(ROOT, 'dist/cli/har-thread-worker.mjs');
// package.json `bin`: what `npx cors-lens` runs once the package is installed.
export const PACKAGED_BIN = join(ROOT, 'dist/cli/bin.mjs');
const INPUTS = `${BUNDLE}.inputs.json`;

/** True when the bundle exists and none of the files it was built from (nor this script) changed since. */
function isFresh() {
  let built;
  let inputs;
  try {
    // Every bundle, so the oldest decides (the worker is renamed into place first).
    built = Math.min(statSync(BUNDLE).mtimeMs, statSync(WORKER_BUNDLE).mtimeMs, statSync(PACKAGED_BIN).mtimeMs);
    inputs = JSON.parse(readFileSync(INPUTS, 'utf8'));
  } catch {
    return false;
  }
  if (!Array.isArray(inputs) || inputs.length === 0) return false;
  try {
    for (const f of [...inputs, 'src/cli/bundle.mjs', 'src/cli/packaged-bin.mjs', 'src/cli/launch.mjs']) {
      const st = statSync(join(ROOT, f));
      // The bundle is written after esbuild read its inputs: a source saved later is newer than it. (A source saved
      // during the ~0.2 s build itself would be missed; the next edit of any input rebuilds.)
      if (st.mtimeMs >= built) return false;
    }
  } catch {
    return false; // an input was deleted or renamed
  }
  return true;
}

/**
 * Builds both bundles; written to a temporary directory then renamed (the worker first, the CLI last), so concurrent
 * first runs never see half a file, nor a new CLI next to an old worker.
 */
export async function buildBundle() {
  const { build } = await import('esbuild');
  mkdirSync(dirname(BUNDLE), { recursive: true });
  const tmp = mkdtempSync(join(dirname(BUNDLE), '.build-'));
  try {
    // No code splitting: each bundle carries its own copy of the HAR scanner (src/har/scanner.ts), and the worker none of the engine.
    const r = await build({
      entryPoints: { 'cors-lens': ENTRY, 'har-thread-worker': WORKER_ENTRY },
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outdir: tmp,
      packages: 'external',
      metafile: true,
      write: true,
      logLevel: 'silent',
      legalComments: 'none',
      absWorkingDir: ROOT,
    });
    await build({
      entryPoints: [join(ROOT, 'src/cli/packaged-bin.mjs')],
      outfile: join(tmp, 'bin.mjs'),
      banner: { js: '#!/usr/bin/env node' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['./cors-lens.mjs'],
      logLevel: 'silent',
      legalComments: 'none',
      absWorkingDir: ROOT,
    });
    const inputs = Object.keys(r.metafile.inputs).filter((f) => !f.startsWith('node_modules/') && !f.includes(':'));
    writeFileSync(join(tmp, 'inputs.json'), JSON.stringify(inputs));
    renameSync(join(tmp, 'inputs.json'), INPUTS);
    renameSync(join(tmp, 'har-thread-worker.mjs'), WORKER_BUNDLE);
    chmodSync(join(tmp, 'bin.mjs'), 0o755);
    renameSync(join(tmp, 'bin.mjs'), PACKAGED_BIN);
    renameSync(join(tmp, 'cors-lens.mjs'), BUNDLE);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return BUNDLE;
}

/** Path of an up-to-date bundle, (re)building it if needed; null when that fails. */
export async function freshBundle() {
  if (process.env.CORS_LENS_NO_BUNDLE) return null;
  if (isFresh()) return BUNDLE;
  try {
    await buildBundle();
    return isFresh() ? BUNDLE : null;
  } catch {
    return null;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildBundle();
  process.stdout.write(`built ${out}\n`);
}
