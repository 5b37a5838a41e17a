// The CORS panel in Firefox ESR at the dock sizes users have (1400×400 bottom, 450×900 and 800×600 right), both
// themes: nothing overflows sideways, the selected blocked request's verdict, explanation and Copy-fix button are on
// screen, text is 12 px. The panel page is opened as a tab (panel/index.html?tabId=N): headless Firefox cannot be
// made to show a DevTools panel, and the page is the same one DevTools shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import { launchFirefox, navigateBiDi, type FirefoxSession } from './harness/firefox';
import { poll } from './harness/chromium';
import { layoutProblems, type LayoutReport } from './harness/layout';

const SHOTS = resolve(import.meta.dirname, 'screenshots');
const SIZES = [
  [1400, 400],
  [450, 900],
  [800, 600],
] as const;

describe('panel layout at dock sizes, Firefox', () => {
  let page: TestServer, api: TestServer, s: FirefoxSession, tabId: number;
  beforeAll(async () => {
    page = await startPageServer();
    api = await startApiServer();
    s = await launchFirefox();
    const tab = await s.browser.newPage();
    await tab.goto(page.origin + '/');
    const P = encodeURIComponent(page.origin);
    await tab.evaluate(
      async (b, a) => {
        await fetch(a).catch(() => {});
        await fetch(b, { method: 'PUT', headers: { 'X-Api-Key': 'k', 'Content-Type': 'application/json' } }).catch(
          () => {},
        );
      },
      `${api.origin}/v2/organisations/acme-widgets/projects/checkout-service/pets?include=owner,vet,appointments&page=1&pf_acao=${P}&pf_acam=PUT&pf_acah=content-type&acao=${P}`,
      `${api.origin}/ok?acao=${P}`,
    );
    tabId = await s.tabIdOf(page.origin + '/');
    await poll(
      async () => (await s.ask<{ total: number }>('getSummary', { tabId })).total >= 2,
      'both requests captured',
    );
  }, 180_000);
  afterAll(async () => {
    await s?.close();
    await page?.close();
    await api?.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`${theme}: no sideways overflow, why and Copy fix on screen, 12 px text at every dock size`, async () => {
      const panel: Page = await s.browser.newPage();
      await navigateBiDi(s.browser, panel, `${s.base}/extension/panel/index.html?tabId=${tabId}&theme=${theme}`);
      await poll(
        async () =>
          panel.evaluate(() => {
            const row = [...document.querySelectorAll<HTMLElement>('[role=option]')].find((r) =>
              r.textContent?.includes('/pets'),
            );
            row?.click();
            return !!document.querySelector('[data-testid=copy-fix]');
          }),
        'the blocked request selected',
      );
      for (const [w, h] of SIZES) {
        await panel.setViewport({ width: w, height: h });
        await poll(
          async () => panel.evaluate((ww) => Math.abs(document.documentElement.clientWidth - ww) < 30, w),
          `the page at ${w} px`,
        );
        const report: LayoutReport = await panel.evaluate(layoutProblems, [
          '.detail-head .badge',
          '[data-testid=explanation]',
          '[data-testid=copy-fix]',
        ]);
        expect(report.offscreen, `${w}×${h}: must be visible without scrolling`).toEqual([]);
        expect(report.overflowing, `${w}×${h}: overflowing sideways`).toEqual([]);
        expect(report.bodyFontPx).toBeGreaterThanOrEqual(12);
        expect(report.rowFontPx).toBeGreaterThanOrEqual(12);
        mkdirSync(SHOTS, { recursive: true });
        await panel.screenshot({ path: `${SHOTS}/firefox-panel-${w}x${h}-${theme}.png` });
      }
      // Firefox's Reason column is in words too, and the status is the one the server sent.
      const row = await panel.evaluate(
        () =>
          [...document.querySelectorAll('[role=option]')].find((r) => r.textContent?.includes('/pets'))?.textContent ??
          '',
      );
      expect(row).toContain('blocked');
      await panel.close();
    });
  }
});
