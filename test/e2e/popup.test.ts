// The popup in real Chromium and Firefox: for a page with failures it shows the counts and failing origins that
// match the browser's own verdicts, the badge says the same, and its copy button copies the origin's config.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, startPageServer, type TestServer } from './harness/servers';
import { launchChromium, poll, recordChromiumVerdicts, type ChromiumSession } from './harness/chromium';
import { launchFirefox, navigateBiDi, type FirefoxSession } from './harness/firefox';
import { mixCalls, runMixInPage } from './harness/mix';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let page: TestServer, api: TestServer, api2: TestServer;
beforeAll(async () => {
  page = await startPageServer();
  api = await startApiServer();
  api2 = await startApiServer('localhost');
});
afterAll(async () => {
  await Promise.all([page?.close(), api?.close(), api2?.close()]);
});

describe('popup in Chromium', () => {
  let s: ChromiumSession;
  beforeAll(async () => {
    s = await launchChromium();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('shows counts and groups matching Chromium, a matching badge, and copies the fix', async () => {
    const tab = await s.ctx.newPage();
    const cdp = await recordChromiumVerdicts(s.ctx, tab);
    await tab.goto(`${page.origin}/popup`);
    const calls = mixCalls(page.origin, api.origin, api2.origin);
    await tab.evaluate(runMixInPage, calls);
    await poll(async () => calls.every((c) => cdp.verdicts.some((v) => v.url === c.url)), 'CDP verdicts');
    const blockedByChromium = calls.filter((c) => cdp.verdicts.find((v) => v.url === c.url)?.corsError).length;
    const tabId = await s.tabIdOf(`${page.origin}/popup`);
    await poll(
      async () => (await s.ask<{ total: number }>('getSummary', { tabId })).total >= calls.length,
      'all requests captured',
    );

    const popup = await s.ctx.newPage();
    await popup.setViewportSize({ width: 400, height: 600 });
    await popup.goto(`chrome-extension://${s.extensionId}/extension/popup/index.html?tabId=${tabId}`);
    const blocked = await poll(async () => popup.textContent('[data-testid=count-blocked] b'), 'the popup counts');
    expect(Number(blocked)).toBe(blockedByChromium);
    const loadedMs = Number(await popup.evaluate(() => document.documentElement.dataset.loadedMs));
    expect(loadedMs).toBeGreaterThanOrEqual(0);
    const groups = await popup.$$eval('[data-testid=group] h2', (hs) => hs.map((h) => h.textContent));
    const failingOrigins = new Set(
      calls.filter((c) => cdp.verdicts.find((v) => v.url === c.url)?.corsError).map((c) => new URL(c.url).origin),
    );
    for (const o of failingOrigins) expect(groups).toContain(o);
    // The badge and the popup count the same thing (the badge follows a burst at most every 200 ms).
    const badgeText = () =>
      popup.evaluate((id) => (globalThis as any).chrome.action.getBadgeText({ tabId: id }), tabId) as Promise<string>;
    await poll(
      async () => (await badgeText()) === String(blockedByChromium),
      `the badge to read ${blockedByChromium}`,
      10_000,
    ).catch(() => {});
    expect(await badgeText()).toBe(String(blockedByChromium));
    // Copy the first group's config and read it back.
    await popup.click('[data-testid=copy-fix]');
    await poll(
      async () => (await popup.textContent('[data-testid=copy-fix]'))?.includes('copied'),
      'copied confirmation',
    );
    // Read the system clipboard back from the test page (extension pages would need clipboardRead, which we do not ask for).
    await s.ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: page.origin });
    await tab.bringToFront();
    const clip = await tab.evaluate(() => navigator.clipboard.readText());
    expect(clip).toMatch(/Access-Control-Allow-Origin/i);
    await popup.screenshot({ path: `${import.meta.dirname}/screenshots/popup.png` });
    await cdp.stop();
  });

  it('at its real size with six failing origins: no overflow, fits the 600 px popup height, 12 px text, no serious axe finding, both themes', async () => {
    const extra = await Promise.all(Array.from({ length: 5 }, () => startApiServer()));
    try {
      const tab = await s.ctx.newPage();
      await tab.goto(`${page.origin}/many`);
      // No Access-Control-Allow-Origin anywhere: every fetch is blocked, one failing origin per server.
      await tab.evaluate(
        async (urls) => {
          await Promise.all(urls.map((u) => fetch(u).catch(() => {})));
        },
        [api.origin, ...extra.map((x) => x.origin)].flatMap((o) => [`${o}/a`, `${o}/b?h=1`]),
      );
      const tabId = await s.tabIdOf(`${page.origin}/many`);
      await poll(
        async () => (await s.ask<{ counts: { blocked: number } }>('getSummary', { tabId })).counts.blocked >= 12,
        'the twelve blocked requests',
      );
      const popup = await s.ctx.newPage();
      // Chromium sizes a popup to its content, at most 800×600: give it that room and measure what the content takes.
      await popup.setViewportSize({ width: 800, height: 600 });
      await popup.goto(`chrome-extension://${s.extensionId}/extension/popup/index.html?tabId=${tabId}`);
      await poll(async () => (await popup.$$('[data-testid=group]')).length === 6, 'six failing origins');
      await popup.evaluate(axeSource);
      for (const theme of ['light', 'dark'] as const) {
        await popup.emulateMedia({ colorScheme: theme });
        await poll(
          async () => popup.evaluate((t) => document.documentElement.dataset.theme === t, theme),
          `the popup in the ${theme} theme`,
        );
        const m = await popup.evaluate(() => {
          const root = document.querySelector<HTMLElement>('.popup')!;
          const r = root.getBoundingClientRect();
          const wide = [...root.querySelectorAll<HTMLElement>('*')]
            .filter((e) => e.getBoundingClientRect().right > r.right + 1)
            .map((e) => e.tagName + '.' + e.className);
          return {
            width: r.width,
            height: root.scrollHeight,
            wide,
            font: parseFloat(getComputedStyle(document.body).fontSize),
            li: parseFloat(getComputedStyle(root.querySelector('li')!).fontSize),
          };
        });
        expect(m.width).toBeLessThanOrEqual(400);
        expect(m.height).toBeLessThanOrEqual(600);
        expect(m.wide).toEqual([]);
        expect(m.font).toBeGreaterThanOrEqual(12);
        expect(m.li).toBeGreaterThanOrEqual(12);
        const violations = await popup.evaluate(async () => {
          const r = await (globalThis as any).axe.run(document, { resultTypes: ['violations'] });
          return r.violations
            .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
            .map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
        });
        expect(violations).toEqual([]);
        await popup.screenshot({
          path: `${import.meta.dirname}/screenshots/popup-${theme}.png`,
          clip: { x: 0, y: 0, width: Math.ceil(m.width), height: Math.min(600, Math.ceil(m.height)) },
        });
      }
    } finally {
      await Promise.all(extra.map((x) => x.close()));
    }
  });

  it('says to reload when nothing was captured', async () => {
    const tab = await s.ctx.newPage();
    await tab.goto(`${page.origin}/empty`);
    const tabId = await s.tabIdOf(`${page.origin}/empty`);
    const popup = await s.ctx.newPage();
    await popup.goto(`chrome-extension://${s.extensionId}/extension/popup/index.html?tabId=${tabId}`);
    const text = await poll(async () => popup.textContent('.empty-state'), 'the empty state');
    expect(text).toMatch(/Reload the page/);
  });
});

