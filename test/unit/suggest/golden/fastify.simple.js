import Fastify from 'fastify';
import cors from '@fastify/cors';

const fastify = Fastify();

// Register (and await) before the routes; the hook then covers 404s and errors too.
await fastify.register(cors, {
  origin: ['http://localhost:5173'], // echoed only when the request's Origin is listed
  methods: ['GET', 'HEAD', 'POST', 'PUT'],
  allowedHeaders: ['content-type'],
  maxAge: 600,
});
