// The real DevTools "CORS" panel at the dock sizes users have (docked right 450×900, 800×600, docked bottom
// 1400×400), in both DevTools themes: by geometry, the selected blocked request's verdict, explanation and Copy-fix
// button are on screen without scrolling, nothing overflows sideways, text is at least 12 px, a DevTools theme switch
// re-themes the open panel, and axe-core finds nothing serious. Screenshots for the README.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import {
  launchChromiumWithDevtools,
  devtoolsPageFor,
  openCorsPanel,
  setDevtoolsTheme,
  settled,
  type DevtoolsSession,
} from './harness/devtools';
import { poll } from './harness/chromium';
import { layoutProblems, type LayoutReport } from './harness/layout';

const SHOTS = resolve(import.meta.dirname, 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SIZES = [
  [1400, 400],
  [450, 900],
  [800, 600],
] as const;

describe('DevTools panel layout at dock sizes, Chromium', () => {
  let page: TestServer, api: TestServer, s: DevtoolsSession;
  let tab: Page, panel: Frame, devtools: Page;
  beforeAll(async () => {
    page = await startPageServer();
    api = await startApiServer();
    s = await launchChromiumWithDevtools();
    tab = await s.browser.newPage();
    await tab.goto(page.origin + '/');
    devtools = await devtoolsPageFor(s.browser, page.origin);
    panel = await openCorsPanel(devtools, s.extensionId);
    // Undocked, DevTools fills the viewport we set: the panel gets the room it has docked at that size.
    await devtools.evaluate(`(async () => {
      const UI = await import('./ui/legacy/legacy.js');
      UI.DockController.DockController.instance().setDockSide('undocked');
    })()`);
    const P = encodeURIComponent(page.origin);
    // A long URL, as real APIs have: the header clamps it.
    const blocked = `${api.origin}/v2/organisations/acme-widgets/projects/checkout-service/pets?include=owner,vet,appointments&page=1&per_page=50&pf_acao=${P}&pf_acam=PUT&pf_acah=content-type&acao=${P}`;
    await tab.evaluate(
      async (b, a, c) => {
        await fetch(a).catch(() => {});
        await fetch(b, { method: 'PUT', headers: { 'X-Api-Key': 'k', 'Content-Type': 'application/json' } }).catch(
          () => {},
        );
        await fetch(c).catch(() => {});
      },
      blocked,
      `${api.origin}/ok?acao=${P}`,
      `${api.origin}/boom?status=500`,
    );
    await poll(async () => panel.evaluate(() => document.querySelectorAll('[role=option]').length >= 3), 'three rows');
    await panel.evaluate(axeSource);
  }, 240_000);
  afterAll(async () => {
    await s?.close();
    await page?.close();
    await api?.close();
  });

  async function selectBlocked(): Promise<void> {
    await poll(
      async () =>
        panel.evaluate(() => {
          const row = [...document.querySelectorAll<HTMLElement>('[role=option]')].find((r) =>
            r.textContent?.includes('/pets'),
          );
          row?.click();
          return !!document.querySelector('[data-testid=copy-fix]');
        }),
      'the blocked request selected, with its Copy fix button',
    );
  }

  for (const theme of ['light', 'dark'] as const) {
    for (const [w, h] of SIZES) {
      it(`${w}×${h} ${theme}: verdict, why and Copy fix on screen, no sideways overflow, 12 px text, no serious axe finding`, async () => {
        await devtools.setViewport({ width: w, height: h });
        // The switch happens in DevTools while the panel is open: the panel must follow it by itself.
        await setDevtoolsTheme(devtools, theme);
        const themed = () => panel.evaluate((t) => document.documentElement.dataset.theme === t, theme);
        const took = await poll(themed, `the panel to take the ${theme} theme`, 5_000).catch(() => false);
        if (!took) {
          // Seen once in a full suite run: DevTools changed its theme and the panel's handler was not called. Switch
          // away and back (said in the log); the panel must then follow like any other switch.
          console.warn(`DevTools theme switch to ${theme} not seen by the panel in 5 s: switching again`);
          await setDevtoolsTheme(devtools, theme === 'dark' ? 'light' : 'dark');
          await setDevtoolsTheme(devtools, theme);
          await poll(themed, `the panel to take the ${theme} theme`);
        }
        await poll(
          async () => panel.evaluate((ww) => Math.abs(innerWidth - ww) < 40, w),
          'the panel to take the new width',
        );
        await selectBlocked();
        const report: LayoutReport = await panel.evaluate(layoutProblems, [
          '.detail-head .badge',
          '[data-testid=explanation]',
          '[data-testid=copy-fix]',
        ]);
        expect(report.offscreen, 'must be visible without scrolling').toEqual([]);
        expect(report.overflowing, 'elements overflowing sideways').toEqual([]);
        expect(report.bodyFontPx).toBeGreaterThanOrEqual(12);
        expect(report.rowFontPx).toBeGreaterThanOrEqual(12);
        // The page background really is the theme's (not only the attribute).
        const bg = await panel.evaluate(() => getComputedStyle(document.body).backgroundColor);
        expect(bg).toBe(theme === 'dark' ? 'rgb(32, 33, 36)' : 'rgb(255, 255, 255)');
        const violations = await panel.evaluate(async () => {
          const r = await (globalThis as any).axe.run(document, { resultTypes: ['violations'] });
          return r.violations
            .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
            .map(
              (v: any) =>
                `${v.id}: ${v.help} — ${v.nodes
                  .slice(0, 3)
                  .map((n: any) => n.failureSummary + ' @ ' + n.target.join(' '))
                  .join(' | ')}`,
            );
        });
        expect(violations).toEqual([]);
        mkdirSync(SHOTS, { recursive: true });
        await settled(devtools, panel);
        await devtools.screenshot({ path: `${SHOTS}/panel-${w}x${h}-${theme}.png` });
      });
    }
  }

  it('the HAR tab and the open Export choices fit docked right too', async () => {
    await devtools.setViewport({ width: 450, height: 900 });
    await poll(async () => panel.evaluate(() => Math.abs(innerWidth - 450) < 40), 'the panel at 450 px');
    await panel.evaluate(() => {
      (document.querySelector('[data-testid=export-menu]') as HTMLDetailsElement).open = true;
    });
    const live: LayoutReport = await panel.evaluate(layoutProblems, []);
    expect(live.overflowing).toEqual([]);
    await panel.evaluate(() => {
      (document.querySelector('[data-testid=export-menu]') as HTMLDetailsElement).open = false;
    });
    await panel.click('[data-testid=har-tab]');
    await poll(async () => panel.evaluate(() => !!document.querySelector('[data-testid=har-input]')), 'the HAR tab');
    const har: LayoutReport = await panel.evaluate(layoutProblems, []);
    expect(har.overflowing).toEqual([]);
    await panel.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[role=tab]')].find((t) => t.textContent === 'Live')!.click(),
    );
  });

  it('dragging a column header edge resizes the column, and the rows follow', async () => {
    await devtools.setViewport({ width: 1400, height: 400 });
    await poll(async () => panel.evaluate(() => Math.abs(innerWidth - 1400) < 40), 'the panel at 1400 px');
    // Full-width list (no selection): Esc on the list closes the details.
    await panel.focus('[role=listbox]');
    await panel.evaluate(() =>
      document
        .querySelector<HTMLElement>('[role=listbox]')!
        .dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })),
    );
    await poll(async () => panel.evaluate(() => !document.querySelector('.has-selection')), 'the details closed');
    const widths = () =>
      panel.evaluate(() => {
        const w = (sel: string) => document.querySelector(sel)!.getBoundingClientRect().width;
        const rows = [...document.querySelectorAll<HTMLElement>('[role=option] .c-url')].map((c) =>
          Math.round(c.getBoundingClientRect().width),
        );
        return { head: Math.round(w('.list-head .c-url')), rows, reason: Math.round(w('.list-head .c-reason')) };
      });
    const before = await widths();
    expect(before.rows.every((r) => r === before.head)).toBe(true);
    // A real mouse drag in the DevTools window (boundingBox is already in its coordinates, the panel's frame offset included).
    const edge = (await (await panel.$('[data-testid=resize-url]'))!.boundingBox())!;
    const x = edge.x + edge.width / 2,
      y = edge.y + edge.height / 2;
    await devtools.mouse.move(x, y);
    await devtools.mouse.down();
    await devtools.mouse.move(x - 120, y, { steps: 6 });
    await devtools.mouse.up();
    const after = await widths();
    expect(Math.abs(after.head - (before.head - 120))).toBeLessThanOrEqual(2);
    expect(after.rows.length).toBeGreaterThan(0);
    expect(
      after.rows.every((r) => r === after.head),
      "every row's URL cell as wide as its header",
    ).toBe(true);
    expect(after.reason).toBeGreaterThan(before.reason); // the flexible Reason column takes the room
    expect(await panel.evaluate(() => !document.querySelector('.has-selection')), 'the drag selects no row').toBe(true);
    const layout: LayoutReport = await panel.evaluate(layoutProblems, []);
    expect(layout.overflowing).toEqual([]);
  });

  it('selecting another request shows it from the top', async () => {
    await devtools.setViewport({ width: 450, height: 900 });
    await selectBlocked();
    await panel.evaluate(() => {
      const d = document.querySelector('.detail')!;
      d.scrollTop = d.scrollHeight;
    });
    expect(await panel.evaluate(() => document.querySelector('.detail')!.scrollTop)).toBeGreaterThan(0);
    await panel.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[role=option]')]
        .find((r) => r.textContent?.includes('/boom'))!
        .click(),
    );
    await poll(
      async () => panel.evaluate(() => document.querySelector('.detail .url')?.textContent?.includes('/boom')),
      'the other request',
    );
    expect(await panel.evaluate(() => document.querySelector('.detail')!.scrollTop)).toBe(0);
  });
});
