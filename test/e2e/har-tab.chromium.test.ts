// The panel's HAR tab in real Chromium: a Chrome DevTools export and a generated 40 MB HAR are read in a web
// worker (progress shown, panel usable meanwhile) and diagnosed like live traffic, with the CLI's verdicts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, poll, type ChromiumSession } from './harness/chromium';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROME_EXPORT = join(ROOT, 'test/unit/cli/fixtures/chrome-devtools.har');

interface CliRow {
  url: string;
  verdict: string;
  reason: string | null;
  summary: string;
  notCorsWhy?: string;
}
/** The rows the tab lists: page loads (never CORS-checked) are left out. */
const listed = (rows: CliRow[]) => rows.filter((d) => d.notCorsWhy !== 'navigation');

function cliVerdicts(file: string): CliRow[] {
  try {
    return JSON.parse(
      execFileSync(process.execPath, [join(ROOT, 'src/cli/bin.mjs'), 'explain', file, '--json'], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      }),
    ).diagnoses;
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
      return /requests? from/.test(t) ? t : null;
    }, 'the HAR to be read');
    const all = cliVerdicts(CHROME_EXPORT);
    const expected = listed(all);
    expect(all.length).toBeGreaterThan(expected.length); // the export has a page load, not listed
    expect(status).toContain(`${expected.length} requests`);
    expect(status).toContain(`${all.length - expected.length} page load not listed`);
    expect(await panel.textContent('[data-testid=har-made-by]')).toContain('Chrome DevTools');
    const rows = await panel.$$eval('[role=option]', (rs) => rs.map((r) => r.textContent ?? ''));
    const blocked = expected.filter((d) => d.verdict === 'blocked');
    expect(blocked.length).toBeGreaterThan(0);
    for (const d of blocked) {
      const path = new URL(d.url).pathname;
      // The reason in the CLI's words, not its CorsError name.
      expect(
        rows.find((r) => r.includes(path)),
        path,
      ).toContain(d.summary);
    }
    // Selecting one shows the same explanation as live traffic.
    await panel.click(`[role=option]:has-text("${new URL(blocked[0].url).pathname}")`);
    expect(await panel.textContent('[data-testid=explanation]')).toBeTruthy();
    await panel.close();
  });

  it("judges a Firefox export by Firefox's rules in Chromium, like the CLI, and says why", async () => {
    const FIREFOX_EXPORT = join(ROOT, 'test/unit/cli/fixtures/firefox-export.har');
    const panel = await openHar(FIREFOX_EXPORT);
    await poll(
      async () => /requests? from/.test((await panel.textContent('[data-testid=har-status]')) ?? ''),
      'the HAR to be read',
    );
    expect(await panel.textContent('[data-testid=har-made-by]')).toContain('Firefox');
    expect(await panel.inputValue('[data-testid=har-browser]')).toBe('firefox');
    const expected = listed(cliVerdicts(FIREFOX_EXPORT)); // the CLI picks Firefox's rules from the file too
    // 28 rows: all rendered (the list virtualises beyond a screenful plus overscan).
    expect(await panel.$$eval('[role=option]', (rs) => rs.length)).toBe(expected.length);
    const blockedRows = await panel.$$eval('[role=option].blocked', (rs) => rs.length);
    expect(blockedRows).toBe(expected.filter((d) => d.verdict === 'blocked').length);
    expect(blockedRows).toBeGreaterThan(10);
    await panel.close();
  });

  it('reads a 40 MB HAR in a worker with progress, and reports it whole', async () => {
    const big = join(dir, 'big.har');
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test/bench/har-gen.ts'), big, '40'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    const panel = await openHar(big);
    // While the worker reads, the page keeps answering (a UI-thread parse would block this evaluate).
    const sawProgress = await poll(async () => {
      const t = (await panel.textContent('[data-testid=har-status]')) ?? '';
      return /reading… \d+%|requests from/.test(t) ? t : null;
    }, 'progress or completion');
    expect(sawProgress).toBeTruthy();
    const done = await poll(
      async () => {
        const t = (await panel.textContent('[data-testid=har-status]')) ?? '';
        return /requests? from/.test(t) ? t : null;
      },
      'the big HAR to be read',
      120_000,
    );
    const expected = listed(cliVerdicts(big));
    expect(done).toContain(`${expected.length} requests`);
    expect(readFileSync(big).length).toBeGreaterThan(39 * 1024 * 1024);
    await panel.close();
  });

  it('names the real creator, filters like the live list, and says when nothing matches', async () => {
    const panel = await openHar(join(ROOT, 'test/unit/cli/fixtures/allowed-only.har'));
    await poll(
      async () => /requests? from/.test((await panel.textContent('[data-testid=har-status]')) ?? ''),
      'the HAR to be read',
    );
    expect(await panel.textContent('[data-testid=har-made-by]')).toBe('made by mitmproxy 11.0');
    const rows = () => panel.$$eval('[role=option]', (rs) => rs.length);
    const n = await rows();
    expect(n).toBeGreaterThan(0);
    await panel.fill('[data-testid=har-filter]', 'domain:cdn.site.test');
    await poll(async () => (await rows()) > 0 && (await rows()) <= n, 'the domain filter');
    await panel.fill('[data-testid=har-filter]', '-domain:cdn.site.test domain:cdn.site.test');
    expect(await poll(async () => panel.textContent('[data-testid=no-match]'), 'the no-match message')).toContain(
      'No request matches',
    );
    await panel.close();
  });

  it('shows the error of a cut-off file in the main area, with the requests read before it', async () => {
    const whole = readFileSync(CHROME_EXPORT, 'utf8');
    const cut = join(dir, 'cut.har');
    writeFileSync(cut, whole.slice(0, Math.floor(whole.length * 0.8)));
    const panel = await openHar(cut);
    const error = await poll(async () => panel.textContent('[data-testid=har-error]'), 'the error banner');
    expect(error).toMatch(/cut\.har: /);
    const read = await panel.$$eval('[role=option]', (rs) => rs.length);
    if (read > 0) expect(error).toContain(`showing the ${read} request`);
    expect(await panel.textContent('[data-testid=har-status]')).toMatch(/before an error/);
    await panel.close();
  });

  it('takes a page origin, as the CLI takes --origin, and refuses one that is not an origin', async () => {
    const panel = await openHar(CHROME_EXPORT);
    await poll(
      async () => /requests? from/.test((await panel.textContent('[data-testid=har-status]')) ?? ''),
      'the HAR to be read',
    );
    await panel.fill('[data-testid=har-origin]', 'not an origin');
    await panel.press('[data-testid=har-origin]', 'Enter');
    expect(await panel.textContent('[role=alert]')).toContain('must be an origin');
    await panel.fill('[data-testid=har-origin]', 'https://app.example');
    await panel.press('[data-testid=har-origin]', 'Enter');
    await poll(
      async () => /requests? from/.test((await panel.textContent('[data-testid=har-status]')) ?? ''),
      'the HAR read again',
    );
    expect(await panel.$('[role=alert]')).toBeNull();
    await panel.close();
  });
});
