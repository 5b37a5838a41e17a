// Types of the HAR importer/exporter: the loose shape of HAR 1.2 as real tools write it, and the importer's results.
import type { ObservedRequest } from '../engine/types';

/** Why an entry (or the whole file) could not be used. `index` is the entry's position in `log.entries`. */
export interface HarWarning {
  index: number | null;
  code:
    | 'entry-not-object' | 'missing-request' | 'bad-url' | 'bad-method' | 'bad-headers' | 'bad-response'
    | 'orphan-preflight' | 'entry-too-large' | 'unresolved-initiator' | 'bad-pages' | 'out-of-window';
  message: string;
}

export type HarImportErrorCode =
  | 'not-json' | 'not-har' | 'no-usable-entries' | 'truncated' | 'compressed' | 'too-large' | 'io' | 'internal';

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
  creator?: unknown;
  browser?: unknown;
  corsLens?: unknown;
}

export interface HarImportOptions {
  /** Page origin to assume when an entry carries none (`--origin`). */
  origin?: string;
}

/** The page list of a HAR: `id` → page URL (Chrome puts the page URL in `title`). */
export type PageMap = Map<string, string>;
