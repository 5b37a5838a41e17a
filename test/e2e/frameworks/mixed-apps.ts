// "Mixed apps" for the merged-fix e2e test: real servers whose CORS config is partly right. The /api area
// allows two page origins with credentials, PUT/DELETE, Authorization, Content-Type and X-CSRF-Token, and
// exposes X-Request-Id and ETag; the /public area allows the same origins without credentials, GET only.
// A page then makes requests that work and requests that fail (a new method, a new header, an unexposed
// header, a credentialed call to /public). The fixed server is the same app with its CORS setup replaced
// by the generated config, as a user would paste it.
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from './browser';
import http from 'node:http';
import { apacheConf, freePort, nginxConf, REPO, scratchDir, startProcess, type Running } from './servers';

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

// ---------------------------------------------------------------------------------------------------
// Starlette: one Mount per area, each a Starlette app with its own CORSMiddleware.

const starletteAreas = (withCors: boolean, origins: string[]) => `from starlette.applications import Starlette as _Starlette
from starlette.middleware import Middleware as _Middleware
from starlette.middleware.cors import CORSMiddleware as _CORS
from starlette.responses import PlainTextResponse as _Text
from starlette.routing import Mount as _Mount, Route as _Route


async def _me(request):
    return _Text("me")


async def _items(request):
    if request.method == "GET":
        return _Text("items", headers={"X-Request-Id": "req-7", "X-Total-Count": "42", "ETag": '"v1"'})
    return _Text(request.method.lower())


async def _item(request):
    return _Text(request.method.lower())


async def _stats(request):
    return _Text("stats")


_api_cors = ${withCors ? `[_Middleware(_CORS, allow_origins=${pyList(origins)}, allow_credentials=True, allow_methods=["GET", "POST", "PUT", "DELETE"], allow_headers=["Authorization", "Content-Type", "X-CSRF-Token"], expose_headers=["X-Request-Id", "ETag"])]` : '[]'}
_public_cors = ${withCors ? `[_Middleware(_CORS, allow_origins=${pyList(origins)}, allow_methods=["GET"])]` : '[]'}
routes = [
    _Mount("/api", app=_Starlette(routes=[
        _Route("/me", _me),
        _Route("/items", _items, methods=["GET", "PUT", "POST"]),
        _Route("/items/{item_id:int}", _item, methods=["PATCH", "DELETE"]),
    ], middleware=_api_cors)),
    _Mount("/public", app=_Starlette(routes=[_Route("/stats", _stats)], middleware=_public_cors)),
]`;

