// The panel's HAR tab in real Chromium: a Chrome DevTools export and a generated 40 MB HAR are read in a web
// worker (progress shown, panel usable meanwhile) and diagnosed like live traffic, with the CLI's verdicts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, poll, type ChromiumSession } from './harness/chromium';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROME_EXPORT = join(ROOT, 'test/unit/cli/fixtures/chrome-devtools.har');

function cliVerdicts(file: string): { url: string; verdict: string; reason: string | null }[] {
  try {
    return JSON.parse(execFileSync(process.execPath, [join(ROOT, 'src/cli/bin.mjs'), 'explain', file, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 })).diagnoses;
  } catch (e) {
    // Exit code 1 means "something is blocked": the JSON is still on stdout.
    return JSON.parse(String((e as { stdout?: string }).stdout)).diagnoses;
  }
}

describe('HAR tab in Chromium', () => {
  let s: ChromiumSession;
  let dir: string;
  beforeAll(async () => {
    s = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'cors-lens-har-'));
  });
  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openHar(file: string) {
    const panel = await s.ctx.newPage();
    await panel.goto(`chrome-extension://${s.extensionId}/extension/panel/index.html?tabId=0`);
    await panel.click('[data-testid=har-tab]');
    await panel.setInputFiles('[data-testid=har-input]', file);
    return panel;
  }

  it('diagnoses a Chrome DevTools export exactly like the CLI does', async () => {
    const panel = await openHar(CHROME_EXPORT);
    const status = await poll(async () => {
      const t = (await panel.textContent('[data-testid=har-status]')) ?? '';
      return /requests from/.test(t) ? t : null;
    }, 'the HAR to be read');
    const expected = cliVerdicts(CHROME_EXPORT);
    expect(status).toContain(`${expected.length} requests`);
    const rows = await panel.$$eval('[role=option]', (rs) => rs.map((r) => r.textContent ?? ''));
    const blocked = expected.filter((d) => d.verdict === 'blocked');
    expect(blocked.length).toBeGreaterThan(0);
    for (const d of blocked) {
      const path = new URL(d.url).pathname;
      expect(rows.find((r) => r.includes(path)), path).toContain(d.reason!);
    }
    // Selecting one shows the same explanation as live traffic.
    await panel.click(`[role=option]:has-text("${new URL(blocked[0].url).pathname}")`);
    expect(await panel.textContent('[data-testid=explanation]')).toBeTruthy();
    await panel.close();
  });

  it('judges a Firefox export by Firefox\'s rules in Chromium, like the CLI, and says why', async () => {
    const FIREFOX_EXPORT = join(ROOT, 'test/unit/cli/fixtures/firefox-export.har');
    const panel = await openHar(FIREFOX_EXPORT);
    await poll(async () => /requests from/.test((await panel.textContent('[data-testid=har-status]')) ?? ''), 'the HAR to be read');
    expect(await panel.textContent('[data-testid=har-made-by]')).toContain('Firefox');
    expect(await panel.inputValue('select')).toBe('firefox');
    const expected = cliVerdicts(FIREFOX_EXPORT); // the CLI picks Firefox's rules from the file too
    // 28 rows: all rendered (the list virtualises beyond a screenful plus overscan).
    expect(await panel.$$eval('[role=option]', (rs) => rs.length)).toBe(expected.length);
    const blockedRows = await panel.$$eval('[role=option].blocked', (rs) => rs.length);
    expect(blockedRows).toBe(expected.filter((d) => d.verdict === 'blocked').length);
    expect(blockedRows).toBeGreaterThan(10);
    await panel.close();
  });

  it('reads a 40 MB HAR in a worker with progress, and reports it whole', async () => {
    const big = join(dir, 'big.har');
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test/bench/har-gen.ts'), big, '40'], { cwd: ROOT, stdio: 'ignore' });
    const panel = await openHar(big);
    // While the worker reads, the page keeps answering (a UI-thread parse would block this evaluate).
    const sawProgress = await poll(async () => {
      const t = (await panel.textContent('[data-testid=har-status]')) ?? '';
      return /reading… \d+%|requests from/.test(t) ? t : null;
    }, 'progress or completion');
    expect(sawProgress).toBeTruthy();
    const done = await poll(async () => {
      const t = (await panel.textContent('[data-testid=har-status]')) ?? '';
      return /requests from/.test(t) ? t : null;
    }, 'the big HAR to be read', 120_000);
    const expected = cliVerdicts(big);
    expect(done).toContain(`${expected.length} requests`);
    expect(readFileSync(big).length).toBeGreaterThan(39 * 1024 * 1024);
    await panel.close();
  });
});
