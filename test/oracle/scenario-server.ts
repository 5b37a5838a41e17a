// Scenario server for the oracle: a minimal HTTP/1.1 server on raw sockets, listening on several loopback ports
// (page origin A, API B, third origin C), that answers each scenario exactly as its table entry says and logs
// every request and response as raw header lines — the HARs show what really crossed the wire (duplicates,
// casing, order). Raw sockets because Node's http parser rejects methods like `patch` and `FOO` with a 400
// before any handler runs, and adds headers of its own; both would falsify the recordings.
import { STATUS_CODES } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
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

interface ParsedRequest {
  method: string;
  target: string;
  version: string;
  headers: WireHeader[];
  body: Buffer;
}

interface Reply {
  status: number;
  headers: Array<[string, string]>;
  body?: Buffer | string;
  destroy?: boolean;
}

const lower = (hs: WireHeader[], name: string): string | undefined =>
  hs.find((h) => h.name.toLowerCase() === name)?.value;

/**
 * Pull one complete request off the front of `buf`, or null when more bytes are needed. Header lines are split
 * at the first colon and the value's surrounding whitespace (OWS) trimmed, as HTTP parsing does
 * (RFC 9112 §5); bytes are read as latin1 so control characters survive untouched.
 */
function takeRequest(buf: Buffer): { req: ParsedRequest; rest: Buffer } | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const [method = '', target = '/', version = 'HTTP/1.1'] = (lines[0] ?? '').split(' ');
  const headers: WireHeader[] = [];
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    headers.push({ name: line.slice(0, i), value: line.slice(i + 1).replace(/^[ \t]+|[ \t]+$/g, '') });
  }
  let offset = end + 4;
  let body: Buffer;
  if ((lower(headers, 'transfer-encoding') ?? '').toLowerCase().includes('chunked')) {
    const parts: Buffer[] = [];
    for (;;) {
      const le = buf.indexOf('\r\n', offset);
      if (le < 0) return null;
      const size = parseInt(buf.subarray(offset, le).toString('latin1'), 16);
      if (Number.isNaN(size)) return null;
      if (buf.length < le + 2 + size + 2) return null;
      parts.push(buf.subarray(le + 2, le + 2 + size));
      offset = le + 2 + size + 2;
      if (size === 0) break;
    }
    body = Buffer.concat(parts);
  } else {
    const length = Number(lower(headers, 'content-length') ?? '0') || 0;
    if (buf.length < offset + length) return null;
    body = buf.subarray(offset, offset + length);
    offset += length;
  }
  return { req: { method, target, version, headers, body }, rest: buf.subarray(offset) };
}

function pageHtml(): string {
  return '<!doctype html><meta charset="utf-8"><title>CORS Lens oracle</title><script src="/page-runner.js"></script><body>oracle</body>';
}

