import { Hono } from 'hono';
import { cors } from 'hono/cors';

const app = new Hono();

// Register before the routes: a route registered earlier answers without running it.
app.use(
  '*',
  cors({
    origin: ['http://localhost:5173', 'https://admin.example.com'], // echoed only when the request's Origin is listed
    allowMethods: ['GET', 'HEAD', 'POST', 'DELETE', 'PATCH'],
    allowHeaders: ['authorization', 'content-type', 'x-api-key'],
    exposeHeaders: ['x-request-id', 'x-total-count'],
    credentials: true,
    maxAge: 600,
  }),
);

export default app;
