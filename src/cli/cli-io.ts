// Where a command reads and writes: the process's streams, or a test's.
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Read for `explain -`. */
  stdin?: AsyncIterable<Uint8Array | string>;
  isTTY?: boolean;
  columns?: number;
}
