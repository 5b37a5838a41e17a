// `npm run demo` headless, as a user runs it (Chromium, then Firefox ESR): it exits 0, its JSON report diagnoses every
// planted CORS mistake with the browser's own reason, allows every correct endpoint, writes its screenshots, and
// leaves no process behind.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callsFor } from '../demo/calls';
import { processesMentioning, stillAlive, type ProcInfo } from '../demo/processes';
import type { BrowserName } from '../../src/engine/types';

const ROOT = resolve(import.meta.dirname, '../..');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runDemo(out: string, browser: BrowserName): Promise<Run> {
  const env = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return new Promise((resolveRun, reject) => {
    // The suite builds the extension before the e2e project runs: --no-build.
    const child = spawn(
      process.execPath,
      ['test/demo/run.mjs', '--no-build', '--headless', '--browser', browser, '--port', '0', '--out', out],
      { cwd: ROOT, env },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), 150_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr });
    });
  });
}

interface Diagnosis {
  url: string;
  method: string;
  verdict: string;
  reason: string | null;
  failedParameter: string | null;
  hiddenHeaders?: string[];
  notCorsCause?: string;
}

describe.each(['chromium', 'firefox'] as const)('npm run demo -- --browser %s (headless)', (browser) => {
  const CALLS = callsFor(browser);
  let out: string;
  let run: Run;
  let report: { diagnoses: Diagnosis[]; browser: string };
  let result: {
    ok: boolean;
    origins: { frontend: string; api: string; files: string; down: string; widget: string };
    checks: Array<{ id: string; browserSaid?: string | null }>;
    screenshots: string[];
    processes: { started: ProcInfo[]; profileDirs: string[]; leftRunning: ProcInfo[] };
  };

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'cors-lens-demo-'));
    run = await runDemo(out, browser);
    if (run.code !== 0) console.error(`demo exited ${run.code ?? run.signal}\n${run.stdout}\n${run.stderr}`);
    report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    result = JSON.parse(readFileSync(join(out, 'demo-result.json'), 'utf8'));
  });
  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('exits 0 and says every call was diagnosed as expected', () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${CALLS.length}/${CALLS.length} as expected`);
    expect(result.ok).toBe(true);
  });

  it("reports every planted mistake with the browser's reason, and every correct endpoint allowed", () => {
    expect(report.browser).toBe(browser);
    for (const call of CALLS) {
      const rows = report.diagnoses.filter(
        (d) => d.method === call.method && d.url === (call.down ? result.origins.down : result.origins.api) + call.path,
      );
      expect(rows.length, `${call.id}: rows in the report`).toBeGreaterThan(0);
      for (const row of rows) {
        const e = call.expect;
        expect(row.verdict, call.id).toBe(e.verdict);
        if (e.verdict === 'blocked') {
          expect(row.reason, call.id).toBe(browser === 'firefox' ? e.firefox : e.chromium);
          // failedParameter is Chromium's vocabulary.
          if (e.failedParameter && browser === 'chromium')
            expect(row.failedParameter, call.id).toBe(e.failedParameter.replace('{frontend}', result.origins.frontend));
        } else {
          expect(row.reason, call.id).toBeNull();
        }
        if (e.verdict === 'not-cors') expect(row.notCorsCause, call.id).toBe(e.cause);
        if (e.verdict === 'allowed-hidden-headers')
          expect(row.hiddenHeaders, call.id).toEqual(expect.arrayContaining(e.hidden));
      }
    }
    // Chromium also runs the partner widget's Local Network Access call.
    expect(CALLS.filter((c) => c.kind === 'mistake')).toHaveLength(browser === 'chromium' ? 11 : 10);
    expect(CALLS.filter((c) => c.kind === 'correct').every((c) => c.expect.verdict === 'allowed')).toBe(true);
  });

  it.runIf(browser === 'chromium')(
    "diagnoses the widget's call as Local Network Access, as Chromium itself reported it",
    () => {
      const lna = CALLS.find((c) => c.id === 'local-network')!;
      const row = report.diagnoses.find((d) => d.url === result.origins.api + lna.path) as
        (Diagnosis & { chromiumReason?: string; initiator?: string }) | undefined;
      expect(row?.notCorsCause).toBe('local-network-access');
      expect(row?.chromiumReason).toBe('LocalNetworkAccessPermissionDenied');
      // The call came from the widget's origin (the one made public), not from the frontend.
      expect(row?.initiator).toBe(result.origins.widget);
      // Chromium's own CDP verdict for the same request, recorded by the demo.
      expect(result.checks.find((c) => c.id === 'local-network')?.browserSaid).toBe(
        'LocalNetworkAccessPermissionDenied',
      );
    },
  );

  it('writes the panel (light, dark) and popup screenshots', () => {
    const names = result.screenshots.map((f) => f.slice(out.length + 1)).sort();
    expect(names).toEqual(['panel-dark.png', 'panel-light.png', 'popup.png']);
    for (const f of result.screenshots) {
      expect(readFileSync(f).subarray(1, 4).toString('latin1'), f).toBe('PNG');
      expect(statSync(f).size, f).toBeGreaterThan(5_000);
    }
    expect(existsSync(join(out, 'report.md'))).toBe(true);
  });

  it('leaves no browser process behind', () => {
    const started = result.processes.started;
    // Not vacuous: the demo did record the browser it ran.
    expect(started.some((p) => (browser === 'firefox' ? /firefox/i : /chrom/i).test(p.comm))).toBe(true);
    expect(result.processes.leftRunning).toEqual([]);
    expect(stillAlive(started)).toEqual([]);
    for (const dir of result.processes.profileDirs) expect(processesMentioning(dir), dir).toEqual([]);
  });
});
