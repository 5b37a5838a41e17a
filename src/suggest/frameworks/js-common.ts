// JS/TS literal helpers shared by the Express, Fastify, Hono, Koa, NestJS, Next.js and Workers renderers.
import type { OriginPolicy } from '../policy';
import { joinList, sq } from './common';

/** `['a', 'b']` (prettier style). */
export const jsList = (xs: string[]): string => `[${xs.map(sq).join(', ')}]`;

/** `{ 'Name': 'value', … }` object literal lines for a header map. */
export function jsHeaderObject(entries: [string, string][], indent: string): string {
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${indent}  ${sq(k)}: ${sq(v)},`).join('\n')}\n${indent}}`;
}

/** The key names of the `cors` package's options, which `@fastify/cors` and NestJS's `enableCors` take as well. */
export const CORS_PACKAGE_KEYS = {
  origin: 'origin',
  methods: 'methods',
  headers: 'allowedHeaders',
  expose: 'exposedHeaders',
  credentials: 'credentials',
  maxAge: 'maxAge',
} as const;

/** The option lines common to cors-style option objects, with per-library key names. */
export function optionLines(
  p: OriginPolicy,
  keys: {
    origin: string | null;
    methods: string;
    headers: string;
    expose: string;
    credentials: string;
    maxAge: string;
  },
  methods: string[],
  indent: string,
): string[] {
  const out: string[] = [];
  if (keys.origin)
    out.push(`${indent}${keys.origin}: ${jsList(p.allowOrigins)}, // echoed only when the request's Origin is listed`);
  out.push(`${indent}${keys.methods}: ${jsList(methods)},`);
  if (p.requestHeaders.length) out.push(`${indent}${keys.headers}: ${jsList(p.requestHeaders)},`);
  if (p.exposeHeaders.length) out.push(`${indent}${keys.expose}: ${jsList(p.exposeHeaders)},`);
  if (p.credentials) out.push(`${indent}${keys.credentials}: true,`);
  out.push(`${indent}${keys.maxAge}: ${p.maxAge},`);
  return out;
}

/**
 * The two header sets a hand-written JS handler sends: on every CORS response (credentials, exposed headers)
 * and on preflights (credentials, methods, request headers, max-age). Origin and Vary are added by the caller.
 */
export function handlerHeaderSets(p: OriginPolicy): { always: [string, string][]; pre: [string, string][] } {
  const always: [string, string][] = [];
  if (p.credentials) always.push(['Access-Control-Allow-Credentials', 'true']);
  if (p.exposeHeaders.length) always.push(['Access-Control-Expose-Headers', joinList(p.exposeHeaders)]);
  const pre: [string, string][] = [];
  if (p.credentials) pre.push(['Access-Control-Allow-Credentials', 'true']);
  if (p.methods.length) pre.push(['Access-Control-Allow-Methods', joinList(p.methods)]);
  if (p.requestHeaders.length) pre.push(['Access-Control-Allow-Headers', joinList(p.requestHeaders)]);
  pre.push(['Access-Control-Max-Age', String(p.maxAge)]);
  return { always, pre };
}
