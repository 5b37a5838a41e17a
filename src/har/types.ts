// Types of the HAR importer/exporter: the loose shape of HAR 1.2 as real tools write it, and the importer's results.
import type { ObservedRequest } from '../engine/types';

/** Why an entry (or the whole file) could not be used. `index` is the entry's position in `log.entries`. */
export interface HarWarning {
  index: number | null;
  code:
    | 'entry-not-object'
    | 'missing-request'
    | 'bad-url'
    | 'bad-method'
    | 'bad-headers'
    | 'bad-response'
    | 'orphan-preflight'
    | 'entry-too-large'
    | 'unresolved-initiator'
    | 'bad-pages';
  message: string;
}

export type HarImportErrorCode =
  'not-json' | 'not-har' | 'no-usable-entries' | 'truncated' | 'compressed' | 'too-large' | 'io' | 'internal';

/** A fatal import problem: the file as a whole is unusable. `message` is one line, fit for a terminal. */
export interface HarImportError {
  code: HarImportErrorCode;
  message: string;
}

export interface HarImportResult {
  requests: ObservedRequest[];
  warnings: HarWarning[];
  /** Set when nothing usable could be read; `requests` is then empty. */
  error?: HarImportError;
  /** `log._corsLens` of our own recordings, `log.creator`, `log.browser`: passed through untouched. */
  meta?: HarLogMeta;
}

export interface HarLogMeta {
  /** The HAR was written by an intercepting proxy: outcomes say nothing about the browser's decision. */
  fromProxy?: boolean;
  creator?: unknown;
  browser?: unknown;
  corsLens?: unknown;
}

export interface HarImportOptions {
  /** Page origin to assume when an entry carries none (`--origin`). */
  origin?: string;
  /**
   * Whether a completed entry means the browser let the response through. True for browser exports; false for
   * HARs written by an intercepting proxy (Charles, mitmproxy, Fiddler…), which see the server's answer but never
   * the browser's CORS decision. Default: decided from `log.creator.name` (see `isProxyCreator`).
   */
  browserOutcome?: boolean;
}

/** The page list of a HAR: `id` → page URL (Chrome puts the page URL in `title`). */
export type PageMap = Map<string, string>;

// Tools that record traffic from outside the browser's CORS check. Their "completed" is the server's, not the
// browser's. Polly.JS records at the HTTP-client level, where no CORS check runs (its node-http adapter:
// test/unit/har/corpus/polly-recorded.har).
const PROXY_CREATORS =
  /charles|mitmproxy|fiddler|proxyman|burp|http ?toolkit|\bzap\b|whistle|wireshark|tshark|browsermob|anyproxy|har-?proxy|polly/i;

export function isProxyCreator(creator: unknown): boolean {
  const name = typeof creator === 'object' && creator !== null ? (creator as { name?: unknown }).name : undefined;
  return typeof name === 'string' && PROXY_CREATORS.test(name);
}
