// Bench "har": `node src/cli/bin.mjs explain <f> --json` on a generated 200 MB HAR (test/bench/har-gen.ts) against
// `node -e 'JSON.parse(fs.readFileSync(f))'` on the same file, alternating: wall-time ratio (goal ≤ 1.5) and peak
// RSS (goal ≤ 1.5× the file size), measured with /usr/bin/time -v (or by polling /proc/<pid>/status VmHWM).
// The CLI scans a big HAR in a worker thread (src/cli/har-thread.ts) while its main thread does the rest, so its
// wall time uses two cores where JSON.parse uses one: the CPU time of each process (user + sys, all threads) is
// reported too. The CLI takes two threads only when a core looks free (src/cli/main.ts useThreads):
// it is also timed forced onto two threads and onto one (CORS_LENS_THREADS=always|never).
// Then one run on a generated 1 GB HAR (streaming keeps memory bounded whatever the file size): its peak
// RSS must stay a few hundred MB (goal ≤ 400 MiB) while JSON.parse could not even hold the text (V8's string limit).
// BENCH_HAR_GB_MB sets that size in MB (0 skips it).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Reporter, alternate, log, main, median, ratioOfRounds } from './lib.ts';

const MB = Number(process.env.BENCH_HAR_MB ?? 200);
const ROUNDS = Number(process.env.BENCH_HAR_ROUNDS ?? 5);
const GB_MB = Number(process.env.BENCH_HAR_GB_MB ?? 1024);
const GB_RSS_GOAL_MB = 400;
const TIME = '/usr/bin/time';

interface Run {
  ms: number;
  rssKb: number;
  cpuMs: number;
  code: number | null;
  stderr: string;
}

function runMeasured(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const useTime = existsSync(TIME);
    const out = openSync('/dev/null', 'w');
    const t0 = performance.now();
    const child = spawn(useTime ? TIME : process.execPath, useTime ? ['-v', process.execPath, ...args] : args, {
      stdio: ['ignore', out, 'pipe'],
      env: { ...process.env, ...env },
    });
    let stderr = '';
    let hwm = 0;
    let ticks = 0;
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    // Fallback: VmHWM is the process's peak RSS so far; the last poll before exit is within 20 ms of the end.
    const poller = useTime
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]));
            // utime + stime (fields 14 and 15, clock ticks of 10 ms) of all the process's threads so far.
            const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
            const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            ticks = Math.max(ticks, Number(f[11]) + Number(f[12]));
          } catch {
            /* exited */
          }
        }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (poller) clearInterval(poller);
      closeSync(out);
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
      const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
      const cpuMs = user && sys ? (Number(user[1]) + Number(sys[1])) * 1000 : ticks * 10;
      resolve({ ms, rssKb: m ? Number(m[1]) : hwm, cpuMs, code, stderr });
    });
  });
}

