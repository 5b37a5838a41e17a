// Web worker of the panel's HAR tab: streams a dropped HAR file (hundreds of MB) through the streaming importer
// and the engine off the UI thread, posting diagnosed entries in batches and the progress in bytes.
import { HarStreamImport } from '../../src/har';
import { evaluate } from '../../src/engine';
import type { BrowserName } from '../../src/engine/types';
import type { WireEntry } from '../protocol/messages';

/** `origin`: the page origin to assume where the HAR does not say (the CLI's --origin). */
export type HarWorkerRequest = { file: File; browser: BrowserName; origin?: string };
export type HarWorkerMessage =
  | { type: 'progress'; read: number; total: number }
  | { type: 'entries'; entries: WireEntry[] }
  | { type: 'done'; requests: number; entries: number; warnings: string[]; warningCount: number; error: string | null };

const post = (m: HarWorkerMessage) => (self as unknown as Worker).postMessage(m);

async function* chunks(file: File): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  let read = 0;
  let lastPost = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    read += value.byteLength;
    const now = Date.now();
    if (now - lastPost > 100) {
      lastPost = now;
      post({ type: 'progress', read, total: file.size });
    }
    yield value;
  }
  post({ type: 'progress', read, total: file.size });
}

self.onmessage = async (e: MessageEvent<HarWorkerRequest>) => {
  const { file, browser, origin } = e.data;
  const imp = new HarStreamImport(chunks(file), { maxWarnings: 200, origin });
  let batch: WireEntry[] = [];
  let seq = 0;
  let last = Date.now();
  try {
    for await (const request of imp.requests()) {
      batch.push({ seq: seq++, request, verdict: evaluate(request, { browser }) });
      if (batch.length >= 1000 || Date.now() - last > 150) {
        post({ type: 'entries', entries: batch });
        batch = [];
        last = Date.now();
      }
    }
  } catch (err) {
    imp.error ??= {
      code: 'io',
      message: `could not read the file: ${String((err as Error)?.message ?? err)
        .split('\n')[0]
        .slice(0, 160)}`,
    };
  }
  if (batch.length) post({ type: 'entries', entries: batch });
  post({
    type: 'done',
    requests: seq,
    entries: imp.entries,
    warnings: imp.warnings.slice(0, 20).map((w) => (w.index === null ? w.message : `entry ${w.index}: ${w.message}`)),
    warningCount: imp.warnings.length + imp.droppedWarnings,
    error: imp.error ? imp.error.message : null,
  });
};
