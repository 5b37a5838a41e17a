import express from 'express';
import cors from 'cors';

const app = express();

// Before routes and auth: it answers every OPTIONS request itself (204), and the headers it sets
// stay on 404s and errors that Express produces later.
app.use(
  cors({
    origin: ['http://localhost:5173', 'https://admin.example.com'], // echoed only when the request's Origin is listed
    methods: ['GET', 'HEAD', 'POST', 'DELETE', 'PATCH'],
    allowedHeaders: ['authorization', 'content-type', 'x-api-key'],
    exposedHeaders: ['x-request-id', 'x-total-count'],
    credentials: true,
    maxAge: 600,
  }),
);
