// What the HAR scanner gives (scanner.ts) and how it is configured: one event per log-level field and per entry of
// `log.entries`, in file order, the error (if any) last.
import type { HarImportError } from './types';

export type HarScanEvent =
  | { kind: 'log-field'; key: string; value: unknown }
  | { kind: 'entry'; index: number; value: unknown }
  | { kind: 'entry-error'; index: number; message: string }
  | { kind: 'error'; error: HarImportError }
  // `rawText` mode: the value's text as cut out, for the consumer to JSON.parse (see `parseScanEvent`).
  | { kind: 'log-field-text'; key: string; text: string }
  | { kind: 'entry-text'; index: number; text: string }
  // An entry already normalised, as src/har/entry-packed.ts writes it (the CLI's scan thread, see `wireEvents`).
  | { kind: 'entry-packed'; index: number; text: string };

export interface ScanOptions {
  /** An entry longer than this (chars) is skipped with a warning rather than held in memory. */
  maxEntryChars?: number;
  /** Same for a log-level field such as `pages`. */
  maxFieldChars?: number;
  /**
   * Turns byte chunks into text (TextDecoder's interface, `stream: true` for all but the last call). Default: a
   * UTF-8 TextDecoder. The CLI passes a Node Buffer-based one, several times faster on ASCII (src/cli/utf8.ts).
   */
  decoder?: { decode(input?: Uint8Array, options?: { stream?: boolean }): string };
  /**
   * Leave out of each entry, besides the bodies, every field the importer never reads (normalizeEntry in entry.ts):
   * they become `null`. Cookies, query strings, timings and Chrome's `_initiator.stack` are a large part of a real
   * HAR's entry text, so JSON.parse has that much less to build. Off by default: `scanHar` then
   * gives every entry as written, bodies aside.
   */
  onlyUsedFields?: boolean;
  /**
   * Hand over each entry and log field as its text (`entry-text`, `log-field-text` events) instead of parsing it:
   * the CLI scans in a worker thread and parses in the main thread (src/cli/har-thread.ts), since a string crosses
   * threads as one flat copy where parsed objects would be serialised and rebuilt. `parseScanEvent` turns them into
   * the events this mode replaces.
   */
  rawText?: boolean;
}

/**
 * Parses the text of an `entry-text` / `log-field-text` event (`rawText` mode) into the event the scanner gives
 * without that mode; other events are returned as they are. Null for a log field that is not valid JSON: a broken
 * log-level field (`creator`, `comment`) is not worth failing the import for, it is dropped.
 */
export function parseScanEvent(ev: HarScanEvent): HarScanEvent | null {
  if (ev.kind === 'entry-text') {
    try {
      return { kind: 'entry', index: ev.index, value: JSON.parse(ev.text) };
    } catch (err) {
      return {
        kind: 'entry-error',
        index: ev.index,
        message: `entry ${ev.index} is not valid JSON (${err instanceof Error ? err.message.slice(0, 100) : 'parse error'}); skipped`,
      };
    }
  }
  if (ev.kind === 'log-field-text') {
    try {
      return { kind: 'log-field', key: ev.key, value: JSON.parse(ev.text) };
    } catch {
      return null;
    }
  }
  return ev;
}
