// `cors-lens explain` on a big HAR imports it in a worker thread (src/cli/har-thread.ts): the output must be the
// one-thread streaming path's, byte for byte — stdout, stderr and exit status — on every fixture (the Firefox
// export among them), on generated HARs of several chunks, and on bad input. CORS_LENS_STREAM_THRESHOLD and
// CORS_LENS_THREADS put small files through both paths; CORS_LENS_DEBUG_THREADS makes the CLI say which path ran.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ROOT, type Run } from './run-cli';
import { scanInThread, scanThreadAvailable } from '../../../src/cli/har-thread';
import { THREAD_THRESHOLD, useThreads } from '../../../src/cli/main';
import { runnableOthersFrom } from '../../../src/cli/runnable';
import { readChunks } from '../../../src/cli/read-chunks';
import { HarStreamImport } from '../../../src/har/stream';

const FIX = join(ROOT, 'test/unit/cli/fixtures');
const T = 300_000;
const STREAM = { CORS_LENS_STREAM_THRESHOLD: '0', CORS_LENS_DEBUG_THREADS: '1' };
const TWO = { ...STREAM, CORS_LENS_THREADS: 'always' };
const ONE = { ...STREAM, CORS_LENS_THREADS: 'never' };

const withoutDebug = (r: Run) => ({ ...r, stderr: r.stderr.replace(/^cors-lens: debug: .*\n/m, '') });

