// The capture service survives restarts: a second instance over the same storage sees everything the first
// handled, events arriving during the restore are queued, in order, and nothing in flight is lost.
import { describe, expect, it } from 'vitest';
import { CaptureService, type KeyValueStorage } from '../../../src/capture/capture-service';
import { evaluate } from '../../../src/engine';
import { API, PAGE, chromiumPreflightedPut, ev, simpleGet } from './net-events';

function memoryStorage(
  opts: { delayMs?: number; quotaBytes?: number } = {},
): KeyValueStorage & { kv: Record<string, unknown>; writes: number; fails: number } {
  const kv: Record<string, unknown> = {};
  const st = {
    kv,
    writes: 0,
    fails: 0,
    async getAll() {
      await new Promise((r) => setTimeout(r, opts.delayMs ?? 0));
      return JSON.parse(JSON.stringify(kv));
    },
    async room() {
      return opts.quotaBytes ? opts.quotaBytes - JSON.stringify(kv).length : null;
    },
    async write(set: Record<string, unknown>, remove: string[]) {
      st.writes++;
      const next = { ...kv };
      for (const k of remove) delete next[k];
      Object.assign(next, JSON.parse(JSON.stringify(set)));
      if (opts.quotaBytes && JSON.stringify(next).length > opts.quotaBytes) {
        st.fails++;
        throw new Error('QUOTA_BYTES quota exceeded');
      }
      for (const k of Object.keys(kv)) delete kv[k];
      Object.assign(kv, next);
    },
  };
  return st;
}

const make = (storage: KeyValueStorage, extra: Partial<ConstructorParameters<typeof CaptureService>[0]> = {}) =>
  new CaptureService({
    browser: 'chromium',
    storage,
    evaluate: (r, b) => evaluate(r, { browser: b }),
    isQuotaError: (e) => /quota/i.test(String(e)),
    now: () => 0,
    ...extra,
  });

