// `npm run bench [-- --only <name>[,<name>]]`: runs each benchmark of test/bench as its own Node process (tsx),
// prints each figure with its ratio against the baseline measured in the same run, writes test/bench/results.json
// (merged with earlier results when --only is used) and prints a Markdown table for docs/performance.md.
// Benchmarks print figures; they are not tests and assert nothing.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BENCHES = ['bundle', 'engine', 'har', 'page', 'worker', 'panel'];
const RESULTS = join(ROOT, 'test/bench/results.json');

const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',').filter(Boolean) : BENCHES;
const unknown = only.filter((n) => !BENCHES.includes(n));
if (unknown.length || (onlyAt >= 0 && only.length === 0)) {
  console.error(
    `usage: npm run bench [-- --only <${BENCHES.join('|')}>[,…]]${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`,
  );
  process.exit(2);
}

const la = () => loadavg().map((x) => Number(x.toFixed(2)));
const t0 = Date.now();

if (!existsSync(join(ROOT, 'dist/chrome/manifest.json'))) {
  console.error('bench: dist/chrome is missing: building (node test/scripts/build.mjs)');
  const b = spawnSync(process.execPath, ['test/scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

// A private temp dir: the Chromium profiles and the 200 MB HAR live there, away from other jobs' cleanups.
const tmp = mkdtempSync(join(tmpdir(), 'cors-lens-bench-'));

function runOne(name) {
  return new Promise((resolveRun) => {
    const out = join(tmp, `${name}.json`);
    const started = Date.now();
    console.error(`\n── bench ${name} (load ${la().join(' ')}) ──`);
    const child = spawn(process.execPath, ['--import', 'tsx', `test/bench/${name}.ts`, '--out', out], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'pipe'],
      env: { ...process.env, TMPDIR: tmp },
    });
    // Keep the benches' own lines; drop Chromium's stderr chatter (dbus, GPU) that Playwright relays on failures.
    let tail = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      for (const line of d.split('\n')) {
        if (!line || /^\[pid=|^<launch|dbus|^\s+at /.test(line)) {
          tail = (tail + line + '\n').slice(-4000);
          continue;
        }
        process.stderr.write(`${line}\n`);
      }
    });
    child.on('close', (code) => {
      if (code === 0 && existsSync(out)) resolveRun(JSON.parse(readFileSync(out, 'utf8')));
      else
        resolveRun({
          name,
          failed: `exit ${code}`,
          tail: tail.slice(-1500),
          seconds: (Date.now() - started) / 1000,
          figures: [],
          notes: [],
        });
    });
  });
}

const results = [];
for (const name of only) results.push(await runOne(name));
rmSync(tmp, { recursive: true, force: true });
const totalSeconds = (Date.now() - t0) / 1000;

let previous = {};
try {
  previous = JSON.parse(readFileSync(RESULTS, 'utf8'));
} catch {
  /* first run */
}
const byName = Object.fromEntries((previous.results ?? []).map((r) => [r.name, r]));
for (const r of results) byName[r.name] = { ...r, measuredAt: new Date().toISOString() };
const chromiumVersion = (() => {
  const r = spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
})();
const doc = {
  updatedAt: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, chromium: chromiumVersion },
  lastRun: { benches: only, totalSeconds: Number(totalSeconds.toFixed(1)), loadAtEnd: la() },
  results: BENCHES.filter((n) => byName[n]).map((n) => byName[n]),
};
writeFileSync(RESULTS, `${JSON.stringify(doc, null, 2)}\n`);

const fmt = (v) =>
  typeof v !== 'number'
    ? String(v)
    : Number.isInteger(v)
      ? String(v)
      : Math.abs(v) >= 100
        ? v.toFixed(0)
        : Math.abs(v) >= 10
          ? v.toFixed(1)
          : v.toFixed(3).replace(/\.?0+$/, '') || '0';
const cell = (f) => (f.unit === 'bool' ? (f.value ? 'yes' : 'no') : `${fmt(f.value)} ${f.unit}`);
// Every figure, for the console; the short table (for docs/performance.md) keeps the figures with a goal and a few headlines.
const HEADLINE = new Set([
  'page.lens_ms',
  'page.noext_ms',
  'worker.cpu_ms_per_request',
  'worker.storage_kb_per_request',
  'worker.real_heap_mb',
  'worker.node_events_per_s',
  'worker.node_heap_mb',
  'engine.verdicts_per_s',
  'har.cli_ms',
  'har.cli_rss_mb',
  'bundle.panel_gz_kb',
  'bundle.popup_gz_kb',
  'bundle.devtools_gz_kb',
  'bundle.worker_gz_kb',
]);
const all = ['| bench | figure | value | goal |', '| --- | --- | --- | --- |'];
const short = ['| bench | figure | value | goal | load (1 min) |', '| --- | --- | --- | --- | --- |'];
for (const r of results) {
  const loadCell = r.load ? `${r.load.before[0]}→${r.load.after[0]}` : '';
  if (r.failed) {
    all.push(`| ${r.name} | FAILED (${r.failed}) | | |`);
    short.push(`| ${r.name} | FAILED (${r.failed}) | | | |`);
    continue;
  }
  for (const f of r.figures) {
    const goal = f.goal ? `${f.goal} ${f.pass ? '✅' : '❌'}` : '';
    const label = f.label.replace(/\|/g, '\\|');
    all.push(`| ${r.name} | ${label} | ${cell(f)} | ${goal} |`);
    if (f.goal || HEADLINE.has(f.key)) short.push(`| ${r.name} | ${label} | ${cell(f)} | ${goal} | ${loadCell} |`);
  }
}
console.log(`\nAll figures:\n\n${all.join('\n')}\n`);
console.log(`docs/performance.md table:\n\n${short.join('\n')}\n`);
console.log(
  `${cpus().length} cores, Node ${process.version}, ${chromiumVersion ?? 'chromium ?'}; total ${totalSeconds.toFixed(0)} s; results in test/bench/results.json`,
);
for (const r of results) {
  for (const n of r.notes ?? []) console.log(`note (${r.name}): ${n}`);
  if (r.failed) console.log(`${r.name} failed (${r.failed}):\n${r.tail}`);
}
process.exitCode = results.some((r) => r.failed) ? 1 : 0;
