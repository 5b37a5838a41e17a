// Hostile servers: header values with markup, bidi overrides, zero-width and control characters, a 100 KB value
// and hundreds of headers reach the panel inert (text only), truncated with a way to see them whole, and
// never break the layout; a hostile origin or header name never becomes config text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startPageServer, type TestServer } from './harness/servers';
import { launchChromium, poll, type ChromiumSession } from './harness/chromium';

/** A raw-socket server: Node's http module refuses control bytes in header values, real servers may not. */
async function hostileServer(pageOrigin: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = net.createServer((sock) => {
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (!buf.includes('\r\n\r\n')) return;
      const path = buf.split(' ')[1] ?? '/';
      buf = '';
      const lines = [
        'HTTP/1.1 200 OK',
        'Content-Type: text/plain',
        'Content-Length: 2',
        'Connection: close',
        `X-Markup: <script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=2">`,
        'X-Bidi: \u202Eevil\u202C and \u200Bzero\u200Bwidth',
        'X-Control: a\x01b\x7fc',
        `X-Huge: ${'A'.repeat(100_000)}`,
        ...Array.from({ length: 400 }, (_, i) => `X-Many-${i}: v${i}`),
      ];
      // /missing: no ACAO (blocked). /ok: allowed with a hostile exposed header list.
      if (path.startsWith('/ok'))
        lines.push(`Access-Control-Allow-Origin: ${pageOrigin}`, 'Access-Control-Expose-Headers: x-markup');
      // UTF-8 on the wire: the bidi and zero-width characters arrive as themselves (invalid UTF-8 would arrive as bytes).
      sock.end(Buffer.from(`${lines.join('\r\n')}\r\n\r\nok`, 'utf8'));
    });
    sock.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('hostile headers in Chromium', () => {
  let page: TestServer, s: ChromiumSession, evil: { origin: string; close(): Promise<void> };
  beforeAll(async () => {
    page = await startPageServer();
    evil = await hostileServer(page.origin);
    s = await launchChromium();
  });
  afterAll(async () => {
    await s?.close();
    await page?.close();
    await evil?.close();
  });

  it('renders hostile values inert, truncated, and keeps the layout', async () => {
    const tab = await s.ctx.newPage();
    await tab.goto(`${page.origin}/hostile`);
    await tab.evaluate(async (o) => {
      await fetch(`${o}/missing`).catch(() => {});
      await fetch(`${o}/ok`)
        .then((r) => r.text())
        .catch(() => {});
    }, evil.origin);
    const tabId = await s.tabIdOf(`${page.origin}/hostile`);
    const panel = await s.ctx.newPage();
    await panel.setViewportSize({ width: 1200, height: 800 });
    await panel.goto(`chrome-extension://${s.extensionId}/extension/panel/index.html?tabId=${tabId}`);
    await poll(async () => (await panel.$$('[role=option]')).length >= 2, 'both requests listed');
    for (const path of ['/missing', '/ok']) {
      await panel.evaluate(
        (p) =>
          [...document.querySelectorAll<HTMLElement>('[role=option]')].find((r) => r.textContent?.includes(p))?.click(),
        path,
      );
      await poll(async () => (await panel.textContent('.detail-head'))?.includes(path), `details of ${path}`);
      await panel.click('[data-testid=detail-tab-exchanges]'); // the headers are in the Exchanges tab
      // Nothing ran, nothing was injected.
      expect(await panel.evaluate(() => (window as any).__pwned)).toBeUndefined();
      expect(await panel.$$eval('.detail img, .detail script', (els) => els.length)).toBe(0);
      const text = await panel.textContent('.detail');
      expect(text).toContain('<script>window.__pwned=1</script>');
      // Bidi overrides and zero-width characters are shown, not obeyed.
      expect(text).toContain('⟨U+202E⟩evil⟨U+202C⟩');
      expect(text).toContain('⟨U+200B⟩zero');
      // The 100 KB value is cut with a way to see it all (the capture keeps 2,048 characters and the original length).
      expect(text).toMatch(/cut from 100000 characters when captured/);
      expect(await panel.$$eval('button.link', (bs) => bs.some((b) => /show all/.test(b.textContent ?? '')))).toBe(
        true,
      );
      // Hundreds of header lines are capped, and say so.
      expect(text).toMatch(/more header lines not kept/);
      // The layout holds: nothing wider than the window.
      const overflow = await panel.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    }
    const status = await s.ask<{ errors: string[] }>('getStatus', {});
    expect(status.errors).toEqual([]);
  });
});
