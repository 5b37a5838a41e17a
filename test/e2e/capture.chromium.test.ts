// Capture in real Chromium: every request of a realistic mix is in the worker's report (read through the
// documented getReport message) with the verdict and reason Chromium itself reported over CDP; the worker
// killed mid-scenario loses nothing; 50 tabs stay apart. (A tab making tens of thousands of requests:
// reliability-load.chromium.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import { launchChromium, poll, recordChromiumVerdicts, type ChromiumSession } from './harness/chromium';
import { mixCalls, runMixInPage } from './harness/mix';

interface Diagnosis {
  url: string;
  method: string;
  verdict: string;
  reason: string | null;
  failedParameter: string | null;
}
interface Report {
  diagnoses: Diagnosis[];
}
interface Status {
  errors: string[];
  tabs: { tabId: number; entries: number; dropped: number; droppedForQuota: number }[];
}

describe('capture in Chromium', () => {
  let page: TestServer, api: TestServer, api2: TestServer, s: ChromiumSession;
  beforeAll(async () => {
    page = await startPageServer();
    api = await startApiServer();
    api2 = await startApiServer('localhost');
    s = await launchChromium();
  });
  afterAll(async () => {
    await s?.close();
    await Promise.all([page?.close(), api?.close(), api2?.close()]);
  });

  it('reports every request of the mix with the verdict and reason Chromium gave', async () => {
    const tab = await s.ctx.newPage();
    const cdp = await recordChromiumVerdicts(s.ctx, tab);
    await tab.goto(`${page.origin}/`);
    const calls = mixCalls(page.origin, api.origin, api2.origin);
    await tab.evaluate(runMixInPage, calls);
    const tabId = await s.tabIdOf(`${page.origin}/`);
    const report = await poll(async () => {
      const r = await s.ask<Report>('getReport', { tabId });
      return r.diagnoses.length >= calls.length ? r : null;
    }, 'all requests in the report').catch(async (e) => {
      // Say which requests are missing and what the worker holds, so a failure can be diagnosed from the log.
      const r = await s.ask<Report>('getReport', { tabId });
      const st = await s.ask<{ inflight: number; events: number; errors: string[]; restoredFromStorage: unknown }>(
        'getStatus',
        {},
      );
      const missing = calls.filter((c) => !r.diagnoses.some((d) => d.url === c.url)).map((c) => c.name);
      throw new Error(`${e.message}: missing ${missing.join(', ')}; worker: ${JSON.stringify(st).slice(0, 400)}`);
    });
    await poll(
      async () => calls.every((c) => cdp.verdicts.some((v) => v.url === c.url)),
      'CDP verdicts for every request',
    ).catch((e) => {
      throw new Error(
        `${e.message}: missing ${calls
          .filter((c) => !cdp.verdicts.some((v) => v.url === c.url))
          .map((c) => c.name)
          .join(', ')}; have ${JSON.stringify(cdp.verdicts.map((v) => v.url.slice(-40)))}`,
      );
    });
    const disagreements: string[] = [];
    for (const c of calls) {
      const truth = cdp.verdicts.find((v) => v.url === c.url);
      const ours = report.diagnoses.find((d) => d.url === c.url);
      if (!truth || !ours) {
        disagreements.push(`${c.name}: missing (${truth ? '' : 'CDP '}${ours ? '' : 'report'})`);
        continue;
      }
      if (truth.corsError) {
        if (
          ours.verdict !== 'blocked' ||
          ours.reason !== truth.corsError ||
          (ours.failedParameter ?? '') !== (truth.failedParameter ?? '')
        ) {
          disagreements.push(
            `${c.name}: Chromium ${truth.corsError}(${truth.failedParameter}) vs CORS Lens ${ours.verdict} ${ours.reason}(${ours.failedParameter})`,
          );
        }
      } else if (ours.verdict === 'blocked' || ours.verdict === 'unknown') {
        disagreements.push(`${c.name}: Chromium let it through, CORS Lens says ${ours.verdict} ${ours.reason}`);
      }
    }
    expect(disagreements).toEqual([]);
    // The badge counts the blocked requests in this tab.
    const blocked = report.diagnoses.filter((d) => d.verdict === 'blocked').length;
    expect(blocked).toBe(cdp.verdicts.filter((v) => v.corsError).length);
    await cdp.stop();
    await tab.close();
  });

  it('loses nothing when the worker is killed repeatedly while requests are in flight, and keeps capturing', async () => {
    const tab = await s.ctx.newPage();
    await tab.goto(`${page.origin}/?kill`);
    const tabId = await s.tabIdOf(`${page.origin}/?kill`);
    const browserCdp = await s.ctx.newCDPSession(tab);
    // The recipe of Chrome's own sample (tutorial.terminate-sw): close the worker's target over CDP.
    const killWorker = async () => {
      const { targetInfos } = (await browserCdp.send('Target.getTargets')) as {
        targetInfos: { targetId: string; type: string; url: string }[];
      };
      const sw = targetInfos.find(
        (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${s.extensionId}/`),
      );
      if (sw) await browserCdp.send('Target.closeTarget', { targetId: sw.targetId });
      return !!sw;
    };
    const N = 3,
      PER = 30;
    let killed = 0;
    for (let round = 0; round < N; round++) {
      const before = api.log.length;
      // Every request is answered 400 ms late: the worker dies after the browser sent them all and
      // before any answer, so each request's end is reported to a new worker instance.
      const burst = tab.evaluate(
        async ([base, round, per]) => {
          await Promise.all(
            Array.from({ length: per }, (_, i) =>
              fetch(`${base}/k/${round}/${i}?acao=*&delay=400`)
                .then((r) => r.text())
                .catch(() => {}),
            ),
          );
        },
        [api.origin, round, PER] as const,
      );
      await poll(async () => api.log.length - before >= PER, 'the server to receive the burst');
      if (await killWorker()) killed++;
      await burst;
    }
    expect(killed).toBe(N);
    const report = await poll(
      async () => {
        const r = await s.ask<Report>('getReport', { tabId });
        return r.diagnoses.length >= N * PER ? r : null;
      },
      `${N * PER} requests after ${killed} worker kills`,
      30_000,
    );
    const urls = new Set(report.diagnoses.map((d) => d.url));
    const lost: string[] = [];
    for (let round = 0; round < N; round++)
      for (let i = 0; i < PER; i++) {
        const u = `${api.origin}/k/${round}/${i}?acao=*&delay=400`;
        if (!urls.has(u)) lost.push(u);
      }
    expect(lost).toEqual([]);
    expect(
      report.diagnoses.filter((d) => d.verdict !== 'allowed').map((d) => `${d.url} ${d.verdict} ${d.reason}`),
    ).toEqual([]);
    const status = await s.ask<Status & { restoredFromStorage: unknown }>('getStatus', {});
    expect(status.errors).toEqual([]);
    expect(status.restoredFromStorage).toBeTruthy();
    await tab.close();
  });

  it('an open panel reconnects to a restarted worker, says so, and keeps listing new requests', async () => {
    const tab = await s.ctx.newPage();
    await tab.goto(`${page.origin}/?panel-restart`);
    await tab.evaluate((u) => fetch(u).catch(() => {}), `${api.origin}/before-restart`);
    const tabId = await s.tabIdOf(`${page.origin}/?panel-restart`);
    const panel = await s.ctx.newPage();
    await panel.goto(`chrome-extension://${s.extensionId}/extension/panel/index.html?tabId=${tabId}`);
    await poll(async () => (await panel.$$('[role=option]')).length >= 1, 'the first row');
    const cdp = await s.ctx.newCDPSession(tab);
    const { targetInfos } = (await cdp.send('Target.getTargets')) as {
      targetInfos: { targetId: string; type: string; url: string }[];
    };
    const sw = targetInfos.find(
      (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${s.extensionId}/`),
    )!;
    await cdp.send('Target.closeTarget', { targetId: sw.targetId });
    await tab.evaluate((u) => fetch(u).catch(() => {}), `${api.origin}/after-restart`);
    await poll(
      async () => /reconnected to the worker/.test((await panel.textContent('.conn')) ?? ''),
      'the panel to say it reconnected',
    );
    await poll(
      async () => (await panel.textContent('[role=listbox]'))?.includes('/after-restart'),
      'the new request listed',
    );
    expect(await panel.textContent('[role=listbox]')).toContain('/before-restart');
    await panel.close();
    await tab.close();
  });

  it(
    'keeps 50 tabs apart with exact counts, and frees a tab closed mid-request without an error',
    { timeout: 300_000 },
    async () => {
      const TABS = 50,
        PER = 40;
      const tabs = await Promise.all(Array.from({ length: TABS }, () => s.ctx.newPage()));
      await Promise.all(tabs.map((t, i) => t.goto(`${page.origin}/?many=${i}`)));
      await Promise.all(
        tabs.map((t, i) =>
          t.evaluate(
            async ([base, i, per]) => {
              await Promise.all(
                Array.from({ length: per }, (_, j) =>
                  fetch(`${base}/t/${i}/${j}${j % 4 === 0 ? '' : '?acao=*'}`).catch(() => {}),
                ),
              );
            },
            [api.origin, i, PER] as const,
          ),
        ),
      );
      const ids = await Promise.all(tabs.map((_, i) => s.tabIdOf(`${page.origin}/?many=${i}`)));
      const st = await poll(
        async () => {
          const x = await s.ask<Status>('getStatus', {});
          return ids.every((id) => (x.tabs.find((t) => t.tabId === id)?.entries ?? 0) >= PER) ? x : null;
        },
        'every tab fully captured',
        120_000,
      ).catch(async (e) => {
        const x = await s.ask<Status>('getStatus', {});
        throw new Error(
          `${e.message}: ${JSON.stringify(ids.map((id) => x.tabs.find((t) => t.tabId === id)?.entries ?? null))} ${JSON.stringify(x).slice(0, 600)}`,
        );
      });
      for (const id of ids) {
        const t = st.tabs.find((x) => x.tabId === id)!;
        expect(t.entries).toBe(PER);
        expect((t as unknown as { blocked: number }).blocked).toBe(PER / 4);
      }
      // A tab closed while its requests are still in flight: freed, nothing thrown.
      const doomed = tabs[0];
      const doomedId = ids[0];
      void doomed.evaluate((base) => {
        for (let j = 0; j < 10; j++) fetch(`${base}/slow/${j}?acao=*&delay=3000`).catch(() => {});
      }, api.origin);
      await poll(async () => api.log.some((l) => l.url.startsWith('/slow/')), 'the slow requests to be sent');
      await doomed.close();
      const after = await poll(
        async () => {
          const x = await s.ask<Status>('getStatus', {});
          return x.tabs.some((t) => t.tabId === doomedId) ? null : x;
        },
        'the closed tab to be freed',
        30_000,
      );
      await new Promise((r) => setTimeout(r, 3500)); // the slow answers arrive for a tab that is gone
      const final = await s.ask<Status>('getStatus', {});
      expect(final.tabs.some((t) => t.tabId === doomedId)).toBe(false);
      expect(final.errors).toEqual([]);
      expect(after.errors).toEqual([]);
      await Promise.all(tabs.slice(1).map((t) => t.close()));
    },
  );
});
