// "Mixed apps" for the merged-fix e2e test: real servers whose CORS config is partly right. The /api area
// allows two page origins with credentials, PUT/DELETE, Authorization, Content-Type and X-CSRF-Token, and
// exposes X-Request-Id and ETag; the /public area allows the same origins without credentials, GET only.
// A page then makes requests that work and requests that fail (a new method, a new header, an unexposed
// header, a credentialed call to /public). The fixed server is the same app with its CORS setup replaced
// by the generated config, as a user would paste it.
import http from 'node:http';
import type { Scenario } from './browser';
import type { Running } from './servers';

/** Requests from the main page origin: the first six work against the partly right config, the rest fail. */
export const MIXED_WORKING: Scenario[] = [
  { id: 'credentialed-get', path: '/api/me', method: 'GET', credentials: 'include' },
  {
    id: 'put-auth-json',
    path: '/api/items',
    method: 'PUT',
    credentials: 'include',
    headers: { Authorization: 'Bearer t0ken', 'Content-Type': 'application/json' },
    body: '{"name":"x"}',
  },
  { id: 'delete', path: '/api/items/1', method: 'DELETE', credentials: 'include' },
  { id: 'read-exposed', path: '/api/items', method: 'GET', credentials: 'include', read: 'X-Request-Id' },
  {
    id: 'csrf-post',
    path: '/api/items',
    method: 'POST',
    credentials: 'include',
    headers: { 'X-CSRF-Token': 'c5rf', 'Content-Type': 'application/json' },
    body: '{}',
  },
  { id: 'public-get', path: '/public/stats', method: 'GET' },
];

export const MIXED_FAILING: Scenario[] = [
  { id: 'new-method', path: '/api/items/1', method: 'PATCH', credentials: 'include' },
  { id: 'new-header', path: '/api/items', method: 'GET', credentials: 'include', headers: { 'X-Api-Key': 'k3y' } },
  { id: 'unexposed-header', path: '/api/items', method: 'GET', credentials: 'include', read: 'X-Total-Count' },
  { id: 'credentials-missing', path: '/public/stats', method: 'GET', credentials: 'include' },
];

/** From the second page origin: works today (not credentialed), reads the exposed ETag. */
export const MIXED_SECOND_ORIGIN: Scenario[] = [
  { id: 'second-origin-read', path: '/api/items', method: 'GET', read: 'ETag' },
];

/** Values the routes send, which a page reads back when exposed. */
export const READ_VALUES: Record<string, string> = { 'X-Request-Id': 'req-7', 'X-Total-Count': '42', ETag: '"v1"' };

export interface MixedServer {
  id: string;
  apt: string[];
  /** `code` null: the partly right config of the app; else the generated config replacing it. */
  start(o: { port: number; origins: string[]; code: string | null }): Promise<Running>;
}

export const jsList = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
export const pyList = (xs: string[]) => `[${xs.map((x) => `"${x}"`).join(', ')}]`;

/** The application behind the proxy: the mixed routes, no CORS; OPTIONS gets 405 like most routers. */
export async function startMixedBackend(port: number): Promise<Running> {
  const routes = [
    'GET /api/me',
    'GET /api/items',
    'PUT /api/items',
    'POST /api/items',
    'PATCH /api/items/1',
    'DELETE /api/items/1',
    'GET /public/stats',
  ];
  const server = http.createServer((req, res) => {
    const route = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
    if (req.method === 'OPTIONS') {
      res.statusCode = 405;
      res.end('method not allowed');
      return;
    }
    if (!routes.includes(route)) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    if (route === 'GET /api/items') {
      res.setHeader('X-Request-Id', 'req-7');
      res.setHeader('X-Total-Count', '42');
      res.setHeader('ETag', '"v1"');
    }
    res.setHeader('Content-Type', 'text/plain');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    logs: () => '',
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An anchored regex matching exactly these origins. */
export const originRegex = (origins: string[]) => `^(${origins.map((o) => o.replace(/[.]/g, '\\.')).join('|')})$`;
