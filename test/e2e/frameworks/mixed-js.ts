// Mixed apps (mixed-apps.ts) on Node: Express, Fastify, Hono, Koa and NestJS, each with per-area CORS options.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsList, type MixedServer } from './mixed-apps';
import { scratchDir, startProcess } from './servers';

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
  id: 'express',
  apt: [],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-express');
    const file = join(dir, 'server.mjs');
    writeFileSync(
      file,
      `${code ?? EXPRESS_HEAD}\n${expressRoutes(code === null, origins)}\napp.listen(${port}, '127.0.0.1');\n`,
    );
    return startProcess(process.execPath, [file], port, { cwd: dir });
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
  id: 'fastify',
  apt: [],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-fastify');
    const file = join(dir, 'server.mjs');
    writeFileSync(
      file,
      `${code ?? FASTIFY_HEAD}\n${fastifyAreas(code === null, origins)}\nawait fastify.listen({ port: ${port}, host: '127.0.0.1' });\n`,
    );
    return startProcess(process.execPath, [file], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// Hono (hono/cors) on @hono/node-server: one cors() per path pattern.

const honoRoutes = (withCors: boolean, origins: string[], port: number) => `
import { serve } from '@hono/node-server';
${
  withCors
    ? `app.use('/api/*', cors({ origin: ${jsList(origins)}, credentials: true, allowMethods: ['GET', 'POST', 'PUT', 'DELETE'], allowHeaders: ['Authorization', 'Content-Type', 'X-CSRF-Token'], exposeHeaders: ['X-Request-Id', 'ETag'] }));
app.use('/public/*', cors({ origin: ${jsList(origins)}, allowMethods: ['GET'] }));`
    : ''
}
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
  id: 'hono',
  apt: [],
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
${
  withCors
    ? `const allowed = new Set(${jsList(origins)});
const pick = (ctx) => (allowed.has(ctx.get('Origin')) ? ctx.get('Origin') : '');
const apiCors = cors({ origin: pick, credentials: true, allowMethods: ['GET', 'POST', 'PUT', 'DELETE'], allowHeaders: ['Authorization', 'Content-Type', 'X-CSRF-Token'], exposeHeaders: ['X-Request-Id', 'ETag'] });
const publicCors = cors({ origin: pick, allowMethods: ['GET'] });
app.use((ctx, next) => (ctx.path.startsWith('/api/') ? apiCors : publicCors)(ctx, next));`
    : ''
}
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
  id: 'koa',
  apt: [],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-koa');
    const file = join(dir, 'server.mjs');
    writeFileSync(file, `${code ?? KOA_HEAD}\n${koaRoutes(code === null, origins, port)}`);
    return startProcess(process.execPath, [file], port, { cwd: dir });
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
  id: 'nestjs',
  apt: [],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-nestjs');
    // Harness adaptations: the module inline, the test routes and a loopback address where listen() is.
    const src = (code ?? nestBroken(origins))
      .replace("import { AppModule } from './app.module';", NEST_MODULE)
      .replace('await app.listen(process.env.PORT ?? 3000);', nestRoutes(port))
      .replace(
        'const app = await NestFactory.create(AppModule);',
        'const app = await NestFactory.create(AppModule, { logger: false });',
      );
    writeFileSync(join(dir, 'main.mjs'), src);
    return startProcess(process.execPath, [join(dir, 'main.mjs')], port, { cwd: dir });
  },
};

export { expressMixed, fastifyMixed, honoMixed, koaMixed, nestMixed };
