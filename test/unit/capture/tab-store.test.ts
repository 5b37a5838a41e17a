// The per-tab store caps entries and bytes, counts exactly what it dropped, and round-trips through storage.
import { describe, expect, it } from 'vitest';
import { TabStore } from '../../../src/capture/tab-store';
import type { ObservedRequest, Verdict } from '../../../src/engine/types';
import { boundRequest } from '../../../src/capture/bounds';

const verdict = (kind: 'allowed' | 'blocked' = 'allowed'): Verdict =>
  kind === 'allowed'
    ? {
        kind,
        browser: 'chromium',
        mode: 'cors',
        credentials: 'same-origin',
        inferences: [],
        findings: [],
        preflight: 'not-needed',
        trace: [],
      }
    : {
        kind,
        browser: 'chromium',
        mode: 'cors',
        credentials: 'same-origin',
        inferences: [],
        findings: [],
        preflight: 'not-needed',
        trace: [],
        reason: {
          corsError: 'MissingAllowOriginHeader',
          failedParameter: '',
          firefoxReason: 'CORSMissingAllowOrigin',
          exchangeIndex: 0,
          stage: 'response',
        },
      };

let n = 0;
const req = (extra: Partial<ObservedRequest> = {}): ObservedRequest => ({
  id: String(n++),
  initiator: 'http://a',
  method: 'GET',
  url: `http://b/${n}`,
  startedAt: n,
  exchanges: [
    { kind: 'main', url: 'http://b/', method: 'GET', requestHeaders: [], response: { status: 200, headers: [] } },
  ],
  outcome: { kind: 'completed', status: 200 },
  ...extra,
});

/** Stands in for the engine: a verdict that follows from the request alone, as the real one does. */
const diagnose = (r: ObservedRequest): Verdict => verdict(Number(r.id) % 2 ? 'blocked' : 'allowed');

function storage(s: TabStore, kv: Record<string, unknown>) {
  const w = s.takeWrites();
  for (const k of w.remove) delete kv[k];
  Object.assign(kv, JSON.parse(JSON.stringify(w.set)));
}

