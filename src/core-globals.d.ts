// Globals the pure core may use. tsconfig.core.json compiles src/{engine,capture,har,report,suggest} without the DOM
// and Node type libraries, so that a browser API (document, chrome.*) or a Node API (fs, Buffer, process) there fails
// to compile. The names below are the exceptions: every runtime the core runs in (extension pages, the MV3 service
// worker, Firefox's event page, Node ≥ 20 for the CLI and tests) provides them with the same behaviour —
// URL and URLSearchParams (WHATWG URL Standard), TextDecoder (WHATWG Encoding Standard), queueMicrotask and
// setTimeout (HTML timers, also Node globals), performance.now (W3C High Resolution Time, also a Node global).
// Only the members the core calls are declared; add one here when the core needs it, never a runtime-specific API.
// The main tsconfig.json excludes this file: there the DOM and Node libraries declare the same names in full.

declare class URLSearchParams implements Iterable<[string, string]> {
  constructor(init?: string | Record<string, string> | Iterable<[string, string]>);
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string): boolean;
  toString(): string;
  [Symbol.iterator](): IterableIterator<[string, string]>;
  entries(): IterableIterator<[string, string]>;
}

declare class URL {
  constructor(url: string | URL, base?: string | URL);
  hash: string;
  host: string;
  hostname: string;
  href: string;
  readonly origin: string;
  password: string;
  pathname: string;
  port: string;
  protocol: string;
  search: string;
  readonly searchParams: URLSearchParams;
  username: string;
  toString(): string;
  toJSON(): string;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: string;
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

/** Opaque: a number in browsers, a Timeout object in Node (which the core may `unref` when present). */
type CoreTimerHandle = unknown;
declare function setTimeout(callback: () => void, ms?: number): CoreTimerHandle;
declare function queueMicrotask(callback: () => void): void;
declare const performance: { now(): number };
