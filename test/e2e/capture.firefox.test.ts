// Capture in real Firefox ESR: every request of the realistic mix is in the worker's log with the verdict
// and reason Firefox itself logged ("(Reason: …)" console entries). Firefox reports response-side blocks as
// completed(200), so these verdicts come from the headers alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import { launchFirefox, collectFirefoxVerdicts, navigateBiDi, type FirefoxSession } from './harness/firefox';
import { poll } from './harness/chromium';
import { mixCalls, runMixInPage } from './harness/mix';
import type { TabSnapshot } from '../../extension/protocol/messages';

describe('capture in Firefox', () => {
  let page: TestServer, api: TestServer, api2: TestServer, s: FirefoxSession;
  beforeAll(async () => {
    page = await startPageServer();
    api = await startApiServer();
    api2 = await startApiServer('localhost');
    s = await launchFirefox();
  });
  afterAll(async () => {
    await s?.close();
    await Promise.all([page?.close(), api?.close(), api2?.close()]);
  });

  it('reports every request of the mix with the reason Firefox logged', async () => {
    const tab = await s.browser.newPage();
    const logged = collectFirefoxVerdicts(tab);
    await tab.goto(`${page.origin}/`);
    const calls = mixCalls(page.origin, api.origin, api2.origin);
    const seen = await tab.evaluate(runMixInPage, calls);
    const tabId = await s.tabIdOf(`${page.origin}/`);
    const log = await poll(async () => {
      const l = await s.ask<TabSnapshot>('getTabLog', { tabId });
      return calls.every((c) => l.entries.some((e) => e.request.url === c.url)) ? l : null;
    }, 'every request in the worker log');
    // Give Firefox's console a moment to deliver its last messages.
    await new Promise((r) => setTimeout(r, 500));
    const disagreements: string[] = [];
    for (const c of calls) {
      const e = log.entries.find((x) => x.request.url === c.url)!;
      const hopUrls = new Set(e.request.exchanges.map((x) => x.url));
      const truth = logged.find((v) => hopUrls.has(v.url) || v.url === c.url);
      const v = e.verdict;
      if (truth) {
        if (v.kind !== 'blocked' || v.reason.firefoxReason !== truth.key) {
          disagreements.push(
            `${c.name}: Firefox ${truth.key} (${truth.reason}) vs CORS Lens ${v.kind}${v.kind === 'blocked' ? ` ${v.reason.firefoxReason}` : ''}`,
          );
        }
      } else if (c.kind !== 'img' && /error/.test(seen[c.name] ?? '') && c.init?.mode !== 'no-cors') {
        // Firefox logged nothing we could parse, but the page's script saw the failure: that is the browser's
        // verdict, without a reason.
        if (v.kind !== 'blocked')
          disagreements.push(`${c.name}: the page saw ${seen[c.name]}, CORS Lens says ${v.kind}`);
      } else if (v.kind === 'blocked') {
        disagreements.push(
          `${c.name}: Firefox logged nothing and the page saw ${seen[c.name]}, CORS Lens says blocked ${v.reason.firefoxReason}`,
        );
      }
    }
    expect(disagreements).toEqual([]);
    expect(logged.length).toBeGreaterThan(5);
    const status = await s.ask<{ errors: string[] }>('getStatus', {});
    expect(status.errors).toEqual([]);
  });

  it("the panel page renders the tab's report in Firefox", async () => {
    const tabId = await s.tabIdOf(`${page.origin}/`);
    const panel = await s.browser.newPage();
    await navigateBiDi(s.browser, panel, `${s.base}/extension/panel/index.html?tabId=${tabId}`);
    const rows = await poll(async () => {
      const n = await panel.evaluate(() => document.querySelectorAll('[role=option]').length);
      return n >= 10 ? n : null;
    }, 'rows in the Firefox panel');
    expect(rows).toBeGreaterThanOrEqual(10);
    await panel.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[role=option]')]
        .find((r) => r.textContent?.includes('/m/missing'))
        ?.click(),
    );
    const text = await poll(
      async () => panel.evaluate(() => document.querySelector('[data-testid=explanation]')?.textContent ?? null),
      'the explanation',
    );
    expect(text).toMatch(/had no Access-Control-Allow-Origin header/);
    // The browsers' reason names are in the Details tab.
    await panel.evaluate(() => document.querySelector<HTMLElement>('[data-testid=detail-tab-details]')?.click());
    const fault = await poll(
      async () => panel.evaluate(() => document.querySelector('[data-testid=fault]')?.textContent ?? null),
      'the Details tab',
    );
    expect(fault).toContain('CORSMissingAllowOrigin');
  });
});

describe('capture in Firefox across event-page suspensions', () => {
  let page: TestServer, api: TestServer, s: FirefoxSession;
  beforeAll(async () => {
    page = await startPageServer();
    api = await startApiServer();
    // Suspend the idle event page after 1 s instead of 30 s, so a test can watch it die and come back.
    s = await launchFirefox({ prefs: { 'extensions.background.idle.timeout': 1000 } });
  });
  afterAll(async () => {
    await s?.close();
    await Promise.all([page?.close(), api?.close()]);
  });

  it('loses no request when the event page is suspended between and during bursts', async () => {
    const tab = await s.browser.newPage();
    await tab.goto(`${page.origin}/suspend`);
    const tabId = await s.tabIdOf(`${page.origin}/suspend`);
    const starts = new Set<number>();
    const ROUNDS = 3,
      PER = 20;
    for (let round = 0; round < ROUNDS; round++) {
      // Half the burst answers 1.5 s late: the page is idle-suspended while those are in flight.
      await tab.evaluate(
        async ([base, round, per]) => {
          await Promise.all(
            Array.from({ length: per }, (_, i) =>
              fetch(`${base}/s/${round}/${i}?acao=*${i % 2 ? '&delay=1500' : ''}`)
                .then((r) => r.text())
                .catch(() => {}),
            ),
          );
        },
        [api.origin, round, PER] as const,
      );
      const st = await s.ask<{ startedAt: number; errors: string[] }>('getStatus', {});
      starts.add(st.startedAt);
      expect(st.errors).toEqual([]);
      await new Promise((r) => setTimeout(r, 2500)); // idle: the event page is suspended
    }
    const log = await poll(
      async () => {
        const l = await s.ask<TabSnapshot>('getTabLog', { tabId });
        return l.entries.length >= ROUNDS * PER ? l : null;
      },
      `${ROUNDS * PER} requests after suspensions`,
      30_000,
    );
    const urls = new Set(log.entries.map((e) => e.request.url));
    const lost: string[] = [];
    for (let r = 0; r < ROUNDS; r++)
      for (let i = 0; i < PER; i++) {
        const u = `${api.origin}/s/${r}/${i}?acao=*${i % 2 ? '&delay=1500' : ''}`;
        if (!urls.has(u)) lost.push(u);
      }
    expect(lost).toEqual([]);
    // The worker really was suspended and started again (a new start time), or the test proves nothing.
    expect(starts.size).toBeGreaterThan(1);
    expect(
      log.entries.filter((e) => e.verdict.kind !== 'allowed').map((e) => `${e.request.url} ${e.verdict.kind}`),
    ).toEqual([]);
  });
});
