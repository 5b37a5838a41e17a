// Where a Node benchmark spends its time, by source line: bundles the entry with esbuild (newlines kept, source map
// on; tsx's output puts each module on one line, which makes V8's line ticks useless), runs it under --cpu-prof,
// and maps V8's per-line ticks back to src/ and extension/ files. `npx tsx test/bench/profile-top.ts <entry.ts> [args…]`
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { SourceMapConsumer } from 'source-map-js';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  positionTicks?: { line: number; ticks: number }[];
  hitCount?: number;
}

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: profile-top.ts <entry.ts> [args…]\n');
  process.exit(2);
}
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'cors-lens-prof-'));
try {
  const out = join(dir, 'bundle.mjs');
  await build({
    entryPoints: [resolve(entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    sourcemap: 'external',
    packages: 'external',
    target: 'node20',
    logLevel: 'warning',
  });
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '200', out, ...rest],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, BENCH_ROOT: root } },
  );
  // 1 is "something is blocked" for the CLI: still a complete run.
  if (r.status !== 0 && r.status !== 1) throw new Error(`profiled run exited ${r.status}`);
  const profFile = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0];
  const prof = JSON.parse(readFileSync(profFile, 'utf8')) as { nodes: Node[] };
  const map = new SourceMapConsumer(JSON.parse(readFileSync(`${out}.map`, 'utf8')));
  const total = prof.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0);
  const byLine = new Map<string, number>();
  const byFn = new Map<string, number>();
  const where = (line: number) => {
    // The first mapping on that generated line names the source line.
    for (let col = 0; col < 200; col += 2) {
      const o = map.originalPositionFor({ line, column: col });
      if (o.source) return `${relative(root, resolve(dir, o.source))}:${o.line}`;
    }
    return `bundle:${line}`;
  };
  for (const n of prof.nodes) {
    if (!n.callFrame.url.endsWith('bundle.mjs')) {
      if (n.hitCount)
        byFn.set(
          `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url || ''}`.trim(),
          (byFn.get(`${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url || ''}`.trim()) ?? 0) + n.hitCount,
        );
      continue;
    }
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.lineNumber + 1)}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + (n.hitCount ?? 0));
    for (const t of n.positionTicks ?? []) {
      const k = where(t.line);
      byLine.set(k, (byLine.get(k) ?? 0) + t.ticks);
    }
  }
  const pct = (x: number) => `${((x / total) * 100).toFixed(1).padStart(5)}%`;
  process.stdout.write(`self time by function (of ${total} samples):\n`);
  for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 20)))
    process.stdout.write(`${pct(v)}  ${k}\n`);
  process.stdout.write('self time by source line:\n');
  for (const [k, v] of [...byLine].sort((a, b) => b[1] - a[1]).slice(0, 25)) process.stdout.write(`${pct(v)}  ${k}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
