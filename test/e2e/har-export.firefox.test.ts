// A HAR exported by Firefox's own netmonitor HAR builder during the test (HarAutomation auto-export, headless
// with --devtools) is diagnosed by `cors-lens explain --browser firefox` with the reasons Firefox itself logged.
// CORS_LENS_WRITE_FIXTURE=1 also saves the export (ports normalised) as test/unit/cli/fixtures/firefox-export.har.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import { collectFirefoxVerdicts, launchFirefox, navigateBiDi, type FirefoxVerdict } from './harness/firefox';
import { poll } from './harness/chromium';
import { mixCalls, runMixInPage, type MixCall } from './harness/mix';
import { cli, ROOT } from '../unit/cli/run-cli';
import { importHar } from '../../src/har/import';
import { evaluate } from '../../src/engine/index';

const FIXTURE = join(ROOT, 'test/unit/cli/fixtures/firefox-export.har');
// Ports in the saved fixture: stable text, and the unit test can name URLs.
const FIXTURE_PORTS = { page: 8101, api: 8102, api2: 8103 };

/**
 * The Chromium test's mix plus one credentialed request to a host the page has no cookie for. The page sets a
 * cookie for 127.0.0.1 first (like a logged-in app), so credentialed requests to the API carry `Cookie` in the
 * HAR: Firefox's HAR has no field for the credentials mode, the Cookie header is the only trace of it.
 */
function exportCalls(page: string, api: string, api2: string): MixCall[] {
  return [
    ...mixCalls(page, api, api2),
    {
      name: 'cred-star-no-cookie',
      kind: 'fetch',
      url: `${api2}/m/credstar-nocookie?acao=*`,
      init: { credentials: 'include' },
    },
  ];
}

/** The page: sets the session cookie, then runs every call from an inline script, so they happen during the load. */
function mixPage(calls: MixCall[]): string {
  return `<!doctype html><meta charset="utf-8"><title>CORS Lens Firefox HAR export</title><script>
document.cookie = 'session=s1; path=/';
(${runMixInPage.toString()})(${JSON.stringify(calls)}).then((r) => { window.__mix = r; });
</script>`;
}

interface Diagnosis {
  url: string;
  verdict: string;
  reason: string | null;
  firefoxReason: string | null;
}

