// The structural JSON scanner of the streaming HAR import (stream.ts): it walks the text chunk by chunk, tracks only
// the path it needs (`log.entries[i]`, `log.<other key>`) and hands each entry's raw text to the native JSON.parse,
// so memory holds one entry, whatever the file size.
//
// Why not stream-json (npm) or @streamparser/json: stream-json builds on Node streams (no use in the extension's
// import path) and emits one JS event per token, which is several times slower than cutting an entry's text out
// and JSON.parse-ing it natively; @streamparser/json is portable but also tokenises everything in JS. A HAR has
// one shape, so a scanner that only counts brackets outside strings (~200 lines) is the smaller dependency.
import { parseScanEvent, type HarScanEvent, type ScanOptions } from './scan-events';
import type { HarImportError } from './types';

/** A key as JSON.parse would read it (`"entr\u0069es"` is `entries`); raw text without escapes is already it. */
function decodeKey(raw: string): string {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`);
  } catch {
    return raw;
  }
}

// The entry fields normalizeEntry reads (entry.ts), by level; `onlyUsedFields` drops every other container value.
const USED_ENTRY_KEYS = new Set([
  'request',
  'response',
  '_fromCache',
  'serverIPAddress',
  '_error',
  '_blockedReason',
  '_resourceType',
  'startedDateTime',
  'time',
  '_initiator',
  '_corsLens',
  'pageref',
]);
const USED_REQUEST_KEYS = new Set(['url', 'method', 'headers']);
const USED_RESPONSE_KEYS = new Set([
  '_error',
  '_blockedReason',
  '_failureText',
  'status',
  'headers',
  'statusText',
  'redirectURL',
]);
const USED_INITIATOR_KEYS = new Set(['type', 'url']);

type Role = 'root' | 'log' | 'entries' | 'other';
interface Frame {
  obj: boolean;
  role: Role;
  key: string | null;
  expectKey: boolean;
}

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
// Characters a JSON number or true/false/null is made of.
const isLiteralChar = (c: number) =>
  (c >= 0x30 && c <= 0x39) ||
  c === 0x2d ||
  c === 0x2b ||
  c === 0x2e ||
  (c >= 0x61 && c <= 0x7a) ||
  (c >= 0x41 && c <= 0x5a);
// What a JSON number or true/false/null can start with.
const isLiteralStart = (c: number) => (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x74 || c === 0x66 || c === 0x6e;

/** The incremental scanner: feed it text, it returns the events completed by that text. */
export class HarScanner {
  private stack: Frame[] = [];
  private readonly framePool: Frame[] = [];
  /** Position of the next backslash in the current chunk at or after the scan position (-1: none left). */
  private bs = -1;
  private inString = false;
  private escape = false;
  private stringIsKey = false;
  private collectKey = false;
  private keyBuf = '';
  private inLiteral = false;
  private rootDone = false;
  private failed = false;
  private sawLog = false;
  private sawEntries = false;
  private entryIndex = 0;
  // Capture of the value being cut out (an entry, or a log-level field).
  private capturing = false;
  private captureKind: 'entry' | 'field' = 'entry';
  private captureKey = '';
  private captureDepth = 0;
  private captureIsString = false;
  private captureIsLiteral = false;
  private captureStart = 0;
  /** Inside a body string (`response.content.text`, `request.postData.text`) being left out of the capture. */
  private skipping = false;
  /** Stack depth at which a left-out container value (`onlyUsedFields`) started; -1: none. */
  private dropDepth = -1;
  private readonly onlyUsed: boolean;
  private readonly rawText: boolean;
  private captureParts: string[] = [];
  private captureSize = 0;
  private captureOverflow = false;
  private readonly maxEntry: number;
  private readonly maxField: number;
  private started = false;
  private consumed = 0;

  constructor(opts: ScanOptions = {}) {
    this.maxEntry = opts.maxEntryChars ?? 256 * 1024 * 1024;
    this.maxField = opts.maxFieldChars ?? 64 * 1024 * 1024;
    this.onlyUsed = opts.onlyUsedFields === true;
    this.rawText = opts.rawText === true;
  }

  get entriesSeen(): number {
    return this.entryIndex;
  }

  feed(s: string): HarScanEvent[] {
    const out: HarScanEvent[] = [];
    if (this.failed) return out;
    let i = 0;
    const n = s.length;
    // Position of the next backslash at or after i (-1: none left in this chunk); recomputed lazily.
    this.bs = s.indexOf('\\');
    if (!this.started) {
      if (s.charCodeAt(0) === 0xfeff) i = 1;
      if (i < n) this.started = true;
    }
    while (i < n) {
      if (
        this.capturing &&
        !this.inString &&
        !this.inLiteral &&
        this.captureKind === 'entry' &&
        !this.captureIsString &&
        !this.captureIsLiteral
      ) {
        const p = this.scanInEntry(s, i, out);
        if (p !== i) {
          i = p;
          continue;
        }
      }
      if (this.inString) {
        if (this.escape) {
          this.escape = false;
          if (this.collectKey) this.keyBuf += '\\' + s[i];
          i++;
          continue;
        }
        // indexOf is vectorised in V8: find the next quote, and the next backslash only when it comes first.
        const quote = s.indexOf('"', i);
        if (this.bs !== -1 && this.bs < i) this.bs = s.indexOf('\\', i);
        const escAt = this.bs !== -1 && (quote === -1 || this.bs < quote) ? this.bs : -1;
        const j = escAt !== -1 ? escAt : quote === -1 ? n : quote;
        if (this.collectKey && this.keyBuf.length < 64) this.keyBuf += s.slice(i, Math.min(j, i + 64));
        if (j === n) {
          i = n;
          break;
        }
        if (escAt !== -1) {
          this.escape = true;
          i = j + 1;
          continue;
        }
        i = j + 1;
        this.inString = false;
        if (this.stringIsKey) {
          const top = this.stack[this.stack.length - 1];
          top.key = this.collectKey ? decodeKey(this.keyBuf) : null;
          top.expectKey = false;
          this.collectKey = false;
        } else if (this.skipping) {
          this.skipping = false;
          this.captureStart = i;
        } else if (this.capturing && this.captureIsString && this.stack.length === this.captureDepth) {
          this.endCapture(s, i, out);
        }
        continue;
      }
      const c = s.charCodeAt(i);
      if (this.inLiteral) {
        if (isLiteralChar(c)) {
          i++;
          continue;
        }
        this.inLiteral = false;
        if (this.capturing && this.captureIsLiteral && this.stack.length === this.captureDepth)
          this.endCapture(s, i, out);
      }
      if (isWs(c)) {
        i++;
        continue;
      }
      if (this.rootDone)
        return this.fail(out, 'not-json', 'not valid JSON: unexpected text after the end of the document');
      switch (c) {
        case 0x7b: // {
        case 0x5b: {
          // [
          const obj = c === 0x7b;
          if (!this.valueStart(i, 'container', obj, out)) return out;
          if (this.onlyUsed && this.capturing && this.dropDepth < 0 && this.isUnusedField()) {
            // Scanned (for its end) but not kept: `null` stands in its place.
            this.pushCapture(s.slice(this.captureStart, i) + 'null');
            this.dropDepth = this.stack.length;
          }
          const parent = this.stack[this.stack.length - 1];
          let role: Role = 'other';
          if (!parent) role = 'root';
          else if (parent.role === 'root' && parent.key === 'log' && obj) role = 'log';
          else if (parent.role === 'log' && parent.key === 'entries' && !obj) role = 'entries';
          if (role === 'log') this.sawLog = true;
          if (role === 'entries') this.sawEntries = true;
          this.pushFrame(obj, role);
          i++;
          break;
        }
        case 0x7d: // }
        case 0x5d: {
          // ]
          const top = this.stack.pop();
          if (!top || top.obj !== (c === 0x7d))
            return this.fail(out, 'not-json', `not valid JSON: unexpected '${String.fromCharCode(c)}'`);
          i++;
          if (this.stack.length === this.dropDepth) {
            this.dropDepth = -1;
            this.captureStart = i;
          }
          if (
            this.capturing &&
            !this.captureIsString &&
            !this.captureIsLiteral &&
            this.stack.length === this.captureDepth
          )
            this.endCapture(s, i, out);
          if (this.stack.length === 0) this.rootDone = true;
          break;
        }
        case 0x22: {
          // "
          const top = this.stack[this.stack.length - 1];
          if (top && top.obj && top.expectKey) {
            this.stringIsKey = true;
            // Only the keys of the root and `log` objects matter.
            // Inside an entry, the keys down to `response.content.*` matter too (to leave bodies out).
            this.collectKey = this.capturing
              ? this.captureKind === 'entry' && this.dropDepth < 0 && this.stack.length <= this.captureDepth + 3
              : this.stack.length <= 2;
            this.keyBuf = '';
          } else {
            this.stringIsKey = false;
            if (!this.valueStart(i, 'string', false, out)) return out;
            if (this.capturing && this.isBodyText()) {
              // Bodies are most of a HAR's bytes and irrelevant to CORS: keep `""` in their place.
              this.pushCapture(s.slice(this.captureStart, i) + '""');
              this.skipping = true;
            }
          }
          this.inString = true;
          i++;
          break;
        }
        case 0x3a: // :
          i++;
          break;
        case 0x2c: {
          // ,
          const top = this.stack[this.stack.length - 1];
          if (!top) return this.fail(out, 'not-json', "not valid JSON: unexpected ','");
          if (top.obj) top.expectKey = true;
          i++;
          break;
        }
        default:
          if (isLiteralStart(c)) {
            if (!this.valueStart(i, 'literal', false, out)) return out;
            this.inLiteral = true;
            i++;
            break;
          }
          return this.fail(
            out,
            'not-json',
            c < 0x20 || c === 0xfffd
              ? 'not a HAR file (binary data)'
              : `not valid JSON: unexpected character '${String.fromCharCode(c)}'`,
          );
      }
    }
    this.consumed += n;
    if (this.capturing) {
      if (!this.skipping && this.dropDepth < 0) this.pushCapture(s.slice(this.captureStart));
      this.captureStart = 0;
    }
    return out;
  }

  /** Frames are reused by depth: an entry opens ~30 containers, a big HAR millions. */
  private pushFrame(obj: boolean, role: Role): void {
    const depth = this.stack.length;
    let f = this.framePool[depth];
    if (f) {
      f.obj = obj;
      f.role = role;
      f.key = null;
      f.expectKey = obj;
    } else {
      f = { obj, role, key: null, expectKey: obj };
      this.framePool[depth] = f;
    }
    this.stack.push(f);
  }

  /**
   * The hot loop: inside an entry (a container value of `log.entries`), from a position outside any string or
   * literal, walks keys, values and brackets with local state until the entry ends or the chunk does. It only
   * handles the plain cases; at anything else (a body text, a key with an escape, a string or literal running past
   * the chunk, a character that is not JSON) it returns the position of that token untouched and `feed`'s general
   * loop takes it from there, so errors and chunk boundaries are handled in one place. Returns the new position.
   */
  private scanInEntry(s: string, start: number, out: HarScanEvent[]): number {
    const n = s.length;
    const stack = this.stack;
    const d = this.captureDepth;
    let i = start;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        // "
        const top = stack[stack.length - 1];
        const isKey = top.obj && top.expectKey;
        if (!isKey && stack.length === d + 3 && this.isBodyText()) return i;
        // Find the closing quote, stepping over escapes. On giving up, `bs` goes back to what it was: feed's loop
        // relies on it being the first backslash at or after a position it has not passed.
        const bs0 = this.bs;
        let j = i + 1;
        let q: number;
        let escaped = false;
        for (;;) {
          q = s.indexOf('"', j);
          if (this.bs !== -1 && this.bs < j) this.bs = s.indexOf('\\', j);
          if (q === -1 || j >= n) {
            this.bs = bs0;
            return i;
          }
          if (this.bs === -1 || this.bs > q) break;
          escaped = true;
          j = this.bs + 2;
        }
        if (isKey) {
          if (this.dropDepth < 0 && stack.length <= d + 3) {
            if (escaped) {
              this.bs = bs0;
              return i;
            }
            top.key = s.slice(i + 1, Math.min(q, i + 65));
          } else {
            top.key = null;
          }
          top.expectKey = false;
        }
        i = q + 1;
        continue;
      }
      if (c === 0x2c) {
        // ,
        const top = stack[stack.length - 1];
        if (top.obj) top.expectKey = true;
        i++;
        continue;
      }
      if (c === 0x3a || isWs(c)) {
        // :
        i++;
        continue;
      }
      if (c === 0x7b || c === 0x5b) {
        // { [
        const obj = c === 0x7b;
        if (this.onlyUsed && this.dropDepth < 0 && stack.length <= d + 2 && this.isUnusedField()) {
          this.pushCapture(s.slice(this.captureStart, i) + 'null');
          this.dropDepth = stack.length;
        }
        this.pushFrame(obj, 'other');
        i++;
        continue;
      }
      if (c === 0x7d || c === 0x5d) {
        // } ]
        const top = stack[stack.length - 1];
        if (top.obj !== (c === 0x7d)) return i;
        stack.pop();
        i++;
        if (stack.length === this.dropDepth) {
          this.dropDepth = -1;
          this.captureStart = i;
        }
        if (stack.length === d) {
          this.endCapture(s, i, out);
          return i;
        }
        continue;
      }
      if (isLiteralStart(c)) {
        let j = i + 1;
        while (j < n && isLiteralChar(s.charCodeAt(j))) j++;
        if (j === n) return i;
        i = j;
        continue;
      }
      return i;
    }
    return i;
  }

  private pushCapture(part: string): void {
    if (this.captureOverflow) return;
    this.captureSize += part.length;
    const max = this.captureKind === 'entry' ? this.maxEntry : this.maxField;
    if (this.captureSize > max) {
      this.captureOverflow = true;
      this.captureParts = [];
    } else {
      this.captureParts.push(part);
    }
  }

  /** The string value starting now is `response.content.text` or `request.postData.text` of the entry. */
  private isBodyText(): boolean {
    const d = this.captureDepth;
    const st = this.stack;
    if (this.captureKind !== 'entry' || st.length !== d + 3 || this.dropDepth >= 0) return false;
    const side = st[d].key;
    const holder = st[d + 1].key;
    return (
      st[d + 2].key === 'text' &&
      ((side === 'response' && holder === 'content') || (side === 'request' && holder === 'postData'))
    );
  }

  /** `onlyUsedFields`: the container value starting now is one normalizeEntry never reads. */
  private isUnusedField(): boolean {
    const d = this.captureDepth;
    const st = this.stack;
    if (this.captureKind !== 'entry' || !st[d]?.obj) return false;
    if (st.length === d + 1) return !USED_ENTRY_KEYS.has(st[d].key ?? '');
    if (st.length !== d + 2 || !st[d + 1].obj) return false;
    const key = st[d + 1].key ?? '';
    switch (st[d].key) {
      case 'request':
        return !USED_REQUEST_KEYS.has(key);
      case 'response':
        return !USED_RESPONSE_KEYS.has(key);
      case '_initiator':
        return !USED_INITIATOR_KEYS.has(key);
      default:
        return false;
    }
  }

  /** End of input: reports a truncated document or one that is not a HAR. */
  end(): HarScanEvent[] {
    const out: HarScanEvent[] = [];
    if (this.failed) return out;
    if (this.inLiteral && this.capturing && this.captureIsLiteral && this.stack.length === this.captureDepth) {
      this.inLiteral = false;
      this.endCapture('', 0, out);
    }
    if (!this.started) return this.fail(out, 'truncated', 'the file is empty');
    if (this.inString || this.stack.length > 0 || !this.rootDone) {
      return this.fail(out, 'truncated', `the JSON ends early (truncated file?) after ${this.entryIndex} entries`);
    }
    if (!this.sawLog) return this.fail(out, 'not-har', 'not a HAR file: no "log" object');
    if (!this.sawEntries) return this.fail(out, 'not-har', 'not a HAR file: "log.entries" is missing or not a list');
    return out;
  }

  private fail(out: HarScanEvent[], code: HarImportError['code'], message: string): HarScanEvent[] {
    this.failed = true;
    out.push({ kind: 'error', error: { code, message } });
    return out;
  }

  /** A value starts at `i`: decides whether it is an entry or a log field to cut out. False when fatal. */
  private valueStart(i: number, kind: 'container' | 'string' | 'literal', obj: boolean, out: HarScanEvent[]): boolean {
    const depth = this.stack.length;
    if (depth === 0) {
      if (!(kind === 'container' && obj)) {
        this.fail(out, 'not-har', 'not a HAR file: the JSON is not an object');
        return false;
      }
      return true;
    }
    if (this.capturing) return true;
    const top = this.stack[depth - 1];
    if (top.role === 'root' && top.key === 'log' && !(kind === 'container' && obj)) {
      this.fail(out, 'not-har', 'not a HAR file: "log" is not an object');
      return false;
    }
    if (top.role === 'log') {
      if (top.key === 'entries') {
        if (!(kind === 'container' && !obj)) {
          this.fail(out, 'not-har', 'not a HAR file: "log.entries" is not a list');
          return false;
        }
        return true;
      }
      this.startCapture(i, 'field', top.key ?? '', kind);
      return true;
    }
    if (top.role === 'entries') this.startCapture(i, 'entry', '', kind);
    return true;
  }

  private startCapture(
    i: number,
    what: 'entry' | 'field',
    key: string,
    kind: 'container' | 'string' | 'literal',
  ): void {
    this.capturing = true;
    this.captureKind = what;
    this.captureKey = key;
    this.captureDepth = this.stack.length;
    this.captureIsString = kind === 'string';
    this.captureIsLiteral = kind === 'literal';
    this.captureStart = i;
    this.captureParts = [];
    this.captureSize = 0;
    this.captureOverflow = false;
    this.skipping = false;
    this.dropDepth = -1;
  }

  private endCapture(s: string, end: number, out: HarScanEvent[]): void {
    this.capturing = false;
    const overflow = this.captureOverflow;
    const text = overflow
      ? ''
      : this.captureParts.length
        ? this.captureParts.join('') + s.slice(this.captureStart, end)
        : s.slice(this.captureStart, end);
    this.captureParts = [];
    if (this.captureKind === 'entry') {
      const index = this.entryIndex++;
      if (overflow) {
        out.push({
          kind: 'entry-error',
          index,
          message: `entry ${index} is larger than ${this.maxEntry} characters; skipped`,
        });
        return;
      }
      const ev: HarScanEvent = { kind: 'entry-text', index, text };
      out.push(this.rawText ? ev : parseScanEvent(ev)!);
    } else if (!overflow) {
      const ev: HarScanEvent = { kind: 'log-field-text', key: this.captureKey, text };
      if (this.rawText) out.push(ev);
      else {
        const parsed = parseScanEvent(ev);
        if (parsed) out.push(parsed);
      }
    }
  }
}
