// The tool corpus (test/unit/har/corpus): HARs in the shapes chrome-har, WebPageTest, Fiddler, Charles, mitmproxy,
// Safari and old Chrome write, each with the verdict expected per request (expected.json). Every file is read by the
// whole-file import, by the panel's streaming import (extension/panel/har-worker.ts) and by the CLI, and all three
// must agree with the expectation and with each other.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evaluate } from '../../../src/engine';
import type { BrowserName, ObservedRequest, Verdict } from '../../../src/engine/types';
import { importHar } from '../../../src/har/import';
import { HarStreamImport } from '../../../src/har/stream';
import { chunks, requestsOf } from './chunked';
import { cli } from '../cli/run-cli';

const DIR = resolve(__dirname, 'corpus');
interface Expect {
  verdict: Verdict['kind'];
  reason?: string;
  why?: string;
}
type Expected = Record<string, { item: number | string; browser?: BrowserName } & Record<BrowserName, Expect[]>>;
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Expected;
delete (expected as Record<string, unknown>).$comment;
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.har'))
  .sort();
const BROWSERS = ['chromium', 'firefox'] as const;

const reasonOf = (b: BrowserName, v: Verdict) =>
  v.kind === 'blocked' ? (b === 'chromium' ? v.reason.corsError : v.reason.firefoxReason) : undefined;
const summary = (b: BrowserName, v: Verdict): Expect => ({
  verdict: v.kind,
  ...(reasonOf(b, v) ? { reason: reasonOf(b, v) } : {}),
  ...(v.kind === 'not-cors' ? { why: v.why } : {}),
});

/** Hosts named anywhere in a HAR only as a script URL (`_initiator` strings), never as a request URL or Origin. */
function scriptOnlyHosts(text: string): string[] {
  const log = JSON.parse(text.replace(/^\ufeff/, '')).log as {
    entries: Array<{ _initiator?: unknown; request: { url: string; headers: Array<{ name: string; value: string }> } }>;
  };
  const seen = new Set<string>();
  for (const e of log.entries) {
    seen.add(new URL(e.request.url).host);
    for (const h of e.request.headers)
      if (h.name.toLowerCase() === 'origin' && URL.canParse(h.value)) seen.add(new URL(h.value).host);
  }
  const scripts = new Set<string>();
  for (const e of log.entries) if (typeof e._initiator === 'string') scripts.add(new URL(e._initiator).host);
  return [...scripts].filter((h) => !seen.has(h));
}

describe('HAR tool corpus', () => {
  it('has an expectation for every file and a file for every expectation', () => {
    expect(Object.keys(expected).sort()).toEqual(files);
  });

  for (const file of files) {
    const bytes = readFileSync(join(DIR, file));
    describe(file, () => {
      let whole: ObservedRequest[] = [];
      it("is read by the whole-file import and the panel's streaming import alike", async () => {
        const r = importHar(bytes.toString('utf8'));
        expect(r.error).toBeUndefined();
        whole = r.requests;
        for (const cuts of [[], [1, 2, 3, 7, 100], [Math.floor(bytes.length / 2)]]) {
          const imp = new HarStreamImport(chunks(bytes, cuts));
          expect(await requestsOf(imp)).toEqual(whole);
          expect(imp.error).toBeUndefined();
        }
      });

      for (const b of BROWSERS) {
        it(`gives the expected verdicts under ${b} rules, never blocking a same-origin, WebSocket or navigation request`, () => {
          const verdicts = whole.map((req) => evaluate(req, { browser: b }));
          expect(verdicts.map((v) => summary(b, v))).toEqual(expected[file][b]);
          for (const v of verdicts) {
            if (v.mode === 'websocket' || v.mode === 'navigate') expect(v.kind).toBe('not-cors');
          }
          whole.forEach((req, i) => {
            if (req.initiator !== null && new URL(req.url).origin === req.initiator)
              expect(verdicts[i].kind).not.toBe('blocked');
          });
        });
      }

      it('is read by the CLI (exit 0 or 1, the same verdicts, fixes naming no script-only host)', async () => {
        const browser = expected[file].browser ?? 'chromium';
        const run = await cli(['explain', join(DIR, file), '--json', '--framework', 'express']);
        expect(run.stderr).not.toMatch(/internal error/);
        const out = JSON.parse(run.stdout) as {
          diagnoses: Array<{ verdict: string; reason: string | null; why?: string }>;
          browser: string;
          fixes?: unknown;
        };
        expect(out.browser).toBe(browser);
        const exp = expected[file][browser];
        expect(out.diagnoses.map((d) => d.verdict)).toEqual(exp.map((e) => e.verdict));
        expect(out.diagnoses.map((d) => d.reason ?? undefined)).toEqual(exp.map((e) => e.reason));
        expect(run.code).toBe(exp.some((e) => e.verdict === 'blocked') ? 1 : 0);
        const fixText = JSON.stringify(out.fixes ?? {});
        for (const host of scriptOnlyHosts(bytes.toString('utf8'))) expect(fixText).not.toContain(host);
        // The streaming paths (one thread, and the scan thread of big files) print the same bytes.
        for (const threads of ['never', 'always']) {
          const streamed = await cli(['explain', join(DIR, file), '--json', '--framework', 'express'], {
            CORS_LENS_STREAM_THRESHOLD: '0',
            CORS_LENS_THREADS: threads,
          });
          expect([streamed.code, streamed.stdout]).toEqual([run.code, run.stdout]);
        }
      }, 60_000);
    });
  }
});
