// Streaming HAR import for files too big to hold as one JSON text (a 1 GB HAR cannot even be a JS string: V8
// strings stop at ~512 M chars): the scanner (scanner.ts, scan-chunks.ts) cuts out one entry at a time, and the
// import normalises and folds them as they come, so memory holds one entry plus a bounded look-behind window.
import type { ObservedRequest } from '../engine/types';
import { normalizeEntry, readPages } from './entry';
import { EntryUnpacker } from './entry-packed';
import { DEFAULT_LAG, DEFAULT_WINDOW, HarFolder, tupleOriginOf } from './fold';
import { scanHarChunks } from './scan-chunks';
import { parseScanEvent, type HarScanEvent, type ScanOptions } from './scan-events';
import {
  isProxyCreator,
  type HarImportError,
  type HarImportOptions,
  type HarImportResult,
  type HarLogMeta,
  type HarWarning,
  type PageMap,
} from './types';

export { parseScanEvent, type HarScanEvent, type ScanOptions } from './scan-events';
export { HarScanner } from './scanner';
export { scanHar, scanHarChunks, wireEvents } from './scan-chunks';

export interface StreamImportOptions extends HarImportOptions, ScanOptions {
  /** Entries a preflight or redirect may wait for its partner (default DEFAULT_WINDOW). */
  window?: number;
  /** Entries a finished request waits for a preflight listed after it (Chrome order; default DEFAULT_LAG). */
  lag?: number;
  /** Requests held while `log.pages` is not yet known (pages after entries) before giving up on them. */
  maxDeferred?: number;
  /** Warnings kept; more are only counted. */
  maxWarnings?: number;
}

/**
 * Streaming counterpart of `importHar`: iterate `requests`; afterwards `error` says whether the file as a whole was
 * unusable (not JSON, not a HAR, truncated). Requests already yielded before a truncation are real, but the caller
 * should treat the file as bad input.
 */
export class HarStreamImport {
  readonly warnings: HarWarning[] = [];
  readonly meta: HarLogMeta = {};
  error: HarImportError | undefined;
  entries = 0;
  usable = 0;
  droppedWarnings = 0;
  private readonly pages: PageMap = new Map();
  private pagesKnown = false;
  private deferred: { req: ObservedRequest; pageref: string }[] = [];
  private deferredOverflowWarned = false;
  /** Scan events produced elsewhere (`ofEvents`), read instead of scanning `source`. */
  private events: AsyncIterable<HarScanEvent[]> | null = null;

  constructor(
    private readonly source: AsyncIterable<Uint8Array | string>,
    private readonly opts: StreamImportOptions = {},
  ) {}

  /**
   * An import fed with scan events rather than bytes: the CLI scans in a worker thread (src/cli/har-thread.ts) and
   * imports here. The events are those `scanHarChunks` yields (`rawText` or not), so with the same scan options the
   * result is the one scanning the bytes here gives. A thrown error ends the import as a read error would.
   */
  static ofEvents(events: AsyncIterable<HarScanEvent[]>, opts: StreamImportOptions = {}): HarStreamImport {
    const imp = new HarStreamImport((async function* () {})(), opts);
    imp.events = events;
    return imp;
  }

  async *requests(): AsyncGenerator<ObservedRequest> {
    for await (const batch of this.batches()) yield* batch;
  }

