// Prebuilt CLI: bundles src/cli/main.ts (and everything it imports) into one ESM file with esbuild, so `cors-lens`
// starts in ~50 ms instead of the ~200 ms tsx spends compiling the TypeScript sources at every run (bench "har").
// bin.mjs calls `freshBundle()` at start-up: it returns the bundle when it is newer than every source it was built
// from, rebuilds it when a source changed (esbuild ships with tsx, a runtime dependency), and returns null when it
// cannot (bin.mjs then falls back to tsx). `node src/cli/bundle.mjs` builds it eagerly (e.g. from `npm run build`).
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = join(ROOT, 'src/cli/main.ts');
// dist/cli/: two levels below the root like src/cli/, so main.ts's `new URL('../../package.json', import.meta.url)`
// still finds package.json from inside the bundle.
export const BUNDLE = join(ROOT, 'dist/cli/cors-lens.mjs');
const INPUTS = `${BUNDLE}.inputs.json`;

/** True when the bundle exists and none of the files it was built from (nor this script) changed since. */
function isFresh() {
  let built;
  let inputs;
  try {
    built = statSync(BUNDLE).mtimeMs;
    inputs = JSON.parse(readFileSync(INPUTS, 'utf8'));
  } catch {
    return false;
  }
  if (!Array.isArray(inputs) || inputs.length === 0) return false;
  try {
    for (const f of [...inputs, 'src/cli/bundle.mjs']) {
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

/** Builds the bundle; written to a temporary name then renamed, so concurrent first runs never see half a file. */
export async function buildBundle() {
  const { build } = await import('esbuild');
  const tmp = `${BUNDLE}.${process.pid}.tmp`;
  mkdirSync(dirname(BUNDLE), { recursive: true });
  try {
    const r = await build({
      entryPoints: [ENTRY], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: tmp,
      packages: 'external', metafile: true, write: true, logLevel: 'silent', legalComments: 'none', absWorkingDir: ROOT,
    });
    const inputs = Object.keys(r.metafile.inputs).filter((f) => !f.startsWith('node_modules/') && !f.includes(':'));
    writeFileSync(`${INPUTS}.${process.pid}.tmp`, JSON.stringify(inputs));
    renameSync(`${INPUTS}.${process.pid}.tmp`, INPUTS);
    renameSync(tmp, BUNDLE);
  } finally {
    rmSync(tmp, { force: true });
    rmSync(`${INPUTS}.${process.pid}.tmp`, { force: true });
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
