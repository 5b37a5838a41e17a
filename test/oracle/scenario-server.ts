// Scenario server for the oracle: one Node http handler on several loopback ports (page origin A, API B,
// third origin C) that answers each scenario exactly as its table entry says and logs every request and
// response as raw header lines, so the HARs show what really crossed the wire (duplicates, casing, order).
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandTokens, hostPort, scenarioUrl, type Hop, type Ports, type Resp, type Scenario } from './scenario-types';

export interface WireHeader {
  name: string;
  value: string;
}

export interface ServerLogEntry {
  seq: number;
  /** Node clock (ms) when the request arrived. */
  t: number;
  port: number;
  method: string;
  /** Absolute URL rebuilt from the Host header and the request target. */
  url: string;
  httpVersion: string;
  /** `req.rawHeaders` as pairs: what the browser put on the wire. */
  requestHeaders: WireHeader[];
  /** Parsed from the serialized header block Node actually wrote; null when the socket was destroyed. */
  response: { status: number; statusText: string; headers: WireHeader[] } | null;
  /** Scenario routing, parsed from `/s/<sid>/<hop>?b=<browser>`. */
  sid?: string;
  hop?: number;
  b?: string;
  /** `/mark` requests: the page announcing call `i` of scenario `sid`. */
  mark?: { sid: string; i: string; b: string };
}

export interface ScenarioServer {
  ports: Ports;
  log: ServerLogEntry[];
  close(): Promise<void>;
}

export const DEFAULT_PORTS: Ports = { A: 8301, B: 8302, C: 8303, X: 8309 };

/** A 1×1 transparent GIF, so <img> loads succeed on their own merits. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const here = dirname(fileURLToPath(import.meta.url));

function pairs(raw: string[]): WireHeader[] {
  const out: WireHeader[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push({ name: raw[i], value: raw[i + 1] });
  return out;
}

/** Parse the header block Node serialized (`res._header`): the exact status line and header lines sent. */
function parseSentHeader(block: string): { status: number; statusText: string; headers: WireHeader[] } {
  const lines = block.split('\r\n').filter((l) => l.length > 0);
  const m = /^HTTP\/\d\.\d (\d{3}) ?(.*)$/.exec(lines[0] ?? '');
  const headers: WireHeader[] = [];
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    // HTTP/1.1 allows optional whitespace after the colon; Node writes exactly one space.
    headers.push({ name: line.slice(0, i), value: line.slice(i + 1).replace(/^ /, '') });
  }
  return { status: m ? Number(m[1]) : 0, statusText: m ? m[2] : '', headers };
}

function pageHtml(): string {
  return '<!doctype html><meta charset="utf-8"><title>CORS Lens oracle</title><script src="/page-runner.js"></script><body>oracle</body>';
}

