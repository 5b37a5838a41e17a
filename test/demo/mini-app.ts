// A tiny Express-style framework on node:http (use/get/put/patch/options, next(), an error handler), so the
// demo API reads like the apps where these CORS mistakes are made, without another dependency to install.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Req extends http.IncomingMessage {
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
}

export interface Res extends http.ServerResponse {
  status(code: number): Res;
  json(body: unknown): void;
  send(body: string): void;
  redirect(status: number, location: string): void;
}

export type Next = (err?: unknown) => void;
export type Handler = (req: Req, res: Res, next: Next) => void | Promise<void>;

interface Layer {
  method: string | null;
  /** A prefix for use(), an exact pattern (`/todos/:id`) for routes. */
  path: string;
  prefix: boolean;
  handlers: Handler[];
}

export interface App {
  use(pathOrHandler: string | Handler, ...handlers: Handler[]): App;
  get(path: string, ...handlers: Handler[]): App;
  put(path: string, ...handlers: Handler[]): App;
  patch(path: string, ...handlers: Handler[]): App;
  options(path: string, ...handlers: Handler[]): App;
  listen(port: number, host: string): Promise<{ origin: string; port: number; close(): Promise<void> }>;
}

function match(layer: Layer, method: string, path: string): Record<string, string> | null {
  if (layer.method && layer.method !== method) return null;
  if (layer.prefix) return layer.path === '/' || path === layer.path || path.startsWith(layer.path + '/') ? {} : null;
  if (layer.path === '*') return {};
  const want = layer.path.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

/**
 * The final error handler behaves like Express's (finalhandler): it removes every header already set, CORS
 * headers included, before writing the 500 — which is why so many APIs' error pages fail CORS.
 * https://github.com/pillarjs/finalhandler/blob/master/index.js (`send`: "clear existing headers")
 */
function finalError(res: Res, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.statusCode = 500;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(`Internal Server Error: ${(err as Error)?.message ?? String(err)}\n`);
}

export function createApp(): App {
  const layers: Layer[] = [];
  const add =
    (method: string | null, prefix: boolean) =>
    (path: string, ...handlers: Handler[]) => {
      layers.push({ method, path, prefix, handlers });
      return app;
    };

  const handle = (rawReq: http.IncomingMessage, rawRes: http.ServerResponse) => {
    const u = new URL(rawReq.url ?? '/', 'http://local');
    const req = Object.assign(rawReq, { path: u.pathname, query: u.searchParams, params: {} }) as Req;
    const res = rawRes as Res;
    res.status = (code) => {
      res.statusCode = code;
      return res;
    };
    res.json = (body) => {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(body));
    };
    res.send = (body) => {
      if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(body);
    };
    res.redirect = (status, location) => {
      res.statusCode = status;
      res.setHeader('Location', location);
      res.end();
    };
    // Every handler of every matching layer, in registration order, each passing on with next().
    const chain: Array<{ handler: Handler; params: Record<string, string> }> = [];
    for (const layer of layers) {
      const params = match(layer, req.method ?? 'GET', req.path);
      if (params) for (const handler of layer.handlers) chain.push({ handler, params });
    }
    let i = 0;
    const next: Next = (err) => {
      if (err !== undefined) return finalError(res, err);
      const step = chain[i++];
      if (!step) {
        res.statusCode = 404;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end(`Cannot ${req.method} ${req.path}\n`);
        return;
      }
      req.params = step.params;
      try {
        const r = step.handler(req, res, next);
        if (r instanceof Promise) r.catch((e) => finalError(res, e));
      } catch (e) {
        finalError(res, e);
      }
    };
    next();
  };

  const app: App = {
    use(pathOrHandler, ...handlers) {
      if (typeof pathOrHandler === 'string') return add(null, true)(pathOrHandler, ...handlers);
      return add(null, true)('/', pathOrHandler, ...handlers);
    },
    get: add('GET', false),
    put: add('PUT', false),
    patch: add('PATCH', false),
    options: add('OPTIONS', false),
    listen: (port, host) => listenOn(http.createServer(handle), port, host),
  };
  return app;
}

/**
 * Listens on `port` (0: any free port). A busy preferred port falls back to a free one, so two demos, or a
 * demo and a developer's own server, can run side by side.
 */
export async function listenOn(
  server: http.Server,
  port: number,
  host: string,
): Promise<{ origin: string; port: number; close(): Promise<void> }> {
  const tryListen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (e: Error) => {
        server.off('listening', onListening);
        reject(e);
      };
      const onListening = () => {
        server.off('error', onError);
        resolve((server.address() as AddressInfo).port);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(p, host);
    });
  let actual: number;
  try {
    actual = await tryListen(port);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw e;
    actual = await tryListen(0);
  }
  // Keep-alive sockets would hold close() open: remember them and end them on close.
  return {
    origin: `http://${host}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
