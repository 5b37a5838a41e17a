// Records a real Polly.JS HAR: Node's http client, intercepted by Polly.JS 6 (@pollyjs/core, adapter-node-http,
// persister-fs), calls an API on loopback as a test suite would, with the Origin header a browser page would send.
// Polly.JS is not a project dependency: install it in a scratch folder and point POLLY_DIR there
// (npm install @pollyjs/core@6 @pollyjs/adapter-node-http@6 @pollyjs/persister-fs@6), then
// POLLY_DIR=/tmp/polly node test/unit/har/corpus/record-polly.mjs > test/unit/har/corpus/polly-recorded.har
import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
const need = createRequire(`${process.env.POLLY_DIR ?? '.'}/package.json`);
const { Polly } = need('@pollyjs/core');
Polly.register(need('@pollyjs/adapter-node-http'));
Polly.register(need('@pollyjs/persister-fs'));

const PORT = 8491;
const app = 'http://127.0.0.1:8490';
const server = await new Promise((r) => {
  const s = http.createServer((q, res) => {
    const h = [];
    if (q.url === '/ok')
      h.push(['Access-Control-Allow-Origin', app], ['X-Total', '3'], ['Access-Control-Expose-Headers', 'X-Total']);
    if (q.url === '/put')
      h.push(
        ['Access-Control-Allow-Origin', app],
        ['Access-Control-Allow-Methods', 'GET, POST'],
        ['Access-Control-Allow-Headers', 'content-type'],
      );
    res.writeHead(q.method === 'OPTIONS' ? 204 : 200, h.flat());
    res.end(q.method === 'OPTIONS' ? undefined : '{}');
  });
  s.listen(PORT, '127.0.0.1', () => r(s));
});
const dir = mkdtempSync(join(tmpdir(), 'polly-'));
const polly = new Polly('cors-lens', {
  adapters: ['node-http'],
  persister: 'fs',
  persisterOptions: { fs: { recordingsDir: dir } },
  mode: 'record',
});
const call = (method, path, headers) =>
  new Promise((r, j) => {
    const q = http.request({ host: '127.0.0.1', port: PORT, method, path, headers }, (res) => {
      res.resume();
      res.on('end', r);
    });
    q.on('error', j);
    q.end();
  });
await call('GET', '/ok', { Origin: app, 'Sec-Fetch-Mode': 'cors' });
await call('GET', '/blocked', { Origin: app, 'Sec-Fetch-Mode': 'cors' });
await call('OPTIONS', '/put', {
  Origin: app,
  'Access-Control-Request-Method': 'PUT',
  'Access-Control-Request-Headers': 'content-type',
});
await polly.stop();
server.close();
const find = (d) =>
  readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? find(join(d, f)) : [join(d, f)]));
process.stdout.write(
  readFileSync(
    find(dir).find((f) => f.endsWith('.har')),
    'utf8',
  ),
);
