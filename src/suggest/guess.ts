// Guess the server framework from response headers (Server, X-Powered-By and a few telltale headers),
// so `explain` can default --framework. A guess only: proxies rewrite Server, and most apps hide it.
import type { Header } from '../engine/types';
import { headerValue, headerValues } from './request-facts';

export interface FrameworkGuess {
  /** Renderer id (see listFrameworks()). */
  id: string;
  /** The header that gave it away, for display. */
  because: string;
  /** Other layers seen (e.g. nginx in front of Express): the fix may belong there instead. */
  alsoSeen: string[];
}

/** [pattern, renderer id], most specific first. Patterns are matched against the header value. */
const POWERED_BY: [RegExp, string][] = [
  [/next\.js/i, 'nextjs'],
  [/express/i, 'express'],
  [/asp\.net/i, 'aspnet-core'],
  [/phusion passenger|rails/i, 'rails'],
  [/php/i, 'laravel'],
];
const SERVER: [RegExp, string][] = [
  [/uvicorn|hypercorn/i, 'fastapi'],
  [/werkzeug/i, 'flask-cors'],
  [/wsgiserver|django/i, 'django'],
  [/kestrel/i, 'aspnet-core'],
  [/puma|webrick|passenger|unicorn/i, 'rails'],
  [/amazons3/i, 'aws-s3'],
  [/caddy/i, 'caddy'],
  [/^nginx|openresty/i, 'nginx'],
  [/apache/i, 'apache'],
  [/cloudflare/i, 'cloudflare-workers'],
];

export function guessFramework(responseHeaders: Header[]): FrameworkGuess | null {
  const found: { id: string; because: string }[] = [];
  for (const v of headerValues(responseHeaders, 'x-powered-by')) {
    const hit = POWERED_BY.find(([re]) => re.test(v));
    if (hit) found.push({ id: hit[1], because: `X-Powered-By: ${v.slice(0, 60)}` });
  }
  if (
    headerValue(responseHeaders, 'apigw-requestid') !== undefined ||
    headerValue(responseHeaders, 'x-amz-apigw-id') !== undefined
  ) {
    found.push({ id: 'aws-api-gateway', because: 'API Gateway request id header' });
  }
  if (headerValues(responseHeaders, 'set-cookie').some((c) => /^laravel_session=/i.test(c))) {
    found.push({ id: 'laravel', because: 'laravel_session cookie' });
  }
  for (const v of headerValues(responseHeaders, 'server')) {
    const hit = SERVER.find(([re]) => re.test(v));
    if (hit) found.push({ id: hit[1], because: `Server: ${v.slice(0, 60)}` });
  }
  if (found.length === 0) return null;
  // The app layer (X-Powered-By) usually owns CORS; the Server header is often the proxy in front.
  const [best, ...rest] = found;
  return {
    id: best.id,
    because: best.because,
    alsoSeen: [...new Set(rest.map((r) => r.id).filter((id) => id !== best.id))],
  };
}