main(async () => {
  const rep = new Reporter('har');
  const dir = mkdtempSync(join(tmpdir(), 'cors-lens-bench-har-'));
  const file = join(dir, 'big.har');
  try {
    const g = spawnSync(process.execPath, ['--import', 'tsx', 'test/bench/har-gen.ts', file, String(MB)], {
      encoding: 'utf8',
    });
    if (g.status !== 0) throw new Error(`har-gen failed: ${g.stderr}`);
    log(`har: ${g.stderr.trim()}`);
    const size = statSync(file).size;
    // bin.mjs runs the prebuilt bundle (src/cli/bundle.mjs) and rebuilds it when a source changed: build it now so no
    // timed run pays for that.
    const b = spawnSync(process.execPath, ['src/cli/bundle.mjs'], { encoding: 'utf8' });
    if (b.status !== 0)
      rep.note(`could not build the CLI bundle (runs fall back to tsx): ${b.stderr.trim().split('\n')[0]}`);
    if (!existsSync(TIME))
      rep.note(
        `${TIME} not found (apt-get install -y time): peak RSS polled from /proc/<pid>/status VmHWM every 20 ms`,
      );
    const runs: Record<'cli' | 'two' | 'one' | 'parse' | 'startup', Run[]> = {
      cli: [],
      two: [],
      one: [],
      parse: [],
      startup: [],
    };
    // CORS_LENS_DEBUG_THREADS: the CLI says on stderr which path it took (counted for the default runs).
    const explain = async (into: Run[], threads?: 'always' | 'never') => {
      const r = await runMeasured(['src/cli/bin.mjs', 'explain', file, '--json'], {
        CORS_LENS_DEBUG_THREADS: '1',
        ...(threads ? { CORS_LENS_THREADS: threads } : {}),
      });
      // Exit 1 means "something is blocked" (the generated HAR has blocked requests); 2 is a failure.
      if (r.code !== 0 && r.code !== 1) throw new Error(`cors-lens explain exited ${r.code}: ${r.stderr.slice(-400)}`);
      into.push(r);
      return r.ms;
    };
    const t = await alternate(
      {
        // As a user runs it: two threads when a core looks free, else one.
        cli: () => explain(runs.cli),
        two: () => explain(runs.two, 'always'),
        one: () => explain(runs.one, 'never'),
        // The CLI's fixed cost (bin.mjs loads the prebuilt bundle).
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
      },
      ROUNDS,
      0,
      (s) => log(`har: ${s}`),
    );
    const rss = (l: Run[]) => median(l.map((r) => r.rssKb * 1024));
    const cpu = (l: Run[]) => l.map((r) => r.cpuMs);
    const threaded = runs.cli.filter((r) => /debug: two threads/.test(r.stderr)).length;
    log(
      `har: cpu ms: cli=${cpu(runs.cli).join(',')} two=${cpu(runs.two).join(',')} one=${cpu(runs.one).join(',')} parse=${cpu(runs.parse).join(',')}; default runs on two threads: ${threaded}/${runs.cli.length}`,
    );
    rep.raw.wallMs = t;
    rep.raw.cpuMs = { cli: cpu(runs.cli), two: cpu(runs.two), one: cpu(runs.one), parse: cpu(runs.parse) };
    rep.raw.defaultRunsOnTwoThreads = threaded;
    rep.raw.rssBytes = {
      cli: runs.cli.map((r) => r.rssKb * 1024),
      two: runs.two.map((r) => r.rssKb * 1024),
      one: runs.one.map((r) => r.rssKb * 1024),
      parse: runs.parse.map((r) => r.rssKb * 1024),
      fileBytes: size,
    };
    rep.fig({ key: 'har.file_mb', label: 'generated HAR size', value: size / 1048576, unit: 'MiB' });
    rep.fig({ key: 'har.cli_ms', label: 'cors-lens explain --json, wall time', value: median(t.cli), unit: 'ms' });
    rep.fig({
      key: 'har.cli_startup_ms',
      label: 'cors-lens --version (startup: loads the prebuilt bundle)',
      value: median(t.startup),
      unit: 'ms',
    });
    rep.fig({
      key: 'har.parse_ms',
      label: 'node -e JSON.parse(readFileSync), wall time',
      value: median(t.parse),
      unit: 'ms',
    });
    rep.fig({
      key: 'har.cli_two_threads_runs',
      label: 'explain runs that took two threads (a core looked free)',
      value: threaded,
      unit: `of ${runs.cli.length}`,
    });
    const ratio = ratioOfRounds(t.cli, t.parse);
    rep.fig({
      key: 'har.time_vs_parse',
      label: 'explain time / JSON.parse time (wall)',
      value: ratio,
      unit: '×',
      baseline: 'JSON.parse of the same file',
      goal: '≤ 1.5',
      pass: ratio <= 1.5,
    });
    rep.fig({
      key: 'har.two_threads_ms',
      label: 'cors-lens explain --json forced onto two threads, wall time',
      value: median(t.two),
      unit: 'ms',
    });
    rep.fig({
      key: 'har.two_threads_vs_parse',
      label: 'explain forced onto two threads / JSON.parse time (wall)',
      value: ratioOfRounds(t.two, t.parse),
      unit: '×',
    });
    rep.fig({
      key: 'har.one_thread_ms',
      label: 'cors-lens explain --json kept on one thread, wall time',
      value: median(t.one),
      unit: 'ms',
    });
    rep.fig({
      key: 'har.one_thread_vs_parse',
      label: 'explain kept on one thread / JSON.parse time (wall)',
      value: ratioOfRounds(t.one, t.parse),
      unit: '×',
    });
    rep.fig({
      key: 'har.cli_cpu_ms',
      label: 'explain CPU time (user + sys, all threads)',
      value: median(cpu(runs.cli)),
      unit: 'ms',
    });
    rep.fig({
      key: 'har.parse_cpu_ms',
      label: 'JSON.parse CPU time (user + sys, all threads)',
      value: median(cpu(runs.parse)),
      unit: 'ms',
    });
    rep.fig({
      key: 'har.cpu_vs_parse',
      label: 'explain CPU time / JSON.parse CPU time (user + sys)',
      value: ratioOfRounds(cpu(runs.cli), cpu(runs.parse)),
      unit: '×',
      baseline: 'JSON.parse of the same file',
    });
    rep.fig({
      key: 'har.two_threads_cpu_vs_parse',
      label: 'explain on two threads, CPU time / JSON.parse CPU time',
      value: ratioOfRounds(cpu(runs.two), cpu(runs.parse)),
      unit: '×',
    });
    rep.fig({
      key: 'har.one_thread_cpu_vs_parse',
      label: 'explain on one thread, CPU time / JSON.parse CPU time',
      value: ratioOfRounds(cpu(runs.one), cpu(runs.parse)),
      unit: '×',
    });
    const cliRss = rss(runs.cli),
      parseRss = rss(runs.parse);
    rep.fig({ key: 'har.cli_rss_mb', label: 'explain peak RSS', value: cliRss / 1048576, unit: 'MiB' });
    rep.fig({
      key: 'har.two_threads_rss_mb',
      label: 'explain on two threads, peak RSS',
      value: rss(runs.two) / 1048576,
      unit: 'MiB',
    });
    rep.fig({
      key: 'har.two_threads_rss_vs_file',
      label: 'explain on two threads, peak RSS / file size',
      value: rss(runs.two) / size,
      unit: '×',
      goal: '≤ 1.5',
      pass: rss(runs.two) / size <= 1.5,
    });
    rep.fig({ key: 'har.parse_rss_mb', label: 'JSON.parse peak RSS', value: parseRss / 1048576, unit: 'MiB' });
    rep.fig({
      key: 'har.cli_rss_vs_file',
      label: 'explain peak RSS / file size',
      value: cliRss / size,
      unit: '×',
      goal: '≤ 1.5',
      pass: cliRss / size <= 1.5,
    });
    rep.fig({
      key: 'har.parse_rss_vs_file',
      label: 'JSON.parse peak RSS / file size',
      value: parseRss / size,
      unit: '×',
    });

    if (GB_MB > 0) {
      // The 200 MB file goes first: the disk holds one big file at a time.
      rmSync(file, { force: true });
      const gb = join(dir, 'huge.har');
      const t0 = performance.now();
      const gen = spawnSync(process.execPath, ['--import', 'tsx', 'test/bench/har-gen.ts', gb, String(GB_MB)], {
        encoding: 'utf8',
      });
      if (gen.status !== 0) throw new Error(`har-gen (${GB_MB} MB) failed: ${gen.stderr}`);
      log(`har: ${gen.stderr.trim()} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const gbSize = statSync(gb).size;
      const r = await runMeasured(['src/cli/bin.mjs', 'explain', gb, '--json']);
      if (r.code !== 0 && r.code !== 1)
        throw new Error(`cors-lens explain (${GB_MB} MB) exited ${r.code}: ${r.stderr.slice(-400)}`);
      // And forced onto two threads: memory must stay bounded there too (two heaps; the worker may run a few chunks
      // ahead).
      const r2 = await runMeasured(['src/cli/bin.mjs', 'explain', gb, '--json'], { CORS_LENS_THREADS: 'always' });
      if (r2.code !== 0 && r2.code !== 1)
        throw new Error(`cors-lens explain (${GB_MB} MB, two threads) exited ${r2.code}: ${r2.stderr.slice(-400)}`);
      rmSync(gb, { force: true });
      const mb2 = (r2.rssKb * 1024) / 1048576;
      rep.raw.gbTwoThreads = { wallMs: r2.ms, cpuMs: r2.cpuMs, rssBytes: r2.rssKb * 1024 };
      const mb = (r.rssKb * 1024) / 1048576;
      rep.raw.gb = { fileBytes: gbSize, wallMs: r.ms, cpuMs: r.cpuMs, rssBytes: r.rssKb * 1024 };
      rep.fig({
        key: 'har.gb_file_mb',
        label: 'big generated HAR size (streaming run)',
        value: gbSize / 1048576,
        unit: 'MiB',
      });
      rep.fig({
        key: 'har.gb_ms',
        label: 'cors-lens explain --json on the big HAR, wall time (one run)',
        value: r.ms,
        unit: 'ms',
      });
      rep.fig({
        key: 'har.gb_mb_per_s',
        label: 'big HAR throughput',
        value: gbSize / 1048576 / (r.ms / 1000),
        unit: 'MiB/s',
      });
      rep.fig({
        key: 'har.gb_rss_mb',
        label: 'explain peak RSS on the big HAR',
        value: mb,
        unit: 'MiB',
        goal: `≤ ${GB_RSS_GOAL_MB}`,
        pass: mb <= GB_RSS_GOAL_MB,
      });
      rep.fig({
        key: 'har.gb_two_threads_ms',
        label: 'the same forced onto two threads, wall time (one run)',
        value: r2.ms,
        unit: 'ms',
      });
      rep.fig({
        key: 'har.gb_two_threads_rss_mb',
        label: 'explain peak RSS on the big HAR, two threads',
        value: mb2,
        unit: 'MiB',
        goal: `≤ ${GB_RSS_GOAL_MB}`,
        pass: mb2 <= GB_RSS_GOAL_MB,
      });
      rep.fig({
        key: 'har.gb_rss_vs_200mb',
        label: 'peak RSS, big HAR / 200 MB HAR (bounded: ~1)',
        value: (r.rssKb * 1024) / cliRss,
        unit: '×',
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  rep.finish();
});
