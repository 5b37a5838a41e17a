import Koa from 'koa';
import cors from '@koa/cors';

const app = new Koa();

const allowedOrigins = new Set(['http://localhost:5173']);

// Before the router. @koa/cors joins an origin array into one (invalid) header value, so use a
// function: it returns the request's Origin when allowed, '' (no CORS headers) otherwise.
app.use(
  cors({
    origin: (ctx) => (allowedOrigins.has(ctx.get('Origin')) ? ctx.get('Origin') : ''),
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT'],
    allowHeaders: ['content-type'],
    maxAge: 600,
  }),
);
