// One diagnosis row as JSON text, written field by field: the CLI's `explain --json` writes one per request of a
// HAR that can hold hundreds of thousands. It is exactly `safeJson(rowForJson(row, opts))`
// (test/unit/report/row-json.test.ts compares the two over every recorded oracle request and generated hostile rows).
//
// Why not JSON.stringify: stringify plus the bidi-escaping regex over the whole text was the main thread's largest
// output cost (docs/performance.md, HAR); the rows repeat a handful of texts (summaries, assumption lists), so the
// text of each repeated value is made once and reused, and only the values that vary per request (id, URL, status)
// are escaped each time.
import { redactUrl } from './redact';
import { escapeBidi } from './sanitize';
import type { Inference } from '../engine/types';
import type { DiagnosisRow } from './types';
import type { FormatOptions } from './format';

/** JSON text of any value, with safeJson's escapes. */
const text = (v: unknown): string => escapeBidi(JSON.stringify(v));

// Texts of repeated values, by value. Bounded: a hostile HAR can make every summary different, and then the cache
// is only emptied and refilled, never grown.
const MAX_CACHED = 512;
const strings = new Map<string, string>();
function cached(v: string | null | undefined): string {
  if (v == null) return 'null';
  let t = strings.get(v);
  if (t === undefined) {
    t = text(v);
    if (strings.size >= MAX_CACHED) strings.clear();
    strings.set(v, t);
  }
  return t;
}

/** A list (findings, header names): usually empty. */
const list = (v: readonly unknown[]): string => (v.length === 0 ? '[]' : text(v));

/**
 * The engine's inferences, each written from its four fields in the order every engine site creates them
 * (`{what, value, confidence, because}`, src/engine/types.ts Inference): JSON.stringify of these lists was a large
 * part of the rows' cost.
 */
function inferences(v: readonly Inference[]): string {
  if (v.length === 0) return '[]';
  let s = '[';
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    s += `${i ? ',' : ''}{"what":${cached(x.what)},"value":${cached(x.value)},"confidence":${cached(x.confidence)},"because":${cached(x.because)}}`;
  }
  return `${s}]`;
}

/** The keys rowJson writes, in the order toRow (src/report/build.ts) creates them, which JSON.stringify follows. */
type RowKey =
  | 'id'
  | 'url'
  | 'method'
  | 'type'
  | 'status'
  | 'verdict'
  | 'browser'
  | 'reason'
  | 'failedParameter'
  | 'firefoxReason'
  | 'chromiumReason'
  | 'summary'
  | 'label'
  | 'stage'
  | 'findings'
  | 'preflight'
  | 'initiator'
  | 'targetOrigin'
  | 'assumptions'
  | 'chromiumMessage'
  | 'firefoxMessage'
  | 'hiddenHeaders'
  | 'notCorsWhy'
  | 'notCorsCause'
  | 'missing';
// Compile-time: RowKey is exactly DiagnosisRow's keys, so a new field fails here until rowJson writes it.
const exact: [RowKey] extends [keyof DiagnosisRow] ? ([keyof DiagnosisRow] extends [RowKey] ? true : false) : false =
  true;
void exact;

/** `safeJson(rowForJson(row, opts))`, for a row made by toRow. */
export function rowJson(row: DiagnosisRow, opts: FormatOptions = {}): string {
  const url = opts.redact === false ? row.url : redactUrl(row.url);
  // The fixed fields, in rowForJson's order (the test compares the two byte for byte).
  const status = row.status === null ? 'null' : text(row.status);
  let s =
    `{"id":${text(row.id)},"url":${text(url)},"method":${cached(row.method)},"type":${cached(row.type)}` +
    `,"status":${status},"verdict":${cached(row.verdict)},"browser":${cached(row.browser)}` +
    `,"reason":${cached(row.reason)},"failedParameter":${cached(row.failedParameter)}` +
    `,"firefoxReason":${cached(row.firefoxReason)},"chromiumReason":${cached(row.chromiumReason)}` +
    `,"summary":${cached(row.summary)},"label":${cached(row.label)},"stage":${cached(row.stage)}` +
    `,"findings":${list(row.findings)},"preflight":${cached(row.preflight)},"initiator":${cached(row.initiator)}` +
    `,"targetOrigin":${cached(row.targetOrigin)}`;
  // The optional fields, present only when toRow set them (JSON.stringify skips a key whose value is undefined).
  if (row.assumptions !== undefined) s += `,"assumptions":${inferences(row.assumptions)}`;
  // The console messages name the request's URL: each is new, not worth caching.
  if (row.chromiumMessage !== undefined) s += `,"chromiumMessage":${text(row.chromiumMessage)}`;
  if (row.firefoxMessage !== undefined) s += `,"firefoxMessage":${text(row.firefoxMessage)}`;
  if (row.hiddenHeaders !== undefined) s += `,"hiddenHeaders":${list(row.hiddenHeaders)}`;
  if (row.notCorsWhy !== undefined) s += `,"notCorsWhy":${cached(row.notCorsWhy)}`;
  if (row.notCorsCause !== undefined) s += `,"notCorsCause":${cached(row.notCorsCause)}`;
  if (row.missing !== undefined) s += `,"missing":${list(row.missing)}`;
  return `${s}}`;
}
