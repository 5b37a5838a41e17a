// The HAR `explain` reads: the path checked first, then whole-file or streamed by size (stdin always streamed),
// yielding requests in batches; the error and warnings are known once the batches are done.
import { open, readFile, stat } from 'node:fs/promises';
import type { ObservedRequest } from '../engine/types';
import { importHar, sniffNonJson } from '../har';
import { HarStreamImport } from '../har';
import type { HarImportError, HarWarning } from '../har';
import { scanInThread, scanThreadAvailable } from './har-thread';
import { readChunks } from './read-chunks';
import { NodeUtf8Decoder } from './utf8';

/** Above this size a HAR goes through the streaming importer so memory stays bounded (tested up to 1 GB). */
export const STREAM_THRESHOLD = 50 * 1024 * 1024;

/** Tests set CORS_LENS_STREAM_THRESHOLD to run small fixtures through the streaming path too. */
export function streamThreshold(): number {
  const n = Number(process.env.CORS_LENS_STREAM_THRESHOLD);
  return Number.isFinite(n) && n >= 0 && process.env.CORS_LENS_STREAM_THRESHOLD !== '' ? n : STREAM_THRESHOLD;
}

/** The first bytes of a file as latin1 text, for sniffing which browser wrote it. */
export async function headOf(file: string, bytes = 65536): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString('latin1');
  } finally {
    await fh.close();
  }
}

/** Checks the path before reading: missing, a directory, unreadable… each gets its own one-line message. */
export async function checkFile(file: string): Promise<{ size: number } | HarImportError> {
  try {
    const st = await stat(file);
    if (st.isDirectory()) return { code: 'io', message: `${file} is a directory, not a HAR file` };
    if (!st.isFile()) return { code: 'io', message: `${file} is not a regular file` };
    return { size: st.size };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') return { code: 'io', message: `${file}: no such file` };
    if (code === 'EACCES') return { code: 'io', message: `${file}: permission denied` };
    return { code: 'io', message: `cannot read ${file}: ${(err as Error).message}` };
  }
}

/** What reading the HAR found besides requests. */
interface ReadState {
  error?: HarImportError;
  warnings: HarWarning[];
  dropped: number;
  usedThread: boolean;
}

interface HarSource {
  file: string;
  origin: string | undefined;
  stdin?: AsyncIterable<Uint8Array | string>;
  /** Asked once a file is streamed: scan it in a worker thread? */
  twoThreads: () => boolean;
}

/**
 * A file big enough is scanned in a worker thread while this one parses, folds, evaluates and writes; stdin and the
 * tsx fallback (no worker bundle) stay on one thread. Either way the importer gets the same scan events.
 */
async function* streamedBatches(src: HarSource, state: ReadState): AsyncGenerator<ObservedRequest[]> {
  const { file, origin, stdin } = src;
  const threaded = !stdin && src.twoThreads() && scanThreadAvailable();
  const thread = { usedThread: false };
  const imp = threaded
    ? HarStreamImport.ofEvents(scanInThread(file, thread), { origin })
    : new HarStreamImport(stdin ?? readChunks(file), { origin, decoder: new NodeUtf8Decoder() });
  try {
    yield* imp.batches();
  } catch (err) {
    state.error = { code: 'io', message: `cannot read ${file}: ${(err as Error).message}` };
  }
  state.warnings = imp.warnings;
  state.dropped = imp.droppedWarnings;
  state.error ??= imp.error;
  state.usedThread = thread.usedThread;
}

async function* wholeFileBatches({ file, origin }: HarSource, state: ReadState): AsyncGenerator<ObservedRequest[]> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    state.error = { code: 'io', message: `cannot read ${file}: ${(err as Error).message}` };
    return;
  }
  const sniff = sniffNonJson(buf.subarray(0, 1024).toString('latin1'));
  if (sniff) {
    state.error = sniff;
    return;
  }
  const r = importHar(buf.toString('utf8'), { origin });
  state.warnings = r.warnings;
  state.error = r.error;
  yield r.requests;
}

/**
 * Yields the requests of the HAR in batches (one per chunk read when streaming: no await per request), whole-file or
 * streamed by size; `error()` is set afterwards on bad input.
 */
export function openHar(src: HarSource, size: number) {
  const state: ReadState = { warnings: [], dropped: 0, usedThread: false };
  async function* batches(): AsyncGenerator<ObservedRequest[]> {
    if (src.stdin || size > streamThreshold()) yield* streamedBatches(src, state);
    else yield* wholeFileBatches(src, state);
  }
  return {
    batches,
    error: () => state.error,
    warnings: () => state.warnings,
    dropped: () => state.dropped,
    usedThread: () => state.usedThread,
  };
}