export async function startScenarioServer(opts: {
  ports?: Partial<Ports>;
  scenarios: readonly Scenario[];
}): Promise<ScenarioServer> {
  const ports: Ports = { ...DEFAULT_PORTS, ...opts.ports };
  const byId = new Map(opts.scenarios.map((s) => [s.id, s]));
  const log: ServerLogEntry[] = [];
  const runner = readFileSync(join(here, 'page-runner.js'), 'utf8');
  let seq = 0;

  const reply = (status: number, headers: Array<[string, string]>, body?: Buffer | string): Reply => ({
    status,
    headers,
    body,
  });

  async function handle(req: ParsedRequest, entry: ServerLogEntry, url: URL): Promise<Reply> {
    if (url.pathname === '/page') return reply(200, [['Content-Type', 'text/html; charset=utf-8']], pageHtml());
    if (url.pathname === '/page-runner.js') return reply(200, [['Content-Type', 'text/javascript']], runner);
    if (url.pathname === '/set-cookie') {
      // Cookies are per host, not per port: 127.0.0.1:A, :B and :C share it (same site). localhost gets none.
      return reply(
        200,
        [
          ['Content-Type', 'text/html'],
          ['Set-Cookie', 'lens=1; Path=/'],
        ],
        '<!doctype html>cookie set',
      );
    }
    if (url.pathname === '/mark') {
      entry.mark = {
        sid: url.searchParams.get('sid') ?? '',
        i: url.searchParams.get('i') ?? '',
        b: url.searchParams.get('b') ?? '',
      };
      return reply(204, []);
    }
    const m = /^\/s\/([a-z0-9-]+)\/(\d+)$/.exec(url.pathname);
    const scenario = m ? byId.get(m[1]) : undefined;
    if (!m || !scenario) return reply(404, [['Content-Type', 'text/plain']], 'not found');
    entry.sid = m[1];
    entry.hop = Number(m[2]);
    entry.b = url.searchParams.get('b') ?? '';
    const hop: Hop | undefined = scenario.hops[entry.hop];
    const isOptions = req.method === 'OPTIONS';
    // An OPTIONS the scenario does not expect gets a 404 without CORS headers (a server without an OPTIONS route).
    const spec: Resp =
      (isOptions ? hop?.preflight : hop?.actual) ??
      (isOptions ? { status: 404, headers: [] } : { status: 200, headers: [] });
    if (spec.delayMs) await new Promise((r) => setTimeout(r, spec.delayMs));
    if (spec.destroy) return { status: 0, headers: [], destroy: true };
    const origin = lower(req.headers, 'origin');
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
      return reply(spec.status, headers);
    }
    if (isOptions || spec.noBody) return reply(spec.status, headers);
    const has = (n: string): boolean => headers.some(([k]) => k.toLowerCase() === n);
    let body: Buffer | string;
    let type: string;
    if (scenario.call.api === 'img') [body, type] = [GIF, 'image/gif'];
    else if (scenario.call.api === 'script') [body, type] = ['void 0;\n', 'text/javascript'];
    else [body, type] = ['ok', 'text/plain'];
    if (!has('content-type')) headers.push(['Content-Type', type]);
    return reply(spec.status, headers, body);
  }

  /** Serialize a reply exactly: the logged header list IS the byte stream sent. */
  function write(socket: Socket, req: ParsedRequest, entry: ServerLogEntry, r: Reply): void {
    const buf = r.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body);
    const headers = [...r.headers];
    const bodyless = r.status === 204 || r.status === 304 || r.status < 200;
    if (!bodyless && !headers.some(([k]) => k.toLowerCase() === 'content-length'))
      headers.push(['Content-Length', String(buf.length)]);
    const statusText = STATUS_CODES[r.status] ?? 'Unknown';
    let head = `HTTP/1.1 ${r.status} ${statusText}\r\n`;
    for (const [k, v] of headers) head += `${k}: ${v}\r\n`;
    head += '\r\n';
    socket.write(Buffer.from(head, 'latin1'));
    if (!bodyless && req.method !== 'HEAD' && buf.length > 0) socket.write(buf);
    entry.response = { status: r.status, statusText, headers: headers.map(([name, value]) => ({ name, value })) };
  }

  function serve(socket: Socket, port: number): void {
    let buf: Buffer = Buffer.alloc(0);
    let busy = false;
    socket.on('error', () => {
      /* browser went away */
    });
    const pump = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      try {
        for (;;) {
          const got = takeRequest(buf);
          if (!got) break;
          buf = got.rest;
          const { req } = got;
          const host = lower(req.headers, 'host') ?? `127.0.0.1:${port}`;
          const url = new URL(req.target, `http://${host}`);
          const entry: ServerLogEntry = {
            seq: seq++,
            t: Date.now(),
            port,
            method: req.method,
            url: url.href,
            httpVersion: req.version,
            requestHeaders: req.headers,
            response: null,
          };
          log.push(entry);
          const r = await handle(req, entry, url);
          if (r.destroy || socket.destroyed) {
            socket.destroy();
            return;
          }
          write(socket, req, entry, r);
          if ((lower(req.headers, 'connection') ?? '').toLowerCase() === 'close') {
            socket.end();
            return;
          }
        }
      } finally {
        busy = false;
      }
      // Bytes may have arrived while the handler awaited.
      if (takeRequest(buf)) void pump();
    };
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      void pump();
    });
  }

  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  // `localhost` may resolve to ::1 first: listen there too when the machine has IPv6 loopback.
  const listenOn: Array<[number, string]> = [];
  for (const port of [ports.A, ports.B, ports.C]) listenOn.push([port, '127.0.0.1'], [port, '::1']);
  for (const [port, address] of listenOn) {
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      serve(socket, port);
    });
    const ok = await new Promise<boolean>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        address === '::1' && e.code !== 'EADDRINUSE' ? resolve(false) : reject(e),
      );
      server.listen(port, address, () => resolve(true));
    });
    if (ok) servers.push(server);
  }
  return {
    ports,
    log,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
