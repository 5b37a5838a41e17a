// Writes a big, realistic HAR for the CLI's memory/time measurements: `npx tsx test/bench/har-gen.ts out.har 200`
// (size in MB). Streams to disk, so generating 1 GB needs no more memory than one entry. Deterministic (seeded).
// Mix per "page visit": a document, scripts/images (no-cors), CORS GETs (allowed, missing ACAO), a preflighted PUT
// listed Chrome-style (request first, then its preflight), a blocked one with status 0, a cross-origin redirect.
// `--pages-last` writes log.pages after log.entries (the streaming importer must cope).
import { createWriteStream } from 'node:fs';

const [out, mbArg, ...flags] = process.argv.slice(2);
if (!out || !mbArg) {
  process.stderr.write('usage: har-gen.ts <out.har> <size-MB> [--pages-last]\n');
  process.exit(2);
}
const target = Number(mbArg) * 1024 * 1024;
const pagesLast = flags.includes('--pages-last');

let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)];
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
// Bodies are slices of one seeded random pool at random offsets: building each body char by char made generating
// 1 GB take ~16 s; this way the generator runs at disk speed (the importer never looks inside a body anyway).
const POOL = (() => {
  const a: string[] = [];
  for (let i = 0; i < 1 << 17; i++) a.push(B64[Math.floor(rand() * 64)]);
  return a.join('');
})();
const body = (n: number) => {
  let s = '';
  while (s.length < n) {
    const k = Math.min(n - s.length, POOL.length >> 1);
    const at = Math.floor(rand() * (POOL.length - k));
    s += POOL.slice(at, at + k);
  }
  return s;
};

const PAGE = 'https://shop.example.test';
const API = 'https://api.example.test';
const CDN = 'https://cdn.example.test';
let t = Date.UTC(2026, 10, 25, 10, 0, 0);
let pageNo = 0;

const h = (name: string, value: string) => ({ name, value });
const browserHeaders = [
  h('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/142.0 Safari/537.36'),
  h('Accept-Language', 'en-US,en;q=0.9'),
  h('Accept-Encoding', 'gzip, deflate, br'),
];

function entry(o: {
  method?: string;
  url: string;
  type: string;
  reqHeaders?: { name: string; value: string }[];
  status: number;
  resHeaders?: { name: string; value: string }[];
  error?: string;
  size?: number;
  redirect?: string;
  initiator?: object;
  dt?: number;
}) {
  t += o.dt ?? Math.floor(rand() * 20) + 1;
  const size = o.size ?? 0;
  return {
    _initiator: o.initiator ?? {
      type: 'script',
      stack: {
        callFrames: [{ functionName: 'load', scriptId: '7', url: `${CDN}/app.js`, lineNumber: 1, columnNumber: 2 }],
      },
    },
    _priority: 'High',
    _resourceType: o.type,
    cache: {},
    connection: String(1000 + Math.floor(rand() * 50)),
    pageref: `page_${pageNo}`,
    request: {
      method: o.method ?? 'GET',
      url: o.url,
      httpVersion: 'http/2.0',
      headers: [...browserHeaders, ...(o.reqHeaders ?? [])],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: o.status,
      statusText: o.status ? 'OK' : '',
      httpVersion: o.status ? 'http/2.0' : '',
      headers: o.status
        ? [
            h('date', new Date(t).toUTCString()),
            h('server', 'nginx'),
            h('content-length', String(size)),
            ...(o.resHeaders ?? []),
          ]
        : [],
      cookies: [],
      content: size
        ? { size, mimeType: 'application/octet-stream', text: body(Math.ceil(size * 1.33)), encoding: 'base64' }
        : { size: 0, mimeType: 'x-unknown' },
      redirectURL: o.redirect ?? '',
      headersSize: -1,
      bodySize: size,
      _transferSize: size + 200,
      _error: o.error ?? null,
    },
    serverIPAddress: '203.0.113.7',
    startedDateTime: new Date(t).toISOString(),
    time: o.status ? 5 + rand() * 50 : 0,
    timings: { blocked: 1, dns: -1, ssl: -1, connect: -1, send: 0.1, wait: 4, receive: 1 },
  };
}

