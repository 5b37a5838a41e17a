// A HAR written by Playwright's recordHar (a real export made by the test, not a hand-written fixture) is
// diagnosed by `cors-lens explain` with the reasons Chromium itself reported over CDP for the same requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import { CHROMIUM, chromiumArgs, poll, recordChromiumVerdicts } from './harness/chromium';
import { mixCalls, runMixInPage } from './harness/mix';

const ROOT = resolve(import.meta.dirname, '../..');

describe('Playwright recordHar export', () => {
  let page: TestServer, api: TestServer, api2: TestServer, dir: string;
  beforeAll(async () => {
    page = await startPageServer();
    api = await startApiServer();
    api2 = await startApiServer('localhost');
    dir = mkdtempSync(join(tmpdir(), 'cors-lens-recordhar-'));
  });
  afterAll(async () => {
    await Promise.all([page?.close(), api?.close(), api2?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('explain agrees with Chromium on every request the HAR shows', async () => {
    const harPath = join(dir, 'mix.har');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: false,
      ignoreDefaultArgs: true,
      args: chromiumArgs(null).filter((a) => a !== 'about:blank'),
    });
    const ctx = await browser.newContext({ recordHar: { path: harPath, content: 'omit' } });
    const tab = await ctx.newPage();
    const cdp = await recordChromiumVerdicts(ctx, tab);
    await tab.goto(`${page.origin}/`);
    const calls = mixCalls(page.origin, api.origin, api2.origin);
    await tab.evaluate(runMixInPage, calls);
    await poll(async () => calls.every((c) => cdp.verdicts.some((v) => v.url === c.url)), 'CDP verdicts');
    const truth = [...cdp.verdicts];
    await ctx.close(); // writes the HAR
    await browser.close();

    let out: string;
    try {
      out = execFileSync(process.execPath, [join(ROOT, 'src/cli/bin.mjs'), 'explain', harPath, '--json'], {
        encoding: 'utf8',
      });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout); // exit 1: something is blocked
    }
    const diagnoses = JSON.parse(out).diagnoses as {
      url: string;
      verdict: string;
      reason: string | null;
      failedParameter: string | null;
    }[];
    const wrong: string[] = [];
    let compared = 0;
    for (const c of calls) {
      const t = truth.find((v) => v.url === c.url);
      const d = diagnoses.find((x) => x.url === c.url);
      if (!t || !d) continue;
      compared++;
      if (t.corsError) {
        // A HAR may lack what the verdict needs (Playwright omits blocked responses' headers): unknown is honest,
        // a different reason is wrong.
        if (d.verdict === 'unknown') continue;
        if (d.verdict !== 'blocked' || d.reason !== t.corsError)
          wrong.push(`${c.name}: Chromium ${t.corsError}, explain ${d.verdict} ${d.reason}`);
      } else if (d.verdict === 'blocked') {
        wrong.push(`${c.name}: Chromium let it through, explain says blocked ${d.reason}`);
      }
    }
    console.log(
      `recordHar: ${compared} of ${calls.length} requests in the HAR compared; ${diagnoses.filter((d) => d.verdict === 'unknown').length} unknown`,
    );
    expect(wrong).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(calls.length - 5);
  });
});
