// The report model: rows from hand-built verdicts, counts and per-origin reason groups, and renderers that keep
// hostile server text inert.
import { describe, expect, it } from 'vitest';
/* eslint-disable no-control-regex -- the tests look for terminal escapes on purpose */
import type { BlockReason, ObservedRequest, Verdict } from '../../../src/engine/types';
import { buildReport, ReportBuilder, toJson, toMarkdown, toTable } from '../../../src/report/index';
import { cleanText, markdownCode, markdownText, truncateMiddle } from '../../../src/report/sanitize';
import { method } from '../../support/requests';

const base = {
  mode: 'cors' as const,
  credentials: 'same-origin' as const,
  inferences: [],
  findings: [],
  preflight: 'sent' as const,
  trace: [],
};
/** A fetch() from https://app.test answered with `status`, or never answered (null). */
const req = (id: string, url: string, m = 'GET', status: number | null = 200): ObservedRequest => {
  const r = method(m, url, { id, from: 'https://app.test', type: 'fetch' });
  const sent = { Origin: 'https://app.test' };
  return status === null ? r.unsent(undefined, { sent }).fail() : r.res(status, [], { sent }).ok(status);
};
const reason = (r: Partial<BlockReason>): BlockReason => ({
  corsError: 'HeaderDisallowedByPreflightResponse',
  failedParameter: 'x-api-key',
  firefoxReason: 'CORSMissingAllowHeaderFromPreflight',
  exchangeIndex: 0,
  stage: 'preflight',
  ...r,
});
const blocked = (r: Partial<BlockReason> = {}, browser: 'chromium' | 'firefox' = 'chromium'): Verdict => ({
  ...base,
  browser,
  kind: 'blocked',
  reason: reason(r),
});
const allowed: Verdict = { ...base, browser: 'chromium', kind: 'allowed' };
const hidden: Verdict = { ...base, browser: 'chromium', kind: 'allowed-hidden-headers', hiddenHeaders: ['x-total'] };

describe('buildReport', () => {
  const items = [
    { request: req('1', 'https://api.test/a', 'PUT', null), verdict: blocked() },
    { request: req('2', 'https://api.test/b', 'PUT', null), verdict: blocked() },
    { request: req('3', 'https://api.test/c', 'PUT', null), verdict: blocked() },
    {
      request: req('4', 'https://api.test/d', 'DELETE', null),
      verdict: blocked({
        corsError: 'MethodDisallowedByPreflightResponse',
        failedParameter: 'DELETE',
        firefoxReason: 'CORSMethodNotFound',
      }),
    },
    { request: req('5', 'https://cdn.test/x'), verdict: allowed },
    { request: req('6', 'https://cdn.test/y'), verdict: hidden },
  ];
  const report = buildReport(items);

  it('has one row per request with the reason, failed parameter and a plain summary', () => {
    expect(report.rows).toHaveLength(6);
    expect(report.rows[0]).toMatchObject({
      id: '1',
      method: 'PUT',
      status: null,
      verdict: 'blocked',
      reason: 'HeaderDisallowedByPreflightResponse',
      failedParameter: 'x-api-key',
      firefoxReason: 'CORSMissingAllowHeaderFromPreflight',
      preflight: 'sent',
      targetOrigin: 'https://api.test',
    });
    expect(report.rows[0].summary).toContain('x-api-key');
    expect(report.rows[4]).toMatchObject({ verdict: 'allowed', reason: null, failedParameter: null, status: 200 });
    expect(report.rows[5].hiddenHeaders).toEqual(['x-total']);
  });
  it('uses Firefox keys as the reason for a Firefox verdict', () => {
    const r = buildReport([{ request: req('1', 'https://api.test/a'), verdict: blocked({}, 'firefox') }]);
    expect(r.rows[0].reason).toBe('CORSMissingAllowHeaderFromPreflight');
    expect(r.rows[0].chromiumReason).toBe('HeaderDisallowedByPreflightResponse');
  });
  it('counts verdict kinds', () => {
    expect(report.counts).toEqual({ allowed: 1, 'allowed-hidden-headers': 1, blocked: 4, 'not-cors': 0, unknown: 0 });
    expect(report.total).toBe(6);
  });
  it('groups by target origin with the top reasons first', () => {
    expect(report.groups.map((g) => g.origin)).toEqual(['https://api.test', 'https://cdn.test']);
    const top = report.groups[0].topReasons;
    expect(top.map((t) => t.count)).toEqual([3, 1]);
    expect(top[0].text).toMatch(/^3 × .*x-api-key/);
    expect(top[1].text).toMatch(/^1 × .*DELETE/);
  });
  it('can count without keeping rows (huge inputs)', () => {
    const b = new ReportBuilder({ keepRows: false });
    for (const it of items) b.add(it);
    const r = b.build();
    expect(r.rows).toEqual([]);
    expect(r.counts.blocked).toBe(4);
  });

  it('toJson has diagnoses and counts', () => {
    const j = JSON.parse(toJson(report));
    expect(j.diagnoses).toHaveLength(6);
    expect(j.counts.blocked).toBe(4);
  });
  it('toTable truncates long URLs and colours only when asked', () => {
    const long = buildReport([{ request: req('1', `https://api.test/${'p'.repeat(300)}/end`), verdict: allowed }]);
    const t = toTable(long, { width: 100 });
    expect(t.split('\n').every((l) => l.length <= 200)).toBe(true);
    expect(t).toContain('…');
    expect(t).toContain('/end');
    expect(t).not.toContain('\x1b');
    expect(toTable(long, { color: true })).toContain('\x1b[32m');
  });
  it('redacts token-like query parameters in rendered URLs unless told not to', () => {
    const r = buildReport([
      { request: req('1', 'https://api.test/a?access_token=SECRET123&page=2'), verdict: allowed },
    ]);
    for (const out of [toTable(r), toMarkdown(r), toJson(r)]) {
      expect(out).not.toContain('SECRET123');
      expect(out).toContain('page=2');
    }
    expect(toJson(r, { redact: false })).toContain('SECRET123');
  });
});

