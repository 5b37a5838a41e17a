// The real DevTools "CORS" panel in Chromium: it opens next to Network, lists the page's requests live,
// explains a blocked one with the offending header highlighted, copies the fix to the clipboard, passes an
// axe-core scan, and is screenshotted in light and dark for the README.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Browser, Frame, Page, Target } from 'puppeteer-core';
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

const SHOTS = resolve(import.meta.dirname, 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Every network request made by any of the extension's own targets (worker, devtools page, panel, popup). */
function watchExtensionNetwork(browser: Browser, extensionId: string): string[] {
  const urls: string[] = [];
  const seen = new Set<Target>();
  const attach = async (t: Target) => {
    if (seen.has(t) || !t.url().startsWith(`chrome-extension://${extensionId}/`)) return;
    seen.add(t);
    try {
      const c = await t.createCDPSession();
      c.on('Network.requestWillBeSent', (e: { request: { url: string } }) => urls.push(e.request.url));
      await c.send('Network.enable');
    } catch {
      /* target gone */
    }
  };
  for (const t of browser.targets()) void attach(t);
  browser.on('targetcreated', (t: Target) => void attach(t));
  browser.on('targetchanged', (t: Target) => void attach(t));
  return urls;
}

async function clickRow(panel: Frame, text: string): Promise<void> {
  await poll(
    async () =>
      panel.evaluate((t) => {
        const row = [...document.querySelectorAll<HTMLElement>('[role=option]')].find((r) =>
          r.textContent?.includes(t),
        );
        row?.click();
        return !!row;
      }, text),
    `a row containing ${text}`,
  );
}

describe('DevTools panel in Chromium', () => {
  let page: TestServer, api: TestServer, s: DevtoolsSession;
  let tab: Page, panel: Frame, devtools: Page;
  let extensionTraffic: string[] = [];
  beforeAll(async () => {
    page = await startPageServer();
    api = await startApiServer();
    s = await launchChromiumWithDevtools();
    extensionTraffic = watchExtensionNetwork(s.browser, s.extensionId);
    tab = await s.browser.newPage();
    await tab.goto(page.origin + '/');
    devtools = await devtoolsPageFor(s.browser, page.origin);
    panel = await openCorsPanel(devtools, s.extensionId);
  });
  afterAll(async () => {
    await s?.close();
    await page?.close();
    await api?.close();
  });

  it('says what to do before anything is captured', async () => {
    const text = await poll(
      async () => panel.evaluate(() => document.querySelector('.empty-state')?.textContent ?? ''),
      'the empty state',
    );
    expect(text).toMatch(/Reload the page/);
  });

  it('lists requests live and explains a blocked preflight with the offending header highlighted', async () => {
    const P = encodeURIComponent(page.origin);
    const blocked = `${api.origin}/pets?pf_acao=${P}&pf_acam=PUT&pf_acah=content-type&acao=${P}`;
    const allowed = `${api.origin}/ok?acao=${P}`;
    await tab.evaluate(
      async (b, a) => {
        await fetch(a).catch(() => {});
        await fetch(b, {
          method: 'PUT',
          headers: { 'X-Api-Key': 'secret-key-123', 'Content-Type': 'application/json' },
        }).catch(() => {});
      },
      blocked,
      allowed,
    );
    await poll(
      async () => panel.evaluate(() => document.querySelectorAll('[role=option]').length >= 2),
      'two rows',
    ).catch(async (e) => {
      throw new Error(
        `${e.message}; the panel shows: ${await panel.evaluate(() => document.body.innerText.slice(0, 600))}`,
      );
    });
    await clickRow(panel, '/pets');
    const explanation = await poll(
      async () => panel.evaluate(() => document.querySelector('[data-testid=explanation]')?.textContent ?? ''),
      'the explanation',
    );
    expect(explanation).toContain(`Your page at ${page.origin} sent the header x-api-key`);
    expect(explanation).toContain('Access-Control-Allow-Headers: content-type');
    expect(explanation).toContain('never sent the PUT request');
    await panel.click('[data-testid=detail-tab-exchanges]');
    const highlighted = await panel.evaluate(() =>
      [...document.querySelectorAll('[data-highlight=true] th')].map((th) => th.textContent?.toLowerCase()),
    );
    // The preflight's response header that refused it, and the request header it refused.
    expect(highlighted).toContain('access-control-allow-headers');
    expect(highlighted).toContain('access-control-request-headers');
    await panel.click('[data-testid=detail-tab-details]');
    expect(await panel.evaluate(() => document.querySelector('[data-testid=expected]')?.textContent)).toBe('x-api-key');
    expect(await panel.evaluate(() => document.querySelector('[data-testid=actual]')?.textContent)).toContain(
      'content-type',
    );
  });

  it('copies the fix for the chosen framework to the clipboard', async () => {
    await panel.click('[data-testid=detail-tab-fix]');
    await panel.evaluate(() => {
      const sel = document.querySelector<HTMLSelectElement>('[data-testid=framework]')!;
      const set = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!.set!;
      set.call(sel, 'express');
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    });
    const code = await poll(async () => {
      const c = await panel.evaluate(() => document.querySelector('[data-testid=config-code]')?.textContent ?? '');
      return c.includes('cors(') ? c : null;
    }, 'the Express config');
    expect(code).toContain('x-api-key');
    expect(code).toContain(page.origin);
    await panel.click('[data-testid=copy-config]');
    await poll(
      async () =>
        panel.evaluate(
          () => document.querySelector('[data-testid=copy-config]')?.textContent?.includes('copied') ?? false,
        ),
      'the copied confirmation',
    );
    // Read the system clipboard back from a page allowed to read it.
    await s.browser
      .defaultBrowserContext()
      .overridePermissions(page.origin, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
    await tab.bringToFront();
    const clip = await tab.evaluate(() => navigator.clipboard.readText());
    expect(clip).toBe(code);
  });

  it('has no serious or critical axe-core violations', async () => {
    await panel.evaluate(axeSource);
    const violations = await panel.evaluate(async () => {
      const r = await (globalThis as any).axe.run(document, { resultTypes: ['violations'] });
      return r.violations
        .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
        .map((v: any) => `${v.id}: ${v.help} (${v.nodes.length})`);
    });
    expect(violations).toEqual([]);
  });

  it('is keyboard navigable', async () => {
    await panel.focus('[role=listbox]');
    await panel.evaluate(() => document.querySelector<HTMLElement>('[role=listbox]')!.focus());
    await devtools.keyboard.press('Home');
    const first = await panel.evaluate(
      () => document.querySelector('[role=option][aria-selected=true]')?.textContent ?? '',
    );
    await devtools.keyboard.press('ArrowDown');
    const second = await panel.evaluate(
      () => document.querySelector('[role=option][aria-selected=true]')?.textContent ?? '',
    );
    expect(first).not.toBe('');
    expect(second).not.toBe(first);
  });

  it('saves light and dark screenshots for the README', async () => {
    mkdirSync(SHOTS, { recursive: true });
    // Undocked, DevTools fills the viewport: the screenshot shows the panel as a user sees it beside Network.
    await devtools
      .evaluate(
        `(async () => {
      const UI = await import('./ui/legacy/legacy.js');
      UI.DockController.DockController.instance().setDockSide('undocked');
    })()`,
      )
      .catch(() => {});
    await clickRow(panel, '/pets');
    await panel.evaluate(() => document.querySelector('.detail')?.scrollTo(0, 0));
    for (const theme of ['light', 'dark'] as const) {
      await setDevtoolsTheme(devtools, theme);
      await poll(
        async () => panel.evaluate((t) => document.documentElement.dataset.theme === t, theme),
        `the panel in the ${theme} theme`,
      );
      await devtools.setViewport({ width: 1400, height: 900 });
      await settled(devtools, panel);
      await devtools.screenshot({ path: `${SHOTS}/panel-${theme}.png` });
    }
  });

  it('the extension itself sent nothing over the network', async () => {
    // Prove the watcher is not blind: the panel fetches a sentinel URL, which it must see.
    const sentinel = `${page.origin}/sentinel-${Date.now()}`;
    await panel.evaluate(
      (u) =>
        fetch(u)
          .then((r) => r.text())
          .catch(() => ''),
      sentinel,
    );
    await poll(
      async () => extensionTraffic.includes(sentinel),
      'the watcher to see the sentinel request',
      10_000,
    ).catch(() => {
      throw new Error(
        `watcher blind; saw ${JSON.stringify(extensionTraffic)}; targets ${s.browser
          .targets()
          .map((t) => `${t.type()} ${t.url()}`)
          .join(' | ')}`,
      );
    });
    const i = extensionTraffic.indexOf(sentinel);
    extensionTraffic.splice(i, 1);
    // Its own pages load their files from chrome-extension:// (and blob:/data: URLs); nothing else, ever.
    const outside = extensionTraffic.filter((u) => !/^(chrome-extension|blob|data):/.test(u));
    expect(outside).toEqual([]);
  });

  it('tells a cleared log from a page that made no cross-origin request, and a filter that matches nothing', async () => {
    await panel.evaluate(() => {
      const q = document.querySelector<HTMLInputElement>('input[type=search]')!;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(q, 'status-code:999');
      q.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(
      await poll(
        async () => panel.evaluate(() => document.querySelector('[data-testid=no-match]')?.textContent ?? ''),
        'the no-match state',
      ),
    ).toContain('status-code:999');
    // The type chips: these are fetches, so JS alone matches nothing and Fetch/XHR matches them.
    await panel.evaluate(() => {
      const q = document.querySelector<HTMLInputElement>('input[type=search]')!;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(q, '');
      q.dispatchEvent(new Event('input', { bubbles: true }));
      document.querySelector<HTMLElement>('[data-testid=chip-js]')!.click();
    });
    expect(
      await poll(
        async () => panel.evaluate(() => document.querySelector('[data-testid=no-match]')?.textContent ?? ''),
        'no JS request',
      ),
    ).toContain('type js');
    await panel.evaluate(() => document.querySelector<HTMLElement>('[data-testid=chip-fetch]')!.click());
    await poll(
      async () => panel.evaluate(() => document.querySelectorAll('[role=option]').length > 0),
      'the fetches under Fetch/XHR',
    );
    await panel.evaluate(() =>
      [...document.querySelectorAll('button')].find((b) => b.textContent === 'Clear')!.click(),
    );
    await poll(
      async () => panel.evaluate(() => document.querySelector('.empty-state h2')?.textContent === 'Log cleared'),
      'the cleared state',
    );
    // The test page itself makes no cross-origin request.
    await tab.reload();
    expect(
      await poll(
        async () =>
          panel.evaluate(() => {
            const t = document.querySelector('.empty-state h2')?.textContent ?? '';
            return t === 'Log cleared' ? '' : t;
          }),
        'the same-origin-only state',
      ),
    ).toBe('No cross-origin requests on this page');
  });
});
