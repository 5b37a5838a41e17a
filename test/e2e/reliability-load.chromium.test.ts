// One tab making tens of thousands of requests in real Chromium (LOAD_REQUESTS, default 30,000; run 100,000 by
// hand): every request is accounted for exactly (kept + dropped + droppedForQuota), storage stays in quota,
// the worker's JS heap stays bounded (read over CDP on the worker target), the page and the worker keep
// answering during the burst, and nothing throws in the worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import { launchChromium, poll, workerCdp, type ChromiumSession, type WorkerCdp } from './harness/chromium';

interface TabStatus {
  tabId: number;
  entries: number;
  dropped: number;
  droppedForQuota: number;
}
interface Status {
  errors: string[];
  tabs: TabStatus[];
  storageBytesInUse: number | null;
  storedBytes: number;
  events: number;
}

const TOTAL = Number(process.env.LOAD_REQUESTS ?? 30_000);
// Six API origins: Chromium opens at most 6 connections per host:port; the extension is what is loaded here, not one socket pool.
const ORIGINS = 6;
const BATCH = 400;
const MiB = 1024 * 1024;
/**
 * What the worker's heap retains (measured after a forced GC, every 10 s during the burst and at the end): a bound,
 * not a target. Measured: 25 MiB after, at most 40 MiB during 100,000 requests. A worker that kept its evicted
 * entries (2.2 KB of JSON each, more as objects) would pass it after ~15,000 requests. The raw peak between GCs is
 * printed, not asserted: it is garbage V8 has not collected yet, and depends on its heuristics.
 */
const HEAP_RETAINED_MAX = 64 * MiB;
/** How long the page and the worker may take to answer during the burst on a loaded 2-core machine. */
const PAGE_ANSWER_MAX_MS = 10_000;
const WORKER_ANSWER_MAX_MS = 30_000;

