import Fastify from 'fastify';
import cors from '@fastify/cors';

const fastify = Fastify();

// Register (and await) before the routes; the hook then covers 404s and errors too.
await fastify.register(cors, {
  origin: ['http://localhost:5173', 'https://admin.example.com'], // echoed only when the request's Origin is listed
  methods: ['GET', 'HEAD', 'POST', 'DELETE', 'PATCH'],
  allowedHeaders: ['authorization', 'content-type', 'x-api-key'],
  exposedHeaders: ['x-request-id', 'x-total-count'],
  credentials: true,
  maxAge: 600,
});
