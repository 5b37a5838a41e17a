// The importer on the oracle's real browser recordings (test/oracle/recordings): every logical request the
// recording names is found, whole-file and streaming import agree, and without `_corsLens` hints the folding of
// preflights and redirects still yields the same exchanges.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importHar } from '../../../src/har/import';
import { importHarStream } from '../../../src/har/stream';
import { exportHar } from '../../../src/har/export';
import { evaluate } from '../../../src/engine/index';

const DIR = resolve(__dirname, '../../oracle/recordings');
const files = existsSync(DIR)
  ? ['chromium', 'firefox'].flatMap((b) =>
      existsSync(resolve(DIR, b))
        ? readdirSync(resolve(DIR, b))
            .filter((f) => f.endsWith('.har'))
            .map((f) => `${b}/${f}`)
        : [],
    )
  : [];

async function* chunked(s: string, size: number) {
  for (let i = 0; i < s.length; i += size) yield s.slice(i, i + size);
}

describe('oracle recordings', () => {
  it('are there to read (a checkout without them must not pass by reading nothing)', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('every expected request is found, with a preflight never listed on its own', () => {
    for (const f of files) {
      const r = importHar(readFileSync(resolve(DIR, f), 'utf8'));
      expect(r.error, f).toBeUndefined();
      const expected: { requestId: string; method: string }[] = (r.meta?.corsLens as any)?.expected ?? [];
      for (const e of expected) {
        const q = r.requests.find((x) => x.id === e.requestId);
        expect(q, `${f} ${e.requestId}`).toBeDefined();
        expect(q!.method.toUpperCase(), f).toBe(e.method.toUpperCase());
      }
      for (const q of r.requests) {
        if (q.exchanges.some((x) => x.kind === 'main')) expect(q.exchanges.at(-1)!.kind, f).toBe('main');
      }
    }
  });

  it('streaming import gives the same requests as whole-file import', async () => {
    for (const f of files) {
      const text = readFileSync(resolve(DIR, f), 'utf8');
      const a = importHar(text);
      const b = await importHarStream(chunked(text, 777));
      expect(b.requests, f).toEqual(a.requests);
    }
  });

  it('without _corsLens request ids, preflights and redirect hops fold into the same exchanges', () => {
    let compared = 0;
    for (const f of files) {
      const text = readFileSync(resolve(DIR, f), 'utf8');
      const withIds = importHar(text).requests;
      const har = JSON.parse(text);
      for (const e of har.log.entries) delete e._corsLens;
      const without = importHar(har).requests;
      const shape = (rs: typeof withIds) =>
        rs.map((q) => q.exchanges.map((x) => `${x.kind} ${x.method} ${x.url}`).join(' | ')).sort();
      expect(shape(without), f).toEqual(shape(withIds));
      compared++;
    }
    expect(compared).toBe(files.length);
  });

  it('in Chrome DevTools order (request row first, its preflight just after) the folding is the same', () => {
    let swapped = 0;
    for (const f of files) {
      const text = readFileSync(resolve(DIR, f), 'utf8');
      const shape = (rs: ReturnType<typeof importHar>['requests']) =>
        rs.map((q) => q.exchanges.map((x) => `${x.kind} ${x.method} ${x.url}`).join(' | ')).sort();
      const want = shape(importHar(text).requests);
      const har = JSON.parse(text);
      const es = har.log.entries;
      for (const e of es) delete e._corsLens;
      for (let i = 0; i + 1 < es.length; i++) {
        const [pf, main] = [es[i], es[i + 1]];
        if (
          pf.request.method === 'OPTIONS' &&
          main.request.method !== 'OPTIONS' &&
          pf.request.url === main.request.url
        ) {
          // Chrome starts the preflight a moment after the request it serves.
          pf.startedDateTime = new Date(Date.parse(main.startedDateTime) + 1).toISOString();
          pf._resourceType = 'preflight';
          pf._initiator = { type: 'preflight', url: main.request.url };
          [es[i], es[i + 1]] = [main, pf];
          swapped++;
          i++;
        }
      }
      expect(shape(importHar(har).requests), f).toEqual(want);
    }
    expect(swapped).toBeGreaterThan(0);
  });

  it('export then import gives every recorded request back', () => {
    for (const f of files) {
      const reqs = importHar(readFileSync(resolve(DIR, f), 'utf8')).requests;
      const browser = f.startsWith('firefox') ? 'firefox' : 'chromium';
      const har = exportHar(
        reqs.map((request) => ({ request, verdict: evaluate(request, { browser }) })),
        { redact: false },
      );
      const back = importHar(JSON.parse(JSON.stringify(har))).requests;
      // HAR cannot say "request headers unknown": null comes back as [].
      const norm = (rs: typeof reqs) =>
        rs.map((q) => ({
          ...q,
          exchanges: q.exchanges.map((x) => ({ ...x, requestHeaders: x.requestHeaders ?? [] })),
        }));
      expect(norm(back), f).toEqual(norm(reqs));
    }
  });
});
