// Test servers on 127.0.0.1: a page origin and API origins whose CORS behaviour each request spells out in
// its query string, so a test reads as the scenario it runs. Every request the API receives is logged.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';

export interface LoggedRequest {
  method: string;
  url: string;
  headers: [string, string][];
  at: number;
}

export interface TestServer {
  origin: string;
  port: number;
  log: LoggedRequest[];
  close(): Promise<void>;
}

export function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
  return out;
}

function listen(server: http.Server, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function closer(server: http.Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

/** A page server: `/` serves `html` (or a blank test page); any other path serves `pages[path]`. */
export async function startPageServer(pages: Record<string, string> = {}): Promise<TestServer> {
  const log: LoggedRequest[] = [];
  const server = http.createServer((req, res) => {
    log.push({ method: req.method ?? '', url: req.url ?? '', headers: pairs(req.rawHeaders), at: Date.now() });
    const path = (req.url ?? '/').split('?')[0];
    const body =
      pages[path] ??
      (path === '/'
        ? '<!doctype html><meta charset="utf-8"><title>CORS Lens test page</title><h1>test page</h1>'
        : undefined);
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  });
  const port = await listen(server);
  return { origin: `http://127.0.0.1:${port}`, port, log, close: closer(server) };
}

/**
 * The API server. Query parameters describe its answer (repeat a parameter to send duplicate lines):
 *   acao, acac, aceh, hdr=Name:Value, status           for the actual response
 *   pf_acao, pf_acac, pf_acam, pf_acah, pf_status, pf_maxage   for a preflight (OPTIONS with ACRM)
 *   redirect=<url>, rstatus                            answer the actual request with a redirect
 *   acao=$origin                                       echo the request's Origin
 *   delay=<ms>                                         answer the actual request that much later
 */
export async function startApiServer(host = '127.0.0.1'): Promise<TestServer> {
  const log: LoggedRequest[] = [];
  const server = http.createServer((req, res) => {
    const headers = pairs(req.rawHeaders);
    log.push({ method: req.method ?? '', url: req.url ?? '', headers, at: Date.now() });
    const u = new URL(req.url ?? '/', 'http://x');
    const q = u.searchParams;
    const origin = req.headers.origin ?? '';
    const val = (v: string) => (v === '$origin' ? origin : v);
    const isPreflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    const delay = Number(q.get('delay') ?? 0);
    if (delay > 0 && !isPreflight) {
      q.delete('delay');
      setTimeout(() => respond(), delay);
      return;
    }
    respond();
    function respond() {
      const out: string[] = [];
      const add = (name: string, param: string) => {
        for (const v of q.getAll(param)) out.push(name, val(v));
      };
      if (isPreflight) {
        add('Access-Control-Allow-Origin', 'pf_acao');
        add('Access-Control-Allow-Credentials', 'pf_acac');
        add('Access-Control-Allow-Methods', 'pf_acam');
        add('Access-Control-Allow-Headers', 'pf_acah');
        add('Access-Control-Max-Age', 'pf_maxage');
        res.writeHead(Number(q.get('pf_status') ?? 204), out);
        res.end();
        return;
      }
      add('Access-Control-Allow-Origin', 'acao');
      add('Access-Control-Allow-Credentials', 'acac');
      add('Access-Control-Expose-Headers', 'aceh');
      for (const h of q.getAll('hdr')) {
        const i = h.indexOf(':');
        out.push(h.slice(0, i), h.slice(i + 1));
      }
      if (q.get('redirect')) {
        out.push('Location', q.get('redirect')!);
        res.writeHead(Number(q.get('rstatus') ?? 302), out);
        res.end();
        return;
      }
      out.push('Content-Type', 'application/json', 'Cache-Control', 'no-store');
      res.writeHead(Number(q.get('status') ?? 200), out);
      res.end(JSON.stringify({ ok: true, path: u.pathname }));
    }
  });
  const port = await listen(server, host);
  return { origin: `http://${host}:${port}`, port, log, close: closer(server) };
}

/**
 * A raw-socket HTTP/1.1 server: each request is answered with the bytes `answer` returns (status line, headers,
 * body), then the connection is closed. Node's http module refuses what hostile servers send (control bytes,
 * invalid UTF-8, tens of thousands of header lines); real servers and proxies may send it anyway.
 */
export async function startRawServer(
  answer: (path: string, headers: string) => Buffer,
): Promise<{ origin: string; close(): Promise<void> }> {
  const server = net.createServer((sock) => {
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.slice(0, end);
      buf = '';
      sock.end(answer(head.split(' ')[1] ?? '/', head));
    });
    sock.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