export async function startScenarioServer(opts: { ports?: Partial<Ports>; scenarios: readonly Scenario[] }): Promise<ScenarioServer> {
  const ports: Ports = { ...DEFAULT_PORTS, ...opts.ports };
  const byId = new Map(opts.scenarios.map((s) => [s.id, s]));
  const log: ServerLogEntry[] = [];
  const runner = readFileSync(join(here, 'page-runner.js'), 'utf8');
  let seq = 0;

  function send(req: IncomingMessage, res: ServerResponse, entry: ServerLogEntry, status: number, headers: Array<[string, string]>, body?: Buffer | string): void {
    // No automatic Date header: keeps recordings deterministic and the header list exactly as the table says.
    res.sendDate = false;
    const buf = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const flat: string[] = [];
    for (const [k, v] of headers) flat.push(k, v);
    const bodyless = status === 204 || status === 304 || (status >= 100 && status < 200);
    if (!bodyless && !headers.some(([k]) => k.toLowerCase() === 'content-length')) flat.push('Content-Length', String(buf ? buf.length : 0));
    res.writeHead(status, STATUS_CODES[status] ?? 'Unknown', flat);
    res.end(req.method === 'HEAD' || bodyless ? undefined : buf);
    const sent = (res as unknown as { _header?: string })._header ?? '';
    entry.response = parseSentHeader(sent);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, port: number): Promise<void> {
    const host = req.headers.host ?? `127.0.0.1:${port}`;
    const url = new URL(req.url ?? '/', `http://${host}`);
    const entry: ServerLogEntry = {
      seq: seq++, t: Date.now(), port, method: req.method ?? 'GET', url: url.href, httpVersion: `HTTP/${req.httpVersion}`,
      requestHeaders: pairs(req.rawHeaders), response: null,
    };
    log.push(entry);
    // Drain the request body (POST/PUT) before answering.
    for await (const _chunk of req) { /* discard */ }

    if (url.pathname === '/page') return send(req, res, entry, 200, [['Content-Type', 'text/html; charset=utf-8']], pageHtml());
    if (url.pathname === '/page-runner.js') return send(req, res, entry, 200, [['Content-Type', 'text/javascript']], runner);
    if (url.pathname === '/set-cookie') {
      // Cookies are per host, not per port: 127.0.0.1:A, :B and :C all share it (same site). localhost gets none.
      return send(req, res, entry, 200, [['Content-Type', 'text/html'], ['Set-Cookie', 'lens=1; Path=/']], '<!doctype html>cookie set');
    }
    if (url.pathname === '/mark') {
      entry.mark = { sid: url.searchParams.get('sid') ?? '', i: url.searchParams.get('i') ?? '', b: url.searchParams.get('b') ?? '' };
      return send(req, res, entry, 204, []);
    }
    const m = /^\/s\/([a-z0-9-]+)\/(\d+)$/.exec(url.pathname);
    const scenario = m ? byId.get(m[1]) : undefined;
    if (!m || !scenario) return send(req, res, entry, 404, [['Content-Type', 'text/plain']], 'not found');
    entry.sid = m[1];
    entry.hop = Number(m[2]);
    entry.b = url.searchParams.get('b') ?? '';
    const hop: Hop | undefined = scenario.hops[entry.hop];
    const isOptions = req.method === 'OPTIONS';
    // An OPTIONS the scenario does not expect gets a 404 without CORS headers (a server without an OPTIONS route).
    const spec: Resp = (isOptions ? hop?.preflight : hop?.actual) ?? (isOptions ? { status: 404, headers: [] } : { status: 200, headers: [] });
    if (spec.delayMs) await new Promise((r) => setTimeout(r, spec.delayMs));
    if (spec.destroy) {
      req.socket.destroy();
      return;
    }
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const headers: Array<[string, string]> = [];
    for (const [k, v] of spec.headers ?? []) {
      const value = expandTokens(v, ports, origin);
      if (value !== null) headers.push([k, value]);
    }
    if (spec.redirect) {
      const target = spec.redirect;
      const next = target.hop ?? entry.hop + 1;
      let location: string;
      if (target.to === 'data') location = 'data:text/plain,redirected';
      else if (target.to === 'ftp') location = `ftp://${hostPort('B', ports)}/s/${scenario.id}/${next}`;
      else location = scenarioUrl(scenario.id, next, target.to, ports, entry.b, target.userinfo);
      headers.push(['Location', location]);
      return send(req, res, entry, spec.status, headers);
    }
    if (isOptions || spec.noBody) return send(req, res, entry, spec.status, headers);
    const has = (n: string): boolean => headers.some(([k]) => k.toLowerCase() === n);
    let body: Buffer | string;
    let type: string;
    if (scenario.call.api === 'img') [body, type] = [GIF, 'image/gif'];
    else if (scenario.call.api === 'script') [body, type] = ['void 0;\n', 'text/javascript'];
    else [body, type] = ['ok', 'text/plain'];
    if (!has('content-type')) headers.push(['Content-Type', type]);
    return send(req, res, entry, spec.status, headers, body);
  }

  const servers: Server[] = [];
  // `localhost` may resolve to ::1 first: listen there too when the machine has IPv6 loopback.
  const listenOn: Array<[number, string]> = [];
  for (const port of [ports.A, ports.B, ports.C]) listenOn.push([port, '127.0.0.1'], [port, '::1']);
  for (const [port, address] of listenOn) {
    // insecureHTTPParser: WPT Content-Type cases put control bytes in request header values.
    const server = createServer({ insecureHTTPParser: true, keepAliveTimeout: 5000 }, (req, res) => {
      handle(req, res, port).catch((e: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, ['Content-Type', 'text/plain']);
          res.end(String(e));
        }
      });
    });
    const ok = await new Promise<boolean>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => (address === '::1' && e.code !== 'EADDRINUSE' ? resolve(false) : reject(e)));
      server.listen(port, address, () => resolve(true));
    });
    if (ok) servers.push(server);
  }
  return {
    ports,
    log,
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => {
        s.closeAllConnections();
        s.close(() => resolve());
      })));
    },
  };
}
