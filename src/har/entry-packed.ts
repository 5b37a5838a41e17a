// A normalised HAR entry as compact JSON text, so the CLI's scan thread can normalise entries and hand them to the
// main thread (src/cli/har-thread-worker.ts): between threads only strings cross cheaply (one flat copy), and
// parsing this text and rebuilding the entry costs the main thread less than parsing the entry's own text and
// normalising it (docs/performance.md, HAR).
//
// Decoded, an entry is normalizeEntry's result with the same keys in the same order, `undefined` where that has it
// (test/unit/har/entry-packed.test.ts, over recorded browser HARs and generated hostile entries).
import type { Exchange, Header, ObservedResponse, RequestHints, ResourceType } from '../engine/types';
import { normalizeEntry, type NormalizedEntry } from './entry';
import type { HarWarning } from './types';

// Positions in the packed array. Optional values travel as null (JSON has no undefined) and absent keys stay absent.
// [index, warnings | 0, entry | 0]; entry: [kind, url, method, requestHeaders, response, redirectUrl, error,
// startedAt, endedAt, isPreflight, acrm, pageref, requestId, statedInitiator, originHeader, initiatorUrl,
// preflightFor, referer, resourceType, hints, statusAssumed]; hints: [source, mode, credentials, targetAddressSpace,
// secureContext]; headers flat as [name, value, name, value, …];
// response: [status, headers, statusText, fromCache, ip].

const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/**
 * Header names repeat across entries (a page's requests carry the same few dozen), so each crosses once: the first
 * time as its text, which both sides then number in the order seen, afterwards as that number. Both sides also stop
 * numbering at the same count, so a HAR with a million distinct names costs a bounded table. On the main thread
 * every line with one name then shares one string, which the engine's name caches (headers.ts) hash only once.
 */
export const MAX_NAMES = 4096;

/** Writes entries for one EntryUnpacker, which must read them all, in order. */
export class EntryPacker {
  private readonly names = new Map<string, number>();

  constructor(private readonly maxNames = MAX_NAMES) {}

  private flat(hs: Header[] | null): (string | number)[] | null {
    if (hs === null) return null;
    const out: (string | number)[] = [];
    for (const h of hs) {
      const id = this.names.get(h.name);
      if (id !== undefined) out.push(id);
      else {
        if (this.names.size < this.maxNames) this.names.set(h.name, this.names.size);
        out.push(h.name);
      }
      out.push(h.value);
    }
    return out;
  }

  /**
   * The packed text of one raw entry: normalizeEntry's result and the warnings it gave. The raw entry is JSON.parse
   * of the entry's text; a text that does not parse is the caller's to report.
   */
  encode(raw: unknown, index: number): string {
    const warnings: HarWarning[] = [];
    const e = normalizeEntry(raw, index, warnings);
    if (e === null) return JSON.stringify([index, warnings, 0]);
    const x = e.exchange;
    // Names are numbered in the order they cross: the request's headers, then the response's.
    const requestHeaders = this.flat(x.requestHeaders);
    const r = x.response;
    const response =
      r === null ? null : [r.status, this.flat(r.headers), opt(r.statusText), opt(r.fromCache), opt(r.ip)];
    const hints =
      e.hints === undefined
        ? null
        : [
            e.hints.source,
            opt(e.hints.mode),
            opt(e.hints.credentials),
            opt(e.hints.targetAddressSpace),
            opt(e.hints.secureContext),
          ];
    return JSON.stringify([
      index,
      warnings.length ? warnings : 0,
      [
        x.kind === 'preflight' ? 1 : 0,
        x.url,
        x.method,
        requestHeaders,
        response,
        opt(x.redirectUrl),
        opt(x.error),
        opt(x.startedAt),
        opt(x.endedAt),
        e.isPreflight ? 1 : 0,
        e.acrm,
        e.pageref,
        e.requestId,
        e.statedInitiator,
        e.originHeader,
        e.initiatorUrl,
        e.preflightFor,
        e.referer,
        opt(e.resourceType),
        hints,
        e.statusAssumed,
      ],
    ]);
  }
}

type Wire = [number, HarWarning[] | 0, 0 | WireEntry];
type WireHeaders = (string | number)[];
type WireResponse = [number, WireHeaders, string | null, true | null, string | null];
type WireHints = [
  RequestHints['source'],
  RequestHints['mode'] | null,
  RequestHints['credentials'] | null,
  string | null,
  boolean | null,
];
type WireEntry = [
  0 | 1,
  string,
  string,
  WireHeaders | null,
  WireResponse | null,
  string | null,
  string | null,
  number | null,
  number | null,
  0 | 1,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  ResourceType | null,
  WireHints | null,
  NormalizedEntry['statusAssumed'],
];

/** Reads what one EntryPacker wrote, in the order written. */
export class EntryUnpacker {
  private readonly names: string[] = [];

  constructor(private readonly maxNames = MAX_NAMES) {}

  private headers(flat: WireHeaders | null): Header[] | null {
    if (flat === null) return null;
    // push, not new Array(n): a preallocated array is "holey" to V8, and the engine reads these lists in its hot loop.
    const out: Header[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const n = flat[i];
      let name: string;
      if (typeof n === 'number') name = this.names[n];
      else {
        name = n;
        if (this.names.length < this.maxNames) this.names.push(n);
      }
      out.push({ name, value: flat[i + 1] as string });
    }
    return out;
  }

  /** The entry (null: none) and the warnings `encode` wrote; the warnings are pushed to `warnings`, as normalizeEntry does. */
  decode(text: string, warnings: HarWarning[]): NormalizedEntry | null {
    const [index, ws, w] = JSON.parse(text) as Wire;
    if (ws !== 0) for (const x of ws) warnings.push(x);
    if (w === 0) return null;
    // Names are numbered in the order they cross: the request's headers, then the response's, as `encode` wrote them.
    const requestHeaders = this.headers(w[3]);
    // Keys in normalizeEntry's order: objects of one shape keep one hidden class in the engine.
    let response: ObservedResponse | null = null;
    const wr = w[4];
    if (wr !== null) {
      response = { status: wr[0], headers: this.headers(wr[1])! };
      if (wr[2] !== null) response.statusText = wr[2];
      if (wr[3] !== null) response.fromCache = wr[3];
      if (wr[4] !== null) response.ip = wr[4];
    }
    const exchange: Exchange = {
      kind: w[0] === 1 ? 'preflight' : 'main',
      url: w[1],
      method: w[2],
      requestHeaders,
      response,
    };
    if (w[5] !== null) exchange.redirectUrl = w[5];
    if (w[6] !== null) exchange.error = w[6];
    if (w[7] !== null) exchange.startedAt = w[7];
    if (w[8] !== null) exchange.endedAt = w[8];
    let hints: RequestHints | undefined;
    const wh = w[19];
    if (wh !== null) {
      hints = { source: wh[0] };
      if (wh[1] !== null) hints.mode = wh[1];
      if (wh[2] !== null) hints.credentials = wh[2];
      if (wh[3] !== null) hints.targetAddressSpace = wh[3];
      if (wh[4] !== null) hints.secureContext = wh[4];
    }
    return {
      index,
      exchange,
      isPreflight: w[9] === 1,
      acrm: w[10],
      pageref: w[11],
      requestId: w[12],
      statedInitiator: w[13],
      originHeader: w[14],
      initiatorUrl: w[15],
      preflightFor: w[16],
      referer: w[17],
      resourceType: w[18] ?? undefined,
      hints,
      statusAssumed: w[20],
    };
  }
}
