// HeaderIndex's one-pass facts (slots of CORS headers, name classes) must say what a plain scan of the lines says:
// same combined values, counts and presence by slot as by name, for short lists (scanned) and long ones (Map).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  REQ_FORBIDDEN,
  REQ_METHOD_OVERRIDE,
  REQ_OTHER,
  REQ_UA_ADDED,
  RES_CANDIDATE,
  RES_FORBIDDEN,
  RES_SKIPPED,
  SLOT_OF,
} from '../../../src/engine/header-names';
import { HeaderIndex, trimOws } from '../../../src/engine/headers';
import type { Header } from '../../../src/engine/types';

const RUNS = Math.max(1, Number(process.env.FC_RUNS) || 500);
const TIMEOUT = Math.max(120_000, RUNS * 20);

/** ASCII lowercase, the way the engine folds header names. */
const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** The reference: every line read in order, no index. */
function scan(lines: Header[], name: string): { value: string | null; count: number } {
  const vals = lines.filter((h) => lower(h.name) === name).map((h) => trimOws(String(h.value)));
  return { value: vals.length ? vals.join(', ') : null, count: vals.length };
}

const slotNames = [...SLOT_OF.keys()];
const name = fc.oneof(
  fc.constantFrom(...slotNames),
  fc.constantFrom(...slotNames).map((n) => n.toUpperCase()),
  fc.constantFrom(
    'Access-Control-Allow-Origin',
    'Vary',
    'X-A',
    'Content-Type',
    'Set-Cookie',
    'Priority',
    'x-http-method-override',
    'Sec-Ch-Ua',
  ),
  fc.string({ maxLength: 8 }),
);
const line = fc.record({
  name,
  value: fc.oneof(fc.constantFrom('*', ' a ', '\tb', '', 'true'), fc.string({ maxLength: 6 })),
});
// Up to 40 lines: both sides of the 24-line limit above which the index also builds a Map.
const list = fc.array(line, { maxLength: 40 });

describe('HeaderIndex slots', () => {
  it(
    'value, hasSlot and countSlot agree with a scan by name (and with get/has/count)',
    () => {
      fc.assert(
        fc.property(list, (lines) => {
          const h = new HeaderIndex(lines);
          for (const [n, s] of SLOT_OF) {
            const want = scan(lines, n);
            expect(h.value(s), n).toBe(want.value);
            expect(h.get(n), n).toBe(want.value);
            expect(h.countSlot(s), n).toBe(want.count);
            expect(h.count(n), n).toBe(want.count);
            expect(h.hasSlot(s), n).toBe(want.count > 0);
            expect(h.has(n), n).toBe(want.count > 0);
          }
          expect(h.repeats).toBe(new Set(lines.map((l) => lower(l.name))).size !== lines.length);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it('skips lines without a string name, and keeps slot positions right after them', () => {
    const lines = [
      { name: 'Origin', value: 'http://a' },
      null,
      { name: 5 },
      { name: 'ACCESS-CONTROL-ALLOW-ORIGIN', value: ' * ' },
    ] as unknown as Header[];
    const h = new HeaderIndex(lines);
    expect(h.size).toBe(2);
    expect(h.get('access-control-allow-origin')).toBe('*');
    expect(h.get('origin')).toBe('http://a');
  });

  it('classifies names once: request side and response side', () => {
    const h = new HeaderIndex(
      [
        'Cookie',
        'Sec-Fetch-Mode',
        'Proxy-X',
        'X-HTTP-Method-Override',
        'Priority',
        'X-A',
        'Set-Cookie',
        'Content-Type',
        'Access-Control-Foo',
        'Server',
        'X-Request-Id',
      ].map((n) => ({ name: n, value: '1' })),
    );
    const req = Array.from({ length: h.size }, (_, i) => h.factsAt(i).req);
    const res = Array.from({ length: h.size }, (_, i) => h.factsAt(i).res);
    expect(req).toEqual([
      REQ_FORBIDDEN,
      REQ_FORBIDDEN,
      REQ_FORBIDDEN,
      REQ_METHOD_OVERRIDE,
      REQ_UA_ADDED,
      REQ_OTHER,
      REQ_FORBIDDEN,
      REQ_OTHER,
      REQ_OTHER,
      REQ_OTHER,
      REQ_OTHER,
    ]);
    expect(res).toEqual([
      RES_CANDIDATE,
      RES_CANDIDATE,
      RES_CANDIDATE,
      RES_CANDIDATE,
      RES_CANDIDATE,
      RES_CANDIDATE,
      RES_FORBIDDEN,
      RES_SKIPPED,
      RES_SKIPPED,
      RES_SKIPPED,
      RES_CANDIDATE,
    ]);
  });
});