describe(`a tab making ${TOTAL} requests, in Chromium`, () => {
  let page: TestServer, apis: TestServer[], s: ChromiumSession, w: WorkerCdp;
  beforeAll(async () => {
    page = await startPageServer();
    apis = await Promise.all(Array.from({ length: ORIGINS }, () => startApiServer()));
    s = await launchChromium();
    w = await workerCdp(s);
  });
  afterAll(async () => {
    await w?.detach();
    await s?.close();
    await Promise.all([page?.close(), ...(apis ?? []).map((a) => a.close())]);
  });

  // Generous: Chromium with CORS Lens made ~280 requests/s in a CI run of the 20,000-request capture test, and
  // 100–146/s here with other benchmarks running (load average 9–16).
  it(
    'accounts for every request, stays in quota with a bounded heap, and keeps answering',
    { timeout: 120_000 + TOTAL * 20 },
    async () => {
      const tab = await s.ctx.newPage();
      await tab.goto(`${page.origin}/?load`);
      const tabId = await s.tabIdOf(`${page.origin}/?load`);
      await w.send('HeapProfiler.collectGarbage');
      const heapBefore = (await w.send<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;

      let heapPeak = heapBefore,
        retainedMax = 0,
        pageSlowest = 0,
        workerSlowest = 0,
        samples = 0,
        gcs = 0,
        done = false;
      const heapErrors: string[] = [];
      // Watchers run beside the burst: the heap every second (retained, after a GC, every tenth), and a round trip
      // to the page and to the worker.
      const watchHeap = (async () => {
        for (let i = 1; !done; i++) {
          try {
            if (i % 10 === 0) {
              await w.send('HeapProfiler.collectGarbage');
              retainedMax = Math.max(
                retainedMax,
                (await w.send<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize,
              );
              gcs++;
            } else {
              heapPeak = Math.max(heapPeak, (await w.send<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize);
              samples++;
            }
          } catch (e) {
            if (heapErrors.length < 5) heapErrors.push(String(e));
          }
          await new Promise((r) => setTimeout(r, 1000));
        }
      })();
      const watchAnswers = (async () => {
        while (!done) {
          const a = Date.now();
          await tab.evaluate(() => document.readyState);
          pageSlowest = Math.max(pageSlowest, Date.now() - a);
          const b = Date.now();
          await s.ask('getStatus', {});
          workerSlowest = Math.max(workerSlowest, Date.now() - b);
          await new Promise((r) => setTimeout(r, 1000));
        }
      })();

      const t0 = Date.now();
      const bases = apis.map((a) => a.origin);
      // Simple GETs in batches: each batch waits for the previous one, so the page never has more than BATCH in flight.
      const ok = await tab.evaluate(
        async ([bases, total, batch]) => {
          let n = 0;
          for (let i = 0; i < total; i += batch) {
            const rs = await Promise.all(
              Array.from({ length: Math.min(batch, total - i) }, (_, j) =>
                fetch(`${bases[(i + j) % bases.length]}/l/${i + j}?acao=*`)
                  .then((r) => r.arrayBuffer())
                  .then(
                    () => 1,
                    () => 0,
                  ),
              ),
            );
            for (const r of rs) n += r;
          }
          return n;
        },
        [bases, TOTAL, BATCH] as const,
      );
      const pageMs = Date.now() - t0;
      const st = await poll(
        async () => {
          const x = await s.ask<Status>('getStatus', {});
          const t = x.tabs.find((y) => y.tabId === tabId);
          return t && t.entries + t.dropped + t.droppedForQuota >= TOTAL ? { x, t } : null;
        },
        `the worker to account for ${TOTAL} requests`,
        300_000,
      ).finally(() => {
        done = true;
      });
      const allMs = Date.now() - t0;
      await Promise.all([watchHeap, watchAnswers]);
      await w.send('HeapProfiler.collectGarbage');
      const heapAfterGc = (await w.send<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;
      const mb = (n: number) => (n / MiB).toFixed(1);
      console.log(
        `load: ${TOTAL} requests in ${pageMs} ms (${Math.round(TOTAL / (pageMs / 1000))}/s), all accounted for after ${allMs} ms; ` +
          `kept ${st.t.entries}, dropped ${st.t.dropped} (entry cap) + ${st.t.droppedForQuota} (byte budget); storage ${st.x.storageBytesInUse} bytes; ` +
          `worker heap ${mb(heapBefore)} MiB before, raw peak ${mb(heapPeak)} MiB (${samples} samples), retained at most ${mb(retainedMax)} MiB (${gcs} GCs during the burst), ${mb(heapAfterGc)} MiB after; ` +
          `slowest answer during the burst: page ${pageSlowest} ms, worker ${workerSlowest} ms`,
      );

      // Every request really was made and answered (the server saw it, the page got it)...
      expect(ok).toBe(TOTAL);
      expect(apis.reduce((n, a) => n + a.log.filter((l) => l.url.startsWith('/l/')).length, 0)).toBe(TOTAL);
      // ...and the worker accounts for each one exactly: kept, or counted as dropped.
      expect(st.t.entries + st.t.dropped + st.t.droppedForQuota).toBe(TOTAL);
      expect(st.t.entries).toBeLessThanOrEqual(5000);
      expect(st.x.storedBytes).toBeLessThanOrEqual(8 * MiB);
      expect(st.x.storageBytesInUse).not.toBeNull();
      expect(st.x.storageBytesInUse!).toBeLessThan(10 * MiB);
      expect(st.x.errors).toEqual([]);
      expect(heapErrors).toEqual([]);
      expect(samples).toBeGreaterThan(0);
      expect(retainedMax).toBeLessThan(HEAP_RETAINED_MAX);
      expect(heapAfterGc).toBeLessThan(HEAP_RETAINED_MAX);
      expect(pageSlowest).toBeLessThan(PAGE_ANSWER_MAX_MS);
      expect(workerSlowest).toBeLessThan(WORKER_ANSWER_MAX_MS);
      // The kept entries are the newest requests (the oldest were evicted first).
      const log = await s.ask<{ meta: { firstSeq: number; nextSeq: number }; entries: { seq: number }[] }>(
        'getTabLog',
        { tabId },
      );
      expect(log.meta.nextSeq).toBe(TOTAL);
      expect(log.entries[0]?.seq).toBe(log.meta.firstSeq);
      expect(log.entries.at(-1)?.seq).toBe(TOTAL - 1);
      // The popup over the full tab counts the same entries (its time to data is printed, never asserted).
      const popup = await s.ctx.newPage();
      await popup.goto(`chrome-extension://${s.extensionId}/extension/popup/index.html?tabId=${tabId}`);
      const loaded = await poll(
        async () => popup.evaluate(() => document.documentElement.dataset.loadedMs ?? null),
        'the popup data',
      );
      const shown = ['allowed', 'hidden', 'blocked'].map(async (k) =>
        Number((await popup.textContent(`[data-testid=count-${k}] b`)) ?? 0),
      );
      expect((await Promise.all(shown)).reduce((a, b) => a + b, 0)).toBe(st.t.entries);
      console.log(`popup: ${st.t.entries} entries in the tab, data in hand ${loaded} ms after opening`);
      await popup.close();
      await tab.close();
    },
  );
});