  /** The requests as `requests()` gives them, in arrays (one per chunk read that completed any): no await per item. */
  async *batches(): AsyncGenerator<ObservedRequest[]> {
    const maxDeferred = this.opts.maxDeferred ?? 10_000;
    const folder = new HarFolder({
      window: this.opts.window ?? DEFAULT_WINDOW,
      lag: this.opts.lag ?? DEFAULT_LAG,
      origin: this.opts.origin,
      pages: this.pages,
      warnings: this.warnings,
      // `creator` normally precedes `entries`; if it comes later, the entries before it are taken as a browser's.
      browserOutcome: () => this.opts.browserOutcome ?? !this.meta.fromProxy,
      deferUnresolved: (req, pageref) => {
        if (this.pagesKnown) return false;
        if (this.deferred.length >= maxDeferred) {
          if (!this.deferredOverflowWarned) {
            this.deferredOverflowWarned = true;
            this.warnings.push({
              index: null,
              code: 'unresolved-initiator',
              message: `"log.pages" comes after the entries: the page origin of some requests is unknown`,
            });
          }
          return false;
        }
        this.deferred.push({ req, pageref });
        return true;
      },
    });
    let batch: ObservedRequest[] = [];
    const unpacker = new EntryUnpacker();
    const events =
      this.events ?? scanHarChunks(this.source, { ...this.opts, onlyUsedFields: this.opts.onlyUsedFields ?? true });
    for await (const evs of events) {
      for (const scanned of evs) {
        const ev =
          scanned.kind === 'entry-text' || scanned.kind === 'log-field-text' ? parseScanEvent(scanned) : scanned;
        if (ev === null) continue;
        if (ev.kind === 'error') {
          this.error = ev.error;
          break;
        }
        if (ev.kind === 'log-field') {
          this.onLogField(ev.key, ev.value);
          if (ev.key === 'pages' && this.deferred.length) for (const r of this.releaseDeferred()) batch.push(r);
          continue;
        }
        this.entries++;
        if (ev.kind === 'entry-error') {
          this.warn({ index: ev.index, code: 'entry-too-large', message: ev.message });
          continue;
        }
        const e =
          ev.kind === 'entry-packed'
            ? unpacker.decode(ev.text, this.warnings)
            : ev.kind === 'entry'
              ? normalizeEntry(ev.value, ev.index, this.warnings)
              : null;
        this.capWarnings();
        if (!e) continue;
        this.usable++;
        for (const r of folder.push(e)) batch.push(r);
      }
      if (batch.length) {
        yield batch;
        batch = [];
      }
      if (this.error) return;
    }
    this.pagesKnown = true;
    for (const r of folder.finish()) batch.push(r);
    for (const r of this.releaseDeferred()) batch.push(r);
    if (batch.length) yield batch;
    if (this.entries > 0 && this.usable === 0) {
      this.error = {
        code: 'no-usable-entries',
        message: `none of the ${this.entries} entries has a usable request (first problem: ${this.warnings[0]?.message ?? 'unknown'})`,
      };
    }
  }

  private *releaseDeferred(): Generator<ObservedRequest> {
    const list = this.deferred;
    this.deferred = [];
    for (const { req, pageref } of list) {
      if (req.initiator === null) {
        const url = this.pages.get(pageref);
        if (url && !req.documentUrl) req.documentUrl = url;
        const o = tupleOriginOf(url) ?? tupleOriginOf(this.opts.origin);
        if (o) req.initiator = o;
      }
      yield req;
    }
  }

  private onLogField(key: string, value: unknown): void {
    if (key === 'pages') {
      if (!readPages(value, this.pages))
        this.warn({ index: null, code: 'bad-pages', message: '"log.pages" is not a list; ignored' });
      this.pagesKnown = true;
    } else if (key === 'creator') {
      this.meta.creator = value;
      if (isProxyCreator(value)) this.meta.fromProxy = true;
    } else if (key === 'browser') this.meta.browser = value;
    else if (key === '_corsLens') this.meta.corsLens = value;
  }

  private warn(w: HarWarning): void {
    this.warnings.push(w);
    this.capWarnings();
  }

  private capWarnings(): void {
    const max = this.opts.maxWarnings ?? 1000;
    if (this.warnings.length > max) {
      this.droppedWarnings += this.warnings.length - max;
      this.warnings.length = max;
    }
  }
}

/** Streams a HAR and collects the result in `importHar`'s shape (for callers that want the whole list anyway). */
export async function importHarStream(
  source: AsyncIterable<Uint8Array | string>,
  opts: StreamImportOptions = {},
): Promise<HarImportResult> {
  const imp = new HarStreamImport(source, opts);
  const requests: ObservedRequest[] = [];
  try {
    for await (const r of imp.requests()) requests.push(r);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return {
      requests: [],
      warnings: imp.warnings,
      error: { code: 'io', message: `could not read the input: ${msg.split('\n')[0].slice(0, 160)}` },
    };
  }
  if (imp.error) return { requests: [], warnings: imp.warnings, error: imp.error, meta: imp.meta };
  return { requests, warnings: imp.warnings, meta: imp.meta };
}
