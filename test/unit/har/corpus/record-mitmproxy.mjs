// Records a real mitmproxy HAR on loopback: Chromium 156 loads a page through mitmdump (Debian's mitmproxy 8.1.1 with
// its own har_dump addon), and the HAR is written to stdout (mitmproxy-recorded.har in this folder). Needs
// `apt-get install mitmproxy`; run `node test/unit/har/corpus/record-mitmproxy.mjs > test/unit/har/corpus/mitmproxy-recorded.har`.
import http from 'node:http';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire(new URL('../../../../package.json', import.meta.url));
const { chromium } = require('playwright-core');

const [A, B, PROXY] = [8471, 8472, 8480];
const app = `http://127.0.0.1:${A}`;
const api = `http://127.0.0.1:${B}`;
const page = `<!doctype html><title>t</title><script>
(async () => {
  const s = (p) => p.then(() => 'ok', () => 'err');
  const x = new XMLHttpRequest(); x.open('GET', '/api/cart'); x.send(); await new Promise((r) => x.onloadend = r);
  const i = new Image(); i.src = '${api}/a.png'; await new Promise((r) => { i.onload = i.onerror = r; });
  await s(fetch('${api}/ok'));
  await s(fetch('${api}/blocked'));
  await s(fetch('${api}/put', { method: 'PUT', headers: { 'X-Token': '1' } }));
  await new Promise((r) => { const w = new WebSocket('ws://127.0.0.1:${B}/socket'); w.onopen = () => { w.close(); r(); }; w.onerror = r; });
  document.title = 'done';
})();
</script>`;
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
  if (q.url === '/api/cart') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end('{}');
  }
  res.writeHead(200, { 'Content-Type': 'text/html' });
  res.end(page);
});
const sB = await serve(B, (q, res) => {
  const h = [];
  if (q.url === '/ok') h.push(['Access-Control-Allow-Origin', app], ['X-Total', '3']);
  if (q.url === '/put') h.push(['Access-Control-Allow-Origin', app], ['Access-Control-Allow-Methods', 'GET, POST']);
  if (q.url === '/a.png') h.push(['Content-Type', 'image/png']);
  res.writeHead(q.method === 'OPTIONS' ? 204 : 200, h.flat());
  res.end(q.url === '/a.png' ? png : q.method === 'OPTIONS' ? undefined : '{}');
});
sB.on('upgrade', (q, socket) => {
  const accept = createHash('sha1')
    .update(`${q.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
    .digest('base64');
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  socket.on('data', () => socket.end());
  socket.on('error', () => {});
});
const dir = mkdtempSync(join(tmpdir(), 'mitm-'));
const out = join(dir, 'dump.har');
const mitm = spawn(
  'mitmdump',
  [
    '-q',
    '--listen-host',
    '127.0.0.1',
    '--listen-port',
    String(PROXY),
    '-s',
    '/usr/share/doc/mitmproxy/examples/contrib/har_dump.py',
    '--set',
    `hardump=${out}`,
  ],
  { stdio: 'ignore' },
);
await new Promise((r) => setTimeout(r, 2500));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', `--proxy-server=http://127.0.0.1:${PROXY}`, '--proxy-bypass-list=<-loopback>'],
});
const p = await (await browser.newContext()).newPage();
await p.goto(`${app}/`);
await p.waitForFunction(() => document.title === 'done', null, { timeout: 20000 });
await browser.close();
mitm.kill('SIGINT');
await new Promise((r) => mitm.on('exit', r));
for (const s of [sA, sB]) s.close();
process.stdout.write(readFileSync(out, 'utf8'));