describe('Firefox HAR auto-export', () => {
  let page: TestServer, api: TestServer, api2: TestServer, dir: string;
  const pages: Record<string, string> = {};
  beforeAll(async () => {
    page = await startPageServer(pages);
    api = await startApiServer();
    api2 = await startApiServer('localhost');
    dir = mkdtempSync(join(tmpdir(), 'cors-lens-ffhar-'));
  });
  afterAll(async () => {
    await Promise.all([page?.close(), api?.close(), api2?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('explain agrees with the reasons Firefox logged for the requests in its own export', async () => {
    const calls = exportCalls(page.origin, api.origin, api2.origin);
    pages['/mix'] = mixPage(calls);
    // devtools/client/netmonitor/src/har/har-automation.js: with enableAutoExportToFile the toolbox's HarAutomation
    // collects every network event from the top-level navigation on, and at "dom-complete" waits until no new
    // request has started for pageLoadedTimeout ms (har-collector.js waitForTimeout), then writes
    // <defaultLogDir>/<defaultFileName>.har once. --devtools opens a toolbox for the first tab, headless too.
    const ff = await launchFirefox({
      extensionDir: null,
      extraArgs: ['--devtools'],
      prefs: {
        'devtools.netmonitor.har.enableAutoExportToFile': true,
        'devtools.netmonitor.har.defaultLogDir': dir,
        'devtools.netmonitor.har.defaultFileName': 'mix',
        // Quiet period before the export: generous, since the calls run one after another on a loaded machine.
        'devtools.netmonitor.har.pageLoadedTimeout': 6000,
      },
    });
    let har: any;
    let truth: FirefoxVerdict[];
    let seen: Record<string, string>;
    let warmUps = 0;
    try {
      // The toolbox is attached to the window's first tab: navigate that one, not a new page.
      const tab = (await ff.browser.pages())[0];
      const exportsNow = () => readdirSync(dir).filter((n) => n.endsWith('.har'));
      // HarAutomation only starts collecting at a navigation it sees, and the toolbox may still be loading on a busy
      // machine: load a blank page until its export appears, so the mix page's navigation is surely watched.
      for (let attempt = 1; exportsNow().length === 0; attempt++) {
        if (attempt > 4)
          throw new Error('Firefox never auto-exported a HAR: the toolbox (--devtools) did not attach to the tab');
        warmUps = attempt;
        await navigateBiDi(ff.browser, tab, `${page.origin}/?warm-up=${attempt}`);
        await poll(async () => exportsNow().length > 0, 'the warm-up export', 30_000).catch(() => {});
      }
      const before = new Set(exportsNow());
      const logged = collectFirefoxVerdicts(tab);
      await navigateBiDi(ff.browser, tab, `${page.origin}/mix`);
      seen = await poll(
        async () => (await tab.evaluate(() => (globalThis as any).__mix)) as Record<string, string> | undefined,
        'the page ran every call',
        60_000,
      );
      har = await poll(
        async () => {
          const f = exportsNow().find((n) => !before.has(n));
          if (!f) return null;
          try {
            return JSON.parse(readFileSync(join(dir, f), 'utf8'));
          } catch {
            return null;
          } // still being written
        },
        'Firefox wrote its HAR export of the mix page',
        90_000,
      );
      // Firefox quotes the URL in some messages ("…resource at ‘http://…’. (Reason: Credential is not supported…")
      // and collectFirefoxVerdicts keeps the quotes: strip them so the URL matches the request's.
      truth = logged.map((v) => ({ ...v, url: v.url.replace(/^['‘’"]+|['‘’"]+$/g, '') }));
    } finally {
      await ff.close();
    }

    // Firefox's own builder (har-builder.js buildLog): creator and browser are "Firefox".
    expect(har.log.creator.name).toBe('Firefox');
    expect(har.log.browser.name).toBe('Firefox');
    const harUrls = new Set<string>(har.log.entries.map((e: any) => e.request.url));
    const missing = calls.filter((c) => !harUrls.has(c.url)).map((c) => c.name);
    expect(missing, 'calls absent from the export (it ran before they started?)').toEqual([]);
    const methods = new Set(har.log.entries.map((e: any) => e.request.method));
    expect(methods.has('OPTIONS'), 'preflights are in the export').toBe(true);

    const harPath = join(dir, 'export.har');
    writeFileSync(harPath, JSON.stringify(har));
    const run = await cli(['explain', harPath, '--format', 'json', '--browser', 'firefox']);
    expect(run.code, run.stderr).toBe(1); // something is blocked
    const diagnoses = JSON.parse(run.stdout).diagnoses as Diagnosis[];

    // The engine's own verdict object says how sure it is (the CLI's JSON rows leave the inferences out).
    const imported = importHar(har);
    const hopsOf = (c: MixCall) => [c.url, new URL(c.url).searchParams.get('redirect')].filter((u): u is string => !!u);

    const wrong: string[] = [];
    const undecidable: string[] = [];
    let blockedCompared = 0;
    for (const c of calls) {
      const d = diagnoses.find((x) => x.url === c.url);
      if (!d) {
        wrong.push(`${c.name}: not in explain's output`);
        continue;
      }
      const hops = hopsOf(c);
      // A failed preflight logs a second entry ("did not succeed"): the first per request is the reason.
      const t = truth.find((v) => hops.includes(v.url));
      // Firefox sometimes logs nothing for a block the page's script still saw (measured in capture.firefox).
      const pageSawBlock = c.kind !== 'img' && c.init?.mode !== 'no-cors' && /error/.test(seen[c.name] ?? '');
      if (t || pageSawBlock) {
        if (d.verdict === 'blocked') {
          blockedCompared++;
          if (t && d.firefoxReason !== t.key) wrong.push(`${c.name}: Firefox ${t.key}, explain ${d.firefoxReason}`);
          continue;
        }
        if (d.verdict === 'unknown') {
          undecidable.push(`${c.name}: unknown`);
          continue;
        }
        // Allowed although Firefox blocked: acceptable only when the verdict rests on a guess about credentials
        // that it names, and says credentials: include would be blocked for Firefox's reason.
        const req = imported.requests.find((r) => r.exchanges[0]?.url === c.url);
        const v = req && evaluate(req, { browser: 'firefox' });
        const cred = v?.inferences.find((i) => i.what === 'credentials');
        const why = t ? t.reason : 'the request failed in the page';
        const namesFirefoxReason = t ? cred?.because.includes(`/ ${t.key})`) : true;
        if (
          cred &&
          cred.confidence !== 'certain' &&
          /credentials: include it would be blocked/.test(cred.because) &&
          namesFirefoxReason
        ) {
          undecidable.push(
            `${c.name}: ${d.verdict} (credentials ${cred.confidence}: ${cred.because}); Firefox: ${why}`,
          );
        } else {
          wrong.push(`${c.name}: Firefox blocked (${why}), explain ${d.verdict}`);
        }
      } else if (d.verdict === 'blocked') {
        wrong.push(
          `${c.name}: Firefox let it through (page saw ${seen[c.name]}), explain says blocked ${d.firefoxReason}`,
        );
      }
    }
    console.log(
      `Firefox HAR export (after ${warmUps} warm-up load${warmUps === 1 ? '' : 's'}): ${har.log.entries.length} entries, ${calls.length} calls, ${truth.length} Firefox CORS errors, ` +
        `${blockedCompared} blocks agreed on, undecidable from the HAR: ${undecidable.length ? `\n  ${undecidable.join('\n  ')}` : 'none'}`,
    );
    expect(wrong).toEqual([]);
    expect(blockedCompared).toBeGreaterThanOrEqual(14); // 16 of the calls are blocked by Firefox
    // Only the credentialed request without a Cookie can be undecidable: nothing else is missing from the HAR.
    expect(undecidable.map((u) => u.split(':')[0]).filter((n) => n !== 'cred-star-no-cookie')).toEqual([]);

    if (process.env.CORS_LENS_WRITE_FIXTURE === '1') {
      writeFileSync(FIXTURE, fixtureText(har, truth, seen, calls, { page: page.port, api: api.port, api2: api2.port }));
      console.log(`wrote ${FIXTURE}`);
    }
  }, 240_000);
});

/**
 * The export with the machine-specific parts normalised (ports → FIXTURE_PORTS; the HAR holds no file paths), plus
 * what Firefox itself reported in the same run under `log._corsLensTest` (our annotation, not Firefox's: the
 * importer ignores unknown `_` fields), so the unit test can check the fixture against Firefox without a browser.
 */
function fixtureText(
  har: any,
  truth: FirefoxVerdict[],
  seen: Record<string, string>,
  calls: MixCall[],
  ports: Record<keyof typeof FIXTURE_PORTS, number>,
): string {
  let text = JSON.stringify(har, null, 2);
  const swap = (s: string) => {
    for (const k of Object.keys(ports) as (keyof typeof FIXTURE_PORTS)[]) {
      // Plain, percent-encoded and double-encoded (a redirect target's own query names the page origin) forms.
      s = s.replace(new RegExp(`(:|%3A|%253A)${ports[k]}(?!\\d)`, 'g'), `$1${FIXTURE_PORTS[k]}`);
    }
    return s;
  };
  text = swap(text);
  const out = JSON.parse(text);
  out.log._corsLensTest = {
    note: 'Added by test/e2e/har-export.firefox.test.ts: what Firefox reported in the run that exported this HAR. Not part of the export.',
    firefoxConsole: truth.map((v) => ({ url: swap(v.url), reason: v.key, text: swap(v.reason) })),
    page: Object.fromEntries(calls.map((c) => [swap(c.url), { name: c.name, sawInPage: seen[c.name] ?? null }])),
  };
  return JSON.stringify(out, null, 2) + '\n';
}
