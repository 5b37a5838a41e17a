// Whole-file HAR import: parse, normalise each entry, fold preflights and redirect hops into logical requests.
// Never throws: a file that cannot be used at all comes back with `error` set and no requests.
import type { ObservedRequest } from '../engine/types';
import { normalizeEntry, readPages } from './entry';
import { DEFAULT_LAG, DEFAULT_WINDOW, HarFolder } from './fold';
import {
  isProxyCreator,
  type HarImportError,
  type HarImportOptions,
  type HarImportResult,
  type HarLogMeta,
  type HarWarning,
  type PageMap,
} from './types';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One line describing why JSON.parse failed, with the truncated case told apart (the common one for HARs). */
export function describeJsonError(err: unknown, text: string): HarImportError {
  const msg = err instanceof Error ? err.message : String(err);
  if (/end of (JSON|data)|Unterminated string/i.test(msg) || text.trim() === '') {
    return {
      code: 'truncated',
      message: text.trim() === '' ? 'the file is empty' : 'the JSON ends early (truncated file?)',
    };
  }
  return { code: 'not-json', message: `not valid JSON: ${msg.split('\n')[0].slice(0, 160)}` };
}

/** First bytes of a file that is not JSON text (gzip, zip, binary): a clearer message than a parse error. */
export function sniffNonJson(head: string): HarImportError | null {
  if (head.startsWith('\x1f\x8b') || head.startsWith('\x1f\ufffd')) {
    return { code: 'compressed', message: 'the file looks gzip-compressed; decompress it first (gunzip)' };
  }
  if (head.startsWith('\xff\xfe') || head.startsWith('\xfe\xff') || head.startsWith('\ufffd\ufffd')) {
    return { code: 'not-json', message: 'the file is UTF-16 encoded; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)' };
  }
  if (head.startsWith('PK\x03\x04'))
    return { code: 'compressed', message: 'the file looks like a zip archive, not a HAR' };
  // A UTF-8 byte-order mark, decoded or read as Latin-1 bytes (the CLI sniffs raw bytes): not part of the JSON.
  const t = head.replace(/^(\ufeff|\xef\xbb\xbf)/, '').trimStart();
  if (t === '') return null;
  if (/^(\[|"|-?\d|true\b|false\b|null\b)/.test(t))
    return { code: 'not-har', message: 'not a HAR file: the JSON is not an object' };
  if (t[0] !== '{') {
    // eslint-disable-next-line no-control-regex
    const binary = /[\x00-\x08\x0e-\x1f]/.test(head.slice(0, 512));
    return {
      code: 'not-json',
      message: binary ? 'not a HAR file (binary data)' : 'not a HAR file (does not start with a JSON object)',
    };
  }
  return null;
}

export function importHar(input: string | object, opts: HarImportOptions = {}): HarImportResult {
  const warnings: HarWarning[] = [];
  try {
    let root: unknown = input;
    if (typeof input === 'string') {
      const sniff = sniffNonJson(input.slice(0, 1024));
      if (sniff) return { requests: [], warnings, error: sniff };
      const text = input.replace(/^\ufeff/, '');
      try {
        root = JSON.parse(text);
      } catch (err) {
        return { requests: [], warnings, error: describeJsonError(err, text) };
      }
    }
    return importParsed(root, opts, warnings);
  } catch (err) {
    // Defence in depth: hostile input must never surface as an exception (e.g. a stack overflow on deep nesting).
    const msg = err instanceof Error ? err.message : String(err);
    return {
      requests: [],
      warnings,
      error: { code: 'internal', message: `could not import: ${msg.split('\n')[0].slice(0, 160)}` },
    };
  }
}

function importParsed(root: unknown, opts: HarImportOptions, warnings: HarWarning[]): HarImportResult {
  if (!isObj(root))
    return { requests: [], warnings, error: { code: 'not-har', message: 'not a HAR file: the JSON is not an object' } };
  const log = root.log;
  if (!isObj(log))
    return { requests: [], warnings, error: { code: 'not-har', message: 'not a HAR file: no "log" object' } };
  const entries = log.entries;
  if (!Array.isArray(entries)) {
    return {
      requests: [],
      warnings,
      error: { code: 'not-har', message: 'not a HAR file: "log.entries" is missing or not a list' },
    };
  }
  const pages: PageMap = new Map();
  if (log.pages !== undefined && !readPages(log.pages, pages)) {
    warnings.push({ index: null, code: 'bad-pages', message: '"log.pages" is not a list; ignored' });
  }
  const meta: HarLogMeta = {};
  if (log.creator !== undefined) meta.creator = log.creator;
  if (log.browser !== undefined) meta.browser = log.browser;
  if (log._corsLens !== undefined) meta.corsLens = log._corsLens;

  const browserOutcome = opts.browserOutcome ?? !isProxyCreator(log.creator);
  if (!browserOutcome) meta.fromProxy = true;
  const folder = new HarFolder({
    window: DEFAULT_WINDOW,
    lag: DEFAULT_LAG,
    origin: opts.origin,
    pages,
    warnings,
    browserOutcome: () => browserOutcome,
  });
  const requests: ObservedRequest[] = [];
  let usable = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = normalizeEntry(entries[i], i, warnings);
    if (!e) continue;
    usable++;
    requests.push(...folder.push(e));
  }
  requests.push(...folder.finish());
  if (entries.length > 0 && usable === 0) {
    return {
      requests: [],
      warnings,
      meta,
      error: {
        code: 'no-usable-entries',
        message: `none of the ${entries.length} entries has a usable request (first problem: ${warnings[0]?.message ?? 'unknown'})`,
      },
    };
  }
  return { requests, warnings, meta };
}