describe('hostile text', () => {
  const evil = 'a|b`c\x1b[31mred\u202eevil\u2066<img src=x onerror=alert(1)>[link](javascript:x)\nnext';
  const r = buildReport([
    { request: req('1', `https://api.test/${encodeURIComponent('x')}`), verdict: blocked({ failedParameter: evil }) },
  ]);

  it('cleanText drops controls and bidi marks and bounds the length', () => {
    const c = cleanText(evil);
    expect(c).not.toMatch(/[\x1b\u202e\u2066\n]/);
    expect(cleanText('x'.repeat(1_000_000), 100)).toHaveLength(100);
  });
  it('Markdown escapes pipes, backticks and HTML so a value cannot break the table', () => {
    const md = toMarkdown(r);
    const tableRows = md.split('\n').filter((l) => l.startsWith('| BLOCKED'));
    expect(tableRows).toHaveLength(1);
    // Exactly 6 unescaped pipes delimit the 5 cells.
    expect(tableRows[0].match(/(?<!\\)\|/g)).toHaveLength(6);
    // Inside code spans HTML is literal text (CommonMark §6.1); everywhere else it must be escaped.
    const outsideCode = md.replace(/(?<!\\)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
    expect(outsideCode).not.toContain('<img');
    expect(md).toContain('&lt;img');
    expect(md).not.toMatch(/[\x1b\u202e\u2066]/);
  });
  it('markdownCode fences with more backticks than the value holds', () => {
    expect(markdownCode('a``b', 100, false)).toBe('```a``b```');
    expect(markdownText('<b>*x*</b>')).toBe('&lt;b&gt;\\*x\\*&lt;/b&gt;');
  });
  it('the table has no escapes and stays one line per row', () => {
    const t = toTable(r);
    expect(t).not.toMatch(/[\x1b\u202e\u2066]/);
    expect(t.split('\n').filter((l) => l.startsWith('BLOCKED'))).toHaveLength(1);
  });
  it('JSON escapes bidi controls', () => {
    expect(toJson(r)).not.toContain('\u202e');
    expect(JSON.parse(toJson(r)).diagnoses[0].failedParameter).toBe(evil);
  });
  it('truncateMiddle never splits a surrogate pair', () => {
    const s = '😀'.repeat(50);
    for (let n = 4; n < 40; n++)
      expect(truncateMiddle(s, n)).not.toMatch(
        /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
      );
  });
  it('does not choke on a 1 MB value', () => {
    const big = buildReport([
      {
        request: req('1', `https://api.test/${'y'.repeat(1 << 20)}`),
        verdict: blocked({ failedParameter: 'z'.repeat(1 << 20) }),
      },
    ]);
    expect(toTable(big).length).toBeLessThan(10_000);
    expect(toMarkdown(big).length).toBeLessThan(20_000);
  });
});

describe("the table's reason for a request that is not CORS", () => {
  const notCors = (why: string, cause: string, corsError?: string): Verdict =>
    ({
      ...base,
      browser: 'chromium',
      kind: 'not-cors',
      why,
      cause,
      detail: 'the long explanation',
      ...(corsError ? { corsError } : {}),
    }) as Verdict;
  const line = (v: Verdict, url = 'http://127.0.0.1:4181/api/stock') =>
    toTable(buildReport([{ request: req('1', url, 'GET', null), verdict: v }]), { width: 200 })
      .split('\n')
      .find((l) => l.startsWith('not CORS')) ?? '';
  it("shows the cause's own short line, even when the cause is its family (Local Network Access, blocked by client)", () => {
    expect(
      line(notCors('local-network-access', 'local-network-access', 'LocalNetworkAccessPermissionDenied')),
    ).toContain('Local Network Access, loopback-network permission not granted');
    expect(line(notCors('blocked-by-client', 'blocked-by-client'))).toContain('cancelled by an extension');
    expect(line(notCors('network-error', 'connection-refused'))).toContain(
      'connection refused, nothing listens on 127.0.0.1:4181',
    );
  });
  it('names the family instead of a long detail when the cause has no short line', () => {
    const l = line(notCors('same-origin', 'same-origin'));
    expect(l).toContain('same-origin');
    expect(l).not.toContain('the long explanation');
  });
});
