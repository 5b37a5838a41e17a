// Records real CDP events from Chromium 156 for a page on 127.0.0.1 and turns them into a HAR with chrome-har, the
// converter sitespeed.io and Browsertime use: writes chrome-har-recorded.har to stdout. chrome-har is not a project
// dependency: install it in a scratch folder and point CHROME_HAR_DIR there
// (mkdir /tmp/ch && cd /tmp/ch && npm init -y && npm install chrome-har), then
// CHROME_HAR_DIR=/tmp/ch node test/unit/har/corpus/record-chrome-har.mjs > test/unit/har/corpus/chrome-har-recorded.har
import http from 'node:http';
import { createRequire } from 'node:module';
const require = createRequire(new URL('../../../../package.json', import.meta.url));
const { chromium } = require('playwright-core');
const { harFromMessages } = createRequire(`${process.env.CHROME_HAR_DIR ?? '.'}/package.json`)('chrome-har');
const [A, B, C] = [8461, 8462, 8463];
const app = `http://127.0.0.1:${A}`;
const page = `<!doctype html><title>t</title><script src="http://127.0.0.1:${C}/lib.js"></script>`;
const lib = `
(async () => {
  const s = (p) => p.then(() => 'ok', (e) => 'err');
  const x = new XMLHttpRequest(); x.open('GET', '/api/me'); x.send();
  await new Promise((r) => x.onloadend = r);
  await s(fetch('http://127.0.0.1:${B}/ok'));
  await s(fetch('http://127.0.0.1:${B}/blocked'));
  await s(fetch('http://127.0.0.1:${B}/put', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
  await s(fetch('http://127.0.0.1:${B}/cart', { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
  await s(fetch('http://127.0.0.1:${B}/same', { mode: 'same-origin' }));
  const i = new Image(); i.crossOrigin = 'anonymous'; i.src = 'http://127.0.0.1:${B}/img.png'; await new Promise((r) => { i.onload = i.onerror = r; });
  document.title = 'done';
})();`;
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
const serve = (port, handler) =>
  new Promise((r) => {
    const s = http.createServer(handler);
    s.listen(port, '127.0.0.1', () => r(s));
  });
const sA = await serve(A, (q, res) => {
  if (q.url === '/api/me') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Request-Id': '42' });
    return res.end('{}');
  }
  res.writeHead(200, { 'Content-Type': 'text/html' });
  res.end(page);
});
const sB = await serve(B, (q, res) => {
  const h = [];
  if (q.url === '/ok') h.push(['Access-Control-Allow-Origin', app]);
  if (q.url === '/put' && q.method === 'OPTIONS')
    h.push(
      ['Access-Control-Allow-Origin', app],
      ['Access-Control-Allow-Methods', 'GET'],
      ['Access-Control-Allow-Methods', 'GET,PUT,POST'],
      ['Access-Control-Allow-Headers', 'content-type'],
    );
  if (q.url === '/put' && q.method === 'PUT')
    h.push(['Access-Control-Allow-Origin', app], ['Vary', 'Origin'], ['Vary', 'Accept-Encoding']);
  if (q.url === '/cart')
    h.push(
      ['Access-Control-Allow-Origin', '*'],
      ['Access-Control-Allow-Methods', 'POST'],
      ['Access-Control-Allow-Headers', 'content-type'],
    );
  if (q.url === '/img.png')
    h.push(['Access-Control-Allow-Origin', '*'], ['Content-Type', 'image/png'], ['ETag', '"1"'], ['X-Cache', 'HIT']);
  const flat = h.flat();
  res.writeHead(q.method === 'OPTIONS' ? 204 : 200, flat);
  res.end(q.url === '/img.png' ? png : q.method === 'OPTIONS' ? undefined : '{}');
});
const sC = await serve(C, (q, res) => {
  res.writeHead(200, { 'Content-Type': 'text/javascript' });
  res.end(lib);
});
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const ctx = await browser.newContext();
const p = await ctx.newPage();
const cdp = await ctx.newCDPSession(p);
const messages = [];
for (const m of [
  'Page.loadEventFired',
  'Page.domContentEventFired',
  'Page.frameStartedLoading',
  'Page.frameAttached',
  'Page.frameScheduledNavigation',
  'Page.navigatedWithinDocument',
  'Network.requestWillBeSent',
  'Network.requestServedFromCache',
  'Network.dataReceived',
  'Network.responseReceived',
  'Network.resourceChangedPriority',
  'Network.loadingFinished',
  'Network.loadingFailed',
  'Network.requestWillBeSentExtraInfo',
  'Network.responseReceivedExtraInfo',
])
  cdp.on(m, (params) => messages.push({ method: m, params }));
await cdp.send('Page.enable');
await cdp.send('Network.enable');
await p.goto(`${app}/`);
await p.waitForFunction(() => document.title === 'done', null, { timeout: 20000 });
await p.waitForTimeout(500);
const har = harFromMessages(messages, { includeTextFromResponseBody: false });
process.stdout.write(JSON.stringify(har, null, 1) + '\n');
await browser.close();
for (const s of [sA, sB, sC]) s.close();
