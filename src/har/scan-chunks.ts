// Chunks of a HAR file (bytes or text) to scan events: decoding, the non-JSON sniff of the first bytes, and the
// conversions of `rawText` events (parsed, or normalised to the packed form for the CLI's scan thread).
import { EntryPacker } from './entry-packed';
import { sniffNonJson } from './import';
import { parseScanEvent, type HarScanEvent, type ScanOptions } from './scan-events';
import { HarScanner } from './scanner';

/**
 * Turns `entry-text` events into `entry-packed` ones: each entry parsed and normalised where this runs (the CLI's scan
 * thread), its packed text decoded by the importer (src/har/entry-packed.ts). The importer must get every event this
 * gives, in order. A text that is not JSON gives parseScanEvent's `entry-error`; other events are returned as they are.
 */
export function wireEvents(): (ev: HarScanEvent) => HarScanEvent {
  const encoder = new EntryPacker();
  return (ev) => {
    if (ev.kind !== 'entry-text') return ev;
    const p = parseScanEvent(ev)!;
    return p.kind === 'entry' ? { kind: 'entry-packed', index: p.index, text: encoder.encode(p.value, p.index) } : p;
  };
}

/**
 * Turns chunks (bytes or text) into scan events, one array per chunk (one `await` per chunk rather than per entry:
 * an async-generator hop per entry is measurable on a big HAR). Never throws on bad input: reports it as an
 * `error` event, always the last.
 */
export async function* scanHarChunks(
  source: AsyncIterable<Uint8Array | string>,
  opts: ScanOptions = {},
): AsyncGenerator<HarScanEvent[]> {
  const scanner = new HarScanner(opts);
  const decoder = opts.decoder ?? new TextDecoder('utf-8');
  let first = true;
  for await (const chunk of source) {
    let text: string;
    if (typeof chunk === 'string') text = chunk;
    else {
      if (first && chunk.length >= 2) {
        // Magic bytes: gzip, and the UTF-16 byte-order marks (a HAR must be UTF-8, RFC 8259 §8.1).
        const sniff = sniffNonJson(String.fromCharCode(chunk[0], chunk[1]));
        if (sniff && (sniff.code === 'compressed' || sniff.message.includes('UTF-16'))) {
          yield [{ kind: 'error', error: sniff }];
          return;
        }
      }
      text = decoder.decode(chunk, { stream: true });
    }
    first = false;
    const evs = scanner.feed(text);
    if (evs.length) yield evs;
    if (evs.length && evs[evs.length - 1].kind === 'error') return;
  }
  const tail = decoder.decode();
  if (tail) {
    const evs = scanner.feed(tail);
    if (evs.length) yield evs;
    if (evs.length && evs[evs.length - 1].kind === 'error') return;
  }
  const evs = scanner.end();
  if (evs.length) yield evs;
}

/** Turns chunks (bytes or text) into scan events; never throws on bad input, reports it as an `error` event. */
export async function* scanHar(
  source: AsyncIterable<Uint8Array | string>,
  opts: ScanOptions = {},
): AsyncGenerator<HarScanEvent> {
  for await (const evs of scanHarChunks(source, opts)) yield* evs;
}
