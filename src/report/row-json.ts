// One diagnosis row as JSON text, written field by field: the CLI's `explain --json` writes one per request of a
// HAR that can hold hundreds of thousands. It is exactly `safeJson(rowForJson(row, opts))`
// (test/unit/report/row-json.test.ts compares the two over every recorded oracle request and generated hostile rows).
//
// Why not JSON.stringify (bench "har", 200 MB HAR, 39,000 rows, 35 MB of JSON): stringify plus the bidi-escaping
// regex over the whole text took 135-155 ms of the main thread; the rows repeat a handful of texts (5 distinct
// summaries, 8 distinct assumption lists in that HAR), so the text of each repeated value is made once and reused,
// and only the values that vary per request (id, URL, status) are escaped each time.
import { redactUrl } from './redact';
import type { Inference } from '../engine/types';
import type { DiagnosisRow } from './types';
import type { FormatOptions } from './format';

// The characters safeJson escapes (src/report/sanitize.ts): JSON.stringify leaves them raw.
const BIDI = /[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const BIDI_ALL = /[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** JSON text of any value, with safeJson's escapes. */
function text(v: unknown): string {
  const s = JSON.stringify(v);
  return mayHaveBidi(s) && BIDI.test(s) ? s.replace(BIDI_ALL, hex) : s;
}

/** False when no character of `s` is as high as the lowest BIDI one (U+061C): most URLs, by a loop cheaper than BIDI.test. */
function mayHaveBidi(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x61c) return true;
  return false;
}

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

// Arrays of objects that repeat (inferences, findings) by their content: their JSON text is the key.
const lists = new Map<string, string>();
function list(v: readonly unknown[]): string {
  if (v.length === 0) return '[]';
  const key = JSON.stringify(v);
  let t = lists.get(key);
  if (t === undefined) {
    t = BIDI.test(key) ? key.replace(BIDI_ALL, hex) : key;
    if (lists.size >= MAX_CACHED) lists.clear();
    lists.set(key, t);
  }
  return t;
}

/**
 * The engine's inferences, each written from its four fields in the order every engine site creates them
 * (`{what, value, confidence, because}`, src/engine/types.ts Inference): JSON.stringify of these lists alone took
 * 40 ms of the 135.
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

/**
 * The keys in the order toRow (src/report/build.ts) creates them, which is the order JSON.stringify writes them.
 * `satisfies` makes the compiler reject a DiagnosisRow field missing from this list.
 */
export const ROW_KEYS = [
  'id', 'url', 'method', 'type', 'status', 'verdict', 'browser', 'reason', 'failedParameter', 'firefoxReason',
  'chromiumReason', 'summary', 'label', 'stage', 'findings', 'preflight', 'initiator', 'targetOrigin',
  'assumptions', 'chromiumMessage', 'firefoxMessage', 'hiddenHeaders', 'notCorsWhy', 'missing',
] as const satisfies readonly (keyof DiagnosisRow)[];
type Covered = (typeof ROW_KEYS)[number];
// Compile-time: every key of DiagnosisRow is in ROW_KEYS.
const allCovered: Exclude<keyof DiagnosisRow, Covered> extends never ? true : false = true;
void allCovered;

/** `safeJson(rowForJson(row, opts))`, for a row made by toRow. */
export function rowJson(row: DiagnosisRow, opts: FormatOptions = {}): string {
  const url = opts.redact === false ? row.url : redactUrl(row.url);
  let s = `{"id":${text(row.id)},"url":${text(url)},"method":${cached(row.method)},"type":${cached(row.type)},"status":${row.status === null ? 'null' : text(row.status)},"verdict":${cached(row.verdict)},"browser":${cached(row.browser)},"reason":${cached(row.reason)},"failedParameter":${cached(row.failedParameter)},"firefoxReason":${cached(row.firefoxReason)},"chromiumReason":${cached(row.chromiumReason)},"summary":${cached(row.summary)},"label":${cached(row.label)},"stage":${cached(row.stage)},"findings":${list(row.findings)},"preflight":${cached(row.preflight)},"initiator":${cached(row.initiator)},"targetOrigin":${cached(row.targetOrigin)}`;
  // The optional fields, present only when toRow set them (JSON.stringify skips a key whose value is undefined).
  if (row.assumptions !== undefined) s += `,"assumptions":${inferences(row.assumptions)}`;
  // The console messages name the request's URL: each is new, not worth caching.
  if (row.chromiumMessage !== undefined) s += `,"chromiumMessage":${text(row.chromiumMessage)}`;
  if (row.firefoxMessage !== undefined) s += `,"firefoxMessage":${text(row.firefoxMessage)}`;
  if (row.hiddenHeaders !== undefined) s += `,"hiddenHeaders":${list(row.hiddenHeaders)}`;
  if (row.notCorsWhy !== undefined) s += `,"notCorsWhy":${cached(row.notCorsWhy)}`;
  if (row.missing !== undefined) s += `,"missing":${list(row.missing)}`;
  return `${s}}`;
}