const starletteMixed: MixedServer = {
  id: 'starlette', apt: ['python3-starlette', 'python3-uvicorn'],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-starlette');
    const areas = starletteAreas(code === null, origins);
    // Harness adaptation: the test routes where "your routes" go.
    const src = code === null ? `${areas}\n\napp = _Starlette(routes=routes)  # no CORS at the root: each area has its own\n` :
      code.replace('routes = []  # your routes', areas);
    writeFileSync(join(dir, 'app.py'), src);
    return startProcess('/usr/bin/python3', ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// Flask-CORS: one `resources` entry per area.

const FLASK_ROUTES = (port: number) => `

@app.route("/api/me")
def _me():
    return "me"


@app.route("/api/items", methods=["GET", "PUT", "POST"])
def _items():
    from flask import request
    if request.method == "GET":
        return "items", 200, {"X-Request-Id": "req-7", "X-Total-Count": "42", "ETag": '"v1"'}
    return request.method.lower()


@app.route("/api/items/<int:item_id>", methods=["PATCH", "DELETE"])
def _item(item_id):
    return "item"


@app.route("/public/stats")
def _stats():
    return "stats"


app.run(host="127.0.0.1", port=${port})
`;

const flaskBroken = (origins: string[]) => `from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
CORS(app, resources={
    r"/api/*": {"origins": ${pyList(origins)}, "supports_credentials": True, "methods": ["GET", "POST", "PUT", "DELETE"],
                "allow_headers": ["Authorization", "Content-Type", "X-CSRF-Token"], "expose_headers": ["X-Request-Id", "ETag"]},
    r"/public/*": {"origins": ${pyList(origins)}, "methods": ["GET"]},
})
`;

const flaskMixed: MixedServer = {
  id: 'flask-cors', apt: ['python3-flask', 'python3-flask-cors'],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-flask');
    writeFileSync(join(dir, 'app.py'), `${code ?? flaskBroken(origins)}\n${FLASK_ROUTES(port)}`);
    return startProcess('/usr/bin/python3', [join(dir, 'app.py')], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// Fastify + @fastify/cors: one encapsulated plugin per area prefix, each registering cors itself.

const fastifyAreas = (withCors: boolean, origins: string[]) => `
await fastify.register(async (api) => {
  ${withCors ? `await api.register(cors, { origin: ${jsList(origins)}, credentials: true, methods: ['GET', 'POST', 'PUT', 'DELETE'], allowedHeaders: ['Authorization', 'Content-Type', 'X-CSRF-Token'], exposedHeaders: ['X-Request-Id', 'ETag'] });` : ''}
  api.get('/me', async () => 'me');
  api.get('/items', async (req, reply) => { reply.header('X-Request-Id', 'req-7').header('X-Total-Count', '42').header('ETag', '"v1"'); return 'items'; });
  api.put('/items', async () => 'put');
  api.post('/items', async () => 'post');
  api.patch('/items/:id', async () => 'patch');
  api.delete('/items/:id', async () => 'delete');
}, { prefix: '/api' });
await fastify.register(async (pub) => {
  ${withCors ? `await pub.register(cors, { origin: ${jsList(origins)}, methods: ['GET'] });` : ''}
  pub.get('/stats', async () => 'stats');
}, { prefix: '/public' });
`;

const FASTIFY_HEAD = `import Fastify from 'fastify';
import cors from '@fastify/cors';
const fastify = Fastify();
`;

const fastifyMixed: MixedServer = {
  id: 'fastify', apt: [],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-fastify');
    const file = join(dir, 'server.mjs');
    writeFileSync(file, `${code ?? FASTIFY_HEAD}\n${fastifyAreas(code === null, origins)}\nawait fastify.listen({ port: ${port}, host: '127.0.0.1' });\n`);
    return startProcess(process.execPath, [file], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// Hono (hono/cors) on @hono/node-server: one cors() per path pattern.

const honoRoutes = (withCors: boolean, origins: string[], port: number) => `
import { serve } from '@hono/node-server';
${withCors ? `app.use('/api/*', cors({ origin: ${jsList(origins)}, credentials: true, allowMethods: ['GET', 'POST', 'PUT', 'DELETE'], allowHeaders: ['Authorization', 'Content-Type', 'X-CSRF-Token'], exposeHeaders: ['X-Request-Id', 'ETag'] }));
app.use('/public/*', cors({ origin: ${jsList(origins)}, allowMethods: ['GET'] }));` : ''}
app.get('/api/me', (c) => c.text('me'));
app.get('/api/items', (c) => { c.header('X-Request-Id', 'req-7'); c.header('X-Total-Count', '42'); c.header('ETag', '"v1"'); return c.text('items'); });
app.put('/api/items', (c) => c.text('put'));
app.post('/api/items', (c) => c.text('post'));
app.patch('/api/items/:id', (c) => c.text('patch'));
app.delete('/api/items/:id', (c) => c.text('delete'));
app.get('/public/stats', (c) => c.text('stats'));
serve({ fetch: app.fetch, port: ${port}, hostname: '127.0.0.1' });
`;

const HONO_HEAD = `import { Hono } from 'hono';
import { cors } from 'hono/cors';
const app = new Hono();
`;

const honoMixed: MixedServer = {
  id: 'hono', apt: [],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-hono');
    const file = join(dir, 'server.mjs');
    // The generated src/index.ts ends with `export default app`; the harness serves it on a port instead.
    const head = code ? code.replace('export default app;', '') : HONO_HEAD;
    writeFileSync(file, `${head}\n${honoRoutes(code === null, origins, port)}`);
    return startProcess(process.execPath, [file], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// Koa + @koa/cors: one cors() per path prefix, chosen by a small dispatcher (no router package).

const koaRoutes = (withCors: boolean, origins: string[], port: number) => `
${withCors ? `const allowed = new Set(${jsList(origins)});
const pick = (ctx) => (allowed.has(ctx.get('Origin')) ? ctx.get('Origin') : '');
const apiCors = cors({ origin: pick, credentials: true, allowMethods: ['GET', 'POST', 'PUT', 'DELETE'], allowHeaders: ['Authorization', 'Content-Type', 'X-CSRF-Token'], exposeHeaders: ['X-Request-Id', 'ETag'] });
const publicCors = cors({ origin: pick, allowMethods: ['GET'] });
app.use((ctx, next) => (ctx.path.startsWith('/api/') ? apiCors : publicCors)(ctx, next));` : ''}
app.use(async (ctx) => {
  const route = ctx.method + ' ' + ctx.path;
  if (route === 'GET /api/items') ctx.set({ 'X-Request-Id': 'req-7', 'X-Total-Count': '42', ETag: '"v1"' });
  if (['GET /api/me', 'GET /api/items', 'PUT /api/items', 'POST /api/items', 'PATCH /api/items/1', 'DELETE /api/items/1', 'GET /public/stats'].includes(route)) ctx.body = 'ok';
  else if (ctx.method === 'OPTIONS') ctx.status = 405;
});
app.listen(${port}, '127.0.0.1');
`;

const KOA_HEAD = `import Koa from 'koa';
import cors from '@koa/cors';
const app = new Koa();
`;

const koaMixed: MixedServer = {
  id: 'koa', apt: [],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-koa');
    const file = join(dir, 'server.mjs');
    writeFileSync(file, `${code ?? KOA_HEAD}\n${koaRoutes(code === null, origins, port)}`);
    return startProcess(process.execPath, [file], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// rack-cors under puma: one `resource` per area in the same `allow` block.

const RACK_APP = `
run lambda { |env|
  route = "#{env['REQUEST_METHOD']} #{env['PATH_INFO']}"
  case route
  when 'GET /api/items' then [200, { 'Content-Type' => 'text/plain', 'X-Request-Id' => 'req-7', 'X-Total-Count' => '42', 'ETag' => '"v1"' }, ['items']]
  when 'GET /api/me', 'PUT /api/items', 'POST /api/items', 'PATCH /api/items/1', 'DELETE /api/items/1', 'GET /public/stats'
    [200, { 'Content-Type' => 'text/plain' }, ['ok']]
  when /^OPTIONS / then [405, { 'Content-Type' => 'text/plain' }, ['method not allowed']]
  else [404, { 'Content-Type' => 'text/plain' }, ['not found']]
  end
}
`;

const rackBroken = (origins: string[]) => `use Rack::Cors do
  allow do
    origins ${origins.map((o) => `'${o}'`).join(', ')}
    resource '/api/*', headers: ['Authorization', 'Content-Type', 'X-CSRF-Token'], methods: [:get, :post, :put, :delete],
      expose: ['X-Request-Id', 'ETag'], credentials: true
    resource '/public/*', methods: [:get]
  end
end
`;

const railsMixed: MixedServer = {
  id: 'rails', apt: ['ruby-rack-cors', 'ruby-rack', 'puma'],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-rack');
    // Harness adaptation: outside Rails, the same block is mounted with Rack's `use`.
    const corsBlock = code ? code.replace('Rails.application.config.middleware.insert_before 0, Rack::Cors do', 'use Rack::Cors do') : rackBroken(origins);
    writeFileSync(join(dir, 'config.ru'), `require 'rack/cors'\n${corsBlock}\n${RACK_APP}`);
    return startProcess('puma', ['-b', `tcp://127.0.0.1:${port}`, '-t', '1:4', join(dir, 'config.ru')], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// Go rs/cors: one cors.New per area, each wrapping that area's mux.

const GO_MIXED_HANDLERS = `mux := http.NewServeMux()
	ok := func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }
	mux.HandleFunc("/api/me", ok)
	mux.HandleFunc("/api/items", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "GET" {
			w.Header().Set("X-Request-Id", "req-7")
			w.Header().Set("X-Total-Count", "42")
			w.Header().Set("ETag", "\\"v1\\"")
		}
		w.Write([]byte("items"))
	})
	mux.HandleFunc("/api/items/", ok)
	mux.HandleFunc("/public/stats", ok)`;

const goBroken = (origins: string[]) => `package main

import (
	"log"
	"net/http"

	"github.com/rs/cors"
)

func main() {
	${GO_MIXED_HANDLERS}
	origins := []string{${origins.map((o) => `"${o}"`).join(', ')}}
	api := cors.New(cors.Options{AllowedOrigins: origins, AllowCredentials: true, AllowedMethods: []string{"GET", "POST", "PUT", "DELETE"},
		AllowedHeaders: []string{"Authorization", "Content-Type", "X-CSRF-Token"}, ExposedHeaders: []string{"X-Request-Id", "ETag"}})
	public := cors.New(cors.Options{AllowedOrigins: origins, AllowedMethods: []string{"GET"}})
	root := http.NewServeMux()
	root.Handle("/api/", api.Handler(mux))
	root.Handle("/public/", public.Handler(mux))
	log.Fatal(http.ListenAndServe(":8080", root))
}
`;

/** Plain net/http: one hand-written CORS wrapper per area (what the go-net-http renderer replaces). */
const goNetHttpBroken = (origins: string[]) => `package main

import (
	"log"
	"net/http"
)

var allowedOrigins = map[string]bool{${origins.map((o) => `"${o}": true`).join(', ')}}

func withCORS(next http.Handler, credentials bool, methods, headers, expose string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		if allowedOrigins[origin] {
			h.Set("Access-Control-Allow-Origin", origin)
			if credentials {
				h.Set("Access-Control-Allow-Credentials", "true")
			}
			if expose != "" {
				h.Set("Access-Control-Expose-Headers", expose)
			}
			if r.Method == http.MethodOptions {
				h.Set("Access-Control-Allow-Methods", methods)
				if headers != "" {
					h.Set("Access-Control-Allow-Headers", headers)
				}
			}
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func main() {
	${GO_MIXED_HANDLERS}
	root := http.NewServeMux()
	root.Handle("/api/", withCORS(mux, true, "GET, POST, PUT, DELETE", "Authorization, Content-Type, X-CSRF-Token", "X-Request-Id, ETag"))
	root.Handle("/public/", withCORS(mux, false, "GET", "", ""))
	log.Fatal(http.ListenAndServe(":8080", root))
}
`;

function goMixedServer(id: string, apt: string[], broken: (origins: string[]) => string): MixedServer {
  return {
    id, apt,
    async start({ port, origins, code }) {
      const dir = scratchDir(`mixed-${id}`);
      // Harness adaptations: the test handlers where "your handlers" go, and a loopback address.
      const src = (code ?? broken(origins)).replace('mux := http.NewServeMux() // your handlers', GO_MIXED_HANDLERS)
        .replace('":8080"', `"127.0.0.1:${port}"`);
      writeFileSync(join(dir, 'main.go'), src);
      const env = { GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: join(REPO, 'node_modules', '.cache', 'cors-lens-gocache'), GOFLAGS: '' };
      const b = spawnSync('go', ['build', '-o', join(dir, 'server'), join(dir, 'main.go')], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 300_000 });
      if (b.status !== 0) throw new Error(`go build failed:\n${b.stdout}${b.stderr}\n${src}`);
      return startProcess(join(dir, 'server'), [], port, { cwd: dir });
    },
  };
}

const goMixed = goMixedServer('go-rs-cors', ['golang-go', 'golang-github-rs-cors-dev'], goBroken);
const goNetHttpMixed = goMixedServer('go-net-http', ['golang-go'], goNetHttpBroken);

// ---------------------------------------------------------------------------------------------------
// nginx in front of a plain backend: one location per area, each with its own add_header set.

/** The application behind the proxy: the mixed routes, no CORS; OPTIONS gets 405 like most routers. */
export async function startMixedBackend(port: number): Promise<Running> {
  const routes = ['GET /api/me', 'GET /api/items', 'PUT /api/items', 'POST /api/items', 'PATCH /api/items/1', 'DELETE /api/items/1', 'GET /public/stats'];
  const server = http.createServer((req, res) => {
    const route = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
    if (req.method === 'OPTIONS') { res.statusCode = 405; res.end('method not allowed'); return; }
    if (!routes.includes(route)) { res.statusCode = 404; res.end('not found'); return; }
    if (route === 'GET /api/items') { res.setHeader('X-Request-Id', 'req-7'); res.setHeader('X-Total-Count', '42'); res.setHeader('ETag', '"v1"'); }
    res.setHeader('Content-Type', 'text/plain');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { logs: () => '', close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

const nginxBroken = (port: number, backendPort: number, origins: string[]) => `
    map $http_origin $cors_origin {
        default "";
${origins.map((o) => `        "${o}" $http_origin;`).join('\n')}
    }
    server {
        listen 127.0.0.1:${port};
        location /api/ {
            if ($request_method = OPTIONS) {
                add_header Access-Control-Allow-Origin $cors_origin always;
                add_header Access-Control-Allow-Credentials "true" always;
                add_header Access-Control-Allow-Methods "GET, POST, PUT, DELETE" always;
                add_header Access-Control-Allow-Headers "Authorization, Content-Type, X-CSRF-Token" always;
                add_header Vary Origin always;
                return 204;
            }
            add_header Access-Control-Allow-Origin $cors_origin always;
            add_header Access-Control-Allow-Credentials "true" always;
            add_header Access-Control-Expose-Headers "X-Request-Id, ETag" always;
            add_header Vary Origin always;
            proxy_pass http://127.0.0.1:${backendPort};
        }
        location /public/ {
            if ($request_method = OPTIONS) {
                add_header Access-Control-Allow-Origin $cors_origin always;
                add_header Access-Control-Allow-Methods "GET" always;
                add_header Vary Origin always;
                return 204;
            }
            add_header Access-Control-Allow-Origin $cors_origin always;
            add_header Vary Origin always;
            proxy_pass http://127.0.0.1:${backendPort};
        }
    }`;

const nginxMixed: MixedServer = {
  id: 'nginx', apt: ['nginx'],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-nginx');
    const backendPort = await freePort();
    const backend = await startMixedBackend(backendPort);
    // Harness adaptations only: bind loopback, and point "your upstream" at the test backend.
    const body = code === null ? nginxBroken(port, backendPort, origins) :
      code.replace(`listen ${port};`, `listen 127.0.0.1:${port};`).replace('proxy_pass http://127.0.0.1:3000;', `proxy_pass http://127.0.0.1:${backendPort};`);
    writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, body));
    let proxy: Running;
    try {
      proxy = await startProcess('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], port, { cwd: dir });
    } catch (e) {
      await backend.close();
      throw e;
    }
    return { logs: () => proxy.logs(), close: async () => { await proxy.close(); await backend.close(); } };
  },
};

// ---------------------------------------------------------------------------------------------------
// NestJS 12 (Express adapter): app.use(path, cors(...)) per area; routes on the underlying Express instance
// (plain ESM, no decorators in Node 20, as in servers.ts).

const NEST_MODULE = `import 'reflect-metadata';
import { Module } from '@nestjs/common';
class AppModule {}
Module({})(AppModule);`;

const nestRoutes = (port: number) => `const server = app.getHttpAdapter().getInstance();
  server.get('/api/me', (req, res) => res.send('me'));
  server.get('/api/items', (req, res) => { res.set({ 'X-Request-Id': 'req-7', 'X-Total-Count': '42', ETag: '"v1"' }); res.send('items'); });
  server.put('/api/items', (req, res) => res.send('put'));
  server.post('/api/items', (req, res) => res.send('post'));
  server.patch('/api/items/:id', (req, res) => res.send('patch'));
  server.delete('/api/items/:id', (req, res) => res.send('delete'));
  server.get('/public/stats', (req, res) => res.send('stats'));
  await app.listen(${port}, '127.0.0.1');`;

const nestBroken = (origins: string[]) => `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import cors from 'cors';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.use('/api', cors({ origin: ${jsList(origins)}, credentials: true, methods: ['GET', 'POST', 'PUT', 'DELETE'], allowedHeaders: ['Authorization', 'Content-Type', 'X-CSRF-Token'], exposedHeaders: ['X-Request-Id', 'ETag'] }));
  app.use('/public', cors({ origin: ${jsList(origins)}, methods: ['GET'] }));
  await app.listen(process.env.PORT ?? 3000);
}
bootstrap();
`;

const nestMixed: MixedServer = {
  id: 'nestjs', apt: [],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-nestjs');
    // Harness adaptations: the module inline, the test routes and a loopback address where listen() is.
    const src = (code ?? nestBroken(origins)).replace("import { AppModule } from './app.module';", NEST_MODULE)
      .replace('await app.listen(process.env.PORT ?? 3000);', nestRoutes(port))
      .replace('const app = await NestFactory.create(AppModule);', 'const app = await NestFactory.create(AppModule, { logger: false });');
    writeFileSync(join(dir, 'main.mjs'), src);
    return startProcess(process.execPath, [join(dir, 'main.mjs')], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// Apache httpd and Caddy in front of the plain backend: one header set per path.

const originRegex = (origins: string[]) => `^(${origins.map((o) => o.replace(/[.]/g, '\\.')).join('|')})$`;

const apacheBroken = (origins: string[]) => `SetEnvIf Origin "${originRegex(origins)}" CORS_ORIGIN=$0
<Location "/api/">
    Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN
    Header always set Access-Control-Allow-Credentials "true" env=CORS_ORIGIN
    Header always set Access-Control-Expose-Headers "X-Request-Id, ETag" env=CORS_ORIGIN
    Header always set Access-Control-Allow-Methods "GET, POST, PUT, DELETE" env=CORS_ORIGIN
    Header always set Access-Control-Allow-Headers "Authorization, Content-Type, X-CSRF-Token" env=CORS_ORIGIN
</Location>
<Location "/public/">
    Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN
    Header always set Access-Control-Allow-Methods "GET" env=CORS_ORIGIN
</Location>
Header always merge Vary "Origin"
RewriteEngine On
RewriteCond %{REQUEST_METHOD} =OPTIONS
RewriteRule ^ - [R=204,L]
`;

function proxied(id: string, apt: string[], run: (dir: string, port: number, backendPort: number, body: string) => Promise<Running>,
  broken: (port: number, backendPort: number, origins: string[]) => string, adapt: (code: string, port: number, backendPort: number) => string): MixedServer {
  return {
    id, apt,
    async start({ port, origins, code }) {
      const dir = scratchDir(`mixed-${id}`);
      const backendPort = await freePort();
      const backend = await startMixedBackend(backendPort);
      try {
        const proxy = await run(dir, port, backendPort, code === null ? broken(port, backendPort, origins) : adapt(code, port, backendPort));
        return { logs: () => proxy.logs(), close: async () => { await proxy.close(); await backend.close(); } };
      } catch (e) {
        await backend.close();
        throw e;
      }
    },
  };
}

const apacheMixed = proxied('apache', ['apache2'], async (dir, port, backendPort, body) => {
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'apache.conf'), apacheConf(dir, port, backendPort, body));
  return startProcess('apache2', ['-f', join(dir, 'apache.conf'), '-DFOREGROUND'], port, { cwd: dir });
}, (_port, _backendPort, origins) => apacheBroken(origins), (code) => code);

const caddyBroken = (port: number, backendPort: number, origins: string[]) => `http://127.0.0.1:${port} {
	@api_origin {
		path /api/*
		header_regexp Origin "${originRegex(origins)}"
	}
	@public_origin {
		path /public/*
		header_regexp Origin "${originRegex(origins)}"
	}
	header Vary Origin
	header @api_origin {
		Access-Control-Allow-Origin "{http.request.header.Origin}"
		Access-Control-Allow-Credentials true
		Access-Control-Expose-Headers "X-Request-Id, ETag"
		Access-Control-Allow-Methods "GET, POST, PUT, DELETE"
		Access-Control-Allow-Headers "Authorization, Content-Type, X-CSRF-Token"
	}
	header @public_origin {
		Access-Control-Allow-Origin "{http.request.header.Origin}"
		Access-Control-Allow-Methods "GET"
	}
	@preflight method OPTIONS
	handle @preflight {
		respond 204
	}
	handle {
		reverse_proxy 127.0.0.1:${backendPort}
	}
}
`;

const caddyMixed = proxied('caddy', ['caddy'], async (dir, port, _backendPort, site) => {
  // Harness adaptations: no admin endpoint / automatic HTTPS.
  writeFileSync(join(dir, 'Caddyfile'), `{\n\tadmin off\n\tauto_https off\n}\n\n${site}`);
  return startProcess('caddy', ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], port, {
    cwd: dir, env: { XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, HOME: dir },
  });
}, caddyBroken, (code, _port, backendPort) => code.replace('reverse_proxy 127.0.0.1:3000', `reverse_proxy 127.0.0.1:${backendPort}`));

// ---------------------------------------------------------------------------------------------------
// Django: django-cors-headers for /api only (CORS_URLS_REGEX), and a hand-written CORS view for /public.

const DJANGO_BASE_SETTINGS = `SECRET_KEY = "e2e-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "urls"
INSTALLED_APPS = []
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
DATABASES = {}
USE_TZ = True
`;

const djangoBroken = (origins: string[]) => `INSTALLED_APPS += ["corsheaders"]
MIDDLEWARE.insert(0, "corsheaders.middleware.CorsMiddleware")
CORS_ALLOWED_ORIGINS = ${pyList(origins)}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOW_METHODS = ["GET", "POST", "PUT", "DELETE"]
CORS_ALLOW_HEADERS = ["authorization", "content-type", "x-csrf-token"]
CORS_EXPOSE_HEADERS = ["X-Request-Id", "ETag"]
`;

const djangoUrls = (publicCors: boolean, origins: string[]) => `from django.http import HttpResponse
from django.urls import path

PUBLIC_CORS = ${publicCors ? 'True' : 'False'}
ORIGINS = ${pyList(origins)}


def me(request):
    return HttpResponse("me")


def items(request):
    response = HttpResponse(request.method.lower())
    if request.method == "GET":
        response["X-Request-Id"] = "req-7"
        response["X-Total-Count"] = "42"
        response["ETag"] = '"v1"'
    return response


def item(request, item_id):
    return HttpResponse(request.method.lower())


def stats(request):
    response = HttpResponse(status=204) if request.method == "OPTIONS" else HttpResponse("stats")
    origin = request.headers.get("Origin")
    if PUBLIC_CORS and origin in ORIGINS:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "GET"
        response["Vary"] = "Origin"
    return response


urlpatterns = [path("api/me", me), path("api/items", items), path("api/items/<int:item_id>", item), path("public/stats", stats)]
`;

const djangoMixed: MixedServer = {
  id: 'django', apt: ['python3-django', 'python3-django-cors-headers'],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-django');
    writeFileSync(join(dir, 'settings.py'), `${DJANGO_BASE_SETTINGS}\n${code ?? djangoBroken(origins)}`);
    // The generated settings replace the whole CORS setup, the hand-written /public headers included.
    writeFileSync(join(dir, 'urls.py'), djangoUrls(code === null, origins));
    writeFileSync(join(dir, 'app.py'), [
      'import os, sys', 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")',
      'from django.core.management import execute_from_command_line',
      `execute_from_command_line([sys.argv[0], "runserver", "--noreload", "127.0.0.1:${port}"])`, '',
    ].join('\n'));
    return startProcess('/usr/bin/python3', [join(dir, 'app.py')], port, { cwd: dir });
  },
};

export const MIXED_SERVERS: MixedServer[] = [
  expressMixed, fastapiMixed, starletteMixed, flaskMixed, fastifyMixed, honoMixed, koaMixed, railsMixed, goMixed, goNetHttpMixed, nginxMixed, nestMixed, apacheMixed, caddyMixed, djangoMixed,
];