describe('popup in Firefox', () => {
  let s: FirefoxSession;
  beforeAll(async () => {
    s = await launchFirefox();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('shows the counts the worker computed for a page with failures', async () => {
    const tab = await s.browser.newPage();
    await tab.goto(`${page.origin}/popup-ff`);
    const calls = mixCalls(page.origin, api.origin, api2.origin);
    const seen = await tab.evaluate(runMixInPage, calls);
    const tabId = await s.tabIdOf(`${page.origin}/popup-ff`);
    const summary = await poll(async () => {
      const sum = await s.ask<{ total: number; counts: Record<string, number> }>('getSummary', { tabId });
      return sum.total >= calls.length ? sum : null;
    }, 'all requests captured');
    // Every fetch/XHR the page saw fail (other than no-cors) is counted blocked.
    const pageFailures = calls.filter((c) => c.kind !== 'img' && /error/.test(seen[c.name] ?? '')).length;
    expect(summary.counts.blocked).toBeGreaterThanOrEqual(pageFailures);
    const popup = await s.browser.newPage();
    await navigateBiDi(s.browser, popup, `${s.base}/extension/popup/index.html?tabId=${tabId}`);
    const shown = await poll(
      async () => popup.evaluate(() => document.querySelector('[data-testid=count-blocked] b')?.textContent ?? null),
      'the popup counts',
    );
    expect(Number(shown)).toBe(summary.counts.blocked);
  });
});
