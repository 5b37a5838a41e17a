// Serves the demo frontend: one HTML page with its script and styles inlined (no same-origin subresources to
// clutter the CORS log), and the session cookie the credentialed calls send to the API. Also the partner widget,
// a page on its own origin that the frontend embeds in an iframe for the calls marked fromWidget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from './mini-app';
import type { DemoCall } from './calls';

const here = import.meta.dirname;

/** JSON safe inside <script>: no "</script>" or "<!--" can close or confuse the element. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

export interface FrontendConfig {
  apiOrigin: string;
  filesOrigin: string;
  downOrigin: string;
  /** The partner widget's origin; '' when the calls include none from it. */
  widgetOrigin: string;
  calls: DemoCall[];
}

export function renderPage(config: FrontendConfig): string {
  const read = (f: string) => readFileSync(join(here, 'frontend', f), 'utf8');
  // Function replacers: `$` in the inlined code must not be read as a replacement pattern.
  return read('index.html')
    .replace('/*STYLE*/', () => read('style.css'))
    .replace('/*CONFIG*/', () => scriptJson(config))
    .replace('/*SCRIPT*/', () => read('app.js'));
}

/** `config` is read when the page is requested: the other servers' origins may be filled in after this one starts. */
export function createFrontend(config: FrontendConfig) {
  const app = createApp();
  app.get('/', (_req, res) => {
    // Ports do not separate cookies: the API on another port of 127.0.0.1 receives this one when a call uses
    // credentials: 'include' (same site, so SameSite=Lax lets it through). RFC 6265 §8.5.
    res.setHeader('Set-Cookie', 'demo_session=ada-7f3c; Path=/; SameSite=Lax; HttpOnly');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.send(renderPage(config));
  });
  return app;
}

/** The partner widget: fetches the URL in its `call` parameter and posts what its script saw to the parent page. */
export function createWidget() {
  const app = createApp();
  app.get('/widget', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.send(readFileSync(join(here, 'frontend', 'widget.html'), 'utf8'));
  });
  return app;
}
