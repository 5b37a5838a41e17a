import { Hono } from 'hono';
import { cors } from 'hono/cors';

const app = new Hono();

// Register before the routes: a route registered earlier answers without running it.
app.use(
  '*',
  cors({
    origin: ['http://localhost:5173'], // echoed only when the request's Origin is listed
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT'],
    allowHeaders: ['content-type'],
    maxAge: 600,
  }),
);

export default app;