function* visit(): Generator<object> {
  pageNo++;
  const origin = h('Origin', PAGE);
  yield entry({
    url: `${PAGE}/p/${pageNo}`,
    type: 'document',
    status: 200,
    size: Math.floor(rand() * 20000),
    initiator: { type: 'other' },
  });
  for (let i = 0; i < 4; i++)
    yield entry({
      url: `${CDN}/asset-${Math.floor(rand() * 500)}.${pick(['js', 'png', 'css'])}`,
      type: pick(['script', 'image', 'stylesheet']),
      status: 200,
      size: Math.floor(rand() * 6000),
    });
  yield entry({
    url: `${API}/products?page=${pageNo}`,
    type: 'fetch',
    reqHeaders: [origin],
    status: 200,
    resHeaders: [h('access-control-allow-origin', PAGE), h('vary', 'Origin')],
    size: Math.floor(rand() * 3000),
  });
  yield entry({
    url: `${API}/legacy/${pageNo}`,
    type: 'xhr',
    reqHeaders: [origin],
    status: 200,
    error: 'net::ERR_FAILED',
    size: 100,
  });
  // Chrome order: the request row, then its preflight.
  const put = `${API}/cart/${pageNo}`;
  yield entry({
    method: 'PUT',
    url: put,
    type: 'fetch',
    reqHeaders: [h('Content-Type', 'application/json'), h('X-Api-Key', 'k_' + body(16))],
    status: 0,
    error: 'net::ERR_FAILED',
  });
  yield entry({
    method: 'OPTIONS',
    url: put,
    type: 'preflight',
    initiator: { type: 'preflight', url: put },
    dt: 1,
    reqHeaders: [
      origin,
      h('Access-Control-Request-Method', 'PUT'),
      h('Access-Control-Request-Headers', 'content-type,x-api-key'),
    ],
    status: 204,
    resHeaders: [
      h('access-control-allow-origin', PAGE),
      h('access-control-allow-methods', 'GET, PUT'),
      h('access-control-allow-headers', 'content-type'),
    ],
  });
  const start = `${API}/go/${pageNo}`;
  const end = `https://files.example.test/f/${pageNo}`;
  yield entry({
    url: start,
    type: 'fetch',
    reqHeaders: [origin],
    status: 302,
    resHeaders: [h('location', end), h('access-control-allow-origin', '*')],
    redirect: end,
  });
  yield entry({
    url: end,
    type: 'fetch',
    reqHeaders: [h('Origin', 'null')],
    status: 200,
    resHeaders: [h('access-control-allow-origin', '*')],
    size: Math.floor(rand() * 4000),
  });
}

async function main() {
  const ws = createWriteStream(out, { highWaterMark: 1 << 20 });
  let written = 0;
  const w = (s: string) =>
    new Promise<void>((res) => {
      written += Buffer.byteLength(s);
      if (ws.write(s)) res();
      else ws.once('drain', res);
    });
  const pages = () =>
    JSON.stringify(
      Array.from({ length: pageNo }, (_, i) => ({
        startedDateTime: new Date(t).toISOString(),
        id: `page_${i + 1}`,
        title: `${PAGE}/p/${i + 1}`,
        pageTimings: {},
      })),
    );
  await w('{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},');
  if (!pagesLast) {
    // The page list precedes the entries, so size it from the target (rough bytes per visit; extra pages are harmless).
    const visits = Math.max(1, Math.ceil(target / (2600 * 12)));
    await w(
      `"pages":${JSON.stringify(Array.from({ length: visits * 2 }, (_, i) => ({ startedDateTime: new Date(t).toISOString(), id: `page_${i + 1}`, title: `${PAGE}/p/${i + 1}`, pageTimings: {} })))},`,
    );
  }
  await w('"entries":[\n');
  let first = true;
  let n = 0;
  while (written < target) {
    for (const e of visit()) {
      await w((first ? '' : ',\n') + JSON.stringify(e));
      first = false;
      n++;
    }
  }
  await w('\n]');
  if (pagesLast) await w(`,"pages":${pages()}`);
  await w('}}\n');
  await new Promise<void>((res) => ws.end(res));
  process.stderr.write(`wrote ${out}: ${(written / 1048576).toFixed(1)} MB, ${n} entries, ${pageNo} pages\n`);
}

main().catch((e) => {
  process.stderr.write(`har-gen: ${e.message}\n`);
  process.exit(1);
});
