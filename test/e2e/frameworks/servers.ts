// Real servers for the framework e2e tests, each started on 127.0.0.1 with either a deliberately broken
// CORS config or the config our renderer generated (spliced into a tiny app with the test routes).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';

export const REPO = join(__dirname, '..', '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, logs: () => string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${logs()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`port ${port} never opened:\n${logs()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Running {
  close(): Promise<void>;
  logs(): string;
}

/** Start a child process, wait for its port, stop it by its own pid (then remove its scratch dir `cwd`). */
export async function startProcess(
  cmd: string,
  args: string[],
  port: number,
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Running> {
  const cleanup = () => {
    if (opts.cwd?.includes('cors-lens-e2e')) rmSync(opts.cwd, { recursive: true, force: true });
  };
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const logs = () => out.slice(-4000);
  try {
    await waitForPort(port, child, logs);
  } catch (e) {
    child.kill('SIGKILL');
    throw e; // the scratch dir is kept for a post-mortem
  }
  return {
    logs,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          cleanup();
          return resolve();
        }
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(t);
          cleanup();
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Scratch dir under the repo, so `import 'express'` in generated files resolves to our node_modules. */
export function scratchDir(name: string): string {
  const base = join(REPO, 'node_modules', '.cache', 'cors-lens-e2e');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${name}-`));
}

/**
 * The application behind proxies (nginx): the test routes and no CORS at all. Unknown methods on a
 * known path (OPTIONS) get 405, like most routers.
 */
export async function startBackend(port: number): Promise<Running> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const known = ['/api/items', '/api/me', '/api/items/1', '/api/boom', '/api/dup'].includes(path);
    if (!known) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    if (req.method === 'OPTIONS') {
      res.statusCode = 405;
      res.setHeader('Allow', 'GET, PUT, PATCH');
      res.end('method not allowed');
      return;
    }
    if (path === '/api/boom') {
      res.statusCode = 500;
      res.end('internal error');
      return;
    }
    // An app doing its own (reflecting) CORS behind a proxy that adds CORS too.
    if (path === '/api/dup' && req.headers.origin) res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
    if (path === '/api/items' && req.method === 'GET') res.setHeader('X-Total-Count', '42');
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

export interface FrameworkServer {
  /** Renderer id in src/suggest/frameworks. */
  id: string;
  /** Debian packages it needs (installed through test/scripts/ensure-apt.mjs). */
  apt: string[];
  /** Needs the no-CORS backend (proxies). */
  backend: boolean;
  /** Its broken config loses CORS headers on a 500, so the error scenario is replayed too. */
  errorsLoseCors?: boolean;
  /** Start it with `code` = our generated config, or null for the deliberately broken one. */
  start(o: { port: number; backendPort: number; code: string | null }): Promise<Running>;
}

// ---------------------------------------------------------------------------------------------------
// Express + cors

const EXPRESS_ROUTES = `
app.get('/api/items', (req, res) => { res.set('X-Total-Count', '42'); res.send('ok'); });
app.put('/api/items', (req, res) => res.send('ok'));
app.patch('/api/items/:id', (req, res) => res.send('ok'));
app.get('/api/me', (req, res) => res.send('ok'));
`;

/** Broken: cors() with the default origin '*', only GET/POST and content-type. */
const EXPRESS_BROKEN = `import express from 'express';
import cors from 'cors';
const app = express();
app.use(cors({ methods: ['GET', 'POST'], allowedHeaders: ['content-type'] }));
`;

const express: FrameworkServer = {
  id: 'express',
  apt: [],
  backend: false,
  async start({ port, code }) {
    const dir = scratchDir('express');
    const file = join(dir, 'server.mjs');
    writeFileSync(file, `${code ?? EXPRESS_BROKEN}\n${EXPRESS_ROUTES}\napp.listen(${port}, '127.0.0.1');\n`);
    return startProcess(process.execPath, [file], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// FastAPI (Debian python3-fastapi 0.92 / starlette 0.26) under uvicorn

const FASTAPI_ROUTES = `
from fastapi import Response as _Response


@app.get("/api/items")
def _items(response: _Response):
    response.headers["X-Total-Count"] = "42"
    return "ok"


@app.put("/api/items")
def _put_items():
    return "ok"


@app.patch("/api/items/{item_id}")
def _patch_item(item_id: int):
    return "ok"


@app.get("/api/me")
def _me():
    return "ok"


@app.get("/api/boom")
def _boom():
    raise RuntimeError("unhandled")
`;

/** Broken: allow_origins=["*"] and Starlette's defaults (GET only, no extra headers, no credentials). */
const FASTAPI_BROKEN = `from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["*"])
`;

const fastapi: FrameworkServer = {
  id: 'fastapi',
  apt: ['python3-fastapi', 'python3-starlette', 'python3-uvicorn'],
  backend: false,
  errorsLoseCors: true,
  async start({ port, code }) {
    const dir = scratchDir('fastapi');
    let src = code ?? FASTAPI_BROKEN;
    // The wrap form (app = CORSMiddleware(app=app, ...)) leaves a placeholder where routes go.
    const marker = '# ... your routes and other middleware ...';
    src = src.includes(marker) ? src.replace(marker, FASTAPI_ROUTES) : `${src}\n${FASTAPI_ROUTES}`;
    writeFileSync(join(dir, 'main.py'), src);
    // Debian's python (the pyenv python3 on PATH cannot see dist-packages).
    return startProcess(
      '/usr/bin/python3',
      ['-m', 'uvicorn', 'main:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'],
      port,
      { cwd: dir },
    );
  },
};

// ---------------------------------------------------------------------------------------------------
// nginx (Debian 1.22) in front of the no-CORS backend

export function nginxConf(dir: string, body: string): string {
  return [
    'worker_processes 1;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'events { worker_connections 64; }',
    'http {',
    '    access_log off;',
    `    client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;`,
    `    uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;`,
    body,
    '}',
    '',
  ].join('\n');
}

/** Broken: ACAO * without `always`, preflights passed to the app (which answers 405). */
const nginxBroken = (port: number, backendPort: number) => `
    server {
        listen 127.0.0.1:${port};
        location / {
            add_header Access-Control-Allow-Origin *;
            proxy_pass http://127.0.0.1:${backendPort};
        }
    }`;

const nginx: FrameworkServer = {
  id: 'nginx',
  apt: ['nginx'],
  backend: true,
  errorsLoseCors: true,
  async start({ port, backendPort, code }) {
    const dir = scratchDir('nginx');
    let body = code ?? nginxBroken(port, backendPort);
    if (code) {
      // Harness adaptations only: bind loopback, and point "your upstream" at the test backend.
      body = body
        .replace(new RegExp(`listen ${port};`), `listen 127.0.0.1:${port};`)
        .replace('proxy_pass http://127.0.0.1:3000;', `proxy_pass http://127.0.0.1:${backendPort};`);
    }
    writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, body));
    return startProcess('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// Fastify + @fastify/cors 11

const FASTIFY_ROUTES = `
fastify.get('/api/items', async (req, reply) => { reply.header('X-Total-Count', '42'); return 'ok'; });
fastify.put('/api/items', async () => 'ok');
fastify.patch('/api/items/:id', async () => 'ok');
fastify.get('/api/me', async () => 'ok');
`;

/** Broken: v11 defaults (origin '*', methods GET,HEAD,POST) and only content-type allowed. */
const FASTIFY_BROKEN = `import Fastify from 'fastify';
import cors from '@fastify/cors';
const fastify = Fastify();
await fastify.register(cors, { allowedHeaders: ['content-type'] });
`;

const fastify: FrameworkServer = {
  id: 'fastify',
  apt: [],
  backend: false,
  async start({ port, code }) {
    const dir = scratchDir('fastify');
    const file = join(dir, 'server.mjs');
    writeFileSync(
      file,
      `${code ?? FASTIFY_BROKEN}\n${FASTIFY_ROUTES}\nawait fastify.listen({ port: ${port}, host: '127.0.0.1' });\n`,
    );
    return startProcess(process.execPath, [file], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// Hono on @hono/node-server

const HONO_ROUTES = (port: number) => `
import { serve } from '@hono/node-server';
app.get('/api/items', (c) => { c.header('X-Total-Count', '42'); return c.text('ok'); });
app.put('/api/items', (c) => c.text('ok'));
app.patch('/api/items/:id', (c) => c.text('ok'));
app.get('/api/me', (c) => c.text('ok'));
serve({ fetch: app.fetch, port: ${port}, hostname: '127.0.0.1' });
`;

/** Broken: default origin '*', GET/POST only, content-type only. */
const HONO_BROKEN = `import { Hono } from 'hono';
import { cors } from 'hono/cors';
const app = new Hono();
app.use('*', cors({ allowMethods: ['GET', 'POST'], allowHeaders: ['content-type'] }));
`;

const hono: FrameworkServer = {
  id: 'hono',
  apt: [],
  backend: false,
  async start({ port, code }) {
    const dir = scratchDir('hono');
    const file = join(dir, 'server.mjs');
    // The generated src/index.ts uses no TypeScript-only syntax, so Node runs it as a module as is.
    writeFileSync(file, `${code ?? HONO_BROKEN}\n${HONO_ROUTES(port)}`);
    return startProcess(process.execPath, [file], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// Koa + @koa/cors 5 (routes as a plain middleware: no router package needed)

const KOA_ROUTES = (port: number) => `
app.use(async (ctx) => {
  const route = ctx.method + ' ' + ctx.path;
  if (route === 'GET /api/items') ctx.set('X-Total-Count', '42');
  if (['GET /api/items', 'PUT /api/items', 'PATCH /api/items/1', 'GET /api/me'].includes(route)) ctx.body = 'ok';
  else if (ctx.method === 'OPTIONS') ctx.status = 405;
});
app.listen(${port}, '127.0.0.1');
`;

const KOA_BROKEN = `import Koa from 'koa';
import cors from '@koa/cors';
const app = new Koa();
app.use(cors({ allowMethods: ['GET', 'POST'], allowHeaders: ['content-type'] }));
`;

const koa: FrameworkServer = {
  id: 'koa',
  apt: [],
  backend: false,
  async start({ port, code }) {
    const dir = scratchDir('koa');
    const file = join(dir, 'server.mjs');
    writeFileSync(file, `${code ?? KOA_BROKEN}\n${KOA_ROUTES(port)}`);
    return startProcess(process.execPath, [file], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// Flask-CORS (Debian 3.0.10+deb12u1, Flask 2.2)

const FLASK_ROUTES = (port: number) => `

@app.route("/api/items", methods=["GET", "PUT"])
def _items():
    return "ok", 200, {"X-Total-Count": "42"}


@app.route("/api/items/<int:item_id>", methods=["PATCH"])
def _patch_item(item_id):
    return "ok"


@app.route("/api/me")
def _me():
    return "ok"


app.run(host="127.0.0.1", port=${port})
`;

/** Broken: GET/POST only and content-type only (origins default '*', no credentials). */
const FLASK_BROKEN = `from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
CORS(app, methods=["GET", "POST"], allow_headers=["content-type"])
`;

const flaskCors: FrameworkServer = {
  id: 'flask-cors',
  apt: ['python3-flask', 'python3-flask-cors'],
  backend: false,
  async start({ port, code }) {
    const dir = scratchDir('flask');
    writeFileSync(join(dir, 'app.py'), `${code ?? FLASK_BROKEN}\n${FLASK_ROUTES(port)}`);
    return startProcess('/usr/bin/python3', [join(dir, 'app.py')], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// django-cors-headers (Debian 3.14, Django 3.2): a one-file project; the snippet is appended to settings.

const DJANGO_BASE_SETTINGS = `SECRET_KEY = "e2e-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "urls"
INSTALLED_APPS = []
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
DATABASES = {}
USE_TZ = True
`;

const DJANGO_URLS = `from django.http import HttpResponse
from django.urls import path


def items(request):
    response = HttpResponse("ok")
    response["X-Total-Count"] = "42"
    return response


def ok(request, **kwargs):
    return HttpResponse("ok")


urlpatterns = [path("api/items", items), path("api/items/<int:item_id>", ok), path("api/me", ok)]
`;

const DJANGO_BROKEN = `INSTALLED_APPS += ["corsheaders"]
MIDDLEWARE.insert(0, "corsheaders.middleware.CorsMiddleware")
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "POST"]
CORS_ALLOW_HEADERS = ["content-type"]
`;

const django: FrameworkServer = {
  id: 'django',
  apt: ['python3-django', 'python3-django-cors-headers'],
  backend: false,
  async start({ port, code }) {
    const dir = scratchDir('django');
    writeFileSync(join(dir, 'settings.py'), `${DJANGO_BASE_SETTINGS}\n${code ?? DJANGO_BROKEN}`);
    writeFileSync(join(dir, 'urls.py'), DJANGO_URLS);
    writeFileSync(
      join(dir, 'app.py'),
      [
        'import os, sys',
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")',
        'from django.core.management import execute_from_command_line',
        `execute_from_command_line([sys.argv[0], "runserver", "--noreload", "127.0.0.1:${port}"])`,
        '',
      ].join('\n'),
    );
    return startProcess('/usr/bin/python3', [join(dir, 'app.py')], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// rack-cors (Debian 1.1.1) under puma: the Rails initializer block becomes a config.ru `use`.

const RACK_APP = `
run lambda { |env|
  route = "#{env['REQUEST_METHOD']} #{env['PATH_INFO']}"
  case route
  when 'GET /api/items' then [200, { 'Content-Type' => 'text/plain', 'X-Total-Count' => '42' }, ['ok']]
  when 'PUT /api/items', 'PATCH /api/items/1', 'GET /api/me' then [200, { 'Content-Type' => 'text/plain' }, ['ok']]
  when /^OPTIONS / then [405, { 'Content-Type' => 'text/plain' }, ['method not allowed']]
  else [404, { 'Content-Type' => 'text/plain' }, ['not found']]
  end
}
`;

const RACK_BROKEN = `use Rack::Cors do
  allow do
    origins '*'
    resource '*', headers: ['content-type'], methods: [:get, :post]
  end
end
`;

const rails: FrameworkServer = {
  id: 'rails',
  apt: ['ruby-rack-cors', 'ruby-rack', 'puma'],
  backend: false,
  async start({ port, code }) {
    const dir = scratchDir('rack');
    // Harness adaptation: outside Rails, the same block is mounted with Rack's `use`.
    const cors = code
      ? code.replace('Rails.application.config.middleware.insert_before 0, Rack::Cors do', 'use Rack::Cors do')
      : RACK_BROKEN;
    writeFileSync(join(dir, 'config.ru'), `require 'rack/cors'\n${cors}\n${RACK_APP}`);
    return startProcess('puma', ['-b', `tcp://127.0.0.1:${port}`, '-t', '1:4', join(dir, 'config.ru')], port, {
      cwd: dir,
    });
  },
};

// ---------------------------------------------------------------------------------------------------
// Go: rs/cors (Debian 1.7.0) and plain net/http, built in GOPATH mode (no module proxy here)

const GO_HANDLERS = `mux := http.NewServeMux()
	mux.HandleFunc("/api/items", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Total-Count", "42")
		w.Write([]byte("ok"))
	})
	mux.HandleFunc("/api/items/1", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	mux.HandleFunc("/api/me", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })`;

const GO_BROKEN = `package main

import (
	"log"
	"net/http"

	"github.com/rs/cors"
)

func main() {
	mux := http.NewServeMux() // your handlers

	c := cors.New(cors.Options{AllowedMethods: []string{"GET", "POST"}, AllowedHeaders: []string{"content-type"}})
	log.Fatal(http.ListenAndServe(":8080", c.Handler(mux)))
}
`;

/** Builds one main.go with Debian's Go and its packaged rs/cors (GOPATH mode, no module download) and starts it. */
export function buildAndStartGo(dir: string, src: string, port: number): Promise<Running> {
  writeFileSync(join(dir, 'main.go'), src);
  const env = {
    GO111MODULE: 'off',
    GOPATH: '/usr/share/gocode',
    GOCACHE: join(REPO, 'node_modules', '.cache', 'cors-lens-gocache'),
    GOFLAGS: '',
  };
  const b = spawnSync('go', ['build', '-o', join(dir, 'server'), join(dir, 'main.go')], {
    cwd: dir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (b.status !== 0) throw new Error(`go build failed:\n${b.stdout}${b.stderr}\n${src}`);
  return startProcess(join(dir, 'server'), [], port, { cwd: dir });
}

function goServer(id: string): FrameworkServer {
  return {
    id,
    apt: ['golang-go', 'golang-github-rs-cors-dev'],
    backend: false,
    async start({ port, code }) {
      const dir = scratchDir(id);
      // Harness adaptations: the test handlers where "your handlers" go, and a loopback address.
      const src = (code ?? GO_BROKEN)
        .replace('mux := http.NewServeMux() // your handlers', GO_HANDLERS)
        .replace('":8080"', `"127.0.0.1:${port}"`);
      return buildAndStartGo(dir, src, port);
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Apache httpd (Debian 2.4) in front of the no-CORS backend

export function apacheConf(dir: string, port: number, backendPort: number, body: string): string {
  const mods = ['mpm_event', 'authz_core', 'headers', 'setenvif', 'rewrite', 'proxy', 'proxy_http'];
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return [
    'ServerRoot /usr/lib/apache2',
    ...mods.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`),
    ...(asRoot ? ['User www-data', 'Group www-data'] : []),
    `PidFile ${dir}/httpd.pid`,
    `ErrorLog ${dir}/error.log`,
    `DefaultRuntimeDir ${dir}`,
    'LogLevel warn',
    `Listen 127.0.0.1:${port}`,
    'ServerName 127.0.0.1',
    body,
    `ProxyPass / http://127.0.0.1:${backendPort}/`,
    '',
  ].join('\n');
}

/** Broken: ACAO * in the "always" table (the app's own ACAO survives next to it), preflights passed to the app. */
const APACHE_BROKEN = 'Header always set Access-Control-Allow-Origin "*"';

const apache: FrameworkServer = {
  id: 'apache',
  apt: ['apache2'],
  backend: true,
  async start({ port, backendPort, code }) {
    const dir = scratchDir('apache');
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'apache.conf'), apacheConf(dir, port, backendPort, code ?? APACHE_BROKEN));
    return startProcess('apache2', ['-f', join(dir, 'apache.conf'), '-DFOREGROUND'], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// Caddy 2 (Debian 2.6.2) in front of the no-CORS backend

const caddyBroken = (port: number, backendPort: number) => `http://127.0.0.1:${port} {
	header Access-Control-Allow-Origin *
	reverse_proxy 127.0.0.1:${backendPort}
}
`;

const caddy: FrameworkServer = {
  id: 'caddy',
  apt: ['caddy'],
  backend: true,
  async start({ port, backendPort, code }) {
    const dir = scratchDir('caddy');
    // Harness adaptations: no admin endpoint / automatic HTTPS, and the test backend as upstream.
    const site = code
      ? code.replace('reverse_proxy 127.0.0.1:3000', `reverse_proxy 127.0.0.1:${backendPort}`)
      : caddyBroken(port, backendPort);
    writeFileSync(join(dir, 'Caddyfile'), `{\n\tadmin off\n\tauto_https off\n}\n\n${site}`);
    return startProcess('caddy', ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], port, {
      cwd: dir,
      env: { XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, HOME: dir },
    });
  },
};

// ---------------------------------------------------------------------------------------------------
// Starlette (Debian 0.26) under uvicorn

const STARLETTE_ROUTES = `from starlette.responses import PlainTextResponse
from starlette.routing import Route


async def _items(request):
    if request.method == "GET":
        return PlainTextResponse("ok", headers={"X-Total-Count": "42"})
    return PlainTextResponse("ok")


async def _ok(request):
    return PlainTextResponse("ok")


async def _boom(request):
    raise RuntimeError("unhandled")


routes = [
    Route("/api/items", _items, methods=["GET", "PUT"]),
    Route("/api/items/{item_id:int}", _ok, methods=["PATCH"]),
    Route("/api/me", _ok),
    Route("/api/boom", _boom),
]`;

const STARLETTE_BROKEN = `from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

routes = []  # your routes

app = Starlette(routes=routes, middleware=[Middleware(CORSMiddleware, allow_origins=["*"])])
`;

const starlette: FrameworkServer = {
  id: 'starlette',
  apt: ['python3-starlette', 'python3-uvicorn'],
  backend: false,
  errorsLoseCors: true,
  async start({ port, code }) {
    const dir = scratchDir('starlette');
    // Harness adaptation: the test routes where "your routes" go.
    writeFileSync(
      join(dir, 'app.py'),
      (code ?? STARLETTE_BROKEN).replace('routes = []  # your routes', STARLETTE_ROUTES),
    );
    return startProcess(
      '/usr/bin/python3',
      ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'],
      port,
      { cwd: dir },
    );
  },
};

// ---------------------------------------------------------------------------------------------------
// NestJS 12 (Express adapter). Plain ESM: no decorators in Node 20, so the module is decorated by a
// call and the test routes go on the underlying Express instance (after enableCors, like controllers).

const NEST_MODULE = `import 'reflect-metadata';
import { Module } from '@nestjs/common';
class AppModule {}
Module({})(AppModule);`;

const NEST_ROUTES = (port: number) => `const server = app.getHttpAdapter().getInstance();
  server.get('/api/items', (req, res) => { res.set('X-Total-Count', '42'); res.send('ok'); });
  server.put('/api/items', (req, res) => res.send('ok'));
  server.patch('/api/items/:id', (req, res) => res.send('ok'));
  server.get('/api/me', (req, res) => res.send('ok'));
  await app.listen(${port}, '127.0.0.1');`;

/** Broken: enableCors() with only GET/POST and content-type (origin defaults to '*'). */
const NEST_BROKEN = `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableCors({ methods: ['GET', 'POST'], allowedHeaders: ['content-type'] });
  await app.listen(process.env.PORT ?? 3000);
}
bootstrap();
`;

const nestjs: FrameworkServer = {
  id: 'nestjs',
  apt: [],
  backend: false,
  async start({ port, code }) {
    const dir = scratchDir('nestjs');
    const src = (code ?? NEST_BROKEN)
      .replace("import { AppModule } from './app.module';", NEST_MODULE)
      .replace('await app.listen(process.env.PORT ?? 3000);', NEST_ROUTES(port))
      .replace(
        'const app = await NestFactory.create(AppModule);',
        'const app = await NestFactory.create(AppModule, { logger: false });',
      );
    writeFileSync(join(dir, 'main.mjs'), src);
    return startProcess(process.execPath, [join(dir, 'main.mjs')], port, { cwd: dir });
  },
};

export const FRAMEWORK_SERVERS: FrameworkServer[] = [
  express,
  fastapi,
  nginx,
  starlette,
  nestjs,
  fastify,
  hono,
  koa,
  flaskCors,
  django,
  rails,
  goServer('go-rs-cors'),
  goServer('go-net-http'),
  apache,
  caddy,
];
