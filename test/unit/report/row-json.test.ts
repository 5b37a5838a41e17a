// rowJson (src/report/row-json.ts) writes a row field by field for `explain --json`; it must be exactly
// safeJson(rowForJson(row)) — the same keys, order, escapes — for every verdict the recorded browser HARs give
// (both browsers' rules, redacted or not) and for rows full of hostile text (quotes, controls, bidi, lone surrogates).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { evaluate } from '../../../src/engine/index';
import type { BrowserName, Verdict } from '../../../src/engine/types';
import { importHar } from '../../../src/har/import';
import { toRow } from '../../../src/report/build';
import { rowForJson } from '../../../src/report/format';
import { rowJson } from '../../../src/report/row-json';
import { safeJson } from '../../../src/report/sanitize';
import type { DiagnosisRow } from '../../../src/report/types';
import { RECORDINGS } from '../../oracle/recordings-io';

const harFiles = [
  ...['chromium', 'firefox'].flatMap((b) =>
    readdirSync(join(RECORDINGS, b))
      .filter((f) => f.endsWith('.har'))
      .map((f) => join(RECORDINGS, b, f)),
  ),
  ...readdirSync(resolve(__dirname, '../cli/fixtures'))
    .filter((f) => f.endsWith('.har'))
    .map((f) => resolve(__dirname, '../cli/fixtures', f)),
];

function expectSame(row: DiagnosisRow): void {
  for (const redact of [true, false]) expect(rowJson(row, { redact })).toBe(safeJson(rowForJson(row, { redact })));
}

describe('rowJson', () => {
  it("is safeJson(rowForJson(row)) for every request of the recorded HARs, under both browsers' rules", () => {
    const kinds = new Set<Verdict['kind']>();
    let n = 0;
    for (const f of harFiles) {
      const { requests } = importHar(readFileSync(f, 'utf8'));
      // Each request also without its responses: what the engine cannot judge (`unknown`, `missing`).
      const unanswered = requests.map((r) => ({
        ...r,
        exchanges: r.exchanges.map((x) => ({ ...x, response: null, error: undefined })),
      }));
      for (const request of [...requests, ...unanswered]) {
        for (const browser of ['chromium', 'firefox'] as BrowserName[]) {
          const verdict = evaluate(request, { browser });
          kinds.add(verdict.kind);
          expectSame(toRow({ request, verdict }));
          n++;
        }
      }
    }
    // Every verdict kind, so every optional field, went through.
    expect([...kinds].sort()).toEqual(['allowed', 'allowed-hidden-headers', 'blocked', 'not-cors', 'unknown']);
    expect(n).toBeGreaterThan(1000);
  });

  it('is safeJson(rowForJson(row)) for rows of hostile text', () => {
    const nasty = fc.string({
      unit: fc.constantFrom(
        'a',
        '"',
        '\\',
        '\n',
        '\u0000',
        '\u061c',
        '\u200e',
        '\u2028',
        '\u202e',
        '\u2066',
        '\ufeff',
        '\ud800',
        'é',
        '😀',
        '‘',
      ),
      maxLength: 16,
    });
    const base: DiagnosisRow = {
      id: 'x',
      url: 'https://a.test/',
      method: 'GET',
      type: null,
      status: null,
      verdict: 'blocked',
      browser: 'chromium',
      reason: null,
      failedParameter: null,
      firefoxReason: null,
      chromiumReason: null,
      summary: '',
      label: null,
      stage: null,
      findings: [],
      preflight: 'sent',
      initiator: null,
      targetOrigin: 'https://a.test',
    };
    fc.assert(
      fc.property(
        nasty,
        nasty,
        nasty,
        nasty,
        nasty,
        fc.option(fc.integer()),
        fc.boolean(),
        (a, b, c, d, e, status, optional) => {
          const row: DiagnosisRow = {
            ...base,
            id: a,
            url: `https://user:pw@a.test/${b}?token=${c}`,
            summary: c,
            label: d,
            initiator: e,
            status,
            failedParameter: a,
            targetOrigin: b,
          };
          row.findings = [{ code: 'null-origin-allowed', severity: 'warning', message: d, header: e }];
          if (optional) {
            row.assumptions = [{ what: 'mode', value: a, confidence: 'likely', because: e }];
            row.chromiumMessage = b;
            row.firefoxMessage = c;
          } else {
            row.hiddenHeaders = [a, b];
            row.missing = [c];
          }
          expectSame(row);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