/** Runs `args` both ways; checks each took the path asked for and that they printed the same. */
async function expectSame(args: string[]): Promise<Run> {
  const two = await cli(args, TWO);
  const one = await cli(args, ONE);
  expect(two.stderr, args.join(' ')).toMatch(/^cors-lens: debug: two threads$/m);
  expect(one.stderr, args.join(' ')).toMatch(/^cors-lens: debug: one thread$/m);
  expect(withoutDebug(two), args.join(' ')).toEqual(withoutDebug(one));
  return withoutDebug(one);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cors-lens-threads-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function generate(name: string, mb: number, flags: string[] = []): string {
  const f = join(dir, name);
  const g = spawnSync(process.execPath, ['--import', 'tsx', 'test/bench/har-gen.ts', f, String(mb), ...flags], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(g.status, g.stderr).toBe(0);
  return f;
}

describe('explain: two threads print what one thread prints', () => {
  it(
    'on every fixture, in every format',
    async () => {
      const files = readdirSync(FIX).filter((f) => f.endsWith('.har'));
      expect(files).toContain('firefox-export.har');
      for (const f of files) {
        const file = join(FIX, f);
        const r = await expectSame(['explain', file, '--json']);
        expect(r.code === 0 || r.code === 1).toBe(true);
        expect(JSON.parse(r.stdout).diagnoses.length).toBeGreaterThan(0);
        await expectSame(['explain', file]);
      }
      for (const f of ['chrome-devtools.har', 'firefox-export.har']) {
        const file = join(FIX, f);
        await expectSame(['explain', file, '--format', 'markdown', '--framework', 'express']);
        await expectSame(['explain', file, '--json', '--framework', 'nginx', '--no-redact']);
        await expectSame(['explain', file, '--browser', 'chromium', '--origin', 'https://elsewhere.test']);
      }
    },
    T,
  );

  it(
    'on generated HARs of several 1 MB chunks, pages first or last',
    async () => {
      for (const [name, flags] of [
        ['gen.har', []],
        ['gen-pages-last.har', ['--pages-last']],
      ] as const) {
        const file = generate(name, 3, [...flags]);
        const r = await expectSame(['explain', file, '--json']);
        // Thousands of requests, so many batches crossed threads.
        expect(JSON.parse(r.stdout).total).toBeGreaterThan(500);
        await expectSame(['explain', file, '--browser', 'firefox']);
      }
    },
    T,
  );

  it(
    'on bad input: same message, same status',
    async () => {
      const chrome = readFileSync(join(FIX, 'chrome-devtools.har'), 'utf8');
      const cases: Record<string, string | Buffer> = {
        'truncated.har': chrome.slice(0, Math.floor(chrome.length / 2)),
        'garbage-after.har': chrome + '\u0000\u0001garbage',
        'not-a-har.har': '{"foo":' + '1,'.repeat(1000) + '2}',
        'unusable.har': '{"log":{"entries":[1,{"request":{}},null]}}',
        'binary.har': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
        'one-bad-entry.har': chrome.replace('"request"', '"request":[],"x"'),
      };
      for (const [name, content] of Object.entries(cases)) {
        const f = join(dir, name);
        writeFileSync(f, content);
        const r = await expectSame(['explain', f, '--json']);
        if (name !== 'one-bad-entry.har') expect(r.code, name).toBe(2);
      }
      const big = generate('big-truncated.har', 3);
      writeFileSync(big, readFileSync(big).subarray(0, 2_500_000));
      const r = await expectSame(['explain', big]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/ends early/);
    },
    T,
  );
});

describe('the scan thread without its worker bundle', () => {
  it(
    'scans in this thread instead, with the same result',
    async () => {
      // Run from the TypeScript sources (as vitest does, or the CLI's tsx fallback), there is no built worker next to
      // src/cli/har-thread.ts: the CLI does not even try, and scanInThread itself falls back if asked.
      expect(scanThreadAvailable()).toBe(false);
      const file = join(FIX, 'chrome-devtools.har');
      const state = { usedThread: false };
      const threaded = HarStreamImport.ofEvents(scanInThread(file, state), { origin: 'https://o.test' });
      const got = [];
      for await (const b of threaded.batches()) got.push(...b);
      const plain = new HarStreamImport(readChunks(file), { origin: 'https://o.test' });
      const want = [];
      for await (const b of plain.batches()) want.push(...b);
      expect(state.usedThread).toBe(false);
      expect(want.length).toBeGreaterThan(0);
      expect(got).toEqual(want);
      expect(threaded.warnings).toEqual(plain.warnings);
      expect(threaded.error).toEqual(plain.error);
    },
    T,
  );
});

describe('when explain takes two threads', () => {
  const big = THREAD_THRESHOLD;
  it('a big file, when a second core looks free', () => {
    expect(useThreads(big, undefined, 2, 0.3)).toBe(true);
    expect(useThreads(big * 10, undefined, 8, 6.9)).toBe(true);
  });
  it('not a smaller file, nor on one core or a busy machine', () => {
    expect(useThreads(big - 1, undefined, 8, 0)).toBe(false);
    expect(useThreads(big, undefined, 1, 0)).toBe(false);
    expect(useThreads(big, undefined, 2, 1.5)).toBe(false);
    expect(useThreads(big, undefined, 2, 7)).toBe(false);
  });
  it('CORS_LENS_THREADS=always|never overrides both', () => {
    expect(useThreads(0, 'always', 1, 50)).toBe(true);
    expect(useThreads(big * 100, 'never', 64, 0)).toBe(false);
  });
  it('judges a free core by what runs now where the system says, not by the lagging load average', () => {
    // An idle machine right after a minute of work: the load average still says busy, nothing else is runnable.
    expect(useThreads(big, undefined, 2, 1.8, 0)).toBe(true);
    // A competitor running now on a machine the load average calls idle.
    expect(useThreads(big, undefined, 2, 0.2, 1)).toBe(false);
    expect(useThreads(big, undefined, 8, 7, 6)).toBe(true);
    expect(useThreads(big, undefined, 8, 0, 7)).toBe(false);
    expect(useThreads(big - 1, undefined, 8, 0, 0)).toBe(false);
  });
  it('reads the runnable threads from /proc/loadavg, ourselves not counted', () => {
    expect(runnableOthersFrom('1.72 3.52 3.35 1/85 17262\n')).toBe(0);
    expect(runnableOthersFrom('0.00 0.01 0.05 3/1203 999')).toBe(2);
    expect(runnableOthersFrom('0.00 0.01 0.05 0/10 1')).toBe(0);
    expect(runnableOthersFrom('')).toBeNull();
    expect(runnableOthersFrom('garbage 1/2')).toBeNull();
  });
});
