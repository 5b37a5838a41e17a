// "Mixed apps" for the merged-fix e2e test: real servers whose CORS config is partly right. The /api area
// allows two page origins with credentials, PUT/DELETE, Authorization, Content-Type and X-CSRF-Token, and
// exposes X-Request-Id and ETag; the /public area allows the same origins without credentials, GET only.
// A page then makes requests that work and requests that fail (a new method, a new header, an unexposed
// header, a credentialed call to /public). The fixed server is the same app with its CORS setup replaced
// by the generated config, as a user would paste it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from './browser';
import { scratchDir, startProcess, type Running } from './servers';

/** Requests from the main page origin: the first six work against the partly right config, the rest fail. */
export const MIXED_WORKING: Scenario[] = [
  { id: 'credentialed-get', path: '/api/me', method: 'GET', credentials: 'include' },
  { id: 'put-auth-json', path: '/api/items', method: 'PUT', credentials: 'include', headers: { Authorization: 'Bearer t0ken', 'Content-Type': 'application/json' }, body: '{"name":"x"}' },
  { id: 'delete', path: '/api/items/1', method: 'DELETE', credentials: 'include' },
  { id: 'read-exposed', path: '/api/items', method: 'GET', credentials: 'include', read: 'X-Request-Id' },
  { id: 'csrf-post', path: '/api/items', method: 'POST', credentials: 'include', headers: { 'X-CSRF-Token': 'c5rf', 'Content-Type': 'application/json' }, body: '{}' },
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

const jsList = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
const pyList = (xs: string[]) => `[${xs.map((x) => `"${x}"`).join(', ')}]`;

// ---------------------------------------------------------------------------------------------------
// Express + cors: one Router per area, each with its own cors() options.

const expressRoutes = (withCors: boolean, origins: string[]) => `
const api = express.Router();
${withCors ? `api.use(cors({ origin: ${jsList(origins)}, credentials: true, methods: ['GET', 'POST', 'PUT', 'DELETE'], allowedHeaders: ['Authorization', 'Content-Type', 'X-CSRF-Token'], exposedHeaders: ['X-Request-Id', 'ETag'] }));` : ''}
api.get('/me', (req, res) => res.send('me'));
api.get('/items', (req, res) => { res.set({ 'X-Request-Id': 'req-7', 'X-Total-Count': '42', ETag: '"v1"' }); res.send('items'); });
api.put('/items', (req, res) => res.send('put'));
api.post('/items', (req, res) => res.send('post'));
api.patch('/items/:id', (req, res) => res.send('patch'));
api.delete('/items/:id', (req, res) => res.send('delete'));
const pub = express.Router();
${withCors ? `pub.use(cors({ origin: ${jsList(origins)}, methods: ['GET'] }));` : ''}
pub.get('/stats', (req, res) => res.send('stats'));
app.use('/api', api);
app.use('/public', pub);
`;

const EXPRESS_HEAD = `import express from 'express';
import cors from 'cors';
const app = express();
`;

const expressMixed: MixedServer = {
  id: 'express', apt: [],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-express');
    const file = join(dir, 'server.mjs');
    writeFileSync(file, `${code ?? EXPRESS_HEAD}\n${expressRoutes(code === null, origins)}\napp.listen(${port}, '127.0.0.1');\n`);
    return startProcess(process.execPath, [file], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// FastAPI (Starlette's CORSMiddleware): one mounted sub-application per area, each with its own middleware.

const fastapiAreas = (withCors: boolean, origins: string[]) => `
from fastapi import FastAPI as _FastAPI, Response as _Response
${withCors ? 'from fastapi.middleware.cors import CORSMiddleware as _CORS' : ''}

api = _FastAPI()
public = _FastAPI()
${withCors ? `api.add_middleware(_CORS, allow_origins=${pyList(origins)}, allow_credentials=True, allow_methods=["GET", "POST", "PUT", "DELETE"], allow_headers=["Authorization", "Content-Type", "X-CSRF-Token"], expose_headers=["X-Request-Id", "ETag"])
public.add_middleware(_CORS, allow_origins=${pyList(origins)}, allow_methods=["GET"])` : ''}


@api.get("/me")
def _me():
    return "me"


@api.get("/items")
def _items(response: _Response):
    response.headers["X-Request-Id"] = "req-7"
    response.headers["X-Total-Count"] = "42"
    response.headers["ETag"] = '"v1"'
    return "items"


@api.put("/items")
def _put():
    return "put"


@api.post("/items")
def _post():
    return "post"


@api.patch("/items/{item_id}")
def _patch(item_id: int):
    return "patch"


@api.delete("/items/{item_id}")
def _delete(item_id: int):
    return "delete"


@public.get("/stats")
def _stats():
    return "stats"


app.mount("/api", api)
app.mount("/public", public)
`;

const fastapiMixed: MixedServer = {
  id: 'fastapi', apt: ['python3-fastapi', 'python3-starlette', 'python3-uvicorn'],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-fastapi');
    const areas = fastapiAreas(code === null, origins);
    let src: string;
    if (code === null) src = `from fastapi import FastAPI\n\napp = FastAPI()  # no CORS at the root: each area has its own\n${areas}`;
    else {
      // The wrap form (app = CORSMiddleware(app=app, ...)) leaves a placeholder where routes go.
      const marker = '# ... your routes and other middleware ...';
      src = code.includes(marker) ? code.replace(marker, areas) : `${code}\n${areas}`;
    }
    writeFileSync(join(dir, 'main.py'), src);
    return startProcess('/usr/bin/python3', ['-m', 'uvicorn', 'main:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'], port, { cwd: dir });
  },
};

export const MIXED_SERVERS: MixedServer[] = [expressMixed, fastapiMixed];
