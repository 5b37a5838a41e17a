// What `cors-lens explain` writes, held back until the whole input has been read.
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes text, waiting for the pipe to drain so a million rows do not pile up in memory. */
export function write(out: NodeJS.WritableStream, text: string | Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    if (out.write(text)) resolve();
    else out.once('drain', resolve);
  });
}

/**
 * Output held back until the whole input has been read (a HAR truncated at 900 MB must end in one error line, not
 * half a report). Kept in memory up to a budget, then spilled to a temporary file, so memory stays bounded.
 */
export class HeldOutput {
  // Each string pushed is UTF-8-encoded at once into the current ~64 KB Buffer (Buffer#write): tens of thousands of
  // small strings would be as many objects for the GC to move (held to the end, they all get promoted) and as many
  // write() calls; as Buffers they live outside the JS heap, one byte per ASCII character, already in the form
  // written. Rows are encoded into the Buffer directly rather than appended to a 64 KB string encoded later:
  // appending builds a rope V8 must then walk and copy, and a piece holding one non-Latin-1 character is copied as
  // two-byte.
  private parts: Buffer[] = [];
  private buf: Buffer | null = null;
  private used = 0;
  /** Bytes held, in `parts` and `buf`. */
  private size = 0;
  private dir: string | null = null;
  private file: WriteStream | null = null;

  private readonly piece: number;

  /** `spillRoot`: where the spill directory is created (the system's temporary directory unless a test isolates it). */
  constructor(
    private readonly budget = 64 * 1024 * 1024,
    private readonly spillRoot = tmpdir(),
  ) {
    this.piece = Math.min(65536, Math.max(1, budget));
  }

  /** Holds `s`; returns a promise (to await) only when it has to write to the spill file. */
  push(s: string): Promise<void> | undefined {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8 (a surrogate pair, two units, takes 4).
    const room = s.length * 3;
    let done: Promise<void> | undefined;
    if (this.buf === null || this.used + room > this.buf.length) {
      done = this.seal();
      this.buf = Buffer.allocUnsafe(Math.max(this.piece, room));
      this.used = 0;
    }
    const n = this.buf.write(s, this.used, 'utf8');
    this.used += n;
    this.size += n;
    return done;
  }

  /** Moves the current Buffer, as far as it is filled, to the parts or the spill file. */
  private seal(): Promise<void> | undefined {
    const b = this.buf;
    this.buf = null;
    if (b === null || this.used === 0) return undefined;
    const piece = b.subarray(0, this.used);
    this.used = 0;
    if (this.file) return write(this.file, piece);
    this.parts.push(piece);
    if (this.size > this.budget) return this.spill();
    return undefined;
  }

  private async spill(): Promise<void> {
    this.dir = await mkdtemp(join(this.spillRoot, 'cors-lens-out-'));
    this.file = createWriteStream(join(this.dir, 'out'));
    const parts = this.parts;
    this.parts = [];
    for (const p of parts) await write(this.file, p);
  }

  /** Writes everything held to `out`, in order. */
  async flushTo(out: NodeJS.WritableStream): Promise<void> {
    const last = this.seal();
    if (last) await last;
    if (this.file && this.dir) {
      const f = this.file;
      await new Promise<void>((res) => f.end(res));
      // As bytes: the file is already UTF-8, and decoding it to encode it again is wasted work. A character cut by a
      // chunk edge is fine: `out` is a byte stream.
      for await (const chunk of createReadStream(join(this.dir, 'out'), { highWaterMark: 1 << 20 })) {
        await write(out, chunk as Buffer);
      }
    } else {
      for (const p of this.parts) await write(out, p);
    }
    this.parts = [];
  }

  async discard(): Promise<void> {
    this.parts = [];
    this.buf = null;
    this.used = 0;
    const { file, dir } = this;
    this.file = null;
    this.dir = null;
    if (file) await new Promise<void>((res) => file.end(res));
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
