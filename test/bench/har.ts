// Bench "har": `node src/cli/bin.mjs explain <f> --json` on a generated 200 MB HAR (test/bench/har-gen.ts) against
// `node -e 'JSON.parse(fs.readFileSync(f))'` on the same file, alternating: wall-time ratio (goal ≤ 1.5) and peak
// RSS (goal ≤ 1.5× the file size), measured with /usr/bin/time -v (or by polling /proc/<pid>/status VmHWM).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Reporter, alternate, log, main, median, ratioOfRounds } from './lib.ts';

const MB = Number(process.env.BENCH_HAR_MB ?? 200);
const ROUNDS = Number(process.env.BENCH_HAR_ROUNDS ?? 5);
const TIME = '/usr/bin/time';

interface Run { ms: number; rssKb: number; code: number | null; stderr: string }

function runMeasured(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const useTime = existsSync(TIME);
    const out = openSync('/dev/null', 'w');
    const t0 = performance.now();
    const child = spawn(useTime ? TIME : process.execPath, useTime ? ['-v', process.execPath, ...args] : args, { stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    let hwm = 0;
    child.stderr!.on('data', (d) => { stderr += d; });
    // Fallback: VmHWM is the process's peak RSS so far; the last poll before exit is within 20 ms of the end.
    const poller = useTime ? null : setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]));
      } catch { /* exited */ }
    }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (poller) clearInterval(poller);
      closeSync(out);
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolve({ ms, rssKb: m ? Number(m[1]) : hwm, code, stderr });
    });
  });
}

main(async () => {
  const rep = new Reporter('har');
  const dir = mkdtempSync(join(tmpdir(), 'cors-lens-bench-har-'));
  const file = join(dir, 'big.har');
  try {
    const g = spawnSync(process.execPath, ['--import', 'tsx', 'test/bench/har-gen.ts', file, String(MB)], { encoding: 'utf8' });
    if (g.status !== 0) throw new Error(`har-gen failed: ${g.stderr}`);
    log(`har: ${g.stderr.trim()}`);
    const size = statSync(file).size;
    if (!existsSync(TIME)) rep.note(`${TIME} not found (apt-get install -y time): peak RSS polled from /proc/<pid>/status VmHWM every 20 ms`);
    const runs: Record<'cli' | 'parse' | 'startup', Run[]> = { cli: [], parse: [], startup: [] };
    const t = await alternate({
      cli: async () => {
        const r = await runMeasured(['src/cli/bin.mjs', 'explain', file, '--json']);
        // Exit 1 means "something is blocked" (the generated HAR has blocked requests); 2 is a failure.
        if (r.code !== 0 && r.code !== 1) throw new Error(`cors-lens explain exited ${r.code}: ${r.stderr.slice(-400)}`);
        runs.cli.push(r);
        return r.ms;
      },
      // The CLI's fixed cost (bin.mjs registers tsx and compiles the TypeScript sources on the fly).
      startup: async () => {
        const r = await runMeasured(['src/cli/bin.mjs', '--version']);
        runs.startup.push(r);
        return r.ms;
      },
      parse: async () => {
        const r = await runMeasured(['-e', 'JSON.parse(require("fs").readFileSync(process.argv[1]))', file]);
        if (r.code !== 0) throw new Error(`JSON.parse baseline exited ${r.code}: ${r.stderr.slice(-400)}`);
        runs.parse.push(r);
        return r.ms;
      },
    }, ROUNDS, 0, (s) => log(`har: ${s}`));
    const rss = (l: Run[]) => median(l.map((r) => r.rssKb * 1024));
    rep.raw.wallMs = t;
    rep.raw.rssBytes = { cli: runs.cli.map((r) => r.rssKb * 1024), parse: runs.parse.map((r) => r.rssKb * 1024), fileBytes: size };
    rep.fig({ key: 'har.file_mb', label: 'generated HAR size', value: size / 1048576, unit: 'MiB' });
    rep.fig({ key: 'har.cli_ms', label: 'cors-lens explain --json, wall time', value: median(t.cli), unit: 'ms' });
    rep.fig({ key: 'har.cli_startup_ms', label: 'cors-lens --version (startup: tsx compiles src/ at run time)', value: median(t.startup), unit: 'ms' });
    rep.fig({ key: 'har.parse_ms', label: 'node -e JSON.parse(readFileSync), wall time', value: median(t.parse), unit: 'ms' });
    const ratio = ratioOfRounds(t.cli, t.parse);
    rep.fig({ key: 'har.time_vs_parse', label: 'explain time / JSON.parse time', value: ratio, unit: '×', baseline: 'JSON.parse of the same file', goal: '≤ 1.5', pass: ratio <= 1.5 });
    const cliRss = rss(runs.cli), parseRss = rss(runs.parse);
    rep.fig({ key: 'har.cli_rss_mb', label: 'explain peak RSS', value: cliRss / 1048576, unit: 'MiB' });
    rep.fig({ key: 'har.parse_rss_mb', label: 'JSON.parse peak RSS', value: parseRss / 1048576, unit: 'MiB' });
    rep.fig({ key: 'har.cli_rss_vs_file', label: 'explain peak RSS / file size', value: cliRss / size, unit: '×', goal: '≤ 1.5', pass: cliRss / size <= 1.5 });
    rep.fig({ key: 'har.parse_rss_vs_file', label: 'JSON.parse peak RSS / file size', value: parseRss / size, unit: '×' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  rep.finish();
});