describe('tab store', () => {
  it('caps entries per tab, evicting oldest first and counting every dropped entry', () => {
    const s = new TabStore({ maxEntriesPerTab: 100, maxBytesTotal: 1e9, chunkSize: 10 });
    for (let i = 0; i < 1234; i++) s.add(1, req(), verdict());
    expect(s.entries(1)).toHaveLength(100);
    expect(s.meta(1).dropped).toBe(1134);
    expect(s.entries(1)[0].seq).toBe(1134);
  });

  it('round-trips through storage writes, including evictions, without keeping evicted chunks', () => {
    const kv: Record<string, unknown> = {};
    const s = new TabStore({ maxEntriesPerTab: 25, maxBytesTotal: 1e9, chunkSize: 10 });
    for (let i = 0; i < 37; i++) {
      const r = req();
      s.add(3, r, diagnose(r));
      if (i % 5 === 0) storage(s, kv);
    }
    storage(s, kv);
    const restored = new TabStore({ maxEntriesPerTab: 25, maxBytesTotal: 1e9, chunkSize: 10 });
    restored.load(kv, diagnose);
    expect(restored.entries(3).map((e) => e.seq)).toEqual(s.entries(3).map((e) => e.seq));
    // Verdicts are not stored (a third of the JSON): load() diagnoses each request again.
    expect(JSON.stringify(kv)).not.toContain('"verdict"');
    expect(restored.entries(3).map((e) => e.verdict)).toEqual(s.entries(3).map((e) => e.verdict));
    expect(restored.entries(3).map((e) => e.request)).toEqual(s.entries(3).map((e) => e.request));
    expect(restored.meta(3).blocked).toBe(s.meta(3).blocked);
    expect(restored.bytes).toBe(s.bytes);
    expect(restored.meta(3).dropped).toBe(12);
    // Chunks 0 (seqs 0–9) is fully evicted and gone from storage.
    expect(
      Object.keys(kv)
        .filter((k) => k.includes(':c:3:'))
        .sort(),
    ).toEqual(['cl1:c:3:1', 'cl1:c:3:2', 'cl1:c:3:3']);
  });

  it('a global byte budget evicts the oldest tab entries first and counts them as dropped for quota', () => {
    const s = new TabStore({ maxEntriesPerTab: 1e6, maxBytesTotal: 20_000, chunkSize: 10 });
    for (let i = 0; i < 200; i++) s.add(i % 2 ? 1 : 2, req(), verdict());
    expect(s.bytes).toBeLessThanOrEqual(20_000);
    const dropped = s.meta(1).droppedForQuota + s.meta(2).droppedForQuota;
    expect(dropped + s.entries(1).length + s.entries(2).length).toBe(200);
    expect(dropped).toBeGreaterThan(0);
  });

  it('navigation clears the log unless preserve log is on; closing the tab frees it', () => {
    const kv: Record<string, unknown> = {};
    const s = new TabStore();
    s.add(5, req(), verdict());
    expect(s.navigated(5, 'http://a/next')).toBe(true);
    expect(s.entries(5)).toHaveLength(0);
    s.setPreserveLog(5, true);
    s.add(5, req(), verdict());
    expect(s.navigated(5, 'http://a/again')).toBe(false);
    expect(s.entries(5)).toHaveLength(1);
    storage(s, kv);
    s.remove(5);
    storage(s, kv);
    expect(Object.keys(kv)).toEqual([]);
  });

  it('bounds very long header values and huge header counts, keeping the original length', () => {
    const big = 'x'.repeat(1_000_000);
    const r = req({
      exchanges: [
        {
          kind: 'main',
          url: 'http://b/',
          method: 'GET',
          requestHeaders: [],
          response: {
            status: 200,
            headers: [
              { name: 'X-Big', value: big },
              ...Array.from({ length: 10_000 }, (_, i) => ({ name: `X-${i}`, value: 'v' })),
            ],
          },
        },
      ],
    });
    const b = boundRequest(r);
    const hs = b.exchanges[0].response!.headers;
    expect(hs.length).toBe(200);
    expect(hs[0].value.length).toBe(2048);
    expect(hs[0].originalLength).toBe(1_000_000);
    expect(b.exchanges[0].droppedHeaders).toEqual({ response: 9801 });
    expect(JSON.stringify(b).length).toBeLessThan(20_000);
  });

  it('evicting writes only the meta; evicted keys are removed in one batch; load ignores and re-queues leftovers', () => {
    const kv: Record<string, unknown> = {};
    const s = new TabStore({ maxEntriesPerTab: 10, maxBytesTotal: 1e9, chunkSize: 1, staleBatch: 5 });
    for (let i = 0; i < 10; i++) s.add(4, req(), verdict());
    storage(s, kv);
    s.add(4, req(), verdict()); // evicts seq 0
    const w = s.takeWrites();
    expect(Object.keys(w.set).sort()).toEqual(['cl1:c:4:10', 'cl1:m:4']);
    expect(w.remove).toEqual([]);
    Object.assign(kv, JSON.parse(JSON.stringify(w.set)));
    for (let i = 0; i < 3; i++) {
      s.add(4, req(), verdict());
      storage(s, kv);
    }
    // Seqs 0–3 evicted, still stored: a restart must not bring them back, and must remove them later.
    expect(Object.keys(kv).filter((k) => k.includes(':c:4:'))).toHaveLength(14);
    const restored = new TabStore({ maxEntriesPerTab: 10, maxBytesTotal: 1e9, chunkSize: 1, staleBatch: 5 });
    restored.load(kv, diagnose);
    expect(restored.entries(4).map((e) => e.seq)).toEqual(s.entries(4).map((e) => e.seq));
    s.add(4, req(), verdict()); // fifth eviction: the batch goes
    const w2 = s.takeWrites();
    expect(w2.remove.sort()).toEqual(['cl1:c:4:0', 'cl1:c:4:1', 'cl1:c:4:2', 'cl1:c:4:3', 'cl1:c:4:4']);
    restored.add(4, req(), verdict());
    expect(restored.takeWrites().remove.sort()).toEqual([
      'cl1:c:4:0',
      'cl1:c:4:1',
      'cl1:c:4:2',
      'cl1:c:4:3',
      'cl1:c:4:4',
    ]);
  });
});
