// Real servers for the framework e2e tests, each started on 127.0.0.1 with either a deliberately broken
// CORS config or the config our renderer generated (spliced into a tiny app with the test routes).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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
      const c = net.connect(port, '127.0.0.1', () => { c.destroy(); resolve(true); });
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

/** Start a child process, wait for its port, stop it by its own pid. */
export async function startProcess(cmd: string, args: string[], port: number, opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Running> {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => { out += d; });
  child.stderr?.on('data', (d) => { out += d; });
  const logs = () => out.slice(-4000);
  try {
    await waitForPort(port, child, logs);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    logs,
    close: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => { clearTimeout(t); resolve(); });
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
    const known = ['/api/items', '/api/me', '/api/items/1'].includes(path);
    if (!known) { res.statusCode = 404; res.end('not found'); return; }
    if (req.method === 'OPTIONS') { res.statusCode = 405; res.setHeader('Allow', 'GET, PUT, PATCH'); res.end('method not allowed'); return; }
    if (path === '/api/items' && req.method === 'GET') res.setHeader('X-Total-Count', '42');
    res.setHeader('Content-Type', 'text/plain');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { logs: () => '', close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

export interface FrameworkServer {
  /** Renderer id in src/suggest/frameworks. */
  id: string;
  /** Debian packages it needs (installed through test/scripts/ensure-apt.mjs). */
  apt: string[];
  /** Needs the no-CORS backend (proxies). */
  backend: boolean;
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
  id: 'express', apt: [], backend: false,
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
`;

/** Broken: allow_origins=["*"] and Starlette's defaults (GET only, no extra headers, no credentials). */
const FASTAPI_BROKEN = `from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["*"])
`;

const fastapi: FrameworkServer = {
  id: 'fastapi', apt: ['python3-fastapi', 'python3-starlette', 'python3-uvicorn'], backend: false,
  async start({ port, code }) {
    const dir = scratchDir('fastapi');
    let src = code ?? FASTAPI_BROKEN;
    // The wrap form (app = CORSMiddleware(app=app, ...)) leaves a placeholder where routes go.
    const marker = '# ... your routes and other middleware ...';
    src = src.includes(marker) ? src.replace(marker, FASTAPI_ROUTES) : `${src}\n${FASTAPI_ROUTES}`;
    writeFileSync(join(dir, 'main.py'), src);
    // Debian's python (the pyenv python3 on PATH cannot see dist-packages).
    return startProcess('/usr/bin/python3', ['-m', 'uvicorn', 'main:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// nginx (Debian 1.22) in front of the no-CORS backend

function nginxConf(dir: string, body: string): string {
  return [
    'worker_processes 1;', `pid ${dir}/nginx.pid;`, `error_log ${dir}/error.log warn;`, 'events { worker_connections 64; }',
    'http {', '    access_log off;',
    `    client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;`,
    `    uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;`,
    body, '}', '',
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
  id: 'nginx', apt: ['nginx'], backend: true,
  async start({ port, backendPort, code }) {
    const dir = scratchDir('nginx');
    let body = code ?? nginxBroken(port, backendPort);
    if (code) {
      // Harness adaptations only: bind loopback, and point "your upstream" at the test backend.
      body = body.replace(new RegExp(`listen ${port};`), `listen 127.0.0.1:${port};`)
        .replace('proxy_pass http://127.0.0.1:3000;', `proxy_pass http://127.0.0.1:${backendPort};`);
    }
    writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, body));
    return startProcess('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], port);
  },
};

export const FRAMEWORK_SERVERS: FrameworkServer[] = [express, fastapi, nginx];