describe('capture service', () => {
  it('diagnoses finished requests with the engine and keeps them per tab', async () => {
    const s = make(memoryStorage());
    for (const e of simpleGet('1', `${API}/ok`, PAGE)) s.onEvent(e);
    for (const e of simpleGet('2', `${API}/no-acao`)) s.onEvent(e);
    await s.ready;
    await s.flushed();
    const [ok, bad] = s.store.entries(7);
    expect(ok.verdict.kind).toBe('allowed');
    expect(bad.verdict.kind).toBe('blocked');
    if (bad.verdict.kind === 'blocked') expect(bad.verdict.reason.corsError).toBe('MissingAllowOriginHeader');
  });

  it('a restarted worker restores every completed request and finishes the one in flight', async () => {
    const st = memoryStorage();
    const a = make(st);
    for (let i = 0; i < 30; i++) for (const e of simpleGet(`g${i}`, `${API}/g${i}`, PAGE)) a.onEvent(e);
    const put = chromiumPreflightedPut('p', 'pf', `${API}/put`, true);
    for (const e of put.slice(0, 4)) a.onEvent(e); // mid-request
    await a.ready;
    await a.flushed();
    // The worker dies here. A new one starts over the same storage; events arrive while it restores.
    const c = make({
      ...st,
      getAll: async () => {
        await new Promise((r) => setTimeout(r, 20));
        return JSON.parse(JSON.stringify(st.kv));
      },
    } as KeyValueStorage);
    for (const e of put.slice(4)) c.onEvent(e); // queued until the restore finished
    await c.ready;
    await c.flushed();
    const entries = c.store.entries(7);
    expect(entries).toHaveLength(31);
    const last = entries[entries.length - 1];
    expect(last.request.id).toBe('p');
    expect(last.request.exchanges.map((x) => x.kind)).toEqual(['preflight', 'main']);
    expect(c.restored).toMatchObject({ entries: 30, inflight: 2 });
  });

  it('storage quota errors evict the oldest entries with a note instead of crashing', async () => {
    const quota = { quotaBytes: 60_000 };
    const st = memoryStorage(quota);
    const s = make(st);
    await s.ready;
    // One request per write, as a page does over time.
    for (let i = 0; i < 300; i++) {
      for (const e of simpleGet(`q${i}`, `${API}/q${i}`, PAGE)) s.onEvent(e);
      await s.flushed();
      await s.flushed();
    }
    expect(s.errors).toEqual([]);
    // One note, kept up to date; the budget learnt what fits, so few writes failed, not one per request.
    expect(s.notes.filter((n) => /quota/.test(n))).toHaveLength(1);
    expect(s.notes[0]).toMatch(/quota reached (once|\d+ times): evicted \d+ oldest entries in all; budget now \d+ KiB/);
    expect(st.fails).toBeGreaterThan(0);
    expect(st.fails).toBeLessThan(10);
    expect(JSON.stringify(st.kv).length).toBeLessThanOrEqual(60_000);
    const m = s.store.meta(7);
    expect(m.droppedForQuota + s.store.entries(7).length).toBe(300);
    // The other writer leaves: the budget grows back to what fits, and the log with it.
    const lowered = s.store.byteBudget;
    quota.quotaBytes = 600_000;
    await s.checkBudget();
    expect(s.store.byteBudget).toBeGreaterThan(lowered * 5);
    for (let i = 0; i < 100; i++) {
      for (const e of simpleGet(`r${i}`, `${API}/r${i}`, PAGE)) s.onEvent(e);
      await s.flushed();
      await s.flushed();
    }
    expect(s.store.entries(7).length).toBeGreaterThan(100);
    expect(s.errors).toEqual([]);
  });

  it('counts blocked requests per tab for the badge', async () => {
    const s = make(memoryStorage());
    const counts: number[] = [];
    s.subscribe({ entriesAdded() {}, tabCleared() {}, blockedCount: (_t, n) => counts.push(n) });
    for (const e of chromiumPreflightedPut('b1', 'b1p', `${API}/x`, false)) s.onEvent(e);
    await s.ready;
    await new Promise((r) => setTimeout(r, 0));
    expect(s.blockedIn(7)).toBe(1);
    expect(counts.at(-1)).toBe(1);
  });

  it('page hints re-diagnose a credentialed request the network alone called allowed (Firefox completes it)', async () => {
    const s = make(memoryStorage(), { browser: 'firefox' });
    const updates: string[] = [];
    s.subscribe({
      entriesAdded() {},
      tabCleared() {},
      blockedCount() {},
      entriesUpdated: (_t, es) => updates.push(...es.map((e) => e.verdict.kind)),
    });
    const url = `${API}/cred?x`;
    // Firefox: ACAO echoes the origin, no ACAC, response completed 200, no cookie was sent.
    for (const e of simpleGet('h1', url, PAGE)) s.onEvent(e);
    await s.ready;
    expect(s.store.entries(7)[0].verdict.kind).toBe('allowed');
    s.onPageHints(7, [
      {
        api: 'fetch',
        url,
        method: 'GET',
        mode: 'cors',
        credentials: 'include',
        t: s.store.entries(7)[0].request.startedAt,
      },
    ]);
    const e = s.store.entries(7)[0];
    expect(e.request.hints).toEqual({ mode: 'cors', credentials: 'include', source: 'page-observer' });
    expect(e.verdict.kind).toBe('blocked');
    if (e.verdict.kind === 'blocked') expect(e.verdict.reason.firefoxReason).toBe('CORSMissingAllowCredentials');
    expect(updates).toEqual(['blocked']);
    expect(s.blockedIn(7)).toBe(1);
  });

  it('a hint that arrives first is used when the request finishes; malformed hints are ignored', async () => {
    const s = make(memoryStorage(), { browser: 'firefox' });
    await s.ready;
    const url = `${API}/cred2`;
    s.onPageHints(7, [
      { api: 'fetch', url, method: 'GET', mode: 'cors', credentials: 'include', t: 1_000 },
      { junk: true },
      null,
      'x',
    ]);
    for (const e of simpleGet('h2', url, PAGE)) s.onEvent(e);
    expect(s.store.entries(7)[0].request.hints?.credentials).toBe('include');
    expect(s.errors).toEqual([]);
  });

  it('a finished flight leaves a marker in the same write as its entry; markers go in batches; a restart never restores it twice', async () => {
    const st = memoryStorage();
    const removes: string[][] = [];
    const spy: KeyValueStorage = {
      getAll: st.getAll,
      write: async (set, remove) => {
        if (remove.length) removes.push(remove);
        return st.write(set, remove);
      },
    };
    const a = make(spy);
    await a.ready;
    // Same-origin traffic is never persisted in flight (it is never diagnosed).
    a.onEvent(ev('send-headers', 'same', `${PAGE}/app.js`, 'GET', { requestHeaders: [] }));
    await a.flushed();
    expect(Object.keys(st.kv).filter((k) => k.includes(':f:'))).toEqual([]);
    for (let i = 0; i < 100; i++) {
      for (const e of simpleGet(`t${i}`, `${API}/t${i}`, PAGE)) {
        a.onEvent(e);
        await Promise.resolve();
        await Promise.resolve();
      }
      await a.flushed();
    }
    const flightKeys = Object.keys(st.kv).filter((k) => k.includes(':f:'));
    // 100 finished: one batch of 64 markers removed, the rest still there as markers (never as flights).
    expect(removes.flat().filter((k) => k.includes(':f:'))).toHaveLength(64);
    expect(removes.filter((r) => r.some((k) => k.includes(':f:')))).toHaveLength(1);
    expect(flightKeys).toHaveLength(36);
    expect(flightKeys.every((k) => st.kv[k] === 0)).toBe(true);
    const b = make(st);
    await b.ready;
    expect(b.restored).toMatchObject({ entries: 100, inflight: 0 });
    expect(b.correlator.size).toBe(0);
    // The new worker removes the markers it found with its first write (a request that starts and ends within
    // one task is never written in flight at all).
    for (const e of simpleGet('after', `${API}/after`, PAGE)) b.onEvent(e);
    await b.flushed();
    expect(Object.keys(st.kv).filter((k) => k.includes(':f:'))).toEqual([]);
    expect(b.store.entries(7)).toHaveLength(101);
  });

  it('a late hint finds its request among many, and never one the log no longer holds', async () => {
    const s = make(memoryStorage(), {
      browser: 'firefox',
      limits: { maxEntriesPerTab: 50, maxBytesTotal: 1e9, chunkSize: 1 },
    });
    await s.ready;
    const url = (i: number) => `${API}/late${i}`;
    for (let i = 0; i < 120; i++) for (const e of simpleGet(`l${i}`, url(i), PAGE)) s.onEvent(e);
    const startedOf = (i: number) => s.store.entries(7).find((e) => e.request.url === url(i))?.request.startedAt;
    const t100 = startedOf(100)!;
    // Request 5 was evicted (cap 50): its hint matches nothing and is kept for a request still to come.
    s.onPageHints(7, [{ api: 'fetch', url: url(5), method: 'GET', mode: 'cors', credentials: 'include', t: t100 }]);
    expect(s.hintsMatched).toBe(0);
    s.onPageHints(7, [{ api: 'fetch', url: url(100), method: 'GET', mode: 'cors', credentials: 'include', t: t100 }]);
    expect(s.hintsMatched).toBe(1);
    const e = s.store.entries(7).find((x) => x.request.url === url(100))!;
    expect(e.request.hints?.credentials).toBe('include');
    // The same hint again finds nothing more (the entry is hinted now).
    s.onPageHints(7, [{ api: 'fetch', url: url(100), method: 'GET', mode: 'cors', credentials: 'include', t: t100 }]);
    expect(s.hintsMatched).toBe(1);
    expect(s.errors).toEqual([]);
  });
});
